/**
 * What the attention logic asks of its host (issue 7): notifications and the tray. The core
 * decides; the host only translates (Electron: Notification, Tray, Menu, setBadgeCount; the
 * web host: a log and a list tests can read). Nothing here imports a host API.
 */
import type { OwnShow } from './strings.ts';

/** Where a click on a notification leads: an account, and in it a conversation (at a message). */
export interface NotificationTarget {
  accountId: string;
  /** A bare JID; absent: the account itself (a connection problem). */
  peer?: string;
  messageId?: number;
}

export type AttentionKind =
  'message' | 'subscription' | 'connection' | 'room-mention' | 'room-invitation' | 'file' | 'hint';

/** One notification to show, or to update in place when a notification with its `tag` is up. */
export interface NotificationIntent {
  kind: AttentionKind;
  /** Stable per conversation (or per request): the host replaces a notification with the same tag. */
  tag: string;
  /** True when it updates the notification already shown under this tag (a burst goes on). */
  replace: boolean;
  title: string;
  body: string;
  /** A local image file (the sender's avatar), when the privacy setting lets the sender show. */
  icon?: string;
  target: NotificationTarget;
  /** Play the notification sound: at most once per burst, never when sound is off. */
  sound: boolean;
  /** How many events this notification stands for (a burst: the number of messages). */
  count: number;
}

export interface NotifierPort {
  show(intent: NotificationIntent): void;
  /** The notification with this tag is no longer wanted (its conversation was seen). */
  close(tag: string): void;
}

export type TrayAction =
  | 'open'
  | 'status:available'
  | 'status:away'
  | 'status:dnd'
  | 'status:invisible'
  | 'mute:1h'
  | 'mute:tomorrow'
  | 'unmute'
  | 'quit';

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'item'; action: TrayAction; label: string }
  | { type: 'radio'; action: TrayAction; label: string; checked: boolean };

/** Everything the tray (and the dock/taskbar badge) shows. */
export interface TrayModel {
  /** The best presence across accounts ('offline': none is online; invisible counts as offline). */
  presence: OwnShow;
  /** Unread messages across all conversations of all accounts. */
  unread: number;
  /** Notifications are muted (globally, until a time). */
  muted: boolean;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayPort {
  update(model: TrayModel): void;
}

/**
 * What deserves the user's attention (issue 7), decided in the core and tested in Node; the
 * host only shows the intents it gets through its `NotifierPort`.
 *
 * A new inbound message notifies unless: notifications are off or muted (globally until a
 * time, or for its conversation), its account's own presence is "do not disturb", it is
 * in the conversation shown in the focused window, it came from the archive (catch-up or
 * older history), it is a copy of our own message from another device (a carbon), or its
 * sender is blocked. A burst in one conversation is one notification updated in place
 * (stable tag, a count) with at most one sound; it closes once the conversation is seen.
 * Subscription requests and connection problems the user must act on notify once each.
 * Room mentions, invitations and incoming files have their entry points here for the
 * features that will produce them.
 */
import type { Settings } from '../../../preload/settings.ts';
import type { Logger } from '../log.ts';
import type { NotificationIntent, NotificationTarget, NotifierPort } from './ports.ts';
import { coreLanguage, coreStrings, type CoreStrings, type OwnShow } from './strings.ts';

/** Messages further apart than this start a new burst (which may sound again). */
export const BURST_GAP_MS = 60_000;
/** Longest message text shown in a notification. */
export const MAX_NOTIFICATION_TEXT = 200;

export interface MessageEvent {
  accountId: string;
  peer: string;
  messageId: number;
  direction: 'in' | 'out';
  /** How it arrived: live, a carbon (XEP-0280) or from the server archive (catch-up, older history). */
  via: 'live' | 'carbon' | 'archive';
  /** The sender's display name and avatar (a local file, if cached): looked up only when a notification is shown. */
  sender: () => { name: string; avatarPath?: string | undefined };
  body: string;
  blocked: boolean;
}

export interface SubscriptionEvent {
  accountId: string;
  jid: string;
  nick?: string | undefined;
}

export interface ConnectionProblemEvent {
  accountId: string;
  code: 'auth-failed' | 'certificate-untrusted' | 'certificate-changed';
}

/** For group chat (not built yet): a message that mentions us in a room. */
export interface RoomMentionEvent {
  accountId: string;
  room: string;
  roomName: string;
  messageId: number;
  senderName: string;
  body: string;
  via: 'live' | 'archive';
}

export interface RoomInvitationEvent {
  accountId: string;
  room: string;
  roomName: string;
  from: string;
  fromName: string;
}

export interface IncomingFileEvent {
  accountId: string;
  peer: string;
  senderName: string;
  fileName: string;
  avatarPath?: string | undefined;
}

export interface AttentionDeps {
  notifier: NotifierPort;
  settings: () => Settings;
  /** The host's locale, for the 'system' language (e.g. Electron's app.getLocale()). */
  systemLocale?: () => string | undefined;
  /** Our own presence on an account ('dnd' suppresses its notifications). */
  ownShow: (accountId: string) => OwnShow | undefined;
  /** A conversation's own preferences (undefined: defaults). */
  conversation: (accountId: string, peer: string) => { mutedUntil: number | null; sound: boolean } | undefined;
  now?: () => number;
  log?: Logger;
}

interface Group {
  count: number;
  /** The first message of the burst: a click opens the conversation there, to read on from it. */
  firstMessageId?: number | undefined;
  lastAt: number;
  soundAt: number | undefined;
}

export const messageTag = (accountId: string, peer: string): string => `message:${accountId}:${peer}`;
const subscriptionTag = (accountId: string, jid: string): string => `subscription:${accountId}:${jid}`;
const connectionTag = (accountId: string): string => `connection:${accountId}`;

export class Attention {
  readonly #deps: AttentionDeps;
  readonly #now: () => number;
  /** Open notification groups by tag. */
  readonly #groups = new Map<string, Group>();
  /** Connection problems already announced, per account (until it is online again). */
  readonly #problems = new Map<string, string>();
  #active = false;
  #visible: { accountId: string; peer: string } | null = null;

  constructor(deps: AttentionDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  get #strings(): CoreStrings {
    return coreStrings[coreLanguage(this.#deps.settings().general.language, this.#deps.systemLocale?.())];
  }

  /** The window became active (visible and focused) or not. */
  setActive(active: boolean): void {
    this.#active = active;
    this.#seenVisible();
  }

  /** The conversation the window shows (null: none). */
  setVisible(conversation: { accountId: string; peer: string } | null): void {
    this.#visible = conversation;
    this.#seenVisible();
  }

  /** The user has seen a conversation (read mark, or answered): its notification goes. */
  seen(accountId: string, peer: string): void {
    this.#close(messageTag(accountId, peer));
  }

  /** An account came online: a connection problem may be announced again later. */
  connected(accountId: string): void {
    if (this.#problems.delete(accountId)) this.#close(connectionTag(accountId));
  }

  /** A message was stored (called after the archive write, for every path). */
  onMessage(event: MessageEvent): void {
    if (event.direction === 'out') {
      // Written by the user here or on another device: they have seen the conversation.
      if (event.via !== 'archive') this.seen(event.accountId, event.peer);
      return;
    }
    if (event.via === 'archive' || event.blocked) return;
    if (this.#isVisible(event.accountId, event.peer)) return;
    const prefs = this.#deps.conversation(event.accountId, event.peer);
    const now = this.#now();
    if (prefs?.mutedUntil != null && prefs.mutedUntil > now) return;
    if (!this.#allowed(event.accountId, now)) return;
    const tag = messageTag(event.accountId, event.peer);
    const group = this.#bump(tag, now);
    group.firstMessageId ??= event.messageId;
    const sound = this.#sound(group, now, prefs?.sound ?? true);
    const s = this.#strings;
    const content = this.#deps.settings().privacy.notificationContent;
    const target: NotificationTarget = {
      accountId: event.accountId,
      peer: event.peer,
      messageId: group.firstMessageId,
    };
    const n = group.count;
    const sender = event.sender();
    let title: string;
    let body: string;
    if (content === 'full') {
      title = n > 1 ? s.titleWithCount(sender.name, n) : sender.name;
      body = clip(event.body);
    } else if (content === 'sender') {
      title = s.appName;
      body = n > 1 ? s.newMessagesFrom(sender.name, n) : s.newMessageFrom(sender.name);
    } else {
      title = s.appName;
      body = n > 1 ? s.newMessages(n) : s.newMessage;
    }
    this.#show({
      kind: 'message',
      tag,
      replace: n > 1,
      title,
      body,
      ...(content !== 'none' && sender.avatarPath ? { icon: sender.avatarPath } : {}),
      target,
      sound,
      count: n,
    });
  }

  /** A new incoming subscription request. */
  onSubscriptionRequest(event: SubscriptionEvent): void {
    const now = this.#now();
    if (!this.#allowed(event.accountId, now)) return;
    const s = this.#strings;
    const content = this.#deps.settings().privacy.notificationContent;
    const tag = subscriptionTag(event.accountId, event.jid);
    const group = this.#bump(tag, now);
    this.#show({
      kind: 'subscription',
      tag,
      replace: group.count > 1,
      title: s.contactRequestTitle,
      body: content === 'none' ? s.contactRequest : s.contactRequestFrom(event.nick ?? event.jid),
      // The window only: the request waits under the account's header (not a conversation).
      target: { accountId: event.accountId },
      sound: this.#sound(group, now, true),
      count: 1,
    });
  }

  /** The account stopped on a failure the user must fix (wrong password, certificate): once per failure. */
  onConnectionProblem(event: ConnectionProblemEvent): void {
    if (this.#problems.get(event.accountId) === event.code) return;
    this.#problems.set(event.accountId, event.code);
    const now = this.#now();
    if (!this.#deps.settings().notifications.enabled || this.#globallyMuted(now)) return;
    const s = this.#strings;
    const tag = connectionTag(event.accountId);
    const group = this.#bump(tag, now);
    this.#show({
      kind: 'connection',
      tag,
      replace: group.count > 1,
      title: s.connectionTitle(event.accountId),
      body: event.code === 'auth-failed' ? s.authFailed : s.certificateProblem,
      target: { accountId: event.accountId },
      sound: this.#sound(group, now, true),
      count: 1,
    });
  }

  /** For group chat: a mention of us in a room (grouped per room like a conversation). */
  onRoomMention(event: RoomMentionEvent): void {
    if (event.via === 'archive' || this.#isVisible(event.accountId, event.room)) return;
    const prefs = this.#deps.conversation(event.accountId, event.room);
    const now = this.#now();
    if (prefs?.mutedUntil != null && prefs.mutedUntil > now) return;
    if (!this.#allowed(event.accountId, now)) return;
    const s = this.#strings;
    const content = this.#deps.settings().privacy.notificationContent;
    const tag = messageTag(event.accountId, event.room);
    const group = this.#bump(tag, now);
    this.#show({
      kind: 'room-mention',
      tag,
      replace: group.count > 1,
      title: content === 'none' ? s.appName : s.roomMention(event.roomName),
      body: content === 'full' ? `${event.senderName}: ${clip(event.body)}` : s.roomMention(event.roomName),
      target: { accountId: event.accountId, peer: event.room, messageId: event.messageId },
      sound: this.#sound(group, now, prefs?.sound ?? true),
      count: group.count,
    });
  }

  onRoomInvitation(event: RoomInvitationEvent): void {
    const now = this.#now();
    if (!this.#allowed(event.accountId, now)) return;
    const s = this.#strings;
    const content = this.#deps.settings().privacy.notificationContent;
    const tag = `invitation:${event.accountId}:${event.room}`;
    const group = this.#bump(tag, now);
    this.#show({
      kind: 'room-invitation',
      tag,
      replace: group.count > 1,
      title: s.appName,
      body: content === 'none' ? s.roomInvitation('…') : s.roomInvitationFrom(event.fromName, event.roomName),
      target: { accountId: event.accountId, peer: event.room },
      sound: this.#sound(group, now, true),
      count: 1,
    });
  }

  onIncomingFile(event: IncomingFileEvent): void {
    if (this.#isVisible(event.accountId, event.peer)) return;
    const prefs = this.#deps.conversation(event.accountId, event.peer);
    const now = this.#now();
    if (prefs?.mutedUntil != null && prefs.mutedUntil > now) return;
    if (!this.#allowed(event.accountId, now)) return;
    const s = this.#strings;
    const content = this.#deps.settings().privacy.notificationContent;
    const tag = `file:${event.accountId}:${event.peer}`;
    const group = this.#bump(tag, now);
    this.#show({
      kind: 'file',
      tag,
      replace: group.count > 1,
      title: s.incomingFile,
      body: content === 'full' ? s.incomingFileFrom(event.senderName, event.fileName) : s.incomingFile,
      ...(content !== 'none' && event.avatarPath ? { icon: event.avatarPath } : {}),
      target: { accountId: event.accountId, peer: event.peer },
      sound: this.#sound(group, now, prefs?.sound ?? true),
      count: group.count,
    });
  }

  /**
   * The first time the window is closed to the tray: a notification says Parley keeps
   * running (true when it was shown; the caller records it in the settings).
   */
  closeToTrayHint(): boolean {
    const settings = this.#deps.settings();
    if (settings.general.closeToTrayHintShown) return false;
    const s = this.#strings;
    this.#deps.notifier.show({
      kind: 'hint',
      tag: 'hint:close-to-tray',
      replace: false,
      title: s.closeToTrayTitle,
      body: s.closeToTrayBody,
      target: { accountId: '' },
      sound: false,
      count: 1,
    });
    return true;
  }

  #isVisible(accountId: string, peer: string): boolean {
    return this.#active && this.#visible?.accountId === accountId && this.#visible.peer === peer;
  }

  #seenVisible(): void {
    if (this.#active && this.#visible) this.seen(this.#visible.accountId, this.#visible.peer);
  }

  #globallyMuted(now: number): boolean {
    const until = this.#deps.settings().notifications.mutedUntil;
    return until !== null && until > now;
  }

  /** Notifications on, not muted globally, and not "do not disturb" on this account. */
  #allowed(accountId: string, now: number): boolean {
    if (!this.#deps.settings().notifications.enabled) return false;
    if (this.#globallyMuted(now)) return false;
    return this.#deps.ownShow(accountId) !== 'dnd';
  }

  #bump(tag: string, now: number): Group {
    const existing = this.#groups.get(tag);
    const group: Group = existing ?? { count: 0, lastAt: now, soundAt: undefined };
    if (existing && now - existing.lastAt > BURST_GAP_MS) group.soundAt = undefined; // a new burst
    group.count += 1;
    group.lastAt = now;
    this.#groups.set(tag, group);
    return group;
  }

  /** At most one sound per burst, when sound is on (globally and for the conversation). */
  #sound(group: Group, now: number, conversationSound: boolean): boolean {
    if (!conversationSound || !this.#deps.settings().notifications.sound || group.soundAt !== undefined) return false;
    group.soundAt = now;
    return true;
  }

  #show(intent: NotificationIntent): void {
    this.#deps.log?.debug('attention', `notify ${intent.tag} (${String(intent.count)})`);
    this.#deps.notifier.show(intent);
  }

  #close(tag: string): void {
    if (this.#groups.delete(tag)) this.#deps.notifier.close(tag);
  }
}

function clip(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length > MAX_NOTIFICATION_TEXT ? `${flat.slice(0, MAX_NOTIFICATION_TEXT - 1)}…` : flat;
}

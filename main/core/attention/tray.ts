/**
 * The tray (issue 7), pure: what it shows (overall presence, unread count, muted) and its
 * menu, from the accounts' state; and what its menu items do, as intents back into the core.
 */
import type { SettingsPatch } from '../../../preload/settings.ts';
import type { TrayAction, TrayMenuItem, TrayModel } from './ports.ts';
import { coreStrings, type CoreLanguage, type OwnShow } from './strings.ts';

/** Best first: the tray shows the most available presence among online accounts. */
const RANK: readonly OwnShow[] = ['chat', 'available', 'away', 'xa', 'dnd', 'offline'];

export interface TrayInput {
  /** Each account's own presence while it is online (undefined: not online). */
  presences: readonly (OwnShow | undefined)[];
  unread: number;
  mutedUntil: number | null;
  now: number;
  language: CoreLanguage;
}

export function overallPresence(presences: readonly (OwnShow | undefined)[]): OwnShow {
  let best = RANK.length - 1;
  for (const p of presences) if (p !== undefined) best = Math.min(best, RANK.indexOf(p));
  return RANK[best] ?? 'offline';
}

export function trayModel(input: TrayInput): TrayModel {
  const s = coreStrings[input.language];
  const presence = overallPresence(input.presences);
  const muted = input.mutedUntil !== null && input.mutedUntil > input.now;
  const unread = Math.max(0, input.unread);
  const parts = [s.tooltipShow[presence]];
  if (unread > 0) parts.push(s.tooltipUnread(unread));
  if (muted) parts.push(s.tooltipMuted);
  const current = presence === 'chat' ? 'available' : presence === 'xa' ? 'away' : presence;
  const status = (action: TrayAction, label: string, show: OwnShow): TrayMenuItem => ({
    type: 'radio',
    action,
    label,
    checked: current === show,
  });
  const menu: TrayMenuItem[] = [
    { type: 'item', action: 'open', label: s.trayOpen },
    { type: 'separator' },
    status('status:available', s.trayAvailable, 'available'),
    status('status:away', s.trayAway, 'away'),
    status('status:dnd', s.trayDnd, 'dnd'),
    status('status:invisible', s.trayInvisible, 'offline'),
    { type: 'separator' },
    ...(muted
      ? [{ type: 'item', action: 'unmute', label: s.trayUnmute } as const]
      : [
          { type: 'item', action: 'mute:1h', label: s.trayMute1h } as const,
          { type: 'item', action: 'mute:tomorrow', label: s.trayMuteTomorrow } as const,
        ]),
    { type: 'separator' },
    { type: 'item', action: 'quit', label: s.trayQuit },
  ];
  return { presence, unread, muted, tooltip: `${s.appName} — ${parts.join(', ')}`, menu };
}

/** Tomorrow at 08:00 local time: "until tomorrow". */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}

export type TrayIntent =
  | { kind: 'open' }
  | { kind: 'quit' }
  | { kind: 'status'; show: 'available' | 'away' | 'dnd' | 'offline' }
  | { kind: 'settings'; patch: SettingsPatch };

/** What a tray menu item asks the core to do. */
export function trayIntent(action: TrayAction, now: number): TrayIntent {
  switch (action) {
    case 'open':
      return { kind: 'open' };
    case 'quit':
      return { kind: 'quit' };
    case 'status:available':
      return { kind: 'status', show: 'available' };
    case 'status:away':
      return { kind: 'status', show: 'away' };
    case 'status:dnd':
      return { kind: 'status', show: 'dnd' };
    case 'status:invisible':
      return { kind: 'status', show: 'offline' };
    case 'mute:1h':
      return { kind: 'settings', patch: { notifications: { mutedUntil: now + 3600_000 } } };
    case 'mute:tomorrow':
      return { kind: 'settings', patch: { notifications: { mutedUntil: tomorrowMorning(now) } } };
    case 'unmute':
      return { kind: 'settings', patch: { notifications: { mutedUntil: null } } };
  }
}

/** Whether two models would look the same (the host is only told about changes). */
export function sameTray(a: TrayModel | undefined, b: TrayModel): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The attention service (issue 7): composes the attention logic and the tray with the core.
 * It watches the events the core emits (conversations' unread counts, own presence, account
 * states, subscription requests), is told about every stored message by the accounts, and
 * gives the hosts their entry points: a notification clicked (`openTarget`), an xmpp: link
 * (`openUri`), a tray menu item (`trayAction`), the window's close button (`closeRequested`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventName, EventPayload, Message, UriRequest } from '../../../preload/contract.ts';
import type { SettingsService } from '../settings/settings-port.ts';
import { CoreError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { IMAGE_EXTENSIONS, IMAGE_TYPES } from '../xmpp/avatar.ts';
import { parseXmppUri } from '../xmpp-uri.ts';
import { Attention } from './attention.ts';
import type { NotificationTarget, NotifierPort, TrayAction, TrayModel, TrayPort } from './ports.ts';
import { coreLanguage, type OwnShow } from './strings.ts';
import { sameTray, trayIntent, trayModel } from './tray.ts';

/** What the host does for the core: show the window, quit. */
export interface DesktopHost {
  showWindow(): void;
  quit(): void;
}

/** What an account tells the service about each stored message. */
export interface StoredMessage {
  message: Message;
  via: 'live' | 'carbon' | 'archive';
  blocked: boolean;
  /** Display name and avatar hash (read only when a notification is shown). */
  sender: () => { name: string; avatar?: string | undefined };
}

export interface AttentionServiceDeps {
  settings: SettingsService;
  notifier?: NotifierPort | undefined;
  tray?: TrayPort | undefined;
  host?: DesktopHost | undefined;
  systemLocale?: (() => string | undefined) | undefined;
  avatarsDir: string;
  /** Emits a contract event to the renderers. */
  emit: <N extends EventName>(name: N, payload: EventPayload<N>) => void;
  /** The per-conversation preferences (migration 0011). */
  conversation: (accountId: string, peer: string) => { mutedUntil: number | null; sound: boolean } | undefined;
  /** Incoming subscription requests already known (stored) at start, per account. */
  knownRequests: (accountId: string) => readonly string[];
  /** Sets our presence on every account (tray menu). */
  setStatusAll: (show: 'available' | 'away' | 'dnd' | 'offline') => Promise<void>;
  now?: () => number;
  /** The tray is told at most once per this long (a burst changes the unread count per message); 0: at once. */
  trayDelayMs?: number;
  log: Logger;
}

const PROBLEMS = new Set(['auth-failed', 'certificate-untrusted', 'certificate-changed']);
const noop: NotifierPort = { show: () => undefined, close: () => undefined };

export class AttentionService {
  readonly attention: Attention;
  readonly #deps: AttentionServiceDeps;
  readonly #now: () => number;
  /** Unread per conversation (`account\npeer`). */
  readonly #unread = new Map<string, number>();
  /** The sum of `#unread` (kept in step: no sum over every conversation per message). */
  #unreadTotal = 0;
  /** Own presence per online account. */
  readonly #online = new Map<string, OwnShow>();
  readonly #shows = new Map<string, OwnShow>();
  /** Incoming subscription requests seen, per account. */
  readonly #requests = new Map<string, Set<string>>();
  #tray: TrayModel | undefined;
  /** What the tray shows, in short: the model is rebuilt only when this changes. */
  #trayKey = '';
  /** The last xmpp: link not yet taken by a renderer (it may arrive before the window is up). */
  #pendingUri: UriRequest | null = null;
  #muteTimer: ReturnType<typeof setTimeout> | undefined;
  #trayTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: AttentionServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.attention = new Attention({
      notifier: deps.notifier ?? noop,
      settings: () => deps.settings.get(),
      systemLocale: () => deps.systemLocale?.(),
      ownShow: (accountId) => this.#shows.get(accountId),
      conversation: deps.conversation,
      now: this.#now,
      log: deps.log,
    });
    deps.settings.onChange(() => {
      this.#scheduleUnmute();
      this.#updateTray();
    });
    this.#scheduleUnmute();
  }

  /** Starting values: each account's conversations' unread counts and own presence. */
  seed(accountId: string, unread: readonly { peer: string; unread?: number | undefined }[], show: OwnShow): void {
    for (const c of unread) this.#setUnread(`${accountId}\n${c.peer}`, c.unread ?? 0);
    this.#shows.set(accountId, show);
    this.#requests.set(accountId, new Set(this.#deps.knownRequests(accountId)));
    this.#updateTray();
  }

  /** Every event the core emits passes here (after the renderers got it). */
  observe<N extends EventName>(name: N, payload: EventPayload<N>): void {
    switch (name) {
      case 'conversation.updated': {
        const c = payload as EventPayload<'conversation.updated'>;
        if (c.unread === undefined) return;
        const key = `${c.accountId}\n${c.peer}`;
        if (this.#unread.get(key) === c.unread) return;
        this.#setUnread(key, c.unread);
        this.#updateTray();
        return;
      }
      case 'conversation.removed': {
        const c = payload as EventPayload<'conversation.removed'>;
        this.#setUnread(`${c.accountId}\n${c.peer}`, undefined);
        this.attention.seen(c.accountId, c.peer);
        this.#updateTray();
        return;
      }
      case 'presence.own': {
        const p = payload as EventPayload<'presence.own'>;
        this.#shows.set(p.accountId, p.show);
        if (this.#online.has(p.accountId)) this.#online.set(p.accountId, p.show);
        this.#updateTray();
        return;
      }
      case 'account.state': {
        const a = payload as EventPayload<'account.state'>;
        if (a.status === 'online') {
          this.#online.set(a.id, this.#shows.get(a.id) ?? 'available');
          this.attention.connected(a.id);
        } else this.#online.delete(a.id);
        if (a.status === 'error' && a.error && PROBLEMS.has(a.error.code))
          this.attention.onConnectionProblem({
            accountId: a.id,
            code: a.error.code as 'auth-failed' | 'certificate-untrusted' | 'certificate-changed',
          });
        this.#updateTray();
        return;
      }
      case 'account.removed': {
        const { accountId } = payload as EventPayload<'account.removed'>;
        this.#online.delete(accountId);
        this.#shows.delete(accountId);
        for (const key of [...this.#unread.keys()])
          if (key.startsWith(`${accountId}\n`)) this.#setUnread(key, undefined);
        this.#updateTray();
        return;
      }
      case 'subscriptions.updated': {
        const { accountId, requests } = payload as EventPayload<'subscriptions.updated'>;
        const known = this.#requests.get(accountId) ?? new Set<string>();
        this.#requests.set(accountId, known);
        const incoming = requests.filter((r) => r.direction === 'in');
        for (const r of incoming) {
          if (known.has(r.jid)) continue;
          known.add(r.jid);
          this.attention.onSubscriptionRequest({ accountId, jid: r.jid, nick: r.nick });
        }
        // Answered ones may come again later and are new then.
        for (const jid of [...known]) if (!incoming.some((r) => r.jid === jid)) known.delete(jid);
        return;
      }
      default:
        return;
    }
  }

  /** An account stored a message (any path; after the archive write). */
  onStored(stored: StoredMessage): void {
    const { message } = stored;
    this.attention.onMessage({
      accountId: message.accountId,
      peer: message.peer,
      messageId: message.id,
      direction: message.direction,
      via: stored.via,
      body: message.body,
      blocked: stored.blocked,
      sender: () => {
        const { name, avatar } = stored.sender();
        const avatarPath = avatar ? this.#avatarPath(avatar) : undefined;
        return { name, ...(avatarPath ? { avatarPath } : {}) };
      },
    });
  }

  /** A notification was clicked: the window comes up at the conversation (and message). */
  openTarget(target: NotificationTarget): void {
    this.#deps.host?.showWindow();
    if (target.peer === undefined || target.accountId === '') return;
    this.#deps.emit('app.navigate', {
      accountId: target.accountId,
      peer: target.peer,
      ...(target.messageId !== undefined ? { messageId: target.messageId } : {}),
    });
  }

  /** An xmpp: link (from a message, the OS or a second launch): offered to the user to confirm. */
  openUri(uri: string): UriRequest {
    const parsed = parseXmppUri(uri);
    if (!parsed.ok) {
      this.#deps.log.info('attention', `refused an xmpp: link: ${parsed.reason}`);
      throw new CoreError('bad-request', `This xmpp: link is not valid: ${parsed.reason}.`);
    }
    this.#deps.host?.showWindow();
    this.#pendingUri = parsed.request;
    this.#deps.emit('app.uri', parsed.request);
    return parsed.request;
  }

  /** The xmpp: link waiting for a renderer, once (a renderer that starts later asks for it). */
  takeUri(): UriRequest | null {
    const request = this.#pendingUri;
    this.#pendingUri = null;
    return request;
  }

  /** A tray menu item was chosen. */
  async trayAction(action: TrayAction): Promise<void> {
    const intent = trayIntent(action, this.#now());
    switch (intent.kind) {
      case 'open':
        this.#deps.host?.showWindow();
        return;
      case 'quit':
        this.#deps.host?.quit();
        return;
      case 'status':
        await this.#deps.setStatusAll(intent.show);
        return;
      case 'settings':
        this.#deps.settings.update(intent.patch);
        return;
    }
  }

  /** The window's close button: 'hide' to the tray (with a first-time hint) or 'quit'. */
  closeRequested(): 'hide' | 'quit' {
    if (!this.#deps.settings.get().general.closeToTray) return 'quit';
    if (this.attention.closeToTrayHint()) this.#deps.settings.update({ general: { closeToTrayHintShown: true } });
    return 'hide';
  }

  /** The tray as it stands (hosts that start late ask once). */
  get tray(): TrayModel {
    return this.#model();
  }

  close(): void {
    clearTimeout(this.#muteTimer);
    clearTimeout(this.#trayTimer);
    this.#trayTimer = undefined;
  }

  #setUnread(key: string, count: number | undefined): void {
    this.#unreadTotal += (count ?? 0) - (this.#unread.get(key) ?? 0);
    if (count === undefined) this.#unread.delete(key);
    else this.#unread.set(key, count);
  }

  #model(): TrayModel {
    const settings = this.#deps.settings.get();
    return trayModel({
      presences: [...this.#online.values()],
      unread: this.#unreadTotal,
      mutedUntil: settings.notifications.mutedUntil,
      now: this.#now(),
      language: coreLanguage(settings.general.language, this.#deps.systemLocale?.()),
    });
  }

  /** Tells the host when what the tray shows changed, at most once per `trayDelayMs`. */
  #updateTray(): void {
    const delay = this.#deps.trayDelayMs ?? 100;
    if (delay === 0) {
      this.#flushTray();
      return;
    }
    if (this.#trayTimer !== undefined) return;
    this.#trayTimer = setTimeout(() => {
      this.#trayTimer = undefined;
      this.#flushTray();
    }, delay);
    this.#trayTimer.unref();
  }

  #flushTray(): void {
    const settings = this.#deps.settings.get();
    const until = settings.notifications.mutedUntil;
    const key = [
      [...this.#online.values()].join(','),
      this.#unreadTotal,
      until !== null && until > this.#now(),
      settings.general.language,
      this.#deps.systemLocale?.() ?? '',
    ].join('|');
    if (key === this.#trayKey) return;
    this.#trayKey = key;
    const model = this.#model();
    if (sameTray(this.#tray, model)) return;
    this.#tray = model;
    this.#deps.tray?.update(model);
  }

  /** The mute ends by itself: the tray's "Unmute" turns back into the mute items then. */
  #scheduleUnmute(): void {
    clearTimeout(this.#muteTimer);
    const until = this.#deps.settings.get().notifications.mutedUntil;
    if (until === null || until <= this.#now()) return;
    this.#muteTimer = setTimeout(
      () => {
        this.#updateTray();
      },
      Math.min(until - this.#now() + 10, 2 ** 31 - 1),
    );
    this.#muteTimer.unref();
  }

  #avatarPath(hash: string): string | undefined {
    if (!/^[0-9a-f]{40}$/u.test(hash)) return undefined;
    for (const type of IMAGE_TYPES) {
      const file = join(this.#deps.avatarsDir, `${hash}.${IMAGE_EXTENSIONS[type]}`);
      if (existsSync(file)) return file;
    }
    return undefined;
  }
}

/**
 * One account: its connection (kept up with backoff and XEP-0198 resumption), its roster
 * and presence, its outbox and its messages. The core holds many; nothing here is
 * process-wide.
 *
 * Invariants:
 * - An inbound message is written to the archive synchronously, in the same tick the
 *   stanza is parsed and counted for XEP-0198, before anything is shown and before any
 *   acknowledgement can leave (acks answer <r/> elements parsed after it).
 * - An outbound message is written ('queued') before it is sent; the outbox sends queued
 *   messages in id order whenever the account is online; after a session is lost without
 *   resumption, messages the server never acknowledged are sent again (same id, so
 *   receivers de-duplicate).
 * - A failure that retrying cannot fix (wrong password, certificate, conflict, policy)
 *   stops the account and says why; anything else is retried with backoff.
 */
import { randomUUID } from 'node:crypto';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type {
  AccountState,
  Contact,
  Conversation,
  EventName,
  EventPayload,
  Message,
} from '../../../preload/contract.ts';
import type { ContactRepo, RosterItem } from '../archive/repos/contacts.ts';
import type { ConversationRepo } from '../archive/repos/conversations.ts';
import { ARCHIVE_BATCH_MAX, ARCHIVE_BATCH_MS } from '../archive/repos/messages.ts';
import type { MessageRepo, OutboundMessage } from '../archive/repos/messages.ts';
import { applyPendingCorrections, type PendingCorrectionRepo } from '../archive/repos/pending-corrections.ts';
import type { ArchiveSyncRepo } from '../archive/repos/archive-sync.ts';
import type { StreamSessionRepo } from '../archive/repos/stream-sessions.ts';
import type { AvatarCache } from '../avatars/avatar-cache.ts';
import type { CapsCache } from '../xmpp/caps-cache.ts';
import { NS_PUBSUB_EVENT } from '../xmpp/avatar.ts';
import { displayName } from '../xmpp/nick.ts';
import { buildRosterGetVersioned, parseRosterPush, parseRosterResult, parseSubscription } from '../xmpp/roster-ops.ts';
import { PresenceService, type AutoAwayOptions } from './presence-service.ts';
import { ProfileService, toContract } from './profile-service.ts';
import { RosterService } from './roster-service.ts';
import { TransferService, type TransferOptions } from '../transfer/transfer-service.ts';
import { autoAcceptPolicy } from '../transfer/auto-accept.ts';
import type { RosterProfileRepos, ServiceContext } from './service-context.ts';
import { CoreError } from '../errors.ts';
import type { Logger } from '../log.ts';
import {
  buildChat,
  buildChatState,
  buildCorrection,
  buildEnableCarbons,
  buildReactions,
  buildRetraction,
  NS_CHATSTATES,
  parseCarbon,
  parseIm,
  type ChatState,
  type Im,
} from '../xmpp/im.ts';
import { createStream, type XmppStream } from '../xmpp/entity.ts';
import { parse } from '../xmpp/jid.ts';
import { parseOriginId } from '../xmpp/stanza-ids.ts';
import { buildMamQuery, NS_MAM, parseFin, parseMamResult, type MamFin, type MamResult } from '../xmpp/mam.ts';
import { parsePresence, PresenceBook } from '../xmpp/presence.ts';
import { buildDisplayed, buildReceipt, feedbackRequests, parseFeedback, wantsReceipt } from '../xmpp/receipts.ts';
import { NS_ROSTER, type RosterChange } from '../xmpp/roster.ts';
import { Backoff } from './backoff.ts';
import { classifyConnectError } from './connect-errors.ts';
import { parseServerOverride, resolveEndpoints, serviceUri, type Endpoint, type SrvResolver } from './endpoint.ts';
import type { SecretStore } from './secret-store.ts';
import type { StoredMessage } from '../attention/service.ts';
import type { SettingsService } from '../settings/settings-port.ts';
import { attachmentOf, buildOob, sharedLink, type Attachment } from '../upload/oob.ts';

export interface AccountConfig {
  jid: string;
  /** "host[:port]" or "" for SRV lookup. */
  server: string;
  enabled: boolean;
  rememberPassword: boolean;
  /** SHA-256 fingerprint of a certificate the user trusted for this account. */
  pinnedCertificate?: string | undefined;
  /** The SASL mechanism last used successfully: never go below it without asking. */
  lastMechanism?: string | undefined;
}

export interface AccountDeps {
  repos: RosterProfileRepos & {
    messages: MessageRepo;
    conversations: ConversationRepo;
    contacts: ContactRepo;
    sessions: StreamSessionRepo;
    archiveSync: ArchiveSyncRepo;
    pendingCorrections: PendingCorrectionRepo;
  };
  /** XEP-0115 caps cache, shared by all accounts. */
  caps: CapsCache;
  /** Avatars on disk by SHA-1, shared by all accounts. */
  avatars: AvatarCache;
  /** Seconds since the user last touched the computer (the host's port); no automatic away without it. */
  idleSeconds?: () => number;
  autoAway?: AutoAwayOptions;
  emit: <N extends EventName>(name: N, payload: EventPayload<N>) => void;
  log: Logger;
  secrets: SecretStore;
  /** The user's settings (privacy: chat states, read markers); all on when absent. */
  settings?: Pick<SettingsService, 'get'>;
  /** Persist the account list (after a config change). */
  saveConfig: () => void;
  now?: () => number;
  resolveSrv?: SrvResolver;
  connectTimeoutMs?: number;
  /** Reconnect delays (tests shorten them). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Idle time before a liveness check (XEP-0198 <r/> or XEP-0199 ping); the check's own timeout. */
  livenessMs?: number;
  /** File transfers (XEP-0096): the downloads folder and, for tests, which methods to use. */
  transfers?: TransferOptions;
  /** Attention (issue 7): told about every message stored, after the write and the events. */
  onStored?: (stored: StoredMessage) => void;
}

const NS_PING = 'urn:xmpp:ping';
const NS_CSI = 'urn:xmpp:csi:0';
const NS_SM = 'urn:xmpp:sm:3';
/** Archive catch-up page size: within every common server's maximum (Prosody's is 50). */
const MAM_PAGE = 50;
/** How long one archive page may take before the catch-up gives up (the connection is retried). */
const MAM_TIMEOUT_MS = 20_000;
/** A connection that stays up this long resets the backoff. */
const STABLE_MS = 60_000;
/** Failures that another attempt cannot fix: the user must act. */
const FINAL_CODES = new Set([
  'auth-failed',
  'auth-downgrade',
  'certificate-untrusted',
  'certificate-changed',
  'tls-failed',
  'stream-error',
  'conflict',
  'policy-violation',
  'bad-request',
]);

type Stream = XmppStream;

type Outcome = 'online' | 'resumed';

export class Account {
  readonly id: string;
  readonly #deps: AccountDeps;
  readonly #now: () => number;
  readonly #presence = new PresenceBook();
  readonly #backoff: Backoff;
  /** Hot-path caches, kept in step with the archive: display names and opened conversations. */
  readonly #names = new Map<string, string>();
  readonly #opened = new Set<string>();
  #config: AccountConfig;
  #password: string | undefined;
  #stream: Stream | undefined;
  #endpoint: Endpoint | undefined;
  #status: AccountState['status'];
  #error: AccountState['error'];
  #nextRetryAt: number | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;
  #livenessTimer: NodeJS.Timeout | undefined;
  /** Bumped whenever a connection attempt chain is abandoned (sign-out, disable, new sign-in). */
  #generation = 0;
  #pumping: Promise<void> | undefined;
  #active = true;
  /** The stream resumes a session persisted by an earlier process (its unacked queue is unknown). */
  #restored = false;
  /** This account's server acknowledges stanzas (XEP-0198): 'sent' then means "not confirmed". */
  #serverAcks = false;
  /** When the server was last heard from (any element). */
  #lastHeard = 0;
  /** Archive queries in flight on the current stream: queryid -> result handler. */
  readonly #mamQueries = new Map<string, (result: MamResult) => void>();
  /**
   * The ids of the archive queries (those storing as results arrive) sent on the current
   * XEP-0198 session. A query cut off by a dropped connection loses its handler, but a resumed
   * session re-sends the results the server had sent for it, followed by the live messages
   * queued after them: these results are stored as they come (in that order), not dropped.
   */
  readonly #sessionQueryIds = new Set<string>();
  /** Results of the catch-up pages in flight, stored together (#storeHeldArchive). */
  readonly #heldArchive: { result: MamResult; stored: () => void }[] = [];
  /** When the first of them arrived (performance.now()), and the sync point their pages complete. */
  #heldSince = 0;
  #heldSync: string | undefined;
  /** A catch-up is running: live archive ids must not move the sync point past unfetched pages. */
  #catchingUp = 0;
  /**
   * A catch-up started and has not finished (a connection dropped during it): until one does,
   * live archive ids must not move the sync point either (the results in flight went with the
   * connection; a resumed session drops them as no query's), and a resumption runs it again.
   */
  #catchUpOwed = false;
  /** The current XEP-0198 session has caught up and sent its initial presence. */
  #sessionReady = false;
  /** Per conversation: the newest inbound message we sent an XEP-0333 displayed marker for. */
  readonly #displayed = new Map<string, number>();
  /** The server's archive answered a query in this session: live archive ids can be trusted. */
  #archiveTrusted = false;
  /** Counts connections (each online and each loss): work tied to one connection checks it. */
  #connection = 0;
  /** Contacts who sent us chat states (XEP-0085): only they get ours. */
  readonly #chatStatePeers = new Set<string>();
  /** Per conversation: read mark and unread count (hot path: no count query per message). */
  readonly #reading = new Map<string, { readUpTo: number; unread: number }>();
  /** Roster changes and subscriptions; our presence and what others ask us; profiles and services. */
  readonly #rosterOps: RosterService;
  readonly #own: PresenceService;
  readonly #profile: ProfileService;
  readonly #transfers: TransferService;

  constructor(config: AccountConfig, deps: AccountDeps) {
    const jid = parse(config.jid);
    if (!jid?.local) throw new CoreError('bad-request', `"${config.jid}" is not a valid address.`);
    this.id = jid.bare;
    this.#config = { ...config, jid: jid.bare, server: config.server.trim() };
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#backoff = new Backoff(deps.backoff);
    this.#status = config.enabled ? 'offline' : 'disabled';
    for (const item of deps.repos.contacts.list(this.id)) this.#rememberName(item);
    for (const row of deps.repos.conversations.list(this.id)) this.#opened.add(row.peer);
    const ctx: ServiceContext = {
      id: this.id,
      repos: deps.repos,
      log: deps.log,
      caps: deps.caps,
      avatars: deps.avatars,
      now: this.#now,
      emit: deps.emit,
      stream: () => (this.#status === 'online' ? this.#stream : undefined),
      online: (what) => {
        if (this.#status !== 'online' || !this.#stream)
          throw new CoreError('not-connected', `${what}: the account must be online.`);
        return this.#stream;
      },
      contactsChanged: (jids) => {
        this.#emitContacts(jids);
      },
      forgetPresence: (bare) => {
        this.#presence.apply({ kind: 'unavailable', bare, resource: '' });
      },
    };
    this.#rosterOps = new RosterService(ctx);
    this.#own = new PresenceService(ctx, this.#presence, deps.idleSeconds, deps.autoAway);
    this.#profile = new ProfileService(ctx);
    this.#transfers = new TransferService(
      {
        ...ctx,
        resources: (bare) => this.#presence.resources(bare).map(([r]) => `${bare}/${r}`),
        features: (full) => this.#own.featuresOf(full),
      },
      {
        // Issue 7, Files settings: offers from subscribed, unblocked contacts up to a size (off by default).
        autoAccept: autoAcceptPolicy({
          settings: () => deps.settings?.get().files,
          subscription: (bare) => deps.repos.contacts.get(this.id, bare)?.subscription,
          isBlocked: (jid) => this.#profile.isBlocked(jid),
        }),
        ...deps.transfers,
      },
    );
    this.#rosterOps.ownNick = () => this.#profile.ownNickname();
    this.#profile.onOwnPhoto = (hash) => {
      if (this.#own.photoHash === hash) return;
      this.#own.photoHash = hash;
      void this.#own.resend();
    };
  }

  /** Roster changes and subscription answers (RFC 6121). */
  get roster(): RosterService {
    return this.#rosterOps;
  }

  /** Our own presence, and contacts' resources. */
  get ownPresence(): PresenceService {
    return this.#own;
  }

  /** vCards, avatars, blocking, directory and gateways. */
  /** File transfers (XEP-0096 over SOCKS5 or IBB). */
  get transfers(): TransferService {
    return this.#transfers;
  }

  get profile(): ProfileService {
    return this.#profile;
  }

  /** A contact's profile: card, resources with their clients, last seen when offline. */
  async contactProfile(jid: string) {
    const bare = parse(jid)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${jid}" is not a valid address.`);
    this.onlineStream();
    const item = this.#deps.repos.contacts.get(this.id, bare);
    const [vcard, resources] = await Promise.all([this.#profile.contactVcard(bare), this.#own.resources(bare)]);
    const lastSeen = resources.length === 0 ? await this.#own.lastSeen(bare) : undefined;
    return {
      accountId: this.id,
      jid: bare,
      name: item ? this.#contact(item).name : bare,
      ...(vcard ? { vcard: toContract(vcard) } : {}),
      ...(item?.avatar ? { avatar: item.avatar } : {}),
      resources,
      ...(lastSeen ? { lastSeen } : {}),
    };
  }

  #emitContacts(jids: Iterable<string>): void {
    const contacts: Contact[] = [];
    for (const jid of new Set(jids)) {
      const item = this.#deps.repos.contacts.get(this.id, jid);
      if (item) {
        this.#rememberName(item);
        contacts.push(this.#contact(item));
      }
    }
    if (contacts.length > 0) this.#deps.emit('roster.updated', { accountId: this.id, contacts, removed: [] });
  }

  get config(): AccountConfig {
    return this.#config;
  }

  get state(): AccountState {
    return {
      id: this.id,
      jid: this.#config.jid,
      server: this.#config.server,
      status: this.#status,
      ...(this.#error ? { error: this.#error } : {}),
      enabled: this.#config.enabled,
      rememberPassword: this.#config.rememberPassword,
      hasPassword: this.#password !== undefined,
      ...(this.#status === 'waiting' && this.#nextRetryAt !== undefined ? { nextRetryAt: this.#nextRetryAt } : {}),
      ...(this.#config.pinnedCertificate ? { pinnedCertificate: this.#config.pinnedCertificate } : {}),
    };
  }

  #setStatus(status: AccountState['status'], error?: AccountState['error']): void {
    // Issue 6 (jingle): no transfer waits forever on a stream that is gone.
    if (this.#status === 'online' && status !== 'online') void this.#transfers.offline();
    this.#status = status;
    this.#error = error;
    this.#deps.emit('account.state', this.state);
  }

  #updateConfig(change: Partial<AccountConfig>): void {
    this.#config = { ...this.#config, ...change };
    this.#deps.saveConfig();
  }

  // --- lifecycle ------------------------------------------------------------

  /** On start-up: connect with a remembered password, if the account is enabled and has one. */
  async resume(): Promise<void> {
    if (!this.#config.enabled || !this.#config.rememberPassword) return;
    this.#password = await this.#deps.secrets.get(this.id);
    if (this.#password === undefined) return;
    this.#deps.emit('account.state', this.state);
    void this.#connect(++this.#generation, false);
  }

  /** Connects with this password; resolves when online, rejects with a CoreError saying why. */
  async signIn(password: string, rememberPassword?: boolean): Promise<AccountState> {
    await this.#disconnect();
    this.#password = password;
    this.#updateConfig({ enabled: true, ...(rememberPassword !== undefined ? { rememberPassword } : {}) });
    await this.#storePassword();
    await this.#connect(++this.#generation, true);
    return this.state;
  }

  async signOut(): Promise<AccountState> {
    await this.#transfers.cancelAll();
    await this.#disconnect();
    this.#setStatus(this.#config.enabled ? 'offline' : 'disabled');
    return this.state;
  }

  /** "Reconnect now": skip the wait, or try again after a failure. */
  async reconnect(): Promise<AccountState> {
    if (!this.#config.enabled) throw new CoreError('bad-request', 'This account is disabled: enable it first.');
    if (this.#password === undefined) throw new CoreError('auth-failed', 'Sign in with your password first.');
    if (this.#status === 'online' || this.#status === 'connecting') return this.state;
    await this.#disconnect(false);
    await this.#connect(++this.#generation, false);
    return this.state;
  }

  /** The OS woke up or the network came back: retry now, and check a connection that claims to be up. */
  wake(): void {
    if (this.#status === 'waiting') {
      void this.reconnect().catch(() => undefined);
    } else if (this.#status === 'online') {
      this.#checkLiveness();
    }
  }

  /** A new server override, used from the next connection on. */
  setServer(server: string): void {
    this.#updateConfig({ server: server.trim() });
  }

  async update(change: {
    server?: string | undefined;
    enabled?: boolean | undefined;
    rememberPassword?: boolean | undefined;
    allowWeakerSignIn?: boolean | undefined;
  }): Promise<AccountState> {
    if (change.allowWeakerSignIn) {
      // The user decided: forget the stronger mechanism used before, and try again.
      this.#updateConfig({ lastMechanism: undefined });
      await this.#disconnect();
      if (this.#password !== undefined && this.#config.enabled) void this.#connect(++this.#generation, false);
      return this.state;
    }
    const serverChanged = change.server !== undefined && change.server.trim() !== this.#config.server;
    this.#updateConfig({
      ...(change.server !== undefined ? { server: change.server.trim() } : {}),
      ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
      ...(change.rememberPassword !== undefined ? { rememberPassword: change.rememberPassword } : {}),
    });
    if (change.rememberPassword !== undefined) await this.#storePassword();
    if (change.enabled === false) {
      await this.#disconnect();
      this.#setStatus('disabled');
    } else if ((change.enabled === true || serverChanged) && this.#password !== undefined) {
      await this.#disconnect();
      void this.#connect(++this.#generation, false);
    } else if (change.enabled === true && this.#status === 'disabled') {
      this.#setStatus('offline');
    }
    return this.state;
  }

  async trustCertificate(fingerprint256: string): Promise<AccountState> {
    this.#updateConfig({ pinnedCertificate: fingerprint256 });
    if (this.#password !== undefined && this.#config.enabled) {
      await this.#disconnect(); // a new stream, with the pin
      await this.#connect(++this.#generation, true);
    }
    return this.state;
  }

  /** Forget everything about the account here: connection, saved password, local history. */
  async remove(): Promise<void> {
    await this.#disconnect();
    this.#password = undefined;
    await this.#deps.secrets.delete(this.id);
    const { messages, conversations, contacts, archiveSync, sessions } = this.#deps.repos;
    messages.removeAccount(this.id);
    conversations.removeAccount(this.id);
    contacts.removeAccount(this.id);
    archiveSync.clear(this.id);
    sessions.clear(this.id);
    const { rosterState, subscriptions, blocklist, ownStatus } = this.#deps.repos;
    rosterState.clear(this.id);
    subscriptions.removeAccount(this.id);
    blocklist.removeAccount(this.id);
    ownStatus.removeAccount(this.id);
    this.#deps.repos.pendingCorrections.removeAccount(this.id);
  }

  /** The online stream, for XEP modules acting for the user (password change, deletion). */
  onlineStream(): XmppStream {
    if (this.#status !== 'online' || !this.#stream)
      throw new CoreError('not-connected', 'The account must be online for this.');
    return this.#stream;
  }

  /** After a successful password change on the server. */
  async passwordChanged(password: string): Promise<void> {
    this.#password = password;
    await this.#storePassword();
  }

  async #storePassword(): Promise<void> {
    const { secrets } = this.#deps;
    if (this.#config.rememberPassword && this.#password !== undefined && secrets.persistent)
      await secrets.set(this.id, this.#password);
    else if (!this.#config.rememberPassword) await secrets.delete(this.id);
  }

  async #forgetPassword(): Promise<void> {
    this.#password = undefined;
    await this.#deps.secrets.delete(this.id);
  }

  setActive(active: boolean): void {
    this.#active = active;
    const stream = this.#stream;
    if (this.#status === 'online' && stream?.features.csi) {
      void stream.entity.send(xml(active ? 'active' : 'inactive', { xmlns: NS_CSI })).catch(() => undefined);
    }
  }

  // --- connecting -------------------------------------------------------------

  /** Stops any connection and planned retry. `final`: also end the stream-management session. */
  async #disconnect(final = true): Promise<void> {
    this.#generation++;
    this.#clearTimers();
    this.#nextRetryAt = undefined;
    const stream = this.#stream;
    if (stream && final) {
      this.#stream = undefined;
      this.#deps.repos.sessions.clear(this.id); // a clean close ends the session on the server too
      await stopQuietly(stream);
    } else if (stream) {
      await dropQuietly(stream); // keeps the XEP-0198 session for a resumption
    }
    this.#clearPresence();
  }

  #clearTimers(): void {
    this.#own.stop();
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#stableTimer);
    clearTimeout(this.#livenessTimer);
    this.#retryTimer = this.#stableTimer = this.#livenessTimer = undefined;
  }

  /**
   * One connection attempt over the account's endpoints. `explicit`: the user is waiting
   * (sign-in): failures reject and are not retried. Otherwise failures schedule a retry,
   * unless they are final.
   */
  async #connect(generation: number, explicit: boolean): Promise<void> {
    const password = this.#password;
    const jid = parse(this.#config.jid);
    if (password === undefined || !jid) return;
    this.#nextRetryAt = undefined;
    // A reconnect keeps saying why the connection is being re-established.
    this.#setStatus('connecting', explicit ? undefined : this.#error);
    let endpoints: Endpoint[];
    try {
      endpoints = this.#config.server
        ? [parseServerOverride(this.#config.server)]
        : this.#endpoint
          ? [this.#endpoint]
          : await resolveEndpoints(jid.domain, this.#deps.resolveSrv);
    } catch (err) {
      return this.#fail(
        generation,
        new CoreError('bad-request', err instanceof Error ? err.message : 'invalid server'),
        explicit,
      );
    }
    let failure: CoreError | undefined;
    for (const endpoint of endpoints) {
      if (generation !== this.#generation) return;
      const stream = this.#stream ?? this.#newStream(jid.local, jid.domain, password);
      this.#stream = stream;
      try {
        this.#deps.log.info('account', `${this.id}: connecting to ${serviceUri(endpoint)}`);
        const outcome = await establish(stream, serviceUri(endpoint), this.#deps.connectTimeoutMs ?? 20_000);
        if (generation !== this.#generation) return;
        this.#endpoint = endpoint;
        await this.#online(stream, outcome);
        return;
      } catch (err) {
        failure = err instanceof CoreError ? err : classifyConnectError(err, endpoint, jid.domain);
        this.#deps.log.warn('account', `${this.id}: ${failure.message}`, err);
        if (generation !== this.#generation) return;
        await dropQuietly(stream);
        if (FINAL_CODES.has(failure.code)) break;
      }
    }
    this.#endpoint = undefined;
    await this.#fail(generation, failure ?? new CoreError('network', 'Could not connect.'), explicit);
  }

  async #fail(generation: number, error: CoreError, explicit: boolean): Promise<void> {
    if (generation !== this.#generation) return;
    const info = {
      code: error.code,
      message: error.message,
      ...(error.certificate ? { certificate: error.certificate } : {}),
    };
    if (error.code === 'auth-failed') await this.#forgetPassword(); // never loop on a wrong password
    if (explicit || FINAL_CODES.has(error.code)) {
      const stream = this.#stream;
      this.#stream = undefined;
      if (stream) await stopQuietly(stream);
      this.#setStatus('error', info);
      if (explicit) throw error;
      return;
    }
    this.#scheduleRetry(generation, info);
  }

  /** `firstAtOnce`: after losing a stable connection, the first attempt needs no wait (a resumable session is short-lived). */
  #scheduleRetry(generation: number, error: AccountState['error'], firstAtOnce = false): void {
    const backoff = this.#backoff.next();
    const delay = firstAtOnce && this.#backoff.attempt === 1 ? 0 : backoff;
    this.#nextRetryAt = this.#now() + delay;
    this.#setStatus('waiting', error);
    this.#retryTimer = setTimeout(() => {
      if (generation === this.#generation) void this.#connect(generation, false);
    }, delay);
    this.#retryTimer.unref();
  }

  #newStream(username: string, domain: string, password: string): Stream {
    const options = {
      service: '',
      domain,
      credentials: { username, password },
      timeoutMs: this.#deps.connectTimeoutMs ?? 15_000,
      streamManagement: true,
      ...(this.#config.pinnedCertificate ? { pinnedFingerprint: this.#config.pinnedCertificate } : {}),
      ...(this.#config.lastMechanism ? { minMechanism: this.#config.lastMechanism } : {}),
    };
    const stream = createStream(options);
    this.#wire(stream);
    // A session a crashed predecessor left hibernating on the server: resume it.
    const saved = this.#deps.repos.sessions.get(this.id);
    if (saved) this.#serverAcks = true;
    if (saved && stream.sm) {
      stream.sm.id = saved.smId;
      stream.sm.inbound = saved.inbound;
      this.#restored = true;
    }
    return stream;
  }

  async #online(stream: Stream, outcome: Outcome): Promise<void> {
    const generation = this.#generation;
    if (stream.mechanism && stream.mechanism !== this.#config.lastMechanism)
      this.#updateConfig({ lastMechanism: stream.mechanism });
    if (stream.sm) {
      // Parley does its own liveness checks (#checkLiveness): xmpp.js's would close gracefully
      // and wait on a dead peer.
      stream.sm.requestAckInterval = 0;
      stream.sm.timeout = 0;
    }
    this.#lastHeard = this.#now();
    if (outcome === 'online') {
      this.#clearPresence(); // the server sends everyone's presence again after ours
      this.#own.reset();
      await whileConnected(stream, this.#loadRoster(stream));
      // Blocklist and our own vCard (its photo hash) in the background: the presence follows.
      void this.#profile.onSession(stream);
      // XEP-0280: what our other devices send and receive comes here too.
      void stream.iq.set(buildEnableCarbons()).catch((err: unknown) => {
        this.#deps.log.info('xmpp', `${this.id}: no message carbons on this server`, err);
      });
      this.#sessionReady = false;
      this.#archiveTrusted = false;
      this.#sessionQueryIds.clear();
    }
    if (generation !== this.#generation) return;
    this.#deps.log.info(
      'account',
      `${this.id}: ${outcome === 'resumed' ? 'resumed' : 'online as ' + String(stream.entity.jid)}`,
    );
    this.#connection += 1;
    this.#setStatus('online');
    this.#stableTimer = setTimeout(() => {
      this.#backoff.reset();
    }, STABLE_MS);
    this.#stableTimer.unref();
    this.#scheduleLiveness();
    this.#own.start();
    // A new session: what the server never acknowledged in the last one goes again (only a
    // server with stream management acknowledges; without it, 'sent' is as far as we know).
    // After resuming a previous process's session, which of its messages the server took is unknown.
    const resend =
      (outcome === 'online' && (stream.sm?.enabled || this.#serverAcks)) || (outcome === 'resumed' && this.#restored)
        ? this.#deps.repos.messages.unconfirmed(this.id)
        : [];
    this.#restored = false;
    if (stream.sm?.enabled) this.#serverAcks = true;
    this.#saveSession(stream);
    void this.#pump(resend);
    // A new session (or a resumed one that never got that far): what the last one missed —
    // queued on the server in a session that could not be resumed, or sent while we were
    // away — is in the server archive. The catch-up runs in the background (sending goes on);
    // the initial presence follows it. See #catchUp.
    if (!this.#sessionReady || this.#catchUpOwed) this.#startCatchUp(stream, generation);
  }

  #startCatchUp(stream: Stream, generation: number): void {
    this.#catchUp(stream, generation).catch((err: unknown) => {
      // A dropped connection ends it; the next session (or resumption) starts it again.
      this.#deps.log.warn('archive', `${this.id}: catch-up from the server archive interrupted`, err);
    });
  }

  /**
   * Persists the XEP-0198 session (id, stanzas handled) for a resumption after a crash.
   * `inbound` must never be lower than a count already acknowledged to the server (Prosody
   * refuses such a resumption) nor higher than what is stored: so it is saved when the
   * session starts and right before each <a/> leaves (see #wire), when every stanza it
   * counts has been stored.
   */
  #saveSession(stream: Stream, inbound = stream.sm?.inbound): void {
    const sm = stream.sm;
    if (sm?.enabled && sm.id && inbound !== undefined)
      this.#deps.repos.sessions.save(this.id, { smId: sm.id, inbound }, this.#now());
  }

  /** Sends the outbox (and `resend` first, merged in id order) while online. */
  #pump(resend: OutboundMessage[] = []): Promise<void> {
    if (this.#pumping) {
      const previous = this.#pumping;
      return (this.#pumping = previous.then(() => this.#drain(resend)));
    }
    const run = this.#drain(resend).finally(() => {
      if (this.#pumping === run) this.#pumping = undefined;
    });
    this.#pumping = run;
    return run;
  }

  async #drain(resend: OutboundMessage[]): Promise<void> {
    const { messages } = this.#deps.repos;
    const again = [...resend];
    for (;;) {
      const stream = this.#stream;
      if (this.#status !== 'online' || !stream) return;
      const queued = messages.nextQueued(this.id);
      const next = again[0] && (!queued || again[0].id < queued.id) ? again.shift() : queued;
      if (!next) return;
      try {
        await stream.entity.send(
          buildChat(
            next.peer,
            next.body,
            next.stanzaId,
            [
              ...feedbackRequests(),
              ...(this.#privacy.sendChatStates ? [xml('active', { xmlns: NS_CHATSTATES })] : []),
              ...(next.attachment ? [buildOob(next.attachment.url)] : []),
            ],
            this.#replyFor(next),
          ),
        );
      } catch (err) {
        this.#deps.log.warn(
          'chat',
          `${this.id}: could not write message ${String(next.id)}; it stays in the outbox`,
          err,
        );
        return;
      }
      const sent = messages.advance(next.id, 'sent');
      if (sent) this.#deps.emit('message.updated', sent);
    }
  }

  /**
   * Dead-connection detection: after `livenessMs` without hearing from the server, ask
   * (XEP-0198 <r/>, or an XEP-0199 ping without stream management); if nothing at all
   * arrives within another `livenessMs`, the connection is dead: destroy the socket (a
   * graceful close would wait on the dead peer) and let the reconnect logic take over.
   */
  #scheduleLiveness(): void {
    clearTimeout(this.#livenessTimer);
    const stream = this.#stream;
    if (!stream || this.#status !== 'online') return;
    const interval = this.#deps.livenessMs ?? 30_000;
    const idle = this.#now() - this.#lastHeard;
    this.#livenessTimer = setTimeout(
      () => {
        if (this.#now() - this.#lastHeard >= interval) this.#checkLiveness();
        else this.#scheduleLiveness();
      },
      Math.max(0, interval - idle),
    );
    this.#livenessTimer.unref();
  }

  #checkLiveness(): void {
    const stream = this.#stream;
    if (!stream || this.#status !== 'online') return;
    const asked = this.#now();
    if (stream.sm?.enabled) void stream.entity.send(xml('r', { xmlns: NS_SM })).catch(() => undefined);
    else void stream.iq.get(xml('ping', { xmlns: NS_PING })).catch(() => undefined); // any answer will do
    clearTimeout(this.#livenessTimer);
    this.#livenessTimer = setTimeout(() => {
      if (this.#lastHeard >= asked) {
        this.#scheduleLiveness();
        return;
      }
      this.#deps.log.warn('account', `${this.id}: the server stopped answering: dropping the connection`);
      destroySocket(stream);
    }, this.#deps.livenessMs ?? 30_000);
    this.#livenessTimer.unref();
  }

  // --- messages -----------------------------------------------------------------

  /** Stores the message ('queued'), then lets the outbox send it; the stored row is the answer. */
  async send(to: string, body: string, replyTo?: number, oobUrl?: string): Promise<Message> {
    const peer = parse(to);
    if (!peer?.local) throw new CoreError('bad-request', `"${to}" is not a valid address.`);
    const attachment = oobUrl !== undefined ? sharedLink(oobUrl, body) : undefined;
    if (!this.#config.enabled) throw new CoreError('not-connected', 'This account is disabled.');
    const id = randomUUID();
    const now = this.#now();
    const quoted = replyTo !== undefined ? this.#deps.repos.messages.refOf(replyTo) : undefined;
    if (replyTo !== undefined && (quoted?.account !== this.id || quoted.peer !== peer.bare))
      throw new CoreError('not-found', 'The message to reply to is not in this conversation.');
    this.#open(peer.bare, now);
    const inserted = this.#deps.repos.messages.insert({
      account: this.id,
      peer: peer.bare,
      direction: 'out',
      senderKey: id,
      originId: id,
      messageId: id,
      body,
      timestamp: now,
      receivedAt: now,
      state: 'queued',
      replyTo: quoted?.ref,
      replyToRow: replyTo,
      attachment,
    });
    if (!inserted) throw new CoreError('internal', 'message could not be stored');
    const stored = this.#deps.repos.messages.get(inserted.id) ?? inserted;
    // Answering means having seen what came before: move the read mark, and say so (XEP-0333)
    // when there was something unread (not on every message of a monologue).
    if (this.#readingOf(peer.bare).unread > 0) void this.markRead(peer.bare, stored.id).catch(() => undefined);
    this.#deps.emit('message.added', stored);
    this.#emitConversation(stored);
    this.#deps.onStored?.({ message: stored, via: 'live', blocked: false, sender: () => ({ name: this.id }) });
    await this.#pump();
    return this.#deps.repos.messages.outbound(this.id, id, peer.bare) ?? stored;
  }

  async retry(messageId: number): Promise<Message> {
    const again = this.#deps.repos.messages.requeue(this.id, messageId);
    if (!again) throw new CoreError('not-found', 'No failed message with this id.');
    this.#deps.emit('message.updated', again);
    await this.#pump();
    return this.#deps.repos.messages.outbound(this.id, again.stanzaId, again.peer) ?? again;
  }

  /** XEP-0308: corrects our newest message here, then tells the peer. */
  async correct(messageId: number, body: string): Promise<Message> {
    const { stream, ref } = this.#ownMessage(messageId, 'edit');
    if (this.#deps.repos.messages.lastOutboundId(this.id, ref.peer) !== messageId)
      throw new CoreError('bad-request', 'Only your newest message in a conversation can be edited.');
    const id = randomUUID(); // also its origin-id: the copy the archive brings back is known by it
    const updated = this.#deps.repos.messages.correct(messageId, body, this.#now(), { key: id });
    if (!updated) return this.#messageOrThrow(messageId);
    this.#updated(updated);
    await stream.entity.send(buildCorrection(ref.peer, id, ref.ref, body));
    return updated;
  }

  /** XEP-0424: deletes one of our messages for everyone (here first). */
  async retract(messageId: number): Promise<Message> {
    const { stream, ref } = this.#ownMessage(messageId, 'delete');
    const updated = this.#deps.repos.messages.retract(messageId, this.#now());
    if (!updated) return this.#messageOrThrow(messageId);
    this.#updated(updated);
    await stream.entity.send(buildRetraction(ref.peer, randomUUID(), ref.ref));
    return updated;
  }

  /** XEP-0444: our whole set of reactions to a message of this account. */
  async react(messageId: number, reactions: readonly string[]): Promise<Message> {
    const ref = this.#deps.repos.messages.refOf(messageId);
    if (ref?.account !== this.id) throw new CoreError('not-found', 'No such message.');
    const stream = this.#stream;
    if (this.#status !== 'online' || !stream)
      throw new CoreError('not-connected', 'Reactions need a connection; try again when online.');
    const unique = [...new Set(reactions)];
    const updated = this.#deps.repos.messages.react(messageId, this.id, unique, this.#now());
    if (!updated) throw new CoreError('not-found', 'No such message.');
    this.#deps.emit('message.updated', updated);
    await stream.entity.send(buildReactions(ref.peer, randomUUID(), ref.ref, unique));
    return updated;
  }

  /**
   * Older history of a conversation from the server archive (one page before the oldest
   * message here that has an archive id), placed below everything stored.
   */
  async fetchOlder(peer: string): Promise<{ fetched: number; complete: boolean }> {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    const stream = this.#stream;
    if (this.#status !== 'online' || !stream)
      throw new CoreError('not-connected', 'Older history comes from the server: Parley must be online.');
    const { messages } = this.#deps.repos;
    const results: MamResult[] = [];
    const anchor = messages.oldestArchiveId(this.id, bare);
    const page = await this.#mamPage(stream, { with: bare, before: anchor ?? true }, results);
    let fetched = 0;
    // One transaction for the page (one commit, one batch for the search index).
    messages.batch(() => {
      let next = messages.reserveBelow(results.length);
      for (const result of results) if (this.#storeArchived(result, next++)) fetched += 1;
    });
    return { fetched, complete: page.fin.complete || results.length === 0 };
  }

  /** A conversation as plain text or JSON (the renderer saves it where the user chooses). */
  exportConversation(peer: string, format: 'text' | 'json'): { filename: string; mime: string; content: string } {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    const all = [...this.#deps.repos.messages.all(this.id, bare)];
    const name = this.#displayName(bare);
    const safe = bare.replace(/[^A-Za-z0-9@._-]/gu, '_');
    const iso = (ms: number) => new Date(ms).toISOString();
    if (format === 'json') {
      const content = JSON.stringify(
        {
          account: this.id,
          peer: bare,
          name,
          exportedAt: iso(this.#now()),
          messages: all.map((m) => ({
            id: m.id,
            from: m.direction === 'in' ? bare : this.id,
            to: m.direction === 'in' ? this.id : bare,
            time: iso(m.timestamp),
            body: m.body,
            ...(m.direction === 'out' ? { state: m.state } : {}),
            ...(m.editedAt !== undefined ? { editedAt: iso(m.editedAt) } : {}),
            ...(m.retracted ? { retracted: true } : {}),
          })),
        },
        null,
        2,
      );
      return { filename: `${safe}.json`, mime: 'application/json', content };
    }
    const lines = all.map((m) => {
      const who = m.direction === 'in' ? name : this.id;
      const text = m.retracted ? '(deleted)' : m.body.replace(/\r?\n/gu, '\n    ');
      const when = iso(m.timestamp).replace('T', ' ').slice(0, 19);
      return `[${when} UTC] ${who}: ${text}${m.editedAt !== undefined ? ' (edited)' : ''}`;
    });
    const header = `Conversation between ${this.id} and ${name} <${bare}>, exported ${iso(this.#now())}\n\n`;
    return { filename: `${safe}.txt`, mime: 'text/plain', content: header + lines.join('\n') + '\n' };
  }

  /** Deletes a conversation's local history here (the server archive keeps its copy). */
  deleteHistory(peer: string): number {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    const removed = this.#deps.repos.messages.removeConversation(this.id, bare);
    this.#deps.repos.pendingCorrections.removeConversation(this.id, bare);
    this.#deps.repos.conversations.remove(this.id, bare);
    this.#opened.delete(bare);
    this.#reading.delete(bare);
    this.#deps.emit('conversation.removed', { accountId: this.id, peer: bare });
    return removed;
  }

  edits(messageId: number): { body: string; replacedAt: number }[] {
    if (this.#deps.repos.messages.refOf(messageId)?.account !== this.id)
      throw new CoreError('not-found', 'No such message.');
    return this.#deps.repos.messages.edits(messageId);
  }

  /** The privacy settings now (chat states and read markers are sent unless the user turned them off). */
  get #privacy(): { sendChatStates: boolean; sendReadMarkers: boolean } {
    return this.#deps.settings?.get().privacy ?? { sendChatStates: true, sendReadMarkers: true };
  }

  /** XEP-0085: our composing state, only to contacts who use chat states themselves. */
  async setChatState(peer: string, state: ChatState): Promise<void> {
    const bare = parse(peer)?.bare;
    const stream = this.#stream;
    if (!bare || !this.#chatStatePeers.has(bare) || this.#status !== 'online' || !stream) return;
    if (!this.#privacy.sendChatStates) return; // the privacy setting "Send typing notifications"
    await stream.entity.send(buildChatState(bare, state)).catch(() => undefined);
  }

  /** The user saw the conversation up to `upTo`: move the read mark, tell the peer (XEP-0333). */
  async markRead(peer: string, upTo: number): Promise<Conversation> {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    const moved = this.#markReadLocally(bare, upTo);
    const stream = this.#stream;
    if (moved && stream && this.#status === 'online' && this.#privacy.sendReadMarkers) {
      // One marker per newly seen message from the peer (not one per own message sent after it).
      const newest = this.#deps.repos.messages.newestInbound(this.id, bare, upTo);
      if (newest?.ref && this.#displayed.get(bare) !== newest.id) {
        this.#displayed.set(bare, newest.id);
        await stream.entity.send(buildDisplayed(bare, randomUUID(), newest.ref)).catch(() => undefined);
      }
    }
    // A conversation deleted meanwhile stays deleted.
    const row = this.#opened.has(bare) ? this.#deps.repos.conversations.get(this.id, bare) : undefined;
    const conversation = this.#conversation(bare, row?.lastBody, row?.lastTimestamp, row);
    if (row) this.#deps.emit('conversation.updated', conversation);
    return conversation;
  }

  updateConversation(
    peer: string,
    change: {
      draft?: string | undefined;
      tab?: boolean | undefined;
      mutedUntil?: number | null | undefined;
      sound?: boolean | undefined;
    },
  ): Conversation {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    const exists = this.#opened.has(bare);
    if (!exists && !change.tab && !change.draft) {
      // Closing the tab of a conversation that is gone (its history deleted) must not bring it back.
      return this.#conversation(bare, undefined, undefined);
    }
    this.#open(bare, this.#now());
    if (change.draft !== undefined) this.#deps.repos.conversations.setDraft(this.id, bare, change.draft);
    if (change.tab !== undefined) this.#deps.repos.conversations.setTab(this.id, bare, change.tab);
    if (change.mutedUntil !== undefined) this.#deps.repos.conversations.setMutedUntil(this.id, bare, change.mutedUntil);
    if (change.sound !== undefined) this.#deps.repos.conversations.setSound(this.id, bare, change.sound);
    const conversation = this.openConversation(bare);
    this.#deps.emit('conversation.updated', conversation);
    return conversation;
  }

  #ownMessage(messageId: number, verb: string) {
    const ref = this.#deps.repos.messages.refOf(messageId);
    if (ref?.account !== this.id || ref.direction !== 'out')
      throw new CoreError('not-found', `You can only ${verb} your own messages.`);
    const stream = this.#stream;
    if (this.#status !== 'online' || !stream)
      throw new CoreError('not-connected', `To ${verb} a message for everyone, Parley must be online.`);
    return { stream, ref };
  }

  #messageOrThrow(messageId: number): Message {
    const message = this.#deps.repos.messages.get(messageId);
    if (!message) throw new CoreError('not-found', 'No such message.');
    return message;
  }

  /** XEP-0461 for an outbound message that quotes another. */
  #replyFor(message: OutboundMessage): { id: string; to: string; quote: string } | undefined {
    if (!message.replyTo) return undefined;
    const ref = this.#deps.repos.messages.refOf(message.replyTo.id);
    if (!ref) return undefined;
    return {
      id: ref.ref,
      to: ref.direction === 'in' ? ref.peer : this.id,
      quote: this.#deps.repos.messages.get(message.replyTo.id)?.body ?? '',
    };
  }

  contacts(): Contact[] {
    return this.#deps.repos.contacts.list(this.id).map((item) => this.#contact(item));
  }

  conversations(): Conversation[] {
    return this.#deps.repos.conversations
      .list(this.id)
      .map((row) => this.#conversation(row.peer, row.lastBody, row.lastTimestamp, row));
  }

  openConversation(peer: string): Conversation {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    this.#open(bare, this.#now());
    const row = this.#deps.repos.conversations.get(this.id, bare);
    return this.#conversation(bare, row?.lastBody, row?.lastTimestamp, row);
  }

  messages(peer: string, before?: number, limit?: number, after?: number): Message[] {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    if (after === undefined) return this.#deps.repos.messages.list(this.id, bare, before, limit);
    if (before !== undefined) throw new CoreError('bad-request', 'Page either backwards or forwards, not both.');
    // Forwards: the messages right after `after` (what `around` gives, without the one at or before it).
    return this.#deps.repos.messages.around(this.id, bare, after, 0, limit ?? 50).filter((m) => m.id > after);
  }

  // --- wiring -------------------------------------------------------------

  #wire(stream: Stream): void {
    const { log } = this.#deps;
    stream.onIq('get', NS_PING, 'ping', () => true);
    stream.onIq('set', NS_ROSTER, 'query', (ctx) => {
      const push = parseRosterPush(ctx.element, ctx.stanza.attrs['from'], this.id);
      if (!push) throw new CoreError('bad-request', 'roster push from a stranger');
      this.#applyRoster([push.change]);
      if (push.ver !== undefined) this.#deps.repos.rosterState.save(this.id, push.ver);
      this.#emitContacts(this.#rosterOps.syncAsk(ctx.element));
      return true;
    });
    this.#own.wire(stream);
    this.#profile.wire(stream);
    this.#transfers.wire(stream);
    // Persist the handled-count before each XEP-0198 acknowledgement leaves (xmpp.js sends
    // them through entity.send).
    const send = stream.entity.send.bind(stream.entity);
    stream.entity.send = (element: Element) => {
      if (element.is('a', NS_SM)) this.#saveSession(stream, Number(element.attrs['h']));
      return send(element);
    };
    stream.entity.on('connect', () => {
      // XMPP is chatty request/response: Nagle's algorithm with delayed ACKs stalls each
      // round trip by tens of milliseconds.
      const socket = (
        stream.entity as {
          socket?: { setNoDelay?: (on: boolean) => void; socket?: { setNoDelay?: (on: boolean) => void } } | null;
        }
      ).socket;
      (socket?.setNoDelay ? socket : socket?.socket)?.setNoDelay?.(true);
    });
    stream.entity.on('element', (element: Element) => {
      this.#lastHeard = this.#now();
      // The server acknowledges more of our stanzas than xmpp.js has queued: after resuming a
      // crashed predecessor's session (its queue died with it), or when a count was lost with
      // a connection. Take the excess as acknowledged; otherwise xmpp.js would shift past the
      // end of its queue (a TypeError that wrecks the stream). What is unconfirmed is known to
      // the archive, which sends it again.
      const sm = stream.sm as (Stream['sm'] & { outbound_q?: unknown[] }) | undefined;
      if (sm && (element.is('resumed', NS_SM) || element.is('a', NS_SM))) {
        const h = Number(element.attrs['h']);
        const queued = sm.outbound_q?.length ?? 0;
        if (Number.isInteger(h) && h >= 0 && h - sm.outbound > queued) {
          this.#deps.log.info(
            'xmpp',
            `${this.id}: the server acknowledged ${String(h - sm.outbound - queued)} stanza(s) we had not queued`,
          );
          sm.outbound = h - queued;
        }
      }
    });
    stream.onStanza((stanza) => {
      try {
        this.#onStanza(stream, stanza);
      } catch (err) {
        // A stanza we cannot handle is logged and dropped; the stream lives on.
        log.warn('xmpp', `${this.id}: dropped a ${stanza.name} stanza we could not handle`, err);
      }
    });
    stream.sm?.on('ack', (stanza) => {
      this.#onAck(stanza);
    });
    stream.sm?.on('fail', () => {
      // The server did not resume: that session is gone.
      if (!stream.sm?.id) this.#deps.repos.sessions.clear(this.id);
    });
    let streamError: string | undefined;
    stream.entity.on('error', (err: unknown) => {
      if (this.#stream !== stream) return;
      const condition = (err as { condition?: unknown } | null)?.condition;
      if (typeof condition === 'string') streamError = condition;
      log.warn('xmpp', `${this.id}: stream error`, err);
    });
    stream.entity.on('status', (st: string) => {
      if (process.env['PARLEY_TRACE']) log.debug('xmpp', `${this.id}: status ${st}`);
    });
    stream.entity.on('disconnect', () => {
      if (this.#stream !== stream || this.#status !== 'online') return;
      const condition = streamError;
      streamError = undefined;
      this.#onLost(condition);
    });
  }

  /** The connection dropped while online: stop, or wait and reconnect (resuming if we can). */
  #onLost(condition: string | undefined): void {
    this.#connection += 1;
    this.#clearTimers();
    // Presence is kept: a resumed session gets no presence again. A new session starts afresh.
    const generation = this.#generation;
    if (condition === 'conflict') {
      void this.#fail(
        generation,
        new CoreError('conflict', 'Another client signed in with this account and took over this connection.'),
        false,
      );
      return;
    }
    if (condition === 'policy-violation') {
      void this.#fail(
        generation,
        new CoreError('policy-violation', 'The server closed the connection for a policy violation.'),
        false,
      );
      return;
    }
    if (condition === 'not-authorized') {
      void this.#fail(generation, new CoreError('auth-failed', 'The server no longer accepts your password.'), false);
      return;
    }
    const message = condition ? `Connection lost: the server closed the stream (${condition}).` : 'Connection lost.';
    this.#deps.log.warn('account', `${this.id}: ${message}`);
    this.#scheduleRetry(generation, { code: 'network', message }, true);
  }

  #onStanza(stream: Stream, stanza: Element): void {
    if (stanza.is('message') && stanza.getChild('result', NS_MAM)) {
      const result = parseMamResult(stanza, this.id);
      const handler = result ? this.#mamQueries.get(result.queryId) : undefined;
      if (result && handler) handler(result);
      else if (result && this.#sessionQueryIds.has(result.queryId)) {
        // Re-sent after a resumption for a page cut off by the drop: held like any result (the
        // next other stanza stores it first); the owed catch-up fetches that page again anyway.
        if (this.#heldArchive.length === 0) this.#heldSince = performance.now();
        this.#heldArchive.push({ result, stored: () => undefined });
      } else this.#deps.log.warn('xmpp', `${this.id}: dropped an archive result no query of ours asked for`);
      return;
    }
    // What the archive sent before this stanza is stored before it (the display order).
    this.#storeHeldArchive();
    if (stanza.is('message') && stanza.getChild('event', NS_PUBSUB_EVENT)) {
      this.#profile.onPepMessage(stanza);
      return;
    }
    if (stanza.is('message')) {
      const carbon = parseCarbon(stanza, this.id);
      if (carbon === 'spoofed') {
        this.#deps.log.warn('xmpp', `${this.id}: dropped a carbon copy that did not come from our own account`);
        return;
      }
      const message = carbon ? carbon.message : stanza;
      const sender: unknown = message.attrs['from'];
      if ((!carbon || carbon.kind === 'received') && typeof sender === 'string' && this.#profile.isBlocked(sender)) {
        // XEP-0191: the server should have dropped it; nothing from a blocked sender is stored or shown.
        this.#deps.log.info('xmpp', `${this.id}: dropped a message from a blocked sender`);
        return;
      }
      const feedback = parseFeedback(message);
      if (feedback) {
        // Bounces and receipts for our messages; a carbon of a receipt another device of ours sent says nothing here.
        if (!carbon || carbon.kind === 'received') this.#onFeedback(message, feedback);
        if (feedback.kind === 'error') return;
      }
      const fresh = this.#apply(message, carbon ? 'carbon' : 'live');
      if (!carbon) this.#sendReceipt(stream, message, fresh);
    } else if (stanza.is('presence')) {
      const from: unknown = stanza.attrs['from'];
      if (typeof from === 'string' && this.#profile.isBlocked(from)) return;
      const subscription = parseSubscription(stanza, { acceptDomain: (d) => this.#profile.gateways.has(d) });
      if (subscription) {
        this.#rosterOps.onSubscription(subscription);
        return;
      }
      const update = parsePresence(stanza);
      if (!update || update.bare === this.id) return;
      const bare = this.#presence.apply(update);
      this.#own.onPresence(stanza, bare, update.resource, update.kind === 'available');
      if (update.kind === 'available') this.#profile.onPresence(stanza, bare);
      const item = this.#deps.repos.contacts.get(this.id, bare);
      if (item) this.#deps.emit('roster.updated', { accountId: this.id, contacts: [this.#contact(item)], removed: [] });
    }
  }

  /**
   * Applies one message stanza (live, a carbon, or from the archive with its archive id and
   * time) to the archive: stores a new message, or a correction, retraction or reactions
   * on a stored one, or notes a chat state. Returns the message when it was new here.
   */
  #apply(
    stanza: Element,
    via: 'live' | 'carbon' | 'archive',
    archive?: { id: string; at: number | undefined; placeAt?: number | undefined },
  ): Message | undefined {
    const now = this.#now();
    const im = parseIm(stanza, this.id, archive?.at ?? now);
    if (im.kind === 'ignore') return undefined;
    if (im.kind === 'invalid') {
      this.#deps.log.warn('chat', `${this.id}: dropped a message: ${im.reason}`);
      return undefined;
    }
    // A live archive id is ours only on a server whose archive answered us this session (it
    // strips forged ones); elsewhere anyone could plant one and shadow a real message.
    const stanzaId = archive?.id ?? (this.#archiveTrusted ? im.stanzaId : undefined);
    if (stanzaId && via !== 'archive' && this.#catchingUp === 0 && !this.#catchUpOwed)
      this.#deps.repos.archiveSync.advance(this.id, stanzaId, now); // no gap before a live archive id
    if (im.direction === 'in' && im.chatState && via === 'live') {
      this.#chatStatePeers.add(im.peer);
      this.#deps.emit('chat.state', { accountId: this.id, peer: im.peer, state: im.chatState });
    }
    switch (im.kind) {
      case 'state':
        return undefined;
      case 'chat':
        return this.#store(im, stanzaId, via, now, archive?.placeAt, attachmentOf(stanza, im.body));
      case 'correction': {
        const target = this.#deps.repos.messages.find(this.id, im.peer, im.target, im.direction);
        // Ahead of its message (live before a catch-up, or older history): applied when it is stored.
        if (!target) {
          const { peer, direction, target: ref, body, timestamp, senderKey: source } = im;
          const held = { account: this.id, peer, direction, target: ref, body, timestamp, source };
          this.#deps.repos.pendingCorrections.hold({ ...held, sourceStanzaId: stanzaId, receivedAt: now });
        }
        const updated =
          target &&
          this.#deps.repos.messages.correct(target.id, im.body, im.timestamp, { key: im.senderKey, stanzaId });
        if (updated) this.#updated(updated);
        return undefined;
      }
      case 'retraction': {
        const target = this.#deps.repos.messages.find(this.id, im.peer, im.target, im.direction);
        const reading = this.#readingOf(im.peer); // counted before the tombstone
        const updated = target && this.#deps.repos.messages.retract(target.id, im.timestamp);
        if (!updated) return undefined;
        const wasUnread = updated.direction === 'in' && updated.id > reading.readUpTo;
        if (wasUnread) reading.unread = Math.max(0, reading.unread - 1); // a tombstone is not unread
        this.#updated(updated, wasUnread);
        return undefined;
      }
      case 'reactions': {
        const target = this.#deps.repos.messages.find(this.id, im.peer, im.target);
        const sender = im.direction === 'in' ? im.peer : this.id;
        const updated = target && this.#deps.repos.messages.react(target.id, sender, im.reactions, im.timestamp);
        if (updated) this.#deps.emit('message.updated', updated);
        return undefined;
      }
    }
  }

  /** Stores a chat message from any path, once (identity de-duplicates), and shows it. */
  #store(
    im: Extract<Im, { kind: 'chat' }>,
    stanzaId: string | undefined,
    via: string,
    now: number,
    placeAt?: number,
    attachment?: Attachment,
  ): Message | undefined {
    const { messages } = this.#deps.repos;
    if (im.direction === 'out') {
      // One of ours that came back (archive): the server has it, whatever a lost session's ack would have said.
      const own = im.originId ?? im.messageId;
      const mine = own !== undefined ? messages.outbound(this.id, own, im.peer) : undefined;
      if (mine) {
        const updated = via === 'archive' ? messages.advance(mine.id, 'acked') : undefined;
        if (updated) this.#deps.emit('message.updated', updated);
        return undefined;
      }
    }
    this.#open(im.peer, now);
    // Before the insert: a first count from the archive must not include this message (counted below).
    const reading = this.#readingOf(im.peer);
    const replyToRow = im.replyTo !== undefined ? messages.find(this.id, im.peer, im.replyTo)?.id : undefined;
    const inserted = messages.insert({
      id: placeAt,
      account: this.id,
      peer: im.peer,
      direction: im.direction,
      senderKey: im.senderKey,
      stanzaId,
      originId: im.originId,
      messageId: im.messageId,
      body: im.body,
      timestamp: im.timestamp,
      receivedAt: now,
      state: im.direction === 'out' ? 'acked' : 'received',
      replyTo: im.replyTo,
      replyToRow,
      attachment,
    });
    if (!inserted) return undefined; // already stored: shown once
    const fresh = replyToRow !== undefined ? (messages.get(inserted.id) ?? inserted) : inserted;
    // Corrections that came before it: shown corrected from the start.
    const stored = applyPendingCorrections(messages, this.#deps.repos.pendingCorrections, fresh, im);
    if (placeAt !== undefined) {
      // Older history: neither unread nor the conversation's newest.
    } else if (im.direction === 'in') reading.unread += 1;
    else this.#markReadLocally(im.peer, stored.id); // what we answered from another device, we have seen
    this.#deps.emit('message.added', stored);
    if (placeAt === undefined) this.#emitConversation(stored);
    this.#deps.onStored?.({
      message: stored,
      via: via as StoredMessage['via'],
      blocked: this.#profile.isBlocked(im.peer),
      sender: () => ({
        name: this.#displayName(im.peer),
        avatar: this.#deps.repos.contacts.get(this.id, im.peer)?.avatar,
      }),
    });
    return stored;
  }

  /** A changed message; the conversation too when it is the newest (its preview) or `unreadChanged`. */
  #updated(message: Message, unreadChanged = false): void {
    this.#deps.emit('message.updated', message);
    const row = this.#deps.repos.conversations.get(this.id, message.peer);
    if (row?.lastBody === message.body) this.#emitConversation(message);
    else if (row && unreadChanged)
      this.#deps.emit('conversation.updated', this.#conversation(message.peer, row.lastBody, row.lastTimestamp, row));
  }

  #readingOf(peer: string): { readUpTo: number; unread: number } {
    let reading = this.#reading.get(peer);
    if (!reading) {
      const readUpTo = this.#deps.repos.conversations.get(this.id, peer)?.readUpTo ?? 0;
      reading = { readUpTo, unread: this.#deps.repos.messages.unreadCount(this.id, peer, readUpTo) };
      this.#reading.set(peer, reading);
    }
    return reading;
  }

  #markReadLocally(peer: string, upTo: number): boolean {
    const moved = this.#deps.repos.conversations.markRead(this.id, peer, upTo);
    if (moved) {
      const readUpTo = upTo;
      this.#reading.set(peer, { readUpTo, unread: this.#deps.repos.messages.unreadCount(this.id, peer, readUpTo) });
    }
    return moved;
  }

  // --- server archive (XEP-0313) ------------------------------------------------

  /**
   * Refills what the account missed since the newest archive id stored here (with nothing
   * missing before it), before the initial presence, so that the archive's messages are
   * stored in the archive's order before live ones can arrive. A server that cannot resume
   * a session (Prosody restarted, or the resumption failed) drops what it had queued in it
   * when the client uses its archive (Prosody's mod_smacks does exactly that): this is how
   * those messages come back. Without a sync point (a new account or device), the newest
   * page is fetched as recent history.
   *
   * Once the archive says "complete", the initial presence and one more query from the sync
   * point go out together: messages that arrived in between went to offline storage, which
   * a server does not replay to a client that queries its archive.
   */
  async #catchUp(stream: Stream, generation: number): Promise<void> {
    const { archiveSync } = this.#deps.repos;
    let fetched = 0;
    const progress = (running: boolean) => {
      if (running && fetched === 0) return; // nothing to show yet
      this.#deps.emit('archive.sync', { accountId: this.id, running, fetched });
    };
    // Only on the connection it started on: after a drop the entity renegotiates (TLS, SASL,
    // resumption) and a stanza written then would corrupt that negotiation.
    const connection = this.#connection;
    const live = () => this.#connection === connection && this.#status === 'online' && this.#stream === stream;
    const page = async (range: { after?: string | undefined; before?: true }) => {
      if (!live()) throw new Error('the connection changed during the catch-up');
      const got = await this.#mamPage(stream, range, undefined, () => {
        fetched += 1;
      });
      this.#archiveTrusted = true;
      // Saved with the results it completes, never before them.
      if (got.fin.last && !range.before) this.#heldSync = got.fin.last;
      // Pages that follow each other quickly are stored together (one commit and fewer index
      // pages written for up to ARCHIVE_BATCH_MAX messages), for ARCHIVE_BATCH_MS at most.
      const last = range.before !== undefined || got.fin.complete || !got.fin.last || got.count === 0;
      if (
        last ||
        this.#heldArchive.length >= ARCHIVE_BATCH_MAX ||
        performance.now() - this.#heldSince >= ARCHIVE_BATCH_MS
      )
        this.#storeHeldArchive();
      progress(true);
      return got;
    };
    this.#catchingUp += 1;
    this.#catchUpOwed = true;
    let supported = true;
    try {
      let after = archiveSync.lastId(this.id);
      try {
        if (after === undefined) {
          const newest = await page({ before: true });
          // An empty archive: everything it will hold is new here ("" = from its beginning).
          after = newest.fin.last ?? '';
          archiveSync.save(this.id, after, this.#now());
        } else {
          for (;;) {
            const got = await page({ after });
            after = got.fin.last ?? after;
            if (got.fin.complete || !got.fin.last || got.count === 0) break;
            if (generation !== this.#generation) return;
          }
        }
      } catch (err) {
        if (isStanzaError(err, 'item-not-found')) {
          // The archive no longer has our sync point (expired or reset): start afresh from its newest page.
          this.#deps.log.warn(
            'archive',
            `${this.id}: the server archive no longer has our sync point; fetching its newest page`,
          );
          archiveSync.clear(this.id);
          const newest = await page({ before: true });
          after = newest.fin.last ?? '';
          archiveSync.save(this.id, after, this.#now());
        } else if (isStanzaError(err)) {
          // No archive on this server: offline storage delivers after the presence instead.
          this.#deps.log.info(
            'archive',
            `${this.id}: no server archive (${String((err as { condition?: unknown }).condition)})`,
          );
          supported = false;
        } else throw err;
      }
      if (generation !== this.#generation || !live()) return;
      // Our initial presence (or, invisible, the XEP-0186 command; appearing offline, none);
      // a resumed session that sent it already keeps it.
      const presence = this.#sessionReady ? undefined : this.#own.announce(stream);
      this.#sessionReady = true;
      if (supported) {
        for (;;) {
          const got = await page({ after });
          after = got.fin.last ?? after;
          if (got.fin.complete || !got.fin.last || got.count === 0) break;
        }
      }
      this.#catchUpOwed = false;
      await presence;
      if (!this.#active && stream.features.csi && live()) await stream.entity.send(xml('inactive', { xmlns: NS_CSI }));
    } finally {
      this.#storeHeldArchive(); // what came before a failure is still ours
      this.#catchingUp -= 1;
      progress(false); // always: the end of every catch-up is news (a UI may stop a spinner, tests wait for it)
    }
  }

  /**
   * One page of our archive. Its results are held as they arrive and stored in one
   * transaction when the page ends (one commit and one search-index batch for up to 50
   * messages, not one each), or, for the catch-up (`held`), when it stores the pages held so
   * far; earlier when any other stanza comes in between (so that it cannot overtake them).
   * Nothing is lost by holding them: the sync point moves only with or after the results it
   * completes, and the server keeps its archive.
   */
  async #mamPage(
    stream: Stream,
    range: { after?: string | undefined; before?: true | string; with?: string },
    /** Collect the results instead of storing them as they arrive (history placed below what is stored). */
    collect?: MamResult[],
    /** Leave the results held for the caller to store (#storeHeldArchive); called for each one stored new. */
    held?: () => void,
  ): Promise<{ fin: MamFin; count: number; stored: number }> {
    const queryId = randomUUID();
    let count = 0;
    let stored = 0;
    if (!collect) this.#sessionQueryIds.add(queryId);
    this.#mamQueries.set(queryId, (result) => {
      count += 1;
      if (collect) collect.push(result);
      else {
        if (this.#heldArchive.length === 0) this.#heldSince = performance.now();
        this.#heldArchive.push({
          result,
          stored: () => {
            stored += 1;
            held?.();
          },
        });
      }
    });
    let ended = false;
    try {
      const fin = await whileConnected(
        stream,
        stream.iq.request(
          xml('iq', { type: 'set' }, buildMamQuery({ queryId, max: MAM_PAGE, ...range })),
          MAM_TIMEOUT_MS,
        ),
      );
      ended = true;
      if (!held) this.#storeHeldArchive();
      const parsed = parseFin(fin.getChild('fin', NS_MAM));
      this.#deps.log.debug(
        'archive',
        `${this.id}: archive page ${JSON.stringify(range)}: ${String(count)} results, ${held ? `${String(this.#heldArchive.length)} held` : `${String(stored)} new`}, last ${parsed.last ?? '-'}${parsed.complete ? ', complete' : ''}`,
      );
      return { fin: parsed, count, stored };
    } finally {
      this.#mamQueries.delete(queryId);
      if (!ended) this.#storeHeldArchive(); // what came before a failure is still ours
    }
  }

  /**
   * Stores the held archive results, in arrival order, in one transaction, and with them the
   * sync point of the catch-up pages they complete (in the same commit: never ahead of them).
   */
  #storeHeldArchive(): void {
    const sync = this.#heldSync;
    this.#heldSync = undefined;
    if (this.#heldArchive.length === 0 && sync === undefined) return;
    const held = this.#heldArchive.splice(0);
    this.#deps.repos.messages.batch(() => {
      for (const { result, stored } of held) if (this.#storeArchived(result)) stored();
      if (sync !== undefined) this.#deps.repos.archiveSync.save(this.id, sync, this.#now());
    });
  }

  /** Stores one archived message (either direction, any kind); true when it was new here. */
  #storeArchived(result: MamResult, placeAt?: number): boolean {
    const feedback = parseFeedback(result.message);
    if (feedback && feedback.kind !== 'error') {
      // Receipts and markers that a lost session never delivered still move our messages on.
      this.#onFeedback(result.message, feedback);
      return false;
    }
    return (
      this.#apply(result.message, 'archive', { id: result.archiveId, at: result.timestamp, placeAt }) !== undefined
    );
  }

  /** XEP-0184: confirm receipt (after storing) to contacts who share presence with us. */
  /**
   * XEP-0184: confirm receipt to contacts who share presence with us, once the message is
   * stored: just now (`fresh`), or already (a sender repeating a message whose receipt was
   * lost with a connection must still get one).
   */
  #sendReceipt(stream: Stream, stanza: Element, fresh: Message | undefined): void {
    const from: unknown = stanza.attrs['from'];
    const messageId: unknown = stanza.attrs['id'];
    if (typeof messageId !== 'string' || typeof from !== 'string' || !wantsReceipt(stanza)) return;
    const peer = parse(from)?.bare;
    if (!peer || peer === this.id) return;
    const stored = fresh ?? this.#deps.repos.messages.find(this.id, peer, parseOriginId(stanza) ?? messageId, 'in');
    if (stored?.direction !== 'in') return;
    const subscription = this.#deps.repos.contacts.get(this.id, peer)?.subscription;
    if (subscription !== 'from' && subscription !== 'both') return;
    void stream.entity.send(buildReceipt(from, randomUUID(), messageId)).catch(() => undefined);
  }

  #onFeedback(stanza: Element, feedback: NonNullable<ReturnType<typeof parseFeedback>>): void {
    const peer = parse(stanza.attrs['from'])?.bare;
    const { messages } = this.#deps.repos;
    // Receipts and markers must come from the peer itself; error bounces come from its server.
    const target =
      feedback.kind === 'error'
        ? messages.outbound(this.id, feedback.id)
        : peer && messages.outbound(this.id, feedback.id, peer);
    if (!target) return;
    const updated =
      feedback.kind === 'error'
        ? messages.fail(target.id, feedback.reason)
        : messages.advance(target.id, feedback.kind);
    if (updated) this.#deps.emit('message.updated', updated);
  }

  #onAck(stanza: Element): void {
    if (!stanza.is('message')) return;
    const id: unknown = stanza.attrs['id'];
    if (typeof id !== 'string') return;
    const to = parse(stanza.attrs['to'])?.bare;
    const target = to ? this.#deps.repos.messages.outbound(this.id, id, to) : undefined;
    if (!target) return;
    const updated = this.#deps.repos.messages.advance(target.id, 'acked');
    if (updated) this.#deps.emit('message.updated', updated);
  }

  /**
   * The roster at the start of a new session. With XEP-0237 the stored version goes along:
   * an empty result means the cached roster is current (changes, if any, follow as pushes).
   */
  async #loadRoster(stream: XmppStream): Promise<void> {
    const { contacts, rosterState } = this.#deps.repos;
    const versioned = stream.features.rosterVer === true;
    const stored = rosterState.ver(this.id);
    // Only a cache the version describes may be trusted: an empty cache with a version asks afresh.
    const ver = versioned ? (stored !== undefined && contacts.list(this.id).length > 0 ? stored : '') : undefined;
    const payload = await stream.iq.get(buildRosterGetVersioned(ver));
    const result = parseRosterResult(payload);
    if (result.kind === 'unchanged') {
      this.#deps.log.info('roster', `${this.id}: roster unchanged (version ${String(ver)}): 0 items received`);
      const items = contacts.list(this.id);
      this.#deps.emit('roster.updated', {
        accountId: this.id,
        contacts: items.map((i) => this.#contact(i)),
        removed: [],
      });
      return;
    }
    const items = result.changes.flatMap((c) => (c.kind === 'upsert' ? [c.item] : []));
    this.#deps.log.info(
      'roster',
      `${this.id}: roster of ${String(items.length)} items received (version ${result.ver ?? '-'})`,
    );
    const before = new Set(contacts.list(this.id).map((c) => c.jid));
    contacts.replaceAll(this.id, items);
    if (versioned && result.ver !== undefined) rosterState.save(this.id, result.ver);
    else rosterState.clear(this.id);
    if (payload) this.#rosterOps.syncAsk(payload);
    this.#names.clear();
    const stored2 = contacts.list(this.id);
    for (const item of stored2) this.#rememberName(item);
    const removed = [...before].filter((jid) => !items.some((i) => i.jid === jid));
    this.#deps.emit('roster.updated', { accountId: this.id, contacts: stored2.map((i) => this.#contact(i)), removed });
  }

  #applyRoster(changes: RosterChange[]): void {
    const { contacts } = this.#deps.repos;
    const upserts: Contact[] = [];
    const removed: string[] = [];
    for (const change of changes) {
      if (change.kind === 'remove') {
        contacts.remove(this.id, change.jid);
        this.#names.delete(change.jid);
        removed.push(change.jid);
      } else {
        contacts.upsert(this.id, change.item);
        const stored = contacts.get(this.id, change.item.jid) ?? change.item; // with its nick and avatar
        this.#rememberName(stored);
        upserts.push(this.#contact(stored));
      }
    }
    this.#deps.emit('roster.updated', { accountId: this.id, contacts: upserts, removed });
  }

  #clearPresence(): void {
    const affected = this.#presence.clear();
    const contacts = affected.flatMap((jid) => {
      const item = this.#deps.repos.contacts.get(this.id, jid);
      return item ? [this.#contact(item)] : [];
    });
    if (contacts.length > 0) this.#deps.emit('roster.updated', { accountId: this.id, contacts, removed: [] });
  }

  #contact(item: RosterItem): Contact {
    const presence = this.#presence.best(item.jid);
    return {
      accountId: this.id,
      jid: item.jid,
      name: displayName({ jid: item.jid, rosterName: item.name, nick: item.nick }),
      subscription: item.subscription,
      groups: item.groups,
      show: presence.show,
      ...(presence.status ? { status: presence.status } : {}),
      ...(item.avatar ? { avatar: item.avatar } : {}),
      ...(item.nick ? { nick: item.nick } : {}),
      ...(item.name ? { rosterName: item.name } : {}),
      ...(this.#rosterOps.pending(item.jid) ? { pending: true } : {}),
      ...(this.#profile.isBlocked(item.jid) ? { blocked: true } : {}),
    };
  }

  #rememberName(item: RosterItem): void {
    const name = item.name ?? item.nick;
    if (name) this.#names.set(item.jid, displayName({ jid: item.jid, rosterName: item.name, nick: item.nick }));
    else this.#names.delete(item.jid);
  }

  #displayName(peer: string): string {
    return this.#names.get(peer) ?? peer;
  }

  #open(peer: string, now: number): void {
    if (this.#opened.has(peer)) return;
    this.#deps.repos.conversations.open(this.id, peer, now);
    this.#opened.add(peer);
  }

  #conversation(
    peer: string,
    lastBody: string | null | undefined,
    lastTimestamp: number | null | undefined,
    row?: { draft: string; tab: number; mutedUntil?: number | null; sound?: number },
  ): Conversation {
    const reading = this.#readingOf(peer);
    return {
      accountId: this.id,
      peer,
      name: this.#displayName(peer),
      ...(lastBody != null ? { lastBody: lastBody.slice(0, 200) } : {}),
      ...(lastTimestamp != null ? { lastTimestamp } : {}),
      unread: reading.unread,
      readUpTo: reading.readUpTo,
      ...(row?.draft ? { draft: row.draft } : {}),
      ...(row?.tab ? { tab: true } : {}),
      ...(row?.mutedUntil !== undefined ? { mutedUntil: row.mutedUntil } : {}),
      ...(row?.sound !== undefined ? { sound: row.sound === 1 } : {}),
    };
  }

  /** The conversation as it stands after `latest`, its newest message (no query on the hot path). */
  #emitConversation(latest: Message): void {
    this.#deps.emit('conversation.updated', this.#conversation(latest.peer, latest.body, latest.timestamp));
  }
}

/**
 * Opens the stream on `service` (a new session or a resumed one) and waits until it is
 * usable. The entity is reused across attempts so that XEP-0198 can resume its session.
 */
function establish(stream: Stream, service: string, timeoutMs: number): Promise<Outcome> {
  const { entity, sm } = stream;
  return new Promise<Outcome>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(() => {
        reject(new ConnectTimeout(`no answer within ${String(timeoutMs)} ms`));
      });
    }, timeoutMs);
    const onOnline = () => {
      finish(() => {
        resolve('online');
      });
    };
    const onResumed = () => {
      finish(() => {
        resolve('resumed');
      });
    };
    const onError = (err: unknown) => {
      finish(() => {
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    };
    const onDisconnect = () => {
      finish(() => {
        reject(Object.assign(new Error('the connection closed during negotiation'), { code: 'ECONNRESET' }));
      });
    };
    function finish(settle: () => void): void {
      clearTimeout(timer);
      entity.removeListener('online', onOnline);
      entity.removeListener('error', onError);
      entity.removeListener('disconnect', onDisconnect);
      sm?.removeListener('resumed', onResumed);
      settle();
    }
    entity.on('online', onOnline);
    entity.on('error', onError);
    entity.on('disconnect', onDisconnect);
    sm?.on('resumed', onResumed);
    const e = entity as XmppStream['entity'] & {
      connect(service: string): Promise<void>;
      open(o: { domain: string; lang: string }): Promise<void>;
    };
    e.options.service = service;
    e.connect(service)
      .then(() => e.open({ domain: e.options.domain, lang: 'en' }))
      .catch(onError);
  });
}

/** `promise`, or a rejection as soon as the stream's connection drops (pending IQs would wait for their timeout). */
function whileConnected<T>(stream: Stream, promise: Promise<T>): Promise<T> {
  let onDisconnect: (() => void) | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      onDisconnect = () => {
        reject(Object.assign(new Error('the connection closed'), { code: 'ECONNRESET' }));
      };
      stream.entity.on('disconnect', onDisconnect);
    }),
  ]).finally(() => {
    if (onDisconnect) stream.entity.removeListener('disconnect', onDisconnect);
  });
}

function isStanzaError(err: unknown, condition?: string): boolean {
  const e = err as { name?: unknown; condition?: unknown } | null;
  return e?.name === 'StanzaError' && (condition === undefined || e.condition === condition);
}

/** Ends the session for good (XEP-0198 state too). */
async function stopQuietly(stream: Stream): Promise<void> {
  try {
    await withTimeout(stream.entity.stop(), 3000);
  } catch {
    // already gone
  }
}

/** Closes the connection but keeps the XEP-0198 session for a resumption. */
async function dropQuietly(stream: Stream): Promise<void> {
  const entity = stream.entity as XmppStream['entity'] & { disconnect(): Promise<unknown>; socket: unknown };
  try {
    if (entity.socket) await withTimeout(entity.disconnect(), 3000);
  } catch {
    // already gone
  }
}

/** Tears the connection down at once, without a closing handshake. */
function destroySocket(stream: Stream): void {
  const socket = (stream.entity as { socket?: { socket?: { destroy?: () => void }; destroy?: () => void } | null })
    .socket;
  const raw = socket?.socket ?? socket;
  raw?.destroy?.();
}

class ConnectTimeout extends Error {
  override name = 'ConnectTimeout';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new ConnectTimeout(`no answer within ${String(ms)} ms`));
      }, ms);
    }),
  ]).finally(() => {
    clearTimeout(timer);
  });
}

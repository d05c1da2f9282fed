/**
 * One account: its connection, its roster and presence, its messages.
 * The core holds many; nothing here is process-wide.
 *
 * Invariants: an inbound message is written to the archive before anything
 * is shown (synchronously, in arrival order); an outbound one is written
 * (state 'pending') before it is sent; a wrong password is never retried.
 */
import { randomUUID } from 'node:crypto';
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
import type { MessageRepo } from '../archive/repos/messages.ts';
import { CoreError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { buildChatMessage, parseChatMessage, type InboundChat } from '../xmpp/chat.ts';
import { createStream, type XmppStream } from '../xmpp/entity.ts';
import { parse } from '../xmpp/jid.ts';
import { buildAvailable, parsePresence, PresenceBook } from '../xmpp/presence.ts';
import { buildRosterGet, isLegitimatePush, NS_ROSTER, parseRosterQuery, type RosterChange } from '../xmpp/roster.ts';
import { classifyConnectError } from './connect-errors.ts';
import { parseServerOverride, resolveEndpoints, serviceUri, type Endpoint, type SrvResolver } from './endpoint.ts';

export interface AccountConfig {
  jid: string;
  /** "host[:port]" or "" for SRV lookup. */
  server: string;
}

export interface AccountDeps {
  repos: { messages: MessageRepo; conversations: ConversationRepo; contacts: ContactRepo };
  emit: <N extends EventName>(name: N, payload: EventPayload<N>) => void;
  log: Logger;
  now?: () => number;
  resolveSrv?: SrvResolver;
  connectTimeoutMs?: number;
}

const NS_PING = 'urn:xmpp:ping';

export class Account {
  readonly id: string;
  #config: AccountConfig;
  readonly #deps: AccountDeps;
  readonly #now: () => number;
  readonly #presence = new PresenceBook();
  #stream: XmppStream | undefined;
  #status: AccountState['status'] = 'offline';
  #error: AccountState['error'];
  #stopping = false;
  /** Hot-path caches, kept in step with the archive: display names and opened conversations. */
  readonly #names = new Map<string, string>();
  readonly #opened = new Set<string>();

  constructor(config: AccountConfig, deps: AccountDeps) {
    const jid = parse(config.jid);
    if (!jid?.local) throw new CoreError('bad-request', `"${config.jid}" is not a valid address.`);
    this.id = jid.bare;
    this.#config = { jid: jid.bare, server: config.server.trim() };
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    for (const item of deps.repos.contacts.list(this.id)) this.#rememberName(item);
    for (const row of deps.repos.conversations.list(this.id)) this.#opened.add(row.peer);
  }

  get config(): AccountConfig {
    return this.#config;
  }

  /** A new server override applies from the next sign-in on. */
  setServer(server: string): void {
    this.#config = { ...this.#config, server: server.trim() };
  }

  get state(): AccountState {
    return {
      id: this.id,
      jid: this.config.jid,
      server: this.config.server,
      status: this.#status,
      ...(this.#error ? { error: this.#error } : {}),
    };
  }

  #setStatus(status: AccountState['status'], error?: AccountState['error']): void {
    this.#status = status;
    this.#error = error;
    this.#deps.emit('account.state', this.state);
  }

  /** Connects with this password; resolves when online, rejects with a CoreError saying why. */
  async signIn(password: string): Promise<AccountState> {
    if (this.#status === 'online' || this.#status === 'connecting') await this.signOut();
    this.#setStatus('connecting');
    const { log } = this.#deps;
    const jid = parse(this.config.jid);
    if (!jid) throw new CoreError('bad-request', 'invalid address');
    let endpoints: Endpoint[];
    try {
      endpoints = this.config.server
        ? [parseServerOverride(this.config.server)]
        : await resolveEndpoints(jid.domain, this.#deps.resolveSrv);
    } catch (err) {
      const error = new CoreError('bad-request', err instanceof Error ? err.message : 'invalid server');
      this.#setStatus('error', { code: error.code, message: error.message });
      throw error;
    }

    let failure: CoreError | undefined;
    for (const endpoint of endpoints) {
      const stream = createStream({
        service: serviceUri(endpoint),
        domain: jid.domain,
        credentials: { username: jid.local, password },
        timeoutMs: this.#deps.connectTimeoutMs ?? 15_000,
      });
      this.#wire(stream);
      try {
        log.info('account', `${this.id}: connecting to ${serviceUri(endpoint)}`);
        await withTimeout(stream.entity.start(), this.#deps.connectTimeoutMs ?? 20_000);
        this.#stream = stream;
        this.#stopping = false;
        await this.#afterOnline(stream);
        log.info('account', `${this.id}: online as ${String(stream.entity.jid)}`);
        this.#setStatus('online');
        return this.state;
      } catch (err) {
        failure = classifyConnectError(err, endpoint, jid.domain);
        log.warn('account', `${this.id}: ${failure.message}`, err);
        this.#stream = undefined;
        await stopQuietly(stream);
        // A wrong password or a refused stream is final: never try the next host with it.
        if (failure.code === 'auth-failed' || failure.code === 'stream-error') break;
      }
    }
    const error = failure ?? new CoreError('network', 'Could not connect.');
    this.#setStatus('error', { code: error.code, message: error.message });
    throw error;
  }

  async signOut(): Promise<AccountState> {
    const stream = this.#stream;
    this.#stream = undefined;
    this.#stopping = true;
    if (stream) await stopQuietly(stream);
    this.#clearPresence();
    this.#setStatus('offline');
    return this.state;
  }

  /** Stores the message (pending), then sends it; the stored row is the answer. */
  async send(to: string, body: string): Promise<Message> {
    const peer = parse(to);
    if (!peer?.local) throw new CoreError('bad-request', `"${to}" is not a valid address.`);
    const stream = this.#stream;
    if (!stream || this.#status !== 'online')
      throw new CoreError('not-connected', 'Not connected: sign in to send messages.');
    const id = randomUUID();
    const now = this.#now();
    const { messages } = this.#deps.repos;
    this.#open(peer.bare, now);
    const stored = messages.insert({
      account: this.id,
      peer: peer.bare,
      direction: 'out',
      senderKey: id,
      originId: id,
      messageId: id,
      body,
      timestamp: now,
      receivedAt: now,
      state: 'pending',
    });
    if (!stored) throw new CoreError('internal', 'message could not be stored');
    this.#deps.emit('message.added', stored);
    this.#emitConversation(stored);
    try {
      await stream.entity.send(buildChatMessage(peer.bare, body, id));
      const sent = messages.setState(stored.id, 'sent') ?? stored;
      this.#deps.emit('message.updated', sent);
      return sent;
    } catch (err) {
      this.#deps.log.warn('chat', `${this.id}: send failed`, err);
      const failed = messages.setState(stored.id, 'failed') ?? stored;
      this.#deps.emit('message.updated', failed);
      return failed;
    }
  }

  contacts(): Contact[] {
    return this.#deps.repos.contacts.list(this.id).map((item) => this.#contact(item));
  }

  conversations(): Conversation[] {
    return this.#deps.repos.conversations
      .list(this.id)
      .map((row) => this.#conversation(row.peer, row.lastBody, row.lastTimestamp));
  }

  openConversation(peer: string): Conversation {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    this.#open(bare, this.#now());
    const row = this.#deps.repos.conversations.get(this.id, bare);
    return this.#conversation(bare, row?.lastBody, row?.lastTimestamp);
  }

  messages(peer: string, before?: number, limit?: number): Message[] {
    const bare = parse(peer)?.bare;
    if (!bare) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    return this.#deps.repos.messages.list(this.id, bare, before, limit);
  }

  // --- wiring -------------------------------------------------------------

  #wire(stream: XmppStream): void {
    const { log } = this.#deps;
    stream.onIq('get', NS_PING, 'ping', () => true);
    stream.onIq('set', NS_ROSTER, 'query', (ctx) => {
      if (!isLegitimatePush(ctx.stanza.attrs['from'], this.id))
        throw new CoreError('bad-request', 'roster push from a stranger');
      this.#applyRoster(parseRosterQuery(ctx.element));
      return true;
    });
    stream.onStanza((stanza) => {
      try {
        this.#onStanza(stanza);
      } catch (err) {
        // A stanza we cannot handle is logged and dropped; the stream lives on.
        log.warn('xmpp', `${this.id}: dropped a ${stanza.name} stanza we could not handle`, err);
      }
    });
    let streamError: string | undefined;
    stream.entity.on('error', (err: unknown) => {
      if (this.#stream !== stream) return;
      log.warn('xmpp', `${this.id}: stream error`, err);
      const condition = (err as { condition?: unknown } | null)?.condition;
      if (typeof condition === 'string') streamError = condition;
    });
    stream.entity.on('status', (status: string) => {
      if (status === 'disconnect' && this.#stream === stream && !this.#stopping) {
        this.#stream = undefined;
        this.#clearPresence();
        const message = streamError
          ? `Connection lost: the server closed the stream (${streamError}).`
          : 'Connection lost.';
        this.#setStatus('error', { code: 'network', message });
      }
    });
  }

  #onStanza(stanza: Element): void {
    if (stanza.is('message')) {
      const parsed = parseChatMessage(stanza, this.id, this.#now());
      if (parsed.kind === 'invalid') {
        this.#deps.log.warn('chat', `${this.id}: dropped a message: ${parsed.reason}`);
        return;
      }
      if (parsed.kind === 'chat') this.#receive(parsed.message);
    } else if (stanza.is('presence')) {
      const update = parsePresence(stanza);
      if (!update || update.bare === this.id) return;
      const bare = this.#presence.apply(update);
      const item = this.#deps.repos.contacts.get(this.id, bare);
      if (item) this.#deps.emit('roster.updated', { accountId: this.id, contacts: [this.#contact(item)], removed: [] });
    }
  }

  #receive(m: InboundChat): void {
    const now = this.#now();
    const { messages } = this.#deps.repos;
    this.#open(m.peer, now);
    const stored = messages.insert({
      account: this.id,
      peer: m.peer,
      direction: 'in',
      senderKey: m.senderKey,
      stanzaId: m.stanzaId,
      originId: m.originId,
      messageId: m.messageId,
      body: m.body,
      timestamp: m.timestamp,
      receivedAt: now,
      state: 'received',
    });
    if (!stored) return; // already stored: shown once
    this.#deps.emit('message.added', stored);
    this.#emitConversation(stored);
  }

  async #afterOnline(stream: XmppStream): Promise<void> {
    // An empty result (no <query/>) is allowed (RFC 6121 §2.1.3 with versioning); iq.get returns the child.
    const query = await stream.iq.get(buildRosterGet());
    const changes = query?.is('query', NS_ROSTER) ? parseRosterQuery(query) : [];
    const items = changes.flatMap((c) => (c.kind === 'upsert' ? [c.item] : []));
    const before = new Set(this.#deps.repos.contacts.list(this.id).map((c) => c.jid));
    this.#deps.repos.contacts.replaceAll(this.id, items);
    this.#names.clear();
    for (const item of items) this.#rememberName(item);
    const removed = [...before].filter((jid) => !items.some((i) => i.jid === jid));
    this.#deps.emit('roster.updated', { accountId: this.id, contacts: items.map((i) => this.#contact(i)), removed });
    await stream.entity.send(buildAvailable());
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
        this.#rememberName(change.item);
        upserts.push(this.#contact(change.item));
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
      name: item.name ?? item.jid,
      subscription: item.subscription,
      groups: item.groups,
      show: presence.show,
      ...(presence.status ? { status: presence.status } : {}),
    };
  }

  #rememberName(item: RosterItem): void {
    if (item.name) this.#names.set(item.jid, item.name);
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
  ): Conversation {
    return {
      accountId: this.id,
      peer,
      name: this.#displayName(peer),
      ...(lastBody != null ? { lastBody: lastBody.slice(0, 200) } : {}),
      ...(lastTimestamp != null ? { lastTimestamp } : {}),
    };
  }

  /** The conversation as it stands after `latest`, its newest message (no query on the hot path). */
  #emitConversation(latest: Message): void {
    this.#deps.emit('conversation.updated', this.#conversation(latest.peer, latest.body, latest.timestamp));
  }
}

async function stopQuietly(stream: XmppStream): Promise<void> {
  try {
    await withTimeout(stream.entity.stop(), 3000);
  } catch {
    // already gone
  }
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

/**
 * Jingle file-transfer sessions (XEP-0166/0234) for one account, both directions, over the
 * SOCKS5 transport (XEP-0260) or IBB (XEP-0261), with the replacement SOCKS5 → IBB when no
 * candidate works. The bytes move through the transfer service's own paths (its SOCKS5
 * client and streamhost, its IBB sender and receiver, its safe file sink): a Jingle transfer
 * is an ordinary transfer entry whose stream id is the transport's sid, plus this session state.
 *
 * Roles: each side offers its direct streamhost candidates and the server's proxy (the
 * initiator in session-initiate, the responder in session-accept), tries the other's by
 * priority, reports candidate-used or candidate-error, and both pick the same nominated
 * candidate (XEP-0260 §2.4, `nominate`): the party that offered a proxy activates it and says
 * `activated`. The responder ends a completed transfer with session-terminate <success/> once
 * the file's size and sha-256 checked out.
 */
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import type { Element } from '@xmpp/xml';
import type { Transfer } from '../../../preload/contract.ts';
import { stanzaError } from '../accounts/service-context.ts';
import { CoreError } from '../errors.ts';
import type { IqContext, XmppStream } from '../xmpp/entity.ts';
import { parse } from '../xmpp/jid.ts';
import { buildActivate, dstAddr, type Streamhost } from './bytestreams.ts';
import { checkSize, IncomingFile } from './file-sink.ts';
import { sha256Of } from './hash.ts';
import { IBB_BLOCK_SIZE } from './ibb.ts';
import {
  NS_JINGLE,
  buildJingle,
  buildUnknownSession,
  nominate,
  parseJingle,
  type Candidate,
  type Jingle,
  type JingleContent,
  type JingleReason,
  type Transport,
} from './jingle.ts';
import { sanitizeFileName } from './safe-name.ts';
import { DirectStreamhost, connectStreamhost } from './socks5.ts';
import type { TransferEntry, TransferReason } from './transfer-service.ts';

const IQ_TIMEOUT_MS = 30_000;
/** How long a receiver waits, once the bytes are in, for a checksum the offer announced (hash-used). */
const CHECKSUM_WAIT_MS = 30_000;
const CONTENT_NAME = 'a-file-offer';
/** Offers waiting for the user at once (as for XEP-0096): more are refused. */
const MAX_PENDING_OFFERS = 50;
/** XEP-0260 §2.2: type preference × 2^16 + local preference. */
const PRIORITY = { direct: 126 << 16, proxy: 10 << 16 } as const;

/** What a Jingle session keeps beside its transfer entry. */
export interface JingleState {
  sid: string;
  role: 'initiator' | 'responder';
  initiator: string;
  responder: string;
  creator: 'initiator' | 'responder';
  contentName: string;
  transport: Transport;
  /** The candidates we offered (direct ones and the proxy). */
  ours: Candidate[];
  proxy?: Streamhost | undefined;
  /** The other side's candidates (the initiator's from its offer, the responder's from its accept). */
  peerCandidates?: Candidate[] | undefined;
  /** What we reported: the cid of the other side's candidate we connected to, or 'error'. */
  report?: string | undefined;
  /** What the other side reported (a cid of ours, or 'error'). */
  theirs?: string | undefined;
  /** The connection to the other side's candidate we reported, held until the nomination. */
  held?: net.Socket | undefined;
  /** Both reports are in and the nominated candidate is being set up. */
  decided?: boolean | undefined;
  /** Waiting for the other side's `activated` (it offered the nominated proxy). */
  onActivated?: (() => void) | undefined;
  /** The other side said `activated` (for its proxy). */
  activated?: boolean | undefined;
  /** The connection attempt to one of the other side's candidates under way (its priority). */
  attempt?: { priority: number; abort: AbortController } | undefined;
  /** Initiator: the file being sent. */
  filePath?: string | undefined;
  /** Initiator: the file's sha-256 (base64), computed while the session runs; sent in session-info. */
  checksum?: Promise<string> | undefined;
  /** The peer ended the session (no session-terminate goes back). */
  terminated: boolean;
  /** A transport-replace to IBB was sent or accepted. */
  replaced: boolean;
}

/** The transfer service's paths a Jingle session uses (lent by TransferService). */
export interface JingleHost {
  readonly id: string;
  log(message: string, err?: unknown): void;
  stream(): XmppStream | undefined;
  options(): {
    downloadsDir: () => string;
    socks5Direct: boolean;
    socks5Proxy: boolean;
    ibb: boolean;
    directHosts: () => string[];
    maxFileBytes: number;
    streamhostTimeoutMs: number;
    offerTimeoutMs: number;
    streamTimeoutMs: number;
  };
  add(
    t: Omit<Transfer, 'id' | 'accountId' | 'bytes' | 'speed' | 'startedAt' | 'updatedAt'>,
    sid: string,
    own: string,
  ): TransferEntry;
  all(): Iterable<TransferEntry>;
  set(e: TransferEntry, patch: Partial<Transfer>): void;
  fail(e: TransferEntry, reason: TransferReason, error: string): Promise<void>;
  completed(e: TransferEntry): void;
  reasonOf(err: unknown): [TransferReason, string];
  waitForStream(e: TransferEntry): void;
  receiveSocket(e: TransferEntry, socket: net.Socket): void;
  sendSocket(e: TransferEntry, filePath: string, socket: net.Socket): Promise<void>;
  /** `blockSize`: at most this many bytes per block (what a Jingle session negotiated). */
  sendIbb(stream: XmppStream, e: TransferEntry, filePath: string, blockSize?: number): Promise<void>;
  findProxy(stream: XmppStream): Promise<Streamhost | undefined>;
  hashFile(filePath: string, signal: AbortSignal): Promise<string>;
  /** An incoming offer passed the size checks and waits for an answer (auto-accept may give it). */
  offerReady(e: TransferEntry): void;
}

function fromOf(ctx: IqContext): string | undefined {
  const from: unknown = ctx.stanza.attrs['from'];
  return typeof from === 'string' && from.length > 0 ? from : undefined;
}

const cid = () => randomBytes(8).toString('hex');

/** A transfer's `done` flag, read afresh (it changes across awaits: cancel, failure). */
function ended(e: TransferEntry): boolean {
  return e.done;
}

export class JingleTransfers {
  readonly #host: JingleHost;

  constructor(host: JingleHost) {
    this.#host = host;
  }

  wire(stream: XmppStream): void {
    stream.onIq('set', NS_JINGLE, 'jingle', (ctx) => this.#onJingle(stream, ctx.element, fromOf(ctx)));
  }

  #session(from: string, sid: string, finished = false): TransferEntry | undefined {
    for (const e of this.#host.all()) if (e.jingle?.sid === sid && e.t.peer === from && (finished || !e.done)) return e;
    return undefined;
  }

  /** Sends one Jingle IQ to the peer (failures are logged: the session's own timers end it). */
  #send(e: TransferEntry, j: Omit<Jingle, 'sid'>): Promise<Element | undefined> {
    const stream = this.#host.stream();
    const s = e.jingle;
    if (!stream || !s) return Promise.resolve(undefined);
    return stream.iq.set(buildJingle({ ...j, sid: s.sid }), e.t.peer, IQ_TIMEOUT_MS);
  }

  #content(s: JingleState, extra: Pick<JingleContent, 'transport' | 'info'>): JingleContent {
    return { creator: s.creator, name: s.contentName, ...extra };
  }

  /** Called by the transfer service when a Jingle transfer ends (completed or failed). */
  ended(e: TransferEntry): void {
    const s = e.jingle;
    if (!s || s.terminated) return;
    s.terminated = true;
    let reason: JingleReason | undefined;
    if (e.t.state === 'completed') reason = s.role === 'responder' ? 'success' : undefined;
    else if (e.t.reason === 'declined') reason = 'decline';
    else if (e.t.reason === 'hash-mismatch') reason = 'media-error';
    // XEP-0234 names no reason for a file too large to take: Parley says failed-application.
    else if (e.t.reason === 'size-limit') reason = 'failed-application';
    else if (e.t.reason === 'no-streamhost') reason = 'failed-transport';
    else if (e.t.reason === 'timed-out') reason = 'timeout';
    else if (e.t.reason === 'cancelled' || e.t.reason === 'offline' || e.t.reason === 'interrupted') reason = 'cancel';
    else reason = 'general-error';
    if (!reason) return;
    this.#send(e, { action: 'session-terminate', reason }).catch((err: unknown) => {
      this.#host.log(`session-terminate to ${e.t.peer} went unanswered`, err);
    });
  }

  // ── initiator (sending) ─────────────────────────────────────────────────────

  /** Offers a file to `peer` (a full JID) by Jingle; the transfer entry is returned at once. */
  start(
    stream: XmppStream,
    peer: string,
    filePath: string,
    name: string,
    size: number,
    /** The file's media type (transfer history issue 6: sent as <media-type/>). */
    mimeType?: string,
  ): TransferEntry {
    const own = stream.entity.jid?.toString() ?? this.#host.id;
    const tsid = randomBytes(12).toString('hex');
    const e = this.#host.add(
      { peer, direction: 'out', name, size, state: 'waiting', path: filePath, ...(mimeType ? { mimeType } : {}) },
      tsid,
      own,
    );
    e.jingle = {
      sid: randomBytes(12).toString('hex'),
      role: 'initiator',
      initiator: own,
      responder: peer,
      creator: 'initiator',
      contentName: CONTENT_NAME,
      transport: { kind: 'ibb', sid: tsid, blockSize: IBB_BLOCK_SIZE },
      ours: [],
      filePath,
      terminated: false,
      replaced: false,
    };
    void this.#initiate(stream, e, filePath).catch((err: unknown) => {
      const [reason, message] = this.#host.reasonOf(err);
      void this.#host.fail(e, reason, message);
    });
    return e;
  }

  async #initiate(stream: XmppStream, e: TransferEntry, filePath: string): Promise<void> {
    const s = e.jingle;
    if (!s) return;
    const opt = this.#host.options();
    // No pass over the file before the offer: its sha-256 is computed (by the hashing worker)
    // while the offer is answered and the bytes stream, announced with <hash-used/> and sent in
    // a session-info <checksum/> once known (XEP-0234 §8.1, XEP-0300 §4).
    s.checksum = this.#host.hashFile(filePath, e.abort.signal).then((sha256) => {
      e.t.sha256 = sha256;
      return sha256;
    });
    s.checksum.catch((err: unknown) => {
      if (!e.done) void this.#host.fail(e, 'error', `The file could not be read (${String(err)}).`);
    });
    const dst = dstAddr(e.sid, s.initiator, s.responder);
    if (opt.socks5Direct) {
      try {
        e.direct = await DirectStreamhost.listen(dst);
        const port = e.direct.port;
        opt.directHosts().forEach((host, i, all) => {
          s.ours.push({
            cid: cid(),
            host,
            port,
            jid: s.initiator,
            priority: PRIORITY.direct + (all.length - i),
            type: 'direct',
          });
        });
      } catch (err) {
        this.#host.log('cannot open a direct streamhost', err);
      }
    }
    if (opt.socks5Proxy) {
      s.proxy = await this.#host.findProxy(stream);
      if (s.proxy) s.ours.push({ cid: cid(), ...s.proxy, priority: PRIORITY.proxy, type: 'proxy' });
    }
    if (ended(e)) return;
    if (s.ours.length > 0) s.transport = { kind: 's5b', sid: e.sid, dstaddr: dst, candidates: s.ours };
    else if (!opt.ibb) {
      await this.#host.fail(e, 'no-streamhost', 'No transfer method is available.');
      return;
    }
    try {
      await stream.iq.set(
        buildJingle({
          action: 'session-initiate',
          sid: s.sid,
          initiator: s.initiator,
          content: {
            creator: 'initiator',
            name: s.contentName,
            senders: 'initiator',
            file: {
              name: e.t.name,
              size: e.t.size,
              ...(e.t.mimeType ? { mediaType: e.t.mimeType } : {}),
              hashes: [],
              hashesUsed: ['sha-256'],
            },
            transport: s.transport,
          },
        }),
        e.t.peer,
        IQ_TIMEOUT_MS,
      );
    } catch (err) {
      s.terminated = true;
      const [reason, message] = this.#host.reasonOf(err);
      await this.#host.fail(e, reason, `The recipient’s client refused the offer (${message}).`);
      return;
    }
    if (!ended(e) && e.t.state === 'waiting') {
      // The peer's answer (session-accept, or session-terminate) may take as long as the user does.
      clearTimeout(e.timer);
      e.timer = setTimeout(() => {
        void this.#host.fail(e, 'timed-out', 'The recipient did not answer in time.');
      }, opt.offerTimeoutMs);
      e.timer.unref();
    }
  }

  /** Both sides have reported on the candidates (XEP-0260 §2.4): set up the nominated one. */
  #maybeDecide(e: TransferEntry): void {
    const s = e.jingle;
    if (s?.report === undefined || s.theirs === undefined || s.decided || e.done) return;
    s.decided = true;
    clearTimeout(e.timer);
    this.#decide(e).catch((err: unknown) => {
      const [reason, message] = this.#host.reasonOf(err);
      void this.#host.fail(e, reason, message);
    });
  }

  async #decide(e: TransferEntry): Promise<void> {
    const s = e.jingle;
    if (!s || e.done) return;
    const usedByUs = s.peerCandidates?.find((c) => c.cid === s.report);
    const usedByThem = s.ours.find((c) => c.cid === s.theirs);
    const nominated = s.role === 'initiator' ? nominate(usedByUs, usedByThem) : nominate(usedByThem, usedByUs);
    if (!nominated) {
      this.#dropHeld(e);
      e.direct?.close(true);
      e.direct = undefined;
      if (s.role === 'responder') {
        // The initiator replaces the transport (IBB) or gives up.
        e.s5bFailed = true;
        this.#host.set(e, { state: 'waiting' });
        this.#host.waitForStream(e);
        return;
      }
      if (!this.#host.options().ibb) {
        await this.#host.fail(e, 'no-streamhost', 'The recipient could not reach any streamhost.');
        return;
      }
      this.#host.log(`no candidate worked for ${e.t.peer}: replacing the transport with IBB`);
      s.replaced = true;
      s.transport = { kind: 'ibb', sid: e.sid, blockSize: IBB_BLOCK_SIZE };
      await this.#send(e, { action: 'transport-replace', content: this.#content(s, { transport: s.transport }) });
      return; // transport-accept starts the IBB stream
    }
    const chosen = nominated.candidate;
    const socket = nominated.offeredBy === s.role ? await this.#useOurs(e, chosen) : await this.#useTheirs(e, chosen);
    if (!socket) return;
    this.#host.set(e, { method: chosen.type === 'proxy' ? 'socks5-proxy' : 'socks5-direct' });
    if (ended(e)) {
      socket.destroy();
      return;
    }
    if (s.role === 'responder') {
      this.#host.receiveSocket(e, socket);
      return;
    }
    if (s.filePath) await this.#host.sendSocket(e, s.filePath, socket);
  }

  /** Closes the connection to the other side's candidate we held (another one was nominated). */
  #dropHeld(e: TransferEntry): void {
    const s = e.jingle;
    if (!s?.held) return;
    if (e.socket === s.held) delete e.socket;
    s.held.destroy();
    s.held = undefined;
  }

  /** The nominated candidate is one we offered: the other side's connection to it, activated when a proxy. */
  async #useOurs(e: TransferEntry, chosen: Candidate): Promise<net.Socket | undefined> {
    const s = e.jingle;
    if (!s) return undefined;
    this.#dropHeld(e);
    if (chosen.type === 'direct' && e.direct) {
      await e.direct.socket;
      const got = e.direct.choose(s.ours.filter((c) => c.type === 'direct').map((c) => c.host));
      e.direct.close(false);
      e.direct = undefined;
      if (!got) {
        const other = s.role === 'initiator' ? 'recipient' : 'sender';
        await this.#host.fail(e, 'cancelled', `The ${other} cancelled the transfer.`);
        return undefined;
      }
      e.socket = got;
      return got;
    }
    e.direct?.close(true);
    e.direct = undefined;
    const stream = this.#host.stream();
    if (!stream) throw new CoreError('not-connected', 'The account went offline.');
    const opt = this.#host.options();
    // Our proxy: we connect to it too (with the hash of our offer), then activate it.
    const dst =
      s.role === 'initiator' ? dstAddr(e.sid, s.initiator, s.responder) : dstAddr(e.sid, s.responder, s.initiator);
    const socket = await connectStreamhost(chosen.host, chosen.port, dst, opt.streamhostTimeoutMs, e.abort.signal);
    e.socket = socket;
    socket.on('error', () => undefined);
    await stream.iq.set(buildActivate(e.sid, e.t.peer), chosen.jid, IQ_TIMEOUT_MS);
    await this.#send(e, {
      action: 'transport-info',
      content: this.#content(s, { info: { kind: 'activated', sid: e.sid, cid: chosen.cid } }),
    });
    return socket;
  }

  /** The nominated candidate is the other side's, which we hold; a proxy sends only once they activated it. */
  async #useTheirs(e: TransferEntry, chosen: Candidate): Promise<net.Socket | undefined> {
    const s = e.jingle;
    const socket = s?.held;
    if (!s || !socket) return undefined;
    s.held = undefined;
    e.direct?.close(true);
    e.direct = undefined;
    if (socket.destroyed) {
      const other = s.role === 'initiator' ? 'recipient' : 'sender';
      await this.#host.fail(e, 'cancelled', `The ${other} closed the connection.`);
      return undefined;
    }
    if (chosen.type === 'proxy' && s.role === 'initiator' && !s.activated) {
      // Bytes written before the proxy is activated would be lost: wait for `activated`.
      await new Promise<void>((resolve) => {
        const done = () => {
          e.abort.signal.removeEventListener('abort', done);
          clearTimeout(e.timer);
          s.onActivated = undefined;
          resolve();
        };
        s.onActivated = done;
        e.abort.signal.addEventListener('abort', done);
        e.timer = setTimeout(() => {
          void this.#host.fail(e, 'no-streamhost', 'The recipient did not activate its proxy.');
        }, this.#host.options().streamTimeoutMs);
        e.timer.unref();
      });
    }
    return socket;
  }

  // ── responder (receiving) ──────────────────────────────────────────────────

  #onInitiate(stream: XmppStream, j: Jingle, from: string): Element | true {
    const own = stream.entity.jid?.toString() ?? this.#host.id;
    const content = j.content;
    const file = content?.file;
    const transport = content?.transport;
    const opt = this.#host.options();
    if (!content || !file || !transport || content.senders === 'responder' || content.senders === 'both')
      return stanzaError('modify', 'bad-request');
    if (transport.kind === 'ibb' ? !opt.ibb : !opt.socks5Direct && !opt.socks5Proxy && !opt.ibb)
      return stanzaError('cancel', 'feature-not-implemented');
    if (this.#session(from, j.sid)) return stanzaError('cancel', 'conflict');
    let pending = 0;
    for (const x of this.#host.all()) if (!x.done && x.t.state === 'offered') pending++;
    if (pending >= MAX_PENDING_OFFERS) return stanzaError('cancel', 'resource-constraint');
    const sha256 = sha256Of(file.hashes);
    const e = this.#host.add(
      {
        peer: from,
        direction: 'in',
        name: sanitizeFileName(file.name),
        size: file.size,
        ...(file.mediaType ? { mimeType: file.mediaType } : {}),
        ...(file.desc ? { description: file.desc } : {}),
        ...(sha256 ? { sha256 } : {}),
        state: 'offered',
      },
      transport.sid,
      own,
    );
    e.jingle = {
      sid: j.sid,
      role: 'responder',
      initiator: j.initiator ?? from,
      responder: own,
      creator: content.creator,
      contentName: content.name,
      transport,
      ours: [],
      terminated: false,
      replaced: false,
    };
    e.jingleFile = file;
    checkSize(opt.downloadsDir(), file.size, opt.maxFileBytes).then(
      () => {
        e.timer = setTimeout(() => {
          void this.#host.fail(e, 'timed-out', 'The offer was not answered in time.');
        }, opt.offerTimeoutMs);
        e.timer.unref();
        this.#host.offerReady(e);
      },
      (err: unknown) => {
        const [reason, message] = this.#host.reasonOf(err);
        void this.#host.fail(e, reason, message);
      },
    );
    return true;
  }

  /** The user accepted a Jingle offer: the file is created, then session-accept and the candidates. */
  async accept(e: TransferEntry): Promise<void> {
    const s = e.jingle;
    const file = e.jingleFile;
    if (!s || !file || e.t.state !== 'offered' || e.done)
      throw new CoreError('bad-request', 'This transfer is not waiting for an answer.');
    clearTimeout(e.timer);
    const opt = this.#host.options();
    try {
      e.file = await IncomingFile.create(opt.downloadsDir(), file.name, file.size, e.t.sha256, opt.maxFileBytes);
      // The offer announced a checksum to come (hash-used): the file is checked against it.
      if (e.t.sha256 === undefined && file.hashesUsed?.includes('sha-256')) e.file.awaitSha256(CHECKSUM_WAIT_MS);
    } catch (err) {
      const [reason, message] = this.#host.reasonOf(err);
      await this.#host.fail(e, reason, message);
      throw new CoreError(reason === 'size-limit' ? 'not-acceptable' : 'internal', message, { cause: err });
    }
    if (ended(e)) {
      await e.file.abort();
      return;
    }
    this.#host.set(e, { state: 'waiting' });
    this.#host.waitForStream(e);
    let answer: Transport = s.transport;
    if (s.transport.kind === 's5b') {
      // XEP-0260: our own candidates too, for when only this side can be reached.
      s.peerCandidates = s.transport.candidates;
      const dst = dstAddr(s.transport.sid, s.responder, s.initiator);
      s.ours = await this.#ownCandidates(e, dst, s.responder);
      if (ended(e)) return;
      answer = { kind: 's5b', sid: s.transport.sid, dstaddr: dst, candidates: s.ours };
    }
    try {
      await this.#send(e, {
        action: 'session-accept',
        responder: s.responder,
        content: { creator: s.creator, name: s.contentName, senders: 'initiator', file, transport: answer },
      });
    } catch (err) {
      s.terminated = true;
      const [reason, message] = this.#host.reasonOf(err);
      await this.#host.fail(e, reason, message);
      return;
    }
    if (s.transport.kind === 's5b' && !ended(e)) void this.#tryCandidates(e, s.transport.candidates);
  }

  /**
   * The responder's candidates (session-accept): a direct streamhost for `dst` on our addresses
   * and the server's proxy, as the options allow (none when neither is possible).
   */
  async #ownCandidates(e: TransferEntry, dst: string, jid: string): Promise<Candidate[]> {
    const opt = this.#host.options();
    const ours: Candidate[] = [];
    const hosts = opt.socks5Direct ? opt.directHosts() : [];
    if (hosts.length > 0) {
      try {
        e.direct = await DirectStreamhost.listen(dst);
        const port = e.direct.port;
        hosts.forEach((host, i, all) => {
          ours.push({ cid: cid(), host, port, jid, priority: PRIORITY.direct + (all.length - i), type: 'direct' });
        });
      } catch (err) {
        this.#host.log('cannot open a direct streamhost', err);
      }
    }
    const stream = this.#host.stream();
    if (opt.socks5Proxy && stream) {
      const proxy = await this.#host.findProxy(stream);
      if (proxy) ours.push({ cid: cid(), ...proxy, priority: PRIORITY.proxy, type: 'proxy' });
    }
    if (e.done) {
      e.direct?.close(true);
      e.direct = undefined;
    }
    return ours;
  }

  /**
   * Tries the other side's candidates by priority (XEP-0260 §2.3), each for the short
   * streamhost timeout, and reports the first that connected (candidate-used) or that none did
   * (candidate-error). The connection is held until both reports are in.
   */
  async #tryCandidates(e: TransferEntry, candidates: Candidate[]): Promise<void> {
    const s = e.jingle;
    if (!s) return;
    const opt = this.#host.options();
    this.#host.set(e, { state: 'connecting' });
    // The hash of the offering side's candidates: SHA1(SID + offerer + other).
    const dst =
      s.role === 'responder' ? dstAddr(e.sid, s.initiator, s.responder) : dstAddr(e.sid, s.responder, s.initiator);
    for (const c of candidates) {
      if (e.done) return;
      // The other side already used one of ours that this one cannot beat: stop trying.
      if (this.#outranked(s, c.priority)) break;
      const attempt = new AbortController();
      s.attempt = { priority: c.priority, abort: attempt };
      try {
        const signal = AbortSignal.any([e.abort.signal, attempt.signal]);
        const socket = await connectStreamhost(c.host, c.port, dst, opt.streamhostTimeoutMs, signal);
        if (ended(e)) {
          socket.destroy();
          return;
        }
        socket.on('error', () => undefined);
        e.socket = socket;
        s.held = socket;
        s.report = c.cid;
        this.#send(e, {
          action: 'transport-info',
          content: this.#content(s, { info: { kind: 'candidate-used', sid: e.sid, cid: c.cid } }),
        }).catch((err: unknown) => {
          this.#host.log('candidate-used went unanswered', err);
        });
        this.#maybeDecide(e);
        return;
      } catch (err) {
        this.#host.log(`candidate ${c.jid} (${c.host}:${String(c.port)}) failed`, err);
      } finally {
        s.attempt = undefined;
      }
    }
    if (e.done) return;
    s.report = 'error';
    this.#send(e, {
      action: 'transport-info',
      content: this.#content(s, { info: { kind: 'candidate-error', sid: e.sid } }),
    }).catch((err: unknown) => {
      this.#host.log('candidate-error went unanswered', err);
    });
    this.#maybeDecide(e);
  }

  /**
   * Could a candidate of the other side's with this priority still be nominated (XEP-0260
   * §2.4), now that the other side used one of ours? Not below it, nor equal to it when the
   * tie goes to the initiator's choice and we are the responder.
   */
  #outranked(s: JingleState, priority: number): boolean {
    const used = s.ours.find((c) => c.cid === s.theirs);
    if (!used) return false;
    return s.role === 'initiator' ? used.priority > priority : used.priority >= priority;
  }

  // ── inbound Jingle IQs ─────────────────────────────────────────────────────

  #onJingle(stream: XmppStream, el: Element, from: string | undefined): Element | true {
    const peer = parse(from);
    if (!from || !peer?.resource) return stanzaError('modify', 'bad-request');
    const parsed = parseJingle(el);
    if (!parsed.ok) {
      if ((parsed.error === 'size' || parsed.error === 'terminate') && parsed.sid) {
        // Refused: answered, then ended with a reason (an unsupported application, transport or encryption: its own).
        const sid = parsed.sid;
        const reason = parsed.error === 'terminate' ? parsed.reason : 'failed-application';
        queueMicrotask(() => {
          stream.iq
            .set(buildJingle({ action: 'session-terminate', sid, reason }), from, IQ_TIMEOUT_MS)
            .catch(() => undefined);
        });
        return true;
      }
      return stanzaError('modify', 'bad-request');
    }
    const j = parsed.jingle;
    if (j.action === 'session-initiate') return this.#onInitiate(stream, j, from);
    const e = this.#session(from, j.sid);
    const s = e?.jingle;
    if (!e || !s) {
      // The peer's session-terminate for a transfer that already ended here (all sent, or failed).
      // Likewise its session-info (a checksum sent after the bytes, as Conversations and Gajim do).
      if ((j.action === 'session-terminate' || j.action === 'session-info') && this.#session(from, j.sid, true))
        return true;
      return buildUnknownSession();
    }
    switch (j.action) {
      case 'session-accept': {
        if (s.role !== 'initiator' || e.t.state !== 'waiting') return stanzaError('cancel', 'unexpected-request');
        if ((j.content?.file?.rangeOffset ?? 0) > 0) {
          // A resumed transfer (XEP-0234 §6.4 <range offset/>): never offered (no <range/>), not sendable.
          queueMicrotask(() => {
            void this.#host.fail(e, 'error', 'The recipient asked for only part of the file, which cannot be sent.');
          });
          return true;
        }
        clearTimeout(e.timer);
        this.#host.set(e, { state: 'connecting' });
        const accepted = j.content?.transport;
        // XEP-0261: the responder may lower the block size; the smaller one is used.
        if (s.transport.kind === 'ibb' && accepted?.kind === 'ibb')
          s.transport.blockSize = Math.min(s.transport.blockSize, accepted.blockSize);
        if (s.transport.kind === 's5b') {
          // XEP-0260: we try the responder's candidates too (none when it offered none).
          s.peerCandidates = accepted?.kind === 's5b' && accepted.sid === e.sid ? accepted.candidates : [];
          // Both reports must come within the stream timeout.
          e.timer = setTimeout(() => {
            void this.#host.fail(e, 'timed-out', 'The recipient did not connect in time.');
          }, this.#host.options().streamTimeoutMs);
          e.timer.unref();
        }
        queueMicrotask(() => {
          void this.#sendChecksum(e);
          if (s.transport.kind === 'ibb') void this.#sendIbb(stream, e);
          else void this.#tryCandidates(e, s.peerCandidates ?? []);
        });
        return true;
      }
      case 'transport-info': {
        const info = j.content?.info;
        if (info?.sid !== e.sid) return stanzaError('modify', 'bad-request');
        if (info.kind === 'candidate-used' || info.kind === 'candidate-error') {
          if (s.theirs !== undefined || s.transport.kind !== 's5b' || (s.role === 'responder' && !e.file))
            return stanzaError('cancel', 'unexpected-request');
          if (info.kind === 'candidate-used' && !s.ours.some((c) => c.cid === info.cid))
            return stanzaError('modify', 'bad-request'); // not a candidate we offered
          s.theirs = info.kind === 'candidate-used' ? info.cid : 'error';
          if (s.attempt && this.#outranked(s, s.attempt.priority)) s.attempt.abort.abort();
          queueMicrotask(() => {
            this.#maybeDecide(e);
          });
        }
        // `activated`: the other side activated its proxy (a sender waits for it; a receiver
        // just gets the bytes); proxy-error ends as a failed transport.
        if (info.kind === 'activated') {
          s.activated = true;
          s.onActivated?.();
        }
        if (info.kind === 'proxy-error')
          void this.#host.fail(
            e,
            'no-streamhost',
            `The ${s.role === 'initiator' ? 'recipient' : 'sender'} could not activate the proxy.`,
          );
        return true;
      }
      case 'transport-replace': {
        const t = j.content?.transport;
        if (s.role !== 'responder' || t?.kind !== 'ibb' || !this.#host.options().ibb || !e.file) {
          queueMicrotask(() => {
            void this.#send(e, {
              action: 'transport-reject',
              content: this.#content(s, { ...(t ? { transport: t } : {}) }),
            }).catch(() => undefined);
          });
          return true;
        }
        e.socket?.destroy();
        delete e.socket;
        e.sid = t.sid;
        s.transport = t;
        s.replaced = true;
        this.#host.set(e, { state: 'waiting' });
        this.#host.waitForStream(e);
        queueMicrotask(() => {
          void this.#send(e, { action: 'transport-accept', content: this.#content(s, { transport: t }) }).catch(
            (err: unknown) => {
              this.#host.log('transport-accept went unanswered', err);
            },
          );
        });
        return true;
      }
      case 'transport-accept': {
        const replacement = j.content?.transport;
        if (s.role !== 'initiator' || !s.replaced || replacement?.kind !== 'ibb')
          return stanzaError('cancel', 'unexpected-request');
        if (s.transport.kind === 'ibb') s.transport.blockSize = Math.min(s.transport.blockSize, replacement.blockSize);
        queueMicrotask(() => void this.#sendIbb(stream, e));
        return true;
      }
      case 'transport-reject': {
        queueMicrotask(() => {
          void this.#host.fail(e, 'no-streamhost', 'The recipient refused every transport.');
        });
        return true;
      }
      case 'session-info': {
        // A checksum (XEP-0234 §8.1): checked with the file when the offer had none; one that
        // contradicts the offer's is a mismatch. Other news (ringing, received) needs nothing.
        // It may come while the file is being finished (which waits for it after hash-used).
        const sha256 = j.checksum ? sha256Of(j.checksum) : undefined;
        if (sha256 && e.t.direction === 'in') {
          if (e.t.sha256 === undefined) {
            e.file?.expectSha256(sha256);
            this.#host.set(e, { sha256 });
          } else if (e.t.sha256 !== sha256)
            void this.#host.fail(e, 'hash-mismatch', 'The sender’s checksum does not match its offer.');
        }
        return true;
      }
      case 'session-terminate': {
        s.terminated = true;
        if (j.reason === 'success' && e.t.direction === 'out') this.#host.completed(e);
        else {
          const [reason, message] = terminateReason(j.reason, e.t.direction);
          void this.#host.fail(e, reason, message);
        }
        return true;
      }
      default:
        return stanzaError('cancel', 'feature-not-implemented');
    }
  }

  /**
   * Initiator: sends the file's sha-256 in session-info <checksum/> (XEP-0234 §8.1) as soon as
   * it is known, even when the bytes are all sent already (the recipient waits for it).
   */
  async #sendChecksum(e: TransferEntry): Promise<void> {
    const sha256 = await e.jingle?.checksum?.catch(() => undefined);
    if (sha256 === undefined || e.t.state === 'failed') return;
    await this.#send(e, { action: 'session-info', checksum: [{ algo: 'sha-256', value: sha256 }] }).catch(
      (err: unknown) => {
        this.#host.log('the checksum went unanswered', err);
      },
    );
  }

  async #sendIbb(stream: XmppStream, e: TransferEntry): Promise<void> {
    const filePath = e.jingle?.filePath;
    if (!filePath || e.done) return;
    try {
      await this.#host.sendIbb(
        stream,
        e,
        filePath,
        e.jingle?.transport.kind === 'ibb' ? e.jingle.transport.blockSize : undefined,
      );
    } catch (err) {
      const [reason, message] = this.#host.reasonOf(err);
      await this.#host.fail(e, reason, message);
    }
  }
}

/** A peer's session-terminate as our failure reason and sentence. */
function terminateReason(reason: JingleReason | undefined, direction: 'in' | 'out'): [TransferReason, string] {
  const other = direction === 'out' ? 'recipient' : 'sender';
  switch (reason) {
    case 'decline':
    case 'busy':
      return ['declined', `The ${other} declined the file.`];
    case 'cancel':
      return ['cancelled', `The ${other} cancelled the transfer.`];
    case 'media-error':
      return ['hash-mismatch', 'The file that arrived does not match the one offered.'];
    case 'failed-transport':
    case 'connectivity-error':
    case 'unsupported-transports':
      return ['no-streamhost', 'No way to move the bytes worked between the two sides.'];
    case 'timeout':
      return ['timed-out', `The ${other} did not answer in time.`];
    case 'failed-application':
      return direction === 'out'
        ? ['size-limit', 'The recipient cannot take this file (too large, or no room for it).']
        : ['error', 'The sender could not read the file.'];
    case 'success':
      return ['error', 'The sender ended the session before the whole file arrived.'];
    default:
      return ['error', `The ${other} ended the session (${reason ?? 'no reason'}).`];
  }
}

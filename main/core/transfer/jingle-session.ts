/**
 * Jingle file-transfer sessions (XEP-0166/0234) for one account, both directions, over the
 * SOCKS5 transport (XEP-0260) or IBB (XEP-0261), with the replacement SOCKS5 → IBB when no
 * candidate works. The bytes move through the transfer service's own paths (its SOCKS5
 * client and streamhost, its IBB sender and receiver, its safe file sink): a Jingle transfer
 * is an ordinary transfer entry whose stream id is the transport's sid, plus this session state.
 *
 * Roles: as initiator (sender) we offer our direct streamhost candidates and the server's proxy
 * and try none of the responder's (we answer candidate-error); as responder (receiver) we offer
 * no candidates and try the initiator's by priority. The responder ends a completed transfer
 * with session-terminate <success/> once the file's size and sha-256 checked out.
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
  /** Initiator: the candidates we offered (direct ones and the proxy). */
  ours: Candidate[];
  proxy?: Streamhost | undefined;
  /** Initiator: what the responder reported (a cid of ours, or 'error'). */
  theirs?: string | undefined;
  /** Initiator: the file being sent. */
  filePath?: string | undefined;
  /** The peer ended the session (no session-terminate goes back). */
  terminated: boolean;
  /** A transport-replace to IBB was sent or accepted. */
  replaced: boolean;
  /** Responder: the candidate we connected to, waiting for `activated` when it is a proxy. */
  usedCid?: string | undefined;
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
  sendIbb(stream: XmppStream, e: TransferEntry, filePath: string): Promise<void>;
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
    else if (e.t.reason === 'cancelled') reason = 'cancel';
    else reason = 'general-error';
    if (!reason) return;
    this.#send(e, { action: 'session-terminate', reason }).catch((err: unknown) => {
      this.#host.log(`session-terminate to ${e.t.peer} went unanswered`, err);
    });
  }

  // ── initiator (sending) ─────────────────────────────────────────────────────

  /** Offers a file to `peer` (a full JID) by Jingle; the transfer entry is returned at once. */
  start(stream: XmppStream, peer: string, filePath: string, name: string, size: number): TransferEntry {
    const own = stream.entity.jid?.toString() ?? this.#host.id;
    const tsid = randomBytes(12).toString('hex');
    const e = this.#host.add({ peer, direction: 'out', name, size, state: 'waiting', path: filePath }, tsid, own);
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
    const sha256 = await this.#host.hashFile(filePath, e.abort.signal);
    if (e.done) return;
    e.t.sha256 = sha256;
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
              hashes: [{ algo: 'sha-256', value: sha256 }],
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

  /** Initiator: both sides have reported on the candidates; use one, or replace the transport. */
  async #decide(stream: XmppStream, e: TransferEntry): Promise<void> {
    const s = e.jingle;
    if (!s?.filePath || s.theirs === undefined || e.done) return;
    const filePath = s.filePath;
    const chosen = s.ours.find((c) => c.cid === s.theirs);
    if (!chosen) {
      e.direct?.close(true);
      e.direct = undefined;
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
    let socket: net.Socket;
    if (chosen.type === 'direct' && e.direct) {
      await e.direct.socket;
      const got = e.direct.choose(s.ours.filter((c) => c.type === 'direct').map((c) => c.host));
      e.direct.close(false);
      e.direct = undefined;
      if (!got) {
        await this.#host.fail(e, 'cancelled', 'The recipient cancelled the transfer.');
        return;
      }
      socket = got;
      this.#host.set(e, { method: 'socks5-direct' });
    } else {
      e.direct?.close(true);
      e.direct = undefined;
      const opt = this.#host.options();
      socket = await connectStreamhost(
        chosen.host,
        chosen.port,
        dstAddr(e.sid, s.initiator, s.responder),
        opt.streamhostTimeoutMs,
        e.abort.signal,
      );
      e.socket = socket;
      await stream.iq.set(buildActivate(e.sid, e.t.peer), chosen.jid, IQ_TIMEOUT_MS);
      await this.#send(e, {
        action: 'transport-info',
        content: this.#content(s, { info: { kind: 'activated', sid: e.sid, cid: chosen.cid } }),
      });
      this.#host.set(e, { method: 'socks5-proxy' });
    }
    if (ended(e)) {
      socket.destroy();
      return;
    }
    await this.#host.sendSocket(e, filePath, socket);
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
    } catch (err) {
      const [reason, message] = this.#host.reasonOf(err);
      await this.#host.fail(e, reason, message);
      throw new CoreError(reason === 'size-limit' ? 'not-acceptable' : 'internal', message, { cause: err });
    }
    if (ended(e)) {
      await e.file.abort();
      return;
    }
    const answer: Transport =
      s.transport.kind === 'ibb' ? s.transport : { kind: 's5b', sid: s.transport.sid, candidates: [] };
    this.#host.set(e, { state: 'waiting' });
    this.#host.waitForStream(e);
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

  async #tryCandidates(e: TransferEntry, candidates: Candidate[]): Promise<void> {
    const s = e.jingle;
    if (!s) return;
    const opt = this.#host.options();
    this.#host.set(e, { state: 'connecting' });
    const dst = dstAddr(e.sid, s.initiator, s.responder);
    for (const c of candidates) {
      if (e.done) return;
      try {
        const socket = await connectStreamhost(c.host, c.port, dst, opt.streamhostTimeoutMs, e.abort.signal);
        if (ended(e)) {
          socket.destroy();
          return;
        }
        clearTimeout(e.timer);
        e.socket = socket;
        s.usedCid = c.cid;
        this.#host.set(e, { method: c.type === 'proxy' ? 'socks5-proxy' : 'socks5-direct' });
        // Bytes flow only once the initiator uses this candidate (and activates a proxy).
        this.#host.receiveSocket(e, socket);
        await this.#send(e, {
          action: 'transport-info',
          content: this.#content(s, { info: { kind: 'candidate-used', sid: e.sid, cid: c.cid } }),
        });
        return;
      } catch (err) {
        this.#host.log(`candidate ${c.jid} (${c.host}:${String(c.port)}) failed`, err);
      }
    }
    if (e.done) return;
    e.s5bFailed = true;
    this.#host.set(e, { state: 'waiting' });
    this.#host.waitForStream(e);
    await this.#send(e, {
      action: 'transport-info',
      content: this.#content(s, { info: { kind: 'candidate-error', sid: e.sid } }),
    }).catch((err: unknown) => {
      this.#host.log('candidate-error went unanswered', err);
    });
  }

  // ── inbound Jingle IQs ─────────────────────────────────────────────────────

  #onJingle(stream: XmppStream, el: Element, from: string | undefined): Element | true {
    const peer = parse(from);
    if (!from || !peer?.resource) return stanzaError('modify', 'bad-request');
    const parsed = parseJingle(el);
    if (!parsed.ok) {
      if (parsed.error === 'size' && parsed.sid) {
        // Refused: answered, then ended with a reason.
        const sid = parsed.sid;
        queueMicrotask(() => {
          stream.iq
            .set(buildJingle({ action: 'session-terminate', sid, reason: 'failed-application' }), from, IQ_TIMEOUT_MS)
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
      if (j.action === 'session-terminate' && this.#session(from, j.sid, true)) return true;
      return buildUnknownSession();
    }
    switch (j.action) {
      case 'session-accept': {
        if (s.role !== 'initiator' || e.t.state !== 'waiting') return stanzaError('cancel', 'unexpected-request');
        clearTimeout(e.timer);
        this.#host.set(e, { state: 'connecting' });
        queueMicrotask(() => {
          if (s.transport.kind === 'ibb') void this.#sendIbb(stream, e);
          else
            // We try none of the responder's candidates: we say so, and wait for its report.
            void this.#send(e, {
              action: 'transport-info',
              content: this.#content(s, { info: { kind: 'candidate-error', sid: e.sid } }),
            }).catch(() => undefined);
        });
        return true;
      }
      case 'transport-info': {
        const info = j.content?.info;
        if (info?.sid !== e.sid) return stanzaError('modify', 'bad-request');
        if (s.role === 'initiator' && (info.kind === 'candidate-used' || info.kind === 'candidate-error')) {
          if (s.theirs !== undefined) return stanzaError('cancel', 'unexpected-request');
          s.theirs = info.kind === 'candidate-used' ? info.cid : 'error';
          queueMicrotask(() => {
            this.#decide(stream, e).catch((err: unknown) => {
              const [reason, message] = this.#host.reasonOf(err);
              void this.#host.fail(e, reason, message);
            });
          });
        }
        // Responder: activated needs nothing (the bytes just start); candidate-used / -error of
        // ours cannot happen (we offer no candidates); proxy-error ends as a failed transport.
        if (s.role === 'responder' && info.kind === 'proxy-error')
          void this.#host.fail(e, 'no-streamhost', 'The sender could not activate the proxy.');
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
        if (s.role !== 'initiator' || !s.replaced || j.content?.transport?.kind !== 'ibb')
          return stanzaError('cancel', 'unexpected-request');
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
        const sha256 = j.checksum ? sha256Of(j.checksum) : undefined;
        if (sha256 && e.t.direction === 'in' && !e.finishing) {
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

  async #sendIbb(stream: XmppStream, e: TransferEntry): Promise<void> {
    const filePath = e.jingle?.filePath;
    if (!filePath || e.done) return;
    try {
      await this.#host.sendIbb(stream, e, filePath);
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

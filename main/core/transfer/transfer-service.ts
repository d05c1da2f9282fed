/**
 * File transfers of one account: XEP-0096 offers both ways, carried over XEP-0065 SOCKS5
 * bytestreams (our own direct streamhost, then the server's proxy, in the order offered) or
 * XEP-0047 in-band bytestreams (as the chosen method, or when no streamhost connects).
 *
 * Each transfer moves through offered → waiting → connecting → transferring → completed, or
 * failed with a reason. Nothing touches the disk before the user accepts (IncomingFile), and
 * any failure or cancel removes the partial file. Bytes stream with backpressure: a socket
 * pauses while the file cannot take more, an IBB block is acknowledged only once written, and
 * a sender reads only as fast as the socket drains.
 */
import { randomBytes } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { EventPayload, Transfer } from '../../../preload/contract.ts';
import { stanzaCondition, stanzaError } from '../accounts/service-context.ts';
import { CoreError } from '../errors.ts';
import type { Logger } from '../log.ts';
import {
  buildDiscoInfoQuery,
  buildDiscoItemsQuery,
  hasIdentity,
  parseDiscoInfo,
  parseDiscoItems,
} from '../xmpp/disco.ts';
import type { IqContext, XmppStream } from '../xmpp/entity.ts';
import { parse } from '../xmpp/jid.ts';
import {
  buildActivate,
  buildProxyQuery,
  buildStreamhosts,
  buildStreamhostUsed,
  dstAddr,
  parseProxyAddress,
  parseStreamhosts,
  parseStreamhostUsed,
  type Streamhost,
} from './bytestreams.ts';
import { IncomingFile, SizeLimitError, checkSize } from './file-sink.ts';
import { HashCounter, TransferDataError, sha256Of } from './hash.ts';
import { hashFileOffThread } from './hash-worker.ts';
import { sendFileOver } from './file-source.ts';
import {
  IBB_BLOCK_SIZE,
  IBB_FALLBACK_BLOCK_SIZE,
  IBB_MAX_BLOCK_SIZE,
  buildClose,
  buildData,
  buildOpen,
  nextSeq,
  parseClose,
  parseData,
  parseOpen,
} from './ibb.ts';
import { sanitizeFileName } from './safe-name.ts';
import {
  NS_HTTP_UPLOAD,
  buildSlotRequest,
  getInto,
  parseSlot,
  putFile,
  uploadLimit,
  usableUrl,
} from './http-upload.ts';
import {
  MAX_OFFER_SIZE,
  NS_BYTESTREAMS,
  NS_IBB,
  NS_SI,
  NS_SI_FT,
  buildAccept,
  buildOffer,
  buildOfferError,
  chooseMethod,
  parseAccept,
  parseOffer,
  type FileOffer,
} from './si.ts';
import { DirectStreamhost, connectStreamhost, localAddresses, readChunks } from './socks5.ts';
import { JingleTransfers, type JingleState } from './jingle-session.ts';
import { supportsJingleFt, type JingleFile } from './jingle.ts';
import type { AutoAcceptPolicy } from './auto-accept.ts';
import { mediaTypeFor } from '../upload/media-type.ts';

export type TransferReason = NonNullable<Transfer['reason']>;

/** What an Account lends its transfer service. */
export interface TransferContext {
  readonly id: string;
  readonly log: Logger;
  now(): number;
  emit(name: 'transfer.updated', payload: EventPayload<'transfer.updated'>): void;
  /** The stream while online, else undefined. */
  stream(): XmppStream | undefined;
  /** The stream while online, else CoreError('not-connected'). */
  online(what: string): XmppStream;
  /** A contact's connected resources, best first. */
  resources(bare: string): string[];
  /** A resource's features from its XEP-0115 caps (cached), if known; else we ask it (XEP-0030). */
  features?(fullJid: string): Promise<string[] | undefined>;
}

export interface TransferOptions {
  /** Where accepted files go (the settings' files.downloadsDir, resolved; default ~/Downloads). */
  downloadsDir?: () => string;
  /** Which ways we offer and accept (all by default; tests switch some off). */
  socks5Direct?: boolean;
  socks5Proxy?: boolean;
  ibb?: boolean;
  /** Addresses announced for our direct streamhost (default: the machine's, loopback last). */
  directHosts?: () => string[];
  /** Largest file we accept (default 1 TiB; the free disk space limits it further). */
  maxFileBytes?: number;
  /** Per streamhost, when connecting (default 3 s). */
  streamhostTimeoutMs?: number;
  /** How long the peer may take to answer an offer (default 10 min). */
  offerTimeoutMs?: number;
  /** After accepting: how long the sender may take to open a stream (default 60 s). */
  streamTimeoutMs?: number;
  /**
   * While transferring: how long no byte may move (a receiver gets none, a sender's socket
   * takes none) before the transfer fails as timed out (default 60 s).
   */
  stallTimeoutMs?: number;
  /** The largest IBB block we accept as a receiver. */
  ibbMaxBlockSize?: number;
  /** Jingle file transfer (XEP-0166/0234) both ways (on by default). */
  jingle?: boolean;
  /**
   * Offers accepted without asking (issue 7, auto-accept from contacts; `auto-accept.ts`):
   * asked with the sender's bare JID and the announced size once the offer passed the size and
   * free-space checks. None by default.
   */
  autoAccept?: AutoAcceptPolicy;
  /**
   * Transfer history (issue 6): where each transfer's state is stored (the archive's
   * `transfers` table); the recent ones are listed again after a restart. None by default.
   */
  history?: TransferHistory;
  /**
   * XEP-0363 over plain http to a loopback address (a local test server). Never set by the
   * Electron shell: only the test harnesses and the web host's `--test-hooks` mode pass it.
   */
  insecureHttpForTests?: boolean;
}

/** Transfer history (issue 6): what the service needs of the archive (archive/repos/transfers.ts). */
export interface TransferHistory {
  save(t: Transfer, tempPath?: string): void;
  recent(account: string): Transfer[];
  interrupt(account: string, error: string, now: number): string[];
  clearFinished(account: string): string[];
}

const NO_HISTORY: TransferHistory = {
  save: () => undefined,
  recent: () => [],
  interrupt: () => [],
  clearFinished: () => [],
};
/** A receiver's partial file (file-sink.ts): the only names removed after an interruption. */
const PART_FILE = /^\.parley-[0-9a-f]{16}\.part$/u;

const IQ_TIMEOUT_MS = 30_000;
/** Offers waiting for the user's answer at once: more are refused (a flood cannot grow memory). */
const MAX_PENDING_OFFERS = 50;
/** Finished transfers kept in the list (the oldest go first). */
const MAX_FINISHED = 500;
const PROGRESS_MS = 250;
/** How long a peer's own disco#info may take when its caps are not known. */
const FEATURES_TIMEOUT_MS = 5000;

/** One transfer's state (Jingle sessions keep theirs in `jingle`). */
export type TransferEntry = Entry;

interface Entry {
  t: Transfer;
  sid: string;
  /** Our full JID when the transfer started (the SOCKS5 hash uses it). */
  own: string;
  offer?: FileOffer;
  /** Incoming, offered: answers the sender's offer IQ. */
  answer?: ((reply: Element) => void) | undefined;
  method?: string;
  file?: IncomingFile;
  socket?: net.Socket;
  direct?: DirectStreamhost | undefined;
  abort: AbortController;
  ibb?: { seq: number; blockSize: number };
  timer?: NodeJS.Timeout;
  s5bFailed?: boolean;
  /** Outgoing: bytes read and sent so far. */
  sent?: HashCounter;
  lastBytes: number;
  lastAt: number;
  /** When a byte last moved (or the transfer started moving): the stall timeout counts from it. */
  movedAt?: number;
  done: boolean;
  /** Incoming: all bytes are in and the file is being checked and moved. */
  finishing?: boolean;
  /** A Jingle (XEP-0166/0234) session: `sid` above is its transport's. */
  jingle?: JingleState;
  /** Incoming Jingle offer: the file as described. */
  jingleFile?: JingleFile;
}

export class TransferService {
  readonly #ctx: TransferContext;
  readonly #opt: Required<TransferOptions>;
  readonly #entries = new Map<string, Entry>();
  /** The server's SOCKS5 proxy: undefined until looked up, null when there is none. */
  #proxy: Streamhost | null | undefined;
  /** The server's XEP-0363 upload service, likewise. */
  #upload: { jid: string; maxBytes: number | undefined } | null | undefined;
  #ticker: NodeJS.Timeout | undefined;
  readonly #jingle: JingleTransfers;

  constructor(ctx: TransferContext, options: TransferOptions) {
    this.#ctx = ctx;
    this.#opt = {
      downloadsDir: options.downloadsDir ?? (() => path.join(os.homedir(), 'Downloads')),
      socks5Direct: options.socks5Direct ?? true,
      socks5Proxy: options.socks5Proxy ?? true,
      ibb: options.ibb ?? true,
      directHosts: options.directHosts ?? (() => localAddresses(true)),
      maxFileBytes: Math.min(options.maxFileBytes ?? MAX_OFFER_SIZE, MAX_OFFER_SIZE),
      streamhostTimeoutMs: options.streamhostTimeoutMs ?? 3000,
      offerTimeoutMs: options.offerTimeoutMs ?? 600_000,
      streamTimeoutMs: options.streamTimeoutMs ?? 60_000,
      stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
      ibbMaxBlockSize: Math.min(options.ibbMaxBlockSize ?? IBB_MAX_BLOCK_SIZE, IBB_MAX_BLOCK_SIZE),
      jingle: options.jingle ?? true,
      autoAccept: options.autoAccept ?? (() => false),
      history: options.history ?? NO_HISTORY,
      insecureHttpForTests: options.insecureHttpForTests ?? false,
    };
    this.#restoreHistory();
    this.#jingle = new JingleTransfers({
      id: ctx.id,
      log: (message, err) => {
        ctx.log.info('transfer', `${ctx.id}: jingle: ${message}`, ...(err === undefined ? [] : [err]));
      },
      stream: () => ctx.stream(),
      options: () => this.#opt,
      add: (t, sid, own) => this.#add(t, sid, own),
      all: () => this.#entries.values(),
      set: (e, patch) => {
        this.#set(e, patch);
      },
      fail: (e, reason, error) => this.#fail(e, reason, error),
      completed: (e) => {
        this.#completed(e);
      },
      reasonOf: (err) => this.#reasonOf(err),
      waitForStream: (e) => {
        this.#waitForStream(e);
      },
      receiveSocket: (e, socket) => {
        this.#receiveSocket(e, socket);
      },
      sendSocket: (e, filePath, socket) => this.#sendSocket(e, filePath, socket),
      sendIbb: (stream, e, filePath, blockSize) => this.#sendIbb(stream, e, filePath, blockSize),
      findProxy: (stream) => this.#findProxy(stream),
      hashFile: (filePath, signal) => hashFile(filePath, signal),
      offerReady: (e) => {
        this.#offerReady(e);
      },
    });
  }

  /** The stream methods we use, in our order of preference. */
  #methods(): string[] {
    const socks5 = this.#opt.socks5Direct || this.#opt.socks5Proxy;
    return [...(socks5 ? [NS_BYTESTREAMS] : []), ...(this.#opt.ibb ? [NS_IBB] : [])];
  }

  list(): Transfer[] {
    return [...this.#entries.values()].map((e) => ({ ...e.t }));
  }

  wire(stream: XmppStream): void {
    stream.onIq('set', NS_SI, 'si', (ctx) => this.#onOffer(stream, ctx.element, fromOf(ctx)));
    stream.onIq('set', NS_BYTESTREAMS, 'query', (ctx) => this.#onStreamhosts(ctx.element, fromOf(ctx)));
    stream.onIq('set', NS_IBB, 'open', (ctx) => this.#onIbbOpen(ctx.element, fromOf(ctx)));
    stream.onIq('set', NS_IBB, 'data', (ctx) => this.#onIbbData(ctx.element, fromOf(ctx)));
    stream.onIq('set', NS_IBB, 'close', (ctx) => this.#onIbbClose(ctx.element, fromOf(ctx)));
    if (this.#opt.jingle) this.#jingle.wire(stream);
    stream.onStanza((stanza) => {
      const from: unknown = stanza.attrs['from'];
      if (stanza.is('presence') && stanza.attrs['type'] === 'unavailable' && typeof from === 'string')
        void this.#peerGone(from);
    });
  }

  /**
   * A peer's resource went offline: its offers can no longer be answered and ours to it no
   * longer accepted, and nothing more comes over its stream (IBB, Jingle): those transfers
   * fail as 'offline'. Bytes already moving over SOCKS5 or HTTP go on (or stall).
   */
  async #peerGone(full: string): Promise<void> {
    const gone = [...this.#entries.values()].filter(
      (e) =>
        !e.done &&
        e.t.peer === full &&
        !(e.t.state === 'transferring' && e.t.method !== undefined && e.t.method !== 'ibb'),
    );
    await Promise.all(
      gone.map((e) =>
        this.#fail(e, 'offline', e.t.direction === 'in' ? 'The sender went offline.' : 'The recipient went offline.'),
      ),
    );
  }

  // ── bookkeeping ─────────────────────────────────────────────────────────────

  /**
   * Transfer history (issue 6), at start: transfers the last run left active were interrupted
   * (failed, 'interrupted'; their partial files removed), then the recent ones are listed again.
   */
  #restoreHistory(): void {
    const history = this.#opt.history;
    try {
      const parts = history.interrupt(this.#ctx.id, 'Parley was closed during the transfer.', this.#ctx.now());
      for (const part of parts) {
        if (!PART_FILE.test(path.basename(part))) continue;
        unlink(part).catch((err: unknown) => {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
            this.#ctx.log.info('transfer', `${this.#ctx.id}: could not remove ${part}`, err);
        });
      }
      for (const t of history.recent(this.#ctx.id)) {
        if (t.accountId !== this.#ctx.id || this.#entries.has(t.id)) continue;
        this.#entries.set(t.id, {
          t,
          sid: '',
          own: this.#ctx.id,
          abort: new AbortController(),
          lastBytes: t.bytes,
          lastAt: t.updatedAt,
          done: true,
        });
      }
    } catch (err) {
      this.#ctx.log.warn('transfer', `${this.#ctx.id}: the transfer history could not be read`, err);
    }
  }

  /** Stores a transfer's state in the history (never fails the transfer itself). */
  #persist(e: Entry): void {
    try {
      this.#opt.history.save(e.t, e.done ? undefined : e.file?.tempPath);
    } catch (err) {
      this.#ctx.log.warn('transfer', `${this.#ctx.id}: the transfer history could not be written`, err);
    }
  }

  /** Transfer history: forgets the finished transfers, here and in the archive; their ids. */
  clearFinished(): string[] {
    const removed = new Set<string>();
    for (const [id, e] of this.#entries)
      if (e.done) {
        this.#entries.delete(id);
        removed.add(id);
      }
    try {
      for (const id of this.#opt.history.clearFinished(this.#ctx.id)) removed.add(id);
    } catch (err) {
      this.#ctx.log.warn('transfer', `${this.#ctx.id}: the transfer history could not be cleared`, err);
    }
    return [...removed];
  }

  /** Parley is quitting: every running transfer ends as interrupted, its partial file removed. */
  async interruptAll(): Promise<void> {
    await Promise.all(
      [...this.#entries.values()]
        .filter((e) => !e.done)
        .map((e) => this.#fail(e, 'interrupted', 'Parley was closed during the transfer.')),
    );
  }

  #entry(id: string): Entry {
    const e = this.#entries.get(id);
    if (!e) throw new CoreError('not-found', 'There is no such transfer.');
    return e;
  }

  #find(direction: Transfer['direction'], peer: string | undefined, sid: string, finished = false): Entry | undefined {
    for (const e of this.#entries.values())
      if (e.t.direction === direction && e.t.peer === peer && e.sid === sid && (finished || !e.done)) return e;
    return undefined;
  }

  #add(
    t: Omit<Transfer, 'id' | 'accountId' | 'bytes' | 'speed' | 'startedAt' | 'updatedAt'>,
    sid: string,
    own: string,
  ) {
    const now = this.#ctx.now();
    const e: Entry = {
      t: {
        id: randomBytes(12).toString('hex'),
        accountId: this.#ctx.id,
        bytes: 0,
        speed: 0,
        startedAt: now,
        updatedAt: now,
        ...t,
      },
      sid,
      own,
      abort: new AbortController(),
      lastBytes: 0,
      lastAt: now,
      done: false,
    };
    this.#entries.set(e.t.id, e);
    this.#prune();
    this.#emit(e);
    this.#persist(e);
    return e;
  }

  /** Forgets the oldest finished transfers beyond MAX_FINISHED. */
  #prune(): void {
    let finished = 0;
    for (const e of this.#entries.values()) if (e.done) finished++;
    for (const [id, e] of this.#entries) {
      if (finished <= MAX_FINISHED) break;
      if (!e.done) continue;
      this.#entries.delete(id);
      finished--;
    }
  }

  #emit(e: Entry): void {
    e.t.updatedAt = this.#ctx.now();
    this.#ctx.emit('transfer.updated', { ...e.t });
  }

  #set(e: Entry, patch: Partial<Transfer>): void {
    if (e.done && patch.state !== undefined) return;
    Object.assign(e.t, patch);
    if (patch.state === 'transferring') {
      e.lastAt = e.movedAt = this.#ctx.now();
      e.lastBytes = e.t.bytes;
      this.#tick();
    }
    this.#emit(e);
    if (patch.state !== undefined) this.#persist(e);
  }

  /** Progress and speed of running transfers, a few times a second while any runs. */
  #tick(): void {
    if (this.#ticker) return;
    this.#ticker = setInterval(() => {
      let running = 0;
      for (const e of this.#entries.values()) {
        if (e.done || e.t.state !== 'transferring') continue;
        running++;
        const bytes = e.file?.bytes ?? e.sent?.bytes ?? e.t.bytes;
        const now = this.#ctx.now();
        const dt = (now - e.lastAt) / 1000;
        if (dt <= 0) continue;
        const instant = (bytes - e.lastBytes) / dt;
        const speed = Math.round(e.t.speed === 0 ? instant : e.t.speed * 0.6 + instant * 0.4);
        // Only what changed goes out: a stalled transfer stops emitting once its speed reads 0.
        const changed = bytes !== e.lastBytes || speed !== e.t.speed;
        if (bytes !== e.lastBytes || e.finishing || bytes >= e.t.size) e.movedAt = now;
        else if (now - (e.movedAt ?? now) >= this.#opt.stallTimeoutMs) {
          this.#stalled(e);
          continue;
        }
        e.lastAt = now;
        e.lastBytes = bytes;
        e.t.speed = speed;
        e.t.bytes = bytes;
        if (changed) this.#emit(e);
      }
      if (running === 0) {
        clearInterval(this.#ticker);
        this.#ticker = undefined;
      }
    }, PROGRESS_MS);
    this.#ticker.unref();
  }

  /** No byte moved for the stall timeout: the transfer fails as timed out (its partial file goes). */
  #stalled(e: Entry): void {
    const seconds = String(Math.round(this.#opt.stallTimeoutMs / 1000));
    void this.#fail(
      e,
      'timed-out',
      e.t.direction === 'in'
        ? `No data arrived for ${seconds} s: the transfer stalled.`
        : `The recipient took no data for ${seconds} s: the transfer stalled.`,
    );
  }

  /** Ends a transfer as failed: releases its connection and removes its partial file. */
  async #fail(e: Entry, reason: TransferReason, error: string): Promise<void> {
    if (e.done) return;
    e.done = true;
    this.#release(e);
    e.answer?.(buildOfferError(reason === 'size-limit' ? 'size' : 'declined'));
    e.answer = undefined;
    await e.file?.abort();
    Object.assign(e.t, { state: 'failed', reason, error, speed: 0 });
    if (e.file) e.t.bytes = Math.min(e.t.bytes, e.file.bytes);
    this.#ctx.log.info(
      'transfer',
      `${this.#ctx.id}: ${e.t.direction === 'in' ? 'from' : 'to'} ${e.t.peer}: ${reason}: ${error}`,
    );
    this.#emit(e);
    this.#persist(e);
    this.#jingle.ended(e);
  }

  #release(e: Entry): void {
    clearTimeout(e.timer);
    e.abort.abort();
    e.direct?.close(true);
    e.socket?.destroy();
  }

  #completed(e: Entry, finalPath?: string): void {
    if (e.done) return;
    e.done = true;
    clearTimeout(e.timer);
    e.direct?.close(false);
    Object.assign(e.t, { state: 'completed', bytes: e.t.size, speed: 0, ...(finalPath ? { path: finalPath } : {}) });
    this.#emit(e);
    this.#persist(e);
    this.#jingle.ended(e);
  }

  /** Why a failure happened, from an error thrown along the way. */
  #reasonOf(err: unknown, fallback: TransferReason = 'error'): [TransferReason, string] {
    if (err instanceof TransferDataError) {
      if (err.kind === 'hash-mismatch') return ['hash-mismatch', err.message];
      if (err.kind === 'short') return ['cancelled', 'The transfer ended before the whole file arrived.'];
      return ['error', err.message];
    }
    if (err instanceof SizeLimitError) return ['size-limit', err.message];
    if ((err as { name?: unknown } | null)?.name === 'TimeoutError')
      return ['timed-out', 'The other side did not answer in time.'];
    const message = err instanceof Error ? err.message : String(err);
    return [fallback, message];
  }

  // ── receiving ───────────────────────────────────────────────────────────────

  #onOffer(stream: XmppStream, si: Element, from: string | undefined): Element | Promise<Element> {
    const peer = parse(from);
    if (!from || !peer?.resource) return buildOfferError('bad-request');
    const pending = [...this.#entries.values()].filter((x) => !x.done && x.t.state === 'offered').length;
    if (pending >= MAX_PENDING_OFFERS) return stanzaError('cancel', 'resource-constraint');
    const parsed = parseOffer(si);
    const own = stream.entity.jid?.toString() ?? this.#ctx.id;
    if (!parsed.ok) {
      if (parsed.error === 'size') {
        const raw: unknown = si.getChild('file')?.attrs['name'];
        const name = sanitizeFileName(typeof raw === 'string' ? raw : 'file');
        const e = this.#add({ peer: from, direction: 'in', name, size: 0, state: 'offered' }, parsed.sid ?? '', own);
        void this.#fail(e, 'size-limit', 'The offered file is impossibly large.');
        return buildOfferError('size');
      }
      return buildOfferError(parsed.error);
    }
    const { offer } = parsed;
    const method = chooseMethod(offer.methods, this.#methods());
    if (!method) return buildOfferError('no-valid-streams');
    if (this.#find('in', from, offer.sid)) return buildOfferError('bad-request');
    const sha256 = sha256Of(offer.hashes);
    const e = this.#add(
      {
        peer: from,
        direction: 'in',
        name: sanitizeFileName(offer.name),
        size: offer.size,
        ...(offer.mimeType ? { mimeType: offer.mimeType } : {}),
        ...(offer.desc ? { description: offer.desc } : {}),
        ...(sha256 ? { sha256 } : {}),
        state: 'offered',
      },
      offer.sid,
      own,
    );
    e.offer = offer;
    e.method = method;
    return new Promise<Element>((resolve) => {
      e.answer = resolve;
      // Refuse at once what cannot fit; the user never has to answer it.
      checkSize(this.#opt.downloadsDir(), offer.size, this.#opt.maxFileBytes).then(
        () => {
          e.timer = setTimeout(() => {
            void this.#fail(e, 'timed-out', 'The offer was not answered in time.');
          }, this.#opt.offerTimeoutMs);
          e.timer.unref();
          this.#offerReady(e);
        },
        (err: unknown) => {
          const [reason, message] = this.#reasonOf(err);
          void this.#fail(e, reason, message);
        },
      );
    });
  }

  /**
   * An incoming offer (XEP-0096 or Jingle) passed the size and free-space checks: the
   * auto-accept policy may accept it now, on the same path as the user's Accept.
   */
  #offerReady(e: Entry): void {
    if (e.done || e.t.direction !== 'in' || e.t.state !== 'offered') return;
    const bare = parse(e.t.peer)?.bare;
    if (bare === undefined || !this.#opt.autoAccept(bare, e.t.size)) return;
    this.#ctx.log.info('transfer', `${this.#ctx.id}: accepting ${e.t.name} from ${e.t.peer} without asking`);
    this.accept(e.t.id).catch((err: unknown) => {
      this.#ctx.log.info('transfer', `${this.#ctx.id}: automatic accept failed`, err);
    });
  }

  async accept(id: string): Promise<void> {
    const e = this.#entry(id);
    if (e.jingle && e.t.direction === 'in') return this.#jingle.accept(e);
    if (e.t.direction !== 'in' || e.t.state !== 'offered' || e.done || !e.answer || !e.offer || !e.method)
      throw new CoreError('bad-request', 'This transfer is not waiting for an answer.');
    clearTimeout(e.timer);
    const answer = e.answer;
    e.answer = undefined;
    try {
      e.file = await IncomingFile.create(
        this.#opt.downloadsDir(),
        e.offer.name,
        e.offer.size,
        e.t.sha256,
        this.#opt.maxFileBytes,
      );
    } catch (err) {
      const [reason, message] = this.#reasonOf(err);
      answer(buildOfferError(reason === 'size-limit' ? 'size' : 'declined'));
      await this.#fail(e, reason, message);
      throw new CoreError(reason === 'size-limit' ? 'not-acceptable' : 'internal', message, { cause: err });
    }
    if (ended(e)) {
      // Cancelled while the file was being created.
      await e.file.abort();
      return;
    }
    this.#set(e, { state: 'waiting' });
    this.#waitForStream(e);
    answer(buildAccept(e.method));
  }

  #waitForStream(e: Entry): void {
    clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      void this.#fail(
        e,
        e.s5bFailed ? 'no-streamhost' : 'timed-out',
        e.s5bFailed ? 'None of the sender’s streamhosts could be reached.' : 'The sender did not start sending.',
      );
    }, this.#opt.streamTimeoutMs);
    e.timer.unref();
  }

  decline(id: string): void {
    const e = this.#entry(id);
    if (e.jingle && e.t.direction === 'in' && e.t.state === 'offered' && !e.done) {
      void this.#fail(e, 'declined', 'You declined the file.'); // session-terminate <decline/>
      return;
    }
    if (e.t.direction !== 'in' || e.t.state !== 'offered' || !e.answer)
      throw new CoreError('bad-request', 'This transfer is not waiting for an answer.');
    e.answer(buildOfferError('declined'));
    e.answer = undefined;
    void this.#fail(e, 'declined', 'You declined the file.');
  }

  async cancel(id: string): Promise<void> {
    const e = this.#entry(id);
    if (e.done) return;
    if (e.t.direction === 'in' && e.t.state === 'offered') {
      this.decline(id);
      return;
    }
    if (e.jingle) {
      await this.#fail(e, 'cancelled', 'You cancelled the transfer.'); // session-terminate <cancel/>
      return;
    }
    // Tell the other side (an IBB close is understood in every state: see #onIbbClose).
    const stream = this.#ctx.stream();
    const accepted = e.t.state !== 'offered' && !(e.t.direction === 'out' && e.t.state === 'waiting');
    await this.#fail(e, 'cancelled', 'You cancelled the transfer.');
    if (stream && accepted) stream.iq.set(buildClose(e.sid), e.t.peer, IQ_TIMEOUT_MS).catch(() => undefined);
  }

  /** Sign-out: every running transfer stops and its partial file goes (the peers are told, while we still can). */
  async cancelAll(): Promise<void> {
    await Promise.all(
      [...this.#entries.values()]
        .filter((e) => !e.done)
        .map((e) => this.#fail(e, 'offline', 'The account went offline.')),
    );
  }

  /**
   * The account left 'online' (stream lost, signed out, disabled): every transfer that needs
   * the stream fails as 'offline' — offers nobody can answer any more, sessions whose
   * negotiation or end travels over it — and partial files go. Only an HTTP transfer whose
   * bytes are already moving goes on (it needs no stream).
   */
  async offline(): Promise<void> {
    await Promise.all(
      [...this.#entries.values()]
        .filter((e) => !e.done && !(e.t.method === 'http-upload' && e.t.state === 'transferring'))
        .map((e) => this.#fail(e, 'offline', 'The account went offline before the transfer ended.')),
    );
  }

  async #onStreamhosts(query: Element, from: string | undefined): Promise<Element> {
    const parsed = parseStreamhosts(query);
    if (!parsed) return stanzaError('modify', 'bad-request');
    const e = this.#find('in', from, parsed.sid);
    if (e?.t.state !== 'waiting' || !e.file) {
      this.#ctx.log.info('transfer', `${this.#ctx.id}: refused streamhosts for an unknown stream from ${String(from)}`);
      return stanzaError('cancel', 'not-acceptable');
    }
    this.#set(e, { state: 'connecting' });
    const dst = dstAddr(e.sid, e.t.peer, e.own);
    for (const host of parsed.hosts) {
      if (e.done) break;
      try {
        const socket = await connectStreamhost(
          host.host,
          host.port,
          dst,
          this.#opt.streamhostTimeoutMs,
          e.abort.signal,
        );
        if (ended(e)) {
          socket.destroy();
          break;
        }
        clearTimeout(e.timer);
        e.socket = socket;
        this.#set(e, { method: host.jid === e.t.peer ? 'socks5-direct' : 'socks5-proxy' });
        this.#receiveSocket(e, socket);
        return buildStreamhostUsed(host.jid);
      } catch (err) {
        this.#ctx.log.info(
          'transfer',
          `${this.#ctx.id}: streamhost ${host.jid} (${host.host}:${String(host.port)}) failed`,
          err,
        );
      }
    }
    e.s5bFailed = true;
    if (!e.done) {
      if (this.#opt.ibb) {
        // The sender may fall back to IBB on the same stream id.
        this.#set(e, { state: 'waiting' });
        this.#waitForStream(e);
      } else void this.#fail(e, 'no-streamhost', 'None of the sender’s streamhosts could be reached.');
    }
    return stanzaError('cancel', 'item-not-found');
  }

  #receiveSocket(e: Entry, socket: net.Socket): void {
    const file = e.file;
    if (!file) return;
    this.#set(e, { state: 'transferring' });
    let finished = false;
    const finish = () => {
      finished = true;
      void this.#finishIncoming(e, () => socket.end());
    };
    const onChunk = (chunk: Buffer): boolean => {
      if (e.done || finished) return true;
      let ok: boolean;
      try {
        ok = file.push(chunk); // copied: the chunk is the socket's reused buffer
      } catch (err) {
        const [reason, message] = this.#reasonOf(err);
        void this.#fail(e, reason, message);
        return true;
      }
      if (file.bytes === e.t.size) finish();
      else if (!ok) {
        void file.drained().then(() => socket.resume());
        return false;
      }
      return true;
    };
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (!e.done && !e.finishing)
        void this.#fail(e, 'cancelled', 'The sender closed the connection before the whole file arrived.');
    });
    if (e.t.size === 0) finish();
    else readChunks(socket, onChunk);
  }

  async #finishIncoming(e: Entry, after?: () => void): Promise<void> {
    if (e.done || !e.file || e.finishing) return;
    e.finishing = true;
    try {
      const final = await e.file.finish();
      this.#completed(e, final);
      this.#ctx.log.info('transfer', `${this.#ctx.id}: received ${path.basename(final)} from ${e.t.peer}`);
    } catch (err) {
      const [reason, message] = this.#reasonOf(err);
      await this.#fail(e, reason, message);
    } finally {
      after?.();
    }
  }

  #onIbbOpen(el: Element, from: string | undefined): Element | true {
    const open = parseOpen(el);
    if (!open) return stanzaError('modify', 'bad-request');
    const e = this.#find('in', from, open.sid);
    if (e?.t.state !== 'waiting' || !e.file || !this.#opt.ibb) return stanzaError('cancel', 'not-acceptable');
    if (open.stanza !== 'iq') return stanzaError('cancel', 'feature-not-implemented');
    if (open.blockSize > this.#opt.ibbMaxBlockSize) return stanzaError('modify', 'resource-constraint');
    clearTimeout(e.timer);
    e.ibb = { seq: 0, blockSize: open.blockSize };
    this.#set(e, { state: 'transferring', method: 'ibb' });
    if (e.t.size === 0) void this.#finishIncoming(e);
    return true;
  }

  async #onIbbData(el: Element, from: string | undefined): Promise<Element | true> {
    const data = parseData(el, this.#opt.ibbMaxBlockSize);
    const e = data ? this.#find('in', from, data.sid) : undefined;
    if (!data || !e?.ibb || !e.file) return stanzaError('cancel', 'item-not-found');
    if (data.seq !== e.ibb.seq || data.data.length > e.ibb.blockSize) {
      void this.#fail(e, 'error', 'The sender’s blocks arrived out of order.');
      return stanzaError('cancel', 'unexpected-request');
    }
    e.ibb.seq = nextSeq(e.ibb.seq);
    try {
      await e.file.write(data.data);
    } catch (err) {
      const [reason, message] = this.#reasonOf(err);
      void this.#fail(e, reason, message);
      return stanzaError('cancel', 'not-acceptable');
    }
    if (e.file.bytes === e.t.size) await this.#finishIncoming(e);
    return true;
  }

  #onIbbClose(el: Element, from: string | undefined): Element | true {
    const sid = parseClose(el);
    const e = sid ? (this.#find('in', from, sid) ?? this.#find('out', from, sid)) : undefined;
    if (!e) {
      // The close that follows the last block of a transfer that is complete here.
      const finished = sid ? this.#find('in', from, sid, true) : undefined;
      return finished?.t.state === 'completed' ? true : stanzaError('cancel', 'item-not-found');
    }
    if (e.t.direction === 'in' && e.file && e.ibb && e.file.bytes === e.t.size) {
      void this.#finishIncoming(e);
      return true;
    }
    if (!e.finishing)
      void this.#fail(
        e,
        'cancelled',
        e.t.direction === 'in' ? 'The sender cancelled the transfer.' : 'The recipient cancelled the transfer.',
      );
    return true;
  }

  // ── sending ─────────────────────────────────────────────────────────────────

  /** A resource's features: its caps (through the context), else a disco#info to it; undefined when unknown. */
  async #featuresOf(stream: XmppStream, full: string): Promise<string[] | undefined> {
    const known = await this.#ctx.features?.(full).catch(() => undefined);
    if (known) return known;
    try {
      const answer = await stream.iq.get(buildDiscoInfoQuery(), full, FEATURES_TIMEOUT_MS);
      return answer ? parseDiscoInfo(answer)?.features : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * How to send to `peer` (a full JID, or a bare one: each of its resources, best first): an
   * online resource with Jingle file transfer, else one with XEP-0096, else HTTP upload.
   */
  async #choose(
    stream: XmppStream,
    peer: string,
  ): Promise<
    | { protocol: 'jingle' | 'si'; full: string; choice: Transfer['choice'] }
    | { protocol: 'http-upload'; choice: Transfer['choice'] }
  > {
    const target = parse(peer);
    const resources = target?.resource ? [peer] : this.#ctx.resources(target?.bare ?? peer);
    if (resources.length === 0) return { protocol: 'http-upload', choice: 'peer-offline' };
    const features = await Promise.all(resources.map((full) => this.#featuresOf(stream, full)));
    const siMethods = this.#methods();
    const jingle = this.#opt.jingle ? resources.find((_, i) => supportsJingleFt(features[i] ?? [])) : undefined;
    if (jingle) return { protocol: 'jingle', full: jingle, choice: 'peer-jingle' };
    const si =
      siMethods.length > 0
        ? resources.find((_, i) => {
            const f = features[i] ?? [];
            return f.includes(NS_SI_FT) && siMethods.some((m) => f.includes(m));
          })
        : undefined;
    if (si) return { protocol: 'si', full: si, choice: 'peer-si' };
    return { protocol: 'http-upload', choice: 'peer-no-direct' };
  }

  /**
   * Sends a file to `peer` (a full JID, or a bare one), choosing the way from its capabilities
   * and presence (`protocol` and `choice` on the transfer say which and why). With HTTP upload
   * the completed transfer carries the link (`url`) for the caller to send in a message.
   * `mediaType`: the type the renderer announced for a staged file; else the name's extension
   * decides (upload/media-type.ts), and it goes out with the offer (XEP-0096 `mime-type`,
   * Jingle `<media-type/>`) or as the upload's Content-Type.
   */
  async sendFile(peer: string, filePath: string, mediaType?: string): Promise<Transfer> {
    const stream = this.#ctx.online('Sending a file');
    const target = parse(peer);
    if (!target?.local && !target?.resource) throw new CoreError('bad-request', `"${peer}" is not a valid address.`);
    if (!path.isAbsolute(filePath)) throw new CoreError('bad-request', 'The file must be given by its full path.');
    const info = await stat(filePath).catch((err: unknown) => {
      throw new CoreError('not-found', 'The file cannot be read.', { cause: err });
    });
    if (!info.isFile()) throw new CoreError('bad-request', 'Only regular files can be sent.');
    const how = await this.#choose(stream, peer);
    if (how.protocol === 'http-upload') {
      const service = await this.#findUploadService(stream);
      if (!service)
        throw new CoreError(
          'not-found',
          how.choice === 'peer-offline'
            ? `${target.bare} is not online, and this server offers no file upload.`
            : `${target.bare}’s client cannot receive files directly, and this server offers no file upload.`,
        );
      return this.upload(filePath, mediaType, {
        protocol: 'http-upload',
        ...(how.choice ? { choice: how.choice } : {}),
      });
    }
    if (how.protocol === 'jingle') {
      const name = path.basename(filePath);
      const mimeType = mediaTypeFor(name, mediaType);
      const e = this.#jingle.start(stream, how.full, filePath, name, info.size, mimeType);
      this.#set(e, { protocol: 'jingle', ...(how.choice ? { choice: how.choice } : {}) });
      return { ...e.t };
    }
    const full = how.full;
    const methods = this.#methods();
    const own = stream.entity.jid?.toString() ?? this.#ctx.id;
    const siType = mediaTypeFor(path.basename(filePath), mediaType);
    const e = this.#add(
      {
        peer: full,
        direction: 'out',
        name: path.basename(filePath),
        size: info.size,
        state: 'waiting',
        path: filePath,
        ...(siType ? { mimeType: siType } : {}),
        protocol: 'si',
        ...(how.choice ? { choice: how.choice } : {}),
      },
      randomBytes(12).toString('hex'),
      own,
    );
    void this.#send(stream, e, filePath, methods).catch((err: unknown) => {
      const [reason, message] = this.#reasonOf(err);
      void this.#fail(e, reason, message);
    });
    return { ...e.t };
  }

  async #send(stream: XmppStream, e: Entry, filePath: string, methods: string[]): Promise<void> {
    const sha256 = await hashFile(filePath, e.abort.signal);
    if (e.done) return;
    e.t.sha256 = sha256;
    let result: Element | undefined;
    try {
      result = await stream.iq.set(
        buildOffer({
          sid: e.sid,
          name: e.t.name,
          size: e.t.size,
          ...(e.t.mimeType ? { mimeType: e.t.mimeType } : {}),
          hashes: [{ algo: 'sha-256', value: sha256 }],
          methods,
        }),
        e.t.peer,
        this.#opt.offerTimeoutMs,
      );
    } catch (err) {
      const condition = stanzaCondition(err);
      if (condition === 'forbidden' || condition === 'not-authorized')
        await this.#fail(e, 'declined', 'The recipient declined the file.');
      else if (condition === 'not-acceptable')
        await this.#fail(e, 'size-limit', 'The recipient cannot take a file this large.');
      else if (
        condition === 'service-unavailable' ||
        condition === 'feature-not-implemented' ||
        condition === 'bad-request'
      )
        await this.#fail(e, 'error', `The recipient’s client cannot receive files this way (${condition}).`);
      else {
        const [reason, message] = this.#reasonOf(err);
        await this.#fail(e, reason, message);
      }
      return;
    }
    const method = parseAccept(result);
    if (ended(e)) {
      // Cancelled while the offer was pending: tell the recipient, who is now waiting for data.
      stream.iq.set(buildClose(e.sid), e.t.peer, IQ_TIMEOUT_MS).catch(() => undefined);
      return;
    }
    if (!method || !methods.includes(method)) {
      await this.#fail(e, 'error', 'The recipient chose a transfer method we did not offer.');
      return;
    }
    if (method === NS_BYTESTREAMS) {
      const socket = await this.#connectS5b(stream, e);
      if (ended(e)) return;
      if (socket) {
        await this.#sendSocket(e, filePath, socket);
        return;
      }
      if (!this.#opt.ibb) {
        await this.#fail(e, 'no-streamhost', 'The recipient could not reach any streamhost.');
        return;
      }
      this.#ctx.log.info('transfer', `${this.#ctx.id}: no streamhost worked for ${e.t.peer}: falling back to IBB`);
    }
    await this.#sendIbb(stream, e, filePath);
  }

  // ── XEP-0363 HTTP upload ───────────────────────────────────────────────────

  /** The server's upload service and its size limit (disco#items, then each item's features); cached. */
  async #findUploadService(stream: XmppStream): Promise<{ jid: string; maxBytes: number | undefined } | undefined> {
    if (this.#upload !== undefined) return this.#upload ?? undefined;
    const domain = parse(this.#ctx.id)?.domain ?? '';
    let found: { jid: string; maxBytes: number | undefined } | null = null;
    try {
      const items = parseDiscoItems(
        (await stream.iq.get(buildDiscoItemsQuery(), domain, IQ_TIMEOUT_MS)) ?? buildDiscoItemsQuery(),
      );
      for (const jid of [domain, ...(items?.items ?? []).slice(0, 20).map((i) => i.jid)]) {
        const info = await stream.iq.get(buildDiscoInfoQuery(), jid, IQ_TIMEOUT_MS).catch(() => undefined);
        const parsed = info ? parseDiscoInfo(info) : undefined;
        if (parsed?.features.includes(NS_HTTP_UPLOAD)) {
          found = { jid, maxBytes: uploadLimit(parsed) };
          break;
        }
      }
    } catch (err) {
      this.#ctx.log.info('transfer', `${this.#ctx.id}: no HTTP upload service found`, err);
      return undefined;
    }
    this.#upload = found;
    return found ?? undefined;
  }

  /** Uploads a file to the server's XEP-0363 service; the completed transfer carries the link (`url`). */
  async upload(
    filePath: string,
    mediaType?: string,
    extra: Pick<Transfer, 'protocol' | 'choice'> = { protocol: 'http-upload' },
  ): Promise<Transfer> {
    const stream = this.#ctx.online('Uploading a file');
    if (!path.isAbsolute(filePath)) throw new CoreError('bad-request', 'The file must be given by its full path.');
    const info = await stat(filePath).catch((err: unknown) => {
      throw new CoreError('not-found', 'The file cannot be read.', { cause: err });
    });
    if (!info.isFile()) throw new CoreError('bad-request', 'Only regular files can be sent.');
    const service = await this.#findUploadService(stream);
    if (!service) throw new CoreError('not-supported', 'This server offers no file upload.');
    if (service.maxBytes !== undefined && info.size > service.maxBytes)
      throw new CoreError('not-acceptable', 'The file is larger than the server accepts for upload.');
    const own = stream.entity.jid?.toString() ?? this.#ctx.id;
    const mimeType = mediaTypeFor(path.basename(filePath), mediaType);
    const contentType = mimeType ?? 'application/octet-stream';
    const e = this.#add(
      {
        peer: service.jid,
        direction: 'out',
        name: path.basename(filePath),
        size: info.size,
        state: 'connecting',
        method: 'http-upload',
        path: filePath,
        ...(mimeType ? { mimeType } : {}),
        ...extra,
      },
      randomBytes(12).toString('hex'),
      own,
    );
    void (async () => {
      const sha256 = await hashFile(filePath, e.abort.signal);
      e.t.sha256 = sha256;
      const request = buildSlotRequest(sanitizeFileName(e.t.name), e.t.size, contentType);
      // The answer's payload is a <slot/>, not the <request/> (so not iq.get, which expects the same).
      const answer = await stream.iq.request(xml('iq', { type: 'get', to: service.jid }, request), IQ_TIMEOUT_MS);
      const offered = answer.getChild('slot', NS_HTTP_UPLOAD);
      const slot = parseSlot(offered, this.#opt.insecureHttpForTests);
      if (!slot && parseSlot(offered, true))
        throw new Error('The upload service offered a plain http address: Parley uploads only over https.');
      if (!slot) {
        this.#ctx.log.info('transfer', `${this.#ctx.id}: unusable upload slot: ${String(answer)}`);
        throw new Error('The upload service gave no usable upload slot.');
      }
      if (ended(e)) return;
      this.#set(e, { state: 'transferring' });
      await putFile(
        slot,
        filePath,
        e.t.size,
        contentType,
        (n) => {
          e.t.bytes = n;
        },
        e.abort.signal,
      );
      if (ended(e)) return;
      e.t.url = slot.getUrl;
      this.#completed(e);
    })().catch((err: unknown) => {
      const [reason, message] = this.#reasonOf(err);
      void this.#fail(e, stanzaCondition(err) === 'not-acceptable' ? 'size-limit' : reason, message);
    });
    return { ...e.t };
  }

  /** Downloads a shared link (https; plain http on loopback only for tests) into the downloads folder, safely. */
  download(link: string): Transfer {
    const url = usableUrl(link, this.#opt.insecureHttpForTests);
    if (!url)
      throw new CoreError(
        'bad-request',
        usableUrl(link, true)
          ? 'Plain http links are not downloaded: only https keeps the file private and unaltered.'
          : 'Only https links can be downloaded.',
      );
    const e = this.#add(
      {
        peer: url.host,
        direction: 'in',
        name: sanitizeFileName(nameFromUrl(url)),
        size: 0,
        state: 'connecting',
        method: 'http-upload',
        url: url.href,
      },
      randomBytes(12).toString('hex'),
      this.#ctx.id,
    );
    void getInto(
      url,
      async (size) => {
        e.file = await IncomingFile.create(this.#opt.downloadsDir(), e.t.name, size, undefined, this.#opt.maxFileBytes);
        this.#set(e, { size, state: 'transferring' });
        return e.file;
      },
      this.#opt.maxFileBytes,
      (n) => {
        e.t.bytes = n;
      },
      e.abort.signal,
    ).then(
      (final) => {
        this.#completed(e, final);
      },
      (err: unknown) => {
        const [reason, message] = this.#reasonOf(err);
        void this.#fail(
          e,
          err instanceof TransferDataError && err.kind === 'beyond-size' ? 'size-limit' : reason,
          message,
        );
      },
    );
    return { ...e.t };
  }

  /** The server's SOCKS5 proxy (disco#items, then each item's identity, then its address); cached. */
  async #findProxy(stream: XmppStream): Promise<Streamhost | undefined> {
    if (this.#proxy !== undefined) return this.#proxy ?? undefined;
    const domain = parse(this.#ctx.id)?.domain ?? '';
    let found: Streamhost | null = null;
    try {
      const items = parseDiscoItems(
        (await stream.iq.get(buildDiscoItemsQuery(), domain, IQ_TIMEOUT_MS)) ?? buildDiscoItemsQuery(),
      );
      for (const item of (items?.items ?? []).slice(0, 20)) {
        const info = await stream.iq.get(buildDiscoInfoQuery(), item.jid, IQ_TIMEOUT_MS).catch(() => undefined);
        const parsed = info ? parseDiscoInfo(info) : undefined;
        if (!parsed || !hasIdentity(parsed, 'proxy', 'bytestreams')) continue;
        const address = await stream.iq.get(buildProxyQuery(), item.jid, IQ_TIMEOUT_MS).catch(() => undefined);
        const host = parseProxyAddress(address, item.jid);
        if (host) {
          found = host;
          break;
        }
      }
    } catch (err) {
      this.#ctx.log.info('transfer', `${this.#ctx.id}: no SOCKS5 proxy found`, err);
      return undefined; // not cached: the next transfer asks again
    }
    this.#proxy = found;
    return found ?? undefined;
  }

  /** Offers our streamhosts; resolves with the connected socket, or undefined when none worked. */
  async #connectS5b(stream: XmppStream, e: Entry): Promise<net.Socket | undefined> {
    this.#set(e, { state: 'connecting' });
    const dst = dstAddr(e.sid, e.own, e.t.peer);
    const hosts: Streamhost[] = [];
    if (this.#opt.socks5Direct) {
      try {
        e.direct = await DirectStreamhost.listen(dst);
        const port = e.direct.port;
        for (const host of this.#opt.directHosts()) hosts.push({ jid: e.own, host, port });
      } catch (err) {
        this.#ctx.log.info('transfer', `${this.#ctx.id}: cannot open a direct streamhost`, err);
      }
    }
    const proxy = this.#opt.socks5Proxy ? await this.#findProxy(stream) : undefined;
    if (proxy) hosts.push(proxy);
    if (hosts.length === 0 || e.done) {
      e.direct?.close(true);
      // The recipient waits for a stream: tell it that none is coming over SOCKS5.
      return undefined;
    }
    let used: string | undefined;
    try {
      used = parseStreamhostUsed(await stream.iq.set(buildStreamhosts(e.sid, hosts), e.t.peer, IQ_TIMEOUT_MS + 30_000));
    } catch (err) {
      e.direct?.close(true);
      if (ended(e)) return undefined;
      const condition = stanzaCondition(err);
      if (condition === 'item-not-found' || condition === 'remote-server-not-found') return undefined;
      throw err;
    }
    if (ended(e)) return undefined;
    if (used === e.own && e.direct) {
      await e.direct.socket; // at least one connection (the receiver connected before answering)
      const socket = e.direct.choose(hosts.filter((h) => h.jid === e.own).map((h) => h.host));
      e.direct.close(false);
      e.direct = undefined;
      if (!socket) {
        // The recipient closed its connection right after naming it: its cancel.
        await this.#fail(e, 'cancelled', 'The recipient cancelled the transfer.');
        return undefined;
      }
      this.#set(e, { method: 'socks5-direct' });
      return socket;
    }
    e.direct?.close(true);
    e.direct = undefined;
    if (proxy && used === proxy.jid) {
      const socket = await connectStreamhost(
        proxy.host,
        proxy.port,
        dst,
        this.#opt.streamhostTimeoutMs,
        e.abort.signal,
      ).catch((err: unknown) => {
        this.#proxy = undefined; // look it up again next time
        throw err;
      });
      e.socket = socket;
      await stream.iq.set(buildActivate(e.sid, e.t.peer), proxy.jid, IQ_TIMEOUT_MS);
      this.#set(e, { method: 'socks5-proxy' });
      return socket;
    }
    throw new Error('The recipient named a streamhost we did not offer.');
  }

  async #sendSocket(e: Entry, filePath: string, socket: net.Socket): Promise<void> {
    e.socket = socket;
    // Counted here; hashed by the hashing worker reading the file beside the stream (hash-worker.ts):
    // the Jingle checksum being computed, or a second pass that the file did not change (XEP-0096).
    e.sent = new HashCounter(e.t.size, false);
    const hashed = e.jingle?.checksum ?? hashFileOffThread(filePath, e.abort.signal);
    hashed.catch(() => undefined);
    this.#set(e, { state: 'transferring' });
    const closed = { early: false };
    socket.once('close', () => {
      closed.early = !e.done && (e.sent?.bytes ?? 0) < e.t.size;
    });
    const counter = e.sent;
    try {
      // A few 1 MiB buffers, reused (file-source.ts): no garbage per read.
      await sendFileOver(
        socket,
        filePath,
        e.t.size,
        (piece) => {
          counter.update(piece);
        },
        e.abort.signal,
      );
    } catch (err) {
      if (e.done) return;
      const code = (err as { code?: unknown }).code;
      // The recipient closed the connection (its cancel): anything on the socket's side.
      if (
        closed.early ||
        socket.destroyed ||
        code === 'ECONNRESET' ||
        code === 'EPIPE' ||
        code === 'ERR_STREAM_PREMATURE_CLOSE'
      )
        await this.#fail(e, 'cancelled', 'The recipient cancelled the transfer.');
      else {
        const [reason, message] = this.#reasonOf(err);
        await this.#fail(e, reason, message);
      }
      return;
    }
    await this.#checkSent(e, hashed);
  }

  /** `hashed`: the sha-256 of what was sent when the counter did not hash it (SOCKS5). */
  async #checkSent(e: Entry, hashed?: Promise<string>): Promise<void> {
    const counter = e.sent;
    if (!counter || e.done) return;
    const sent = counter.digest() ?? (await hashed?.catch(() => undefined));
    // What the recipient was told: the offer's sha-256, or the Jingle checksum (sent in session-info).
    const told = e.jingle?.checksum ? await e.jingle.checksum.catch(() => undefined) : e.t.sha256;
    if (ended(e)) return;
    if (counter.bytes !== e.t.size || sent === undefined || sent !== told) {
      await this.#fail(e, 'hash-mismatch', 'The file changed while it was being sent.');
      return;
    }
    this.#completed(e);
  }

  async #sendIbb(stream: XmppStream, e: Entry, filePath: string, maxBlockSize = IBB_BLOCK_SIZE): Promise<void> {
    this.#set(e, { state: 'connecting' });
    let blockSize = Math.min(IBB_BLOCK_SIZE, maxBlockSize);
    try {
      await stream.iq.set(buildOpen(e.sid, blockSize), e.t.peer, IQ_TIMEOUT_MS);
    } catch (err) {
      if (stanzaCondition(err) !== 'resource-constraint' || e.done) throw err;
      blockSize = Math.min(IBB_FALLBACK_BLOCK_SIZE, maxBlockSize);
      await stream.iq.set(buildOpen(e.sid, blockSize), e.t.peer, IQ_TIMEOUT_MS);
    }
    if (e.done) return;
    e.sent = new HashCounter(e.t.size);
    this.#set(e, { state: 'transferring', method: 'ibb' });
    const handle = await open(filePath, 'r');
    try {
      let seq = 0;
      const buffer = Buffer.alloc(blockSize);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, blockSize, null);
        if (bytesRead === 0 || ended(e)) break;
        const block = Buffer.from(buffer.subarray(0, bytesRead));
        e.sent.update(block);
        try {
          await stream.iq.set(buildData(e.sid, seq, block), e.t.peer, IQ_TIMEOUT_MS);
        } catch {
          if (!ended(e)) await this.#fail(e, 'cancelled', 'The recipient cancelled the transfer.');
          return;
        }
        seq = nextSeq(seq);
      }
    } finally {
      await handle.close();
    }
    if (ended(e)) return;
    await stream.iq.set(buildClose(e.sid), e.t.peer, IQ_TIMEOUT_MS).catch(() => undefined);
    await this.#checkSent(e);
  }
}

/** The sender's address as it came (xmpp.js's `ctx.from` is a JID object, not a string). */
function fromOf(ctx: IqContext): string | undefined {
  const from: unknown = ctx.stanza.attrs['from'];
  return typeof from === 'string' && from.length > 0 ? from : undefined;
}

/** The last path segment of a URL as a file name (sanitised later, when saved). */
function nameFromUrl(url: URL): string {
  const last = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || 'download';
  } catch {
    return last || 'download';
  }
}

/** A transfer's `done` flag, read afresh (it changes across awaits: cancel, failure). */
function ended(e: Entry): boolean {
  return e.done;
}

/** The base64 sha-256 of a file, read as a stream. */
export function hashFile(filePath: string, signal?: AbortSignal): Promise<string> {
  return hashFileOffThread(filePath, signal);
}

/**
 * sha-256 off the main thread, so that a transfer's socket and disk I/O and its hashing overlap:
 * one `worker_threads` Worker per process, shared by every transfer, started when first needed
 * and holding the process open only while it has work.
 *
 * - `hashFileOffThread(path)`: the worker reads the file itself (from the page cache, in 1 MiB
 *   reads) while the main thread streams it: a sender's checksum without a pass before the offer.
 * - `StreamHasher`: bytes handed over on the main thread are copied into one of a few 1 MiB
 *   slots of a SharedArrayBuffer that the worker hashes in place (only the slot's number goes
 *   in a message, and back once hashed): small socket chunks (a proxy's 4 KiB) cost one copy
 *   each, nothing is allocated per chunk, and memory stays bounded (`full` / `caughtUp()`).
 *
 * The worker's code is a string evaluated as a script (`eval: true`) that needs only Node's own
 * modules: nothing to locate at run time, so it works the same from the TypeScript sources
 * (tests, web host) and from the esbuild bundle (Electron). When no worker can run, both hash
 * on the calling thread instead (same results, just not in parallel).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** The size of one buffer handed to the worker. */
export const HASH_BATCH_BYTES = 1024 * 1024;
/** Slots per StreamHasher: at most this many MiB wait for the worker. */
const POOL = 4;

const WORKER_SOURCE = String.raw`'use strict';
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { open } = require('node:fs/promises');
const streams = new Map();
const files = new Map();
async function hashFile(id, path) {
  const job = { cancelled: false };
  files.set(id, job);
  let handle;
  try {
    handle = await open(path, 'r');
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(${String(HASH_BATCH_BYTES)});
    for (;;) {
      if (job.cancelled) throw new Error('cancelled');
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    parentPort.postMessage({ id, digest: hash.digest('base64') });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  } finally {
    files.delete(id);
    if (handle) await handle.close().catch(() => undefined);
  }
}
parentPort.on('message', (m) => {
  switch (m.op) {
    case 'file':
      void hashFile(m.id, m.path);
      break;
    case 'cancel': {
      const job = files.get(m.id);
      if (job) job.cancelled = true;
      streams.delete(m.id);
      break;
    }
    case 'begin':
      streams.set(m.id, { hash: createHash('sha256'), shared: Buffer.from(m.shared) });
      break;
    case 'data': {
      const job = streams.get(m.id);
      if (!job) break;
      const at = m.slot * ${String(HASH_BATCH_BYTES)};
      job.hash.update(job.shared.subarray(at, at + m.length));
      parentPort.postMessage({ id: m.id, slot: m.slot });
      break;
    }
    case 'end': {
      const job = streams.get(m.id);
      streams.delete(m.id);
      parentPort.postMessage({ id: m.id, digest: (job ? job.hash : createHash('sha256')).digest('base64') });
      break;
    }
  }
});
`;

interface Reply {
  id: number;
  digest?: string;
  error?: string;
  slot?: number;
}

type Listener = (reply: Reply) => void;

/** The shared worker: undefined until first used, null once it proved unusable. */
let worker: Worker | null | undefined;
let nextId = 1;
const listeners = new Map<number, Listener>();
/** Replies still expected: the worker keeps the process open only while this is above 0. */
let expected = 0;

/** False: every hash is computed on the calling thread (tests of that path; measurements). */
let enabled = true;

/** Turns the worker off (false) or on again for the hashes started from now on. */
export function setHashWorkerEnabled(on: boolean): void {
  enabled = on;
}

function theWorker(): Worker | undefined {
  if (worker === null || !enabled) return undefined;
  if (worker) return worker;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true, name: 'parley-hash' });
    w.unref();
    // An unref() before the worker is up does not hold for its message port: again once online.
    w.once('online', () => {
      if (expected === 0) w.unref();
    });
    w.on('message', (reply: Reply) => {
      listeners.get(reply.id)?.(reply);
    });
    w.on('error', (err: Error) => {
      broken(w, err);
    });
    w.on('exit', (code) => {
      broken(w, new Error(`the hashing worker stopped (${String(code)})`));
    });
    worker = w;
    return w;
  } catch {
    worker = null;
    return undefined;
  }
}

/** The worker died: every job waiting for it fails; later ones hash on their own thread. */
function broken(w: Worker, err: Error): void {
  if (worker !== w) return;
  worker = null;
  expected = 0;
  const waiting = [...listeners.values()];
  listeners.clear();
  for (const l of waiting) l({ id: 0, error: err.message });
}

function expect(n: number): void {
  const before = expected;
  expected += n;
  if (before === 0 && expected > 0) worker?.ref();
  else if (before > 0 && expected === 0) worker?.unref();
}

/** The base64 sha-256 of a file, read and hashed by the worker (or here, when there is none). */
export function hashFileOffThread(filePath: string, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const w = theWorker();
  if (!w) return hashFileHere(filePath, signal);
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const onAbort = () => {
      w.postMessage({ op: 'cancel', id });
    };
    listeners.set(id, (reply) => {
      listeners.delete(id);
      signal?.removeEventListener('abort', onAbort);
      expect(-1);
      if (reply.digest !== undefined) resolve(reply.digest);
      else if (signal?.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error('Aborted.'));
      else reject(new Error(`The file could not be read: ${reply.error ?? ''}`));
    });
    expect(1);
    signal?.addEventListener('abort', onAbort, { once: true });
    w.postMessage({ op: 'file', id, path: filePath });
  });
}

/** The base64 sha-256 of a file, read as a stream on this thread. */
export async function hashFileHere(filePath: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, {
    highWaterMark: HASH_BATCH_BYTES,
    ...(signal ? { signal } : {}),
  }))
    hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/** Where a StreamHasher's blocks go besides the hash (a file): `done` once it is done with `block`. */
export type BlockSink = (block: Buffer, position: number, done: (err?: Error | null) => void) => void;

/**
 * A sha-256 of bytes handed over in order (`update`), computed by the worker, the bytes
 * gathered into 1 MiB blocks (slots) on the way; with a `sink`, each block also goes there (the
 * file: one write per MiB however small the chunks were). A slot is reused once the worker and
 * the sink are done with it; `full` says that none is free (wait for `caughtUp()`), so memory
 * stays bounded. `digest()` once, at the end: it resolves when both are done with every block.
 */
export class StreamHasher {
  readonly #id = nextId++;
  readonly #worker: Worker | undefined;
  /** Without a worker: hashed here, a block at a time. */
  readonly #here: Hash | undefined;
  readonly #sink: BlockSink | undefined;
  /** POOL slots of HASH_BATCH_BYTES (shared with the worker when there is one). */
  readonly #slots: Buffer;
  readonly #free: number[] = [];
  /** Slots handed over: which of the worker and the sink still hold each. */
  readonly #held = new Map<number, { worker: boolean; sink: boolean }>();
  #atWorker = 0;
  #slot: number | undefined;
  #fill = 0;
  #position = 0;
  /** Chunks that came while every slot was out (bounded by the callers' backpressure). */
  #overflow: Buffer[] = [];
  #waiters: (() => void)[] = [];
  #digest: string | undefined;
  #error: Error | undefined;
  #ended = false;

  constructor(sink?: BlockSink) {
    this.#sink = sink;
    this.#worker = theWorker();
    for (let i = POOL - 1; i >= 0; i--) this.#free.push(i);
    if (!this.#worker) {
      this.#here = createHash('sha256');
      this.#slots = Buffer.allocUnsafeSlow(POOL * HASH_BATCH_BYTES);
      return;
    }
    const shared = new SharedArrayBuffer(POOL * HASH_BATCH_BYTES);
    this.#slots = Buffer.from(shared);
    listeners.set(this.#id, (reply) => {
      this.#reply(reply);
    });
    this.#worker.postMessage({ op: 'begin', id: this.#id, shared });
  }

  /** Bytes handed over and not yet hashed and written (whole slots). */
  get backlog(): number {
    return this.#held.size * HASH_BATCH_BYTES;
  }

  /** True while every slot is out or bytes wait for one (wait for `caughtUp()` before more). */
  get full(): boolean {
    return this.#overflow.length > 0 || (this.#free.length === 0 && this.#slot === undefined);
  }

  #reply(reply: Reply): void {
    if (reply.error !== undefined) {
      // The worker is gone: its slots will not come back from it.
      listeners.delete(this.#id);
      this.#atWorker = 0;
      this.#fail(new Error(`Hashing failed: ${reply.error}`));
      for (const slot of [...this.#held.keys()]) this.#release(slot, 'worker');
      return;
    }
    if (reply.slot !== undefined) {
      this.#atWorker--;
      expect(-1);
      this.#release(reply.slot, 'worker');
      return;
    }
    if (reply.digest !== undefined) {
      listeners.delete(this.#id);
      expect(-1);
      this.#digest = reply.digest;
      this.#wake();
    }
  }

  /** The first failure, read afresh (it changes across awaits). */
  #failure(): Error | undefined {
    return this.#error;
  }

  #fail(err: Error): void {
    this.#error ??= err;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves at the next slot back, digest, or failure. */
  #next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
    });
  }

  /** Hands over the next bytes (copied: `chunk` may be reused at once). Throws the first failure. */
  update(chunk: Buffer): void {
    if (this.#error) throw this.#error;
    if (this.#ended) return;
    if (this.#overflow.length > 0) {
      // Bytes wait already: these go after them, in order.
      this.#overflow.push(Buffer.from(chunk));
      this.#drainOverflow();
      return;
    }
    const left = this.#copyIn(chunk);
    // Every slot is out: what did not fit waits here, copied.
    if (left) this.#overflow.push(Buffer.from(left));
  }

  /** Copies `chunk` into slots, handing over each full one; returns what did not fit (no slot free). */
  #copyIn(chunk: Buffer): Buffer | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.#slot === undefined) {
        const slot = this.#free.pop();
        if (slot === undefined) return chunk.subarray(at);
        this.#slot = slot;
      }
      const n = Math.min(chunk.length - at, HASH_BATCH_BYTES - this.#fill);
      chunk.copy(this.#slots, this.#slot * HASH_BATCH_BYTES + this.#fill, at, at + n);
      this.#fill += n;
      at += n;
      if (this.#fill === HASH_BATCH_BYTES) this.#handOver();
    }
    return undefined;
  }

  /** The current slot goes to the worker (or is hashed here) and to the sink. */
  #handOver(): void {
    const slot = this.#slot;
    if (slot === undefined) return;
    const length = this.#fill;
    const block = this.#slots.subarray(slot * HASH_BATCH_BYTES, slot * HASH_BATCH_BYTES + length);
    const position = this.#position;
    this.#slot = undefined;
    this.#fill = 0;
    this.#position += length;
    const holders = { worker: this.#worker !== undefined, sink: this.#sink !== undefined };
    this.#held.set(slot, holders);
    if (this.#worker) {
      this.#atWorker++;
      expect(1);
      this.#worker.postMessage({ op: 'data', id: this.#id, slot, length });
    } else this.#here?.update(block);
    if (this.#sink)
      this.#sink(block, position, (err) => {
        if (err) this.#fail(err);
        this.#release(slot, 'sink');
      });
    if (!holders.worker && !holders.sink) this.#release(slot);
  }

  /** `who` is done with `slot`; once nobody holds it, it is free again. */
  #release(slot: number, who?: 'worker' | 'sink'): void {
    const holders = this.#held.get(slot);
    if (!holders) return;
    if (who) holders[who] = false;
    if (holders.worker || holders.sink) return;
    this.#held.delete(slot);
    this.#free.push(slot);
    if (!this.#ended || this.#overflow.length > 0) this.#drainOverflow();
    this.#wake();
  }

  /** Copies what waited while every slot was out, as slots come back. */
  #drainOverflow(): void {
    while (this.#overflow.length > 0 && (this.#slot !== undefined || this.#free.length > 0)) {
      const next = this.#overflow.shift();
      const left = next ? this.#copyIn(next) : undefined;
      if (left) {
        this.#overflow.unshift(left);
        return;
      }
    }
  }

  /** Resolves once a slot is free and nothing waits (or on failure: the next call throws it). */
  async caughtUp(): Promise<void> {
    while (this.full && !this.#error && !this.#ended) await this.#next();
  }

  /**
   * The base64 sha-256 of everything handed over (call once, at the end); resolves once the
   * sink, too, is done with every block. Rejects with the first failure.
   */
  async digest(): Promise<string> {
    await this.caughtUp();
    if (this.#error) throw this.#error;
    this.#drainOverflow();
    if (this.#fill > 0) this.#handOver();
    this.#ended = true;
    if (this.#worker) {
      expect(1);
      this.#worker.postMessage({ op: 'end', id: this.#id });
    } else this.#digest = this.#here?.digest('base64');
    while ((this.#digest === undefined || this.#held.size > 0) && !this.#failure()) await this.#next();
    const failure = this.#failure();
    if (failure) throw failure;
    return this.#digest ?? '';
  }

  /** Drops the job (a failed or cancelled transfer); resolves once the sink is done with its blocks. */
  async dispose(): Promise<void> {
    if (!this.#ended) {
      this.#ended = true;
      this.#overflow = [];
      this.#fail(new Error('The transfer was stopped.'));
      if (this.#worker) {
        listeners.delete(this.#id);
        expect(-this.#atWorker);
        this.#atWorker = 0;
        // The worker's answers will not come here any more: its slots are not waited for.
        for (const slot of [...this.#held.keys()]) this.#release(slot, 'worker');
        this.#worker.postMessage({ op: 'cancel', id: this.#id });
      }
    }
    // The sink's blocks still out (a write in progress) come back by themselves.
    while (this.#held.size > 0) await this.#next();
  }
}

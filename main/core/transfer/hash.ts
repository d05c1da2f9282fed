/**
 * XEP-0300 hash elements (`<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>base64</hash>`, and
 * `<hash-used algo='sha-256'/>`: a hash announced now and sent later), and a counter (with a
 * sha-256, when asked) for the bytes streaming through.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';

export const NS_HASHES = 'urn:xmpp:hashes:2';

export interface FileHash {
  algo: string;
  /** Base64 of the digest. */
  value: string;
}

const MAX_HASHES = 8;
/** How much a HashCounter used as a pass-through buffers before backpressure. */
export const STREAM_BUFFER_BYTES = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]{1,128}={0,2}$/u;

export function buildHash(hash: FileHash): Element {
  return xml('hash', { xmlns: NS_HASHES, algo: hash.algo }, hash.value);
}

/** XEP-0300 §4: `<hash-used/>`, the algorithm of a hash that follows later (XEP-0234 §8.1). */
export function buildHashUsed(algo: string): Element {
  return xml('hash-used', { xmlns: NS_HASHES, algo });
}

/** The algorithms of `parent`'s well-formed `<hash-used/>` children (at most a few). */
export function parseHashesUsed(parent: Element): string[] {
  const out: string[] = [];
  for (const el of parent.getChildren('hash-used', NS_HASHES).slice(0, MAX_HASHES)) {
    const algo: unknown = el.attrs['algo'];
    if (typeof algo === 'string' && /^[a-z0-9-]{1,32}$/u.test(algo) && !out.includes(algo)) out.push(algo);
  }
  return out;
}

/** The well-formed hash children of `parent` (at most a few; odd ones dropped). */
export function parseHashes(parent: Element): FileHash[] {
  const out: FileHash[] = [];
  for (const el of parent.getChildren('hash', NS_HASHES).slice(0, MAX_HASHES)) {
    const algo: unknown = el.attrs['algo'];
    const value = el.text().trim();
    if (typeof algo === 'string' && /^[a-z0-9-]{1,32}$/u.test(algo) && BASE64.test(value)) out.push({ algo, value });
  }
  return out;
}

/** The sha-256 the offer carries (base64), if any and well-sized. */
export function sha256Of(hashes: readonly FileHash[]): string | undefined {
  const h = hashes.find((x) => x.algo === 'sha-256');
  return h && Buffer.from(h.value, 'base64').length === 32
    ? Buffer.from(h.value, 'base64').toString('base64')
    : undefined;
}

/**
 * A pass-through that counts the bytes going through it (and hashes them, sha-256, unless
 * `hash` is false: the hashing worker does it then), and fails once more than `limit` bytes
 * arrive (data beyond the announced size).
 */
export class HashCounter extends Transform {
  readonly #hash: Hash | undefined;
  readonly #limit: number;
  bytes = 0;

  constructor(limit = Number.MAX_SAFE_INTEGER, hash = true) {
    // A socket hands over up to 64 KiB at a time: a buffer of a few of them on each side keeps
    // the source from pausing at every chunk (a bounded amount: memory stays flat).
    super({ highWaterMark: STREAM_BUFFER_BYTES });
    this.#limit = limit;
    this.#hash = hash ? createHash('sha256') : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.#limit) {
      callback(new TransferDataError('beyond-size', 'The sender sent more data than the announced size.'));
      return;
    }
    this.#hash?.update(chunk);
    callback(null, chunk);
  }

  /** Counts and hashes a chunk without passing it on (when the bytes go elsewhere). */
  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.#hash?.update(chunk);
  }

  /** The base64 sha-256 of everything that went through (call once, at the end; undefined when not hashing). */
  digest(): string | undefined {
    return this.#hash?.digest('base64');
  }
}

export class TransferDataError extends Error {
  override name = 'TransferDataError';
  readonly kind: 'beyond-size' | 'short' | 'hash-mismatch';
  constructor(kind: 'beyond-size' | 'short' | 'hash-mismatch', message: string) {
    super(message);
    this.kind = kind;
  }
}

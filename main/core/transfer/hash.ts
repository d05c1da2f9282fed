/**
 * XEP-0300 hash elements (`<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>base64</hash>`), and
 * a sha-256 computed while bytes stream through.
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
/** How much a transfer's streams (hashing, the file being written) buffer before backpressure. */
export const STREAM_BUFFER_BYTES = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]{1,128}={0,2}$/u;

export function buildHash(hash: FileHash): Element {
  return xml('hash', { xmlns: NS_HASHES, algo: hash.algo }, hash.value);
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
 * A pass-through that hashes (sha-256) and counts the bytes going through it, and fails once
 * more than `limit` bytes arrive (data beyond the announced size).
 */
export class HashCounter extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #limit: number;
  bytes = 0;

  constructor(limit = Number.MAX_SAFE_INTEGER) {
    // A socket hands over up to 64 KiB at a time: a buffer of a few of them on each side keeps
    // the source from pausing at every chunk (a bounded amount: memory stays flat).
    super({ highWaterMark: STREAM_BUFFER_BYTES });
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.#limit) {
      callback(new TransferDataError('beyond-size', 'The sender sent more data than the announced size.'));
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  /** Counts and hashes a chunk without passing it on (when the bytes go elsewhere). */
  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.#hash.update(chunk);
  }

  /** The base64 sha-256 of everything that went through (call once, at the end). */
  digest(): string {
    return this.#hash.digest('base64');
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

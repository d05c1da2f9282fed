/**
 * SCRAM (RFC 5802 / RFC 7677) client for SASL: SCRAM-SHA-1 and SCRAM-SHA-256.
 *
 * Hi() is computed with node:crypto's pbkdf2 (one native call) instead of
 * one awaited HMAC per iteration: a login costs milliseconds, not a second.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export type ScramHash = 'sha1' | 'sha256';
export const SCRAM_MECHANISMS: Record<string, ScramHash> = { 'SCRAM-SHA-256': 'sha256', 'SCRAM-SHA-1': 'sha1' };
const HASH_BYTES: Record<ScramHash, number> = { sha1: 20, sha256: 32 };
/** Refuse absurd iteration counts from a hostile server (CPU exhaustion) and weak ones. */
const MIN_ITERATIONS = 1024;
const MAX_ITERATIONS = 1_000_000;

export class ScramError extends Error {
  override name = 'ScramError';
}

/** RFC 5802 saslname: '=' and ',' escaped. */
export function saslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseAttributes(message: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw new ScramError('malformed SCRAM message');
    attrs.set(part[0] ?? '', part.slice(2));
  }
  return attrs;
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

const GS2_HEADER = 'n,,';

/** One SCRAM exchange. Not reusable. */
export class ScramClient {
  readonly #hash: ScramHash;
  readonly #password: string;
  readonly #clientFirstBare: string;
  readonly #nonce: string;
  #expectedServerSignature: Buffer | undefined;

  constructor(hash: ScramHash, username: string, password: string, nonce = randomBytes(24).toString('base64')) {
    this.#hash = hash;
    // SASLprep (RFC 4013) is approximated by NFKC normalisation.
    this.#password = password.normalize('NFKC');
    this.#nonce = nonce;
    this.#clientFirstBare = `n=${saslName(username.normalize('NFKC'))},r=${nonce}`;
  }

  clientFirst(): string {
    return GS2_HEADER + this.#clientFirstBare;
  }

  async clientFinal(serverFirst: string): Promise<string> {
    const attrs = parseAttributes(serverFirst);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (attrs.has('m')) throw new ScramError('unsupported SCRAM extension');
    if (!nonce?.startsWith(this.#nonce) || nonce.length === this.#nonce.length)
      throw new ScramError('server nonce invalid');
    if (!salt) throw new ScramError('server salt missing');
    if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new ScramError(`server iteration count unacceptable: ${String(attrs.get('i'))}`);
    }
    const hmac = (key: Buffer, data: string) => createHmac(this.#hash, key).update(data).digest();
    const salted = await pbkdf2Async(
      this.#password,
      Buffer.from(salt, 'base64'),
      iterations,
      HASH_BYTES[this.#hash],
      this.#hash,
    );
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash(this.#hash).update(clientKey).digest();
    const withoutProof = `c=${Buffer.from(GS2_HEADER).toString('base64')},r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${serverFirst},${withoutProof}`;
    const proof = xor(clientKey, hmac(storedKey, authMessage));
    this.#expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Checks the server's proof that it knows the password too (mutual auth). */
  verifyServerFinal(serverFinal: string): void {
    const attrs = parseAttributes(serverFinal);
    const error = attrs.get('e');
    if (error) throw new ScramError(`server rejected SCRAM: ${error}`);
    const v = attrs.get('v');
    const expected = this.#expectedServerSignature;
    if (!v || !expected) throw new ScramError('server signature missing');
    const got = Buffer.from(v, 'base64');
    if (got.length !== expected.length || !timingSafeEqual(got, expected))
      throw new ScramError('server signature invalid');
  }
}

/**
 * Saving a received file safely: nothing is created before the user accepts; the bytes go to
 * a temporary file in the target folder (created exclusively), counted and hashed while they
 * stream (more than the announced size fails at once); on completion the size and the
 * sha-256 (when the offer carried one) are checked and the file gets its final, sanitised
 * name without ever replacing an existing file ("name (1).ext"…). Any failure or cancel
 * removes the temporary file.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, mkdir, rename, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HashCounter, STREAM_BUFFER_BYTES, TransferDataError } from './hash.ts';
import { numberedName, sanitizeFileName } from './safe-name.ts';

const MAX_NUMBERED = 9999;

export class SizeLimitError extends Error {
  override name = 'SizeLimitError';
}

/** Free bytes for an unprivileged user in `dir`'s file system (its nearest existing parent). */
export async function freeSpace(dir: string): Promise<number> {
  let at = path.resolve(dir);
  for (;;) {
    try {
      const s = await statfs(at);
      return s.bavail * s.bsize;
    } catch (err) {
      const parent = path.dirname(at);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw err;
      at = parent;
    }
  }
}

/** Refuses a size we cannot store: above `maxBytes` or above the free space of `dir`. */
export async function checkSize(dir: string, size: number, maxBytes: number): Promise<void> {
  if (!Number.isSafeInteger(size) || size < 0) throw new SizeLimitError('The announced size is not a valid size.');
  if (size > maxBytes) throw new SizeLimitError('The file is larger than Parley accepts.');
  if (size > (await freeSpace(dir))) throw new SizeLimitError('There is not enough free disk space for this file.');
}

export class IncomingFile {
  readonly dir: string;
  readonly name: string;
  readonly size: number;
  readonly tempPath: string;
  readonly counter: HashCounter;
  readonly #file: WriteStream;
  #expectedSha256: string | undefined;
  #closed: Promise<void>;
  /** The file's first write error: every later push() and finish() throw it. */
  #error: Error | undefined;
  #done = false;
  #received = 0;

  private constructor(dir: string, name: string, size: number, sha256: string | undefined) {
    this.dir = dir;
    this.name = sanitizeFileName(name);
    this.size = size;
    this.#expectedSha256 = sha256;
    this.tempPath = path.join(dir, `.parley-${randomBytes(8).toString('hex')}.part`);
    this.counter = new HashCounter(size);
    this.#file = createWriteStream(this.tempPath, { flags: 'wx', mode: 0o600, highWaterMark: STREAM_BUFFER_BYTES });
    this.#closed = new Promise((resolve) => {
      this.#file.once('close', resolve);
    });
    // Hashed as handed over, written straight to the file (no stream in between: a proxy
    // relays in 4 KiB chunks, and each hop costs per chunk). Errors surface through push()/finish().
    this.#file.on('error', (err) => {
      this.#error ??= err;
    });
  }

  /** Creates the temporary file (after the user accepted); checks the size against the disk. */
  static async create(dir: string, name: string, size: number, sha256: string | undefined, maxBytes: number) {
    await mkdir(dir, { recursive: true });
    await checkSize(dir, size, maxBytes);
    const f = new IncomingFile(dir, name, size, sha256);
    await new Promise<void>((resolve, reject) => {
      f.#file.once('open', () => {
        resolve();
      });
      f.#file.once('error', reject);
    });
    return f;
  }

  /** A sha-256 (base64) announced after the offer (Jingle session-info, XEP-0234 §8.1), checked by finish(). */
  expectSha256(sha256: string): void {
    this.#expectedSha256 ??= sha256;
  }

  /** Bytes received so far (counted as they are handed over, before the disk has them). */
  get bytes(): number {
    return this.#received;
  }

  /**
   * Hands over a chunk; false: wait for 'drain' (`drained()`) before the next one. Throws
   * TransferDataError when the chunk goes beyond the announced size.
   */
  push(chunk: Buffer): boolean {
    if (this.#received + chunk.length > this.size)
      throw new TransferDataError('beyond-size', 'The sender sent more data than the announced size.');
    if (this.#error) throw this.#error;
    this.#received += chunk.length;
    this.counter.update(chunk);
    return this.#file.write(chunk);
  }

  /** Resolves once the file takes more (or has failed: the next push() throws). */
  drained(): Promise<void> {
    if (this.#error || this.#file.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#file.off('drain', done);
        this.#file.off('close', done);
        resolve();
      };
      this.#file.once('drain', done);
      this.#file.once('close', done);
    });
  }

  /** Writes a block (IBB); resolves once the file can take more (backpressure). */
  async write(chunk: Buffer): Promise<void> {
    if (!this.push(chunk)) await this.drained();
  }

  /**
   * Ends the file: checks size and hash, then moves it to its final name (never replacing a
   * file). Resolves with the final path.
   */
  async finish(): Promise<string> {
    if (this.#received !== this.size)
      throw new TransferDataError('short', 'The transfer ended before the whole file arrived.');
    if (this.#error) throw this.#error;
    await new Promise<void>((resolve, reject) => {
      this.#file.once('error', reject);
      this.#file.once('finish', resolve);
      this.#file.end();
    });
    await this.#closed;
    const digest = this.counter.digest();
    if (this.#expectedSha256 && digest !== this.#expectedSha256)
      throw new TransferDataError('hash-mismatch', 'The received file does not match the sender’s checksum.');
    const final = await placeWithoutOverwrite(this.tempPath, this.dir, this.name);
    this.#done = true;
    return final;
  }

  /** Stops writing and removes the temporary file (idempotent; no-op after a successful finish). */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#file.destroy();
    await this.#closed;
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/** Gives `temp` the name `name` in `dir`, or "name (n).ext" if taken: never replaces a file. */
export async function placeWithoutOverwrite(temp: string, dir: string, name: string): Promise<string> {
  for (let n = 0; n <= MAX_NUMBERED; n++) {
    const candidate = path.join(dir, n === 0 ? name : numberedName(name, n));
    try {
      // link() fails if the name exists: no window in which another file could be replaced.
      await link(temp, candidate);
      await unlink(temp);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') {
        // File systems without hard links (FAT, some network shares): check, then rename.
        const exists = await stat(candidate).then(
          () => true,
          () => false,
        );
        if (exists) continue;
        await rename(temp, candidate);
        return candidate;
      }
      throw err;
    }
  }
  throw new Error('Too many files with this name in the downloads folder.');
}

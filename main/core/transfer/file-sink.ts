/**
 * Saving a received file safely: nothing is created before the user accepts; the bytes go to
 * a temporary file in the target folder (created exclusively), counted and hashed while they
 * stream (more than the announced size fails at once; the sha-256 is computed by the hashing
 * worker, hash-worker.ts, so that it overlaps the socket and the disk); on completion the size
 * and the sha-256 (when the offer carried one, or sent one later) are checked and the file gets
 * its final, sanitised name without ever replacing an existing file ("name (1).ext"…). Any
 * failure or cancel removes the temporary file.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TransferDataError } from './hash.ts';
import { StreamHasher } from './hash-worker.ts';
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
  readonly #handle: FileHandle;
  /**
   * Hashes (in the worker, hash-worker.ts) and gathers what is handed over into 1 MiB blocks,
   * each written to the file at its place: one write per MiB, however small the chunks (a proxy
   * relays in 4 KiB ones), and nothing else on this thread but a copy.
   */
  readonly #hasher: StreamHasher;
  #expectedSha256: string | undefined;
  /** The offer announced a checksum to come (XEP-0300 hash-used): how long finish() waits for it. */
  #awaitSha256Ms: number | undefined;
  /** finish() waiting for that checksum. */
  #checksumWaiter: ((sha256: string | Error) => void) | undefined;
  #closed: Promise<void> | undefined;
  #done = false;
  #received = 0;

  private constructor(
    dir: string,
    name: string,
    size: number,
    sha256: string | undefined,
    tempPath: string,
    handle: FileHandle,
  ) {
    this.dir = dir;
    this.name = sanitizeFileName(name);
    this.size = size;
    this.#expectedSha256 = sha256;
    this.tempPath = tempPath;
    this.#handle = handle;
    this.#hasher = new StreamHasher((block, position, done) => {
      handle.write(block, 0, block.length, position).then(() => {
        done();
      }, done);
    });
  }

  /** Creates the temporary file (after the user accepted); checks the size against the disk. */
  static async create(dir: string, name: string, size: number, sha256: string | undefined, maxBytes: number) {
    await mkdir(dir, { recursive: true });
    await checkSize(dir, size, maxBytes);
    const tempPath = path.join(dir, `.parley-${randomBytes(8).toString('hex')}.part`);
    const handle = await open(tempPath, 'wx', 0o600);
    return new IncomingFile(dir, name, size, sha256, tempPath, handle);
  }

  /** A sha-256 (base64) announced after the offer (Jingle session-info, XEP-0234 §8.1), checked by finish(). */
  expectSha256(sha256: string): void {
    this.#expectedSha256 ??= sha256;
    this.#checksumWaiter?.(this.#expectedSha256);
  }

  /**
   * The offer announced that a sha-256 follows (XEP-0300 `<hash-used/>`, XEP-0234 §8.1): once
   * the bytes are in, finish() waits up to `ms` for expectSha256() before it checks the file, and
   * fails (hash-mismatch: the file cannot be verified) if none comes.
   */
  awaitSha256(ms: number): void {
    this.#awaitSha256Ms = ms;
  }

  /** Bytes received so far (counted as they are handed over, before the disk has them). */
  get bytes(): number {
    return this.#received;
  }

  /**
   * Hands over a chunk (copied at once: the caller may reuse it); false: wait for `drained()`
   * before the next one. Throws TransferDataError when the chunk goes beyond the announced
   * size, and the first write or hashing error.
   */
  push(chunk: Buffer): boolean {
    if (this.#received + chunk.length > this.size)
      throw new TransferDataError('beyond-size', 'The sender sent more data than the announced size.');
    this.#hasher.update(chunk);
    this.#received += chunk.length;
    return !this.#hasher.full;
  }

  /** Resolves once the file and the hashing take more (or have failed: the next push() throws). */
  drained(): Promise<void> {
    return this.#hasher.caughtUp();
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
    const stopped = () => new TransferDataError('short', 'The transfer was stopped.');
    const digest = await this.#hasher.digest().catch((err: unknown) => {
      throw this.#done ? stopped() : err;
    });
    if (this.#done) throw stopped();
    await this.#close();
    if (this.#expectedSha256 === undefined && this.#awaitSha256Ms !== undefined)
      await this.#checksum(this.#awaitSha256Ms);
    if (this.#expectedSha256 && digest !== this.#expectedSha256)
      throw new TransferDataError('hash-mismatch', 'The received file does not match the sender’s checksum.');
    const final = await placeWithoutOverwrite(this.tempPath, this.dir, this.name);
    this.#done = true;
    return final;
  }

  #close(): Promise<void> {
    this.#closed ??= this.#handle.close();
    return this.#closed;
  }

  /** Waits for the announced checksum (expectSha256), at most `ms`. */
  async #checksum(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const got = await new Promise<string | Error>((resolve) => {
      this.#checksumWaiter = resolve;
      timer = setTimeout(() => {
        resolve(
          new TransferDataError('hash-mismatch', 'The sender never sent the file’s checksum: it cannot be verified.'),
        );
      }, ms);
    });
    clearTimeout(timer);
    this.#checksumWaiter = undefined;
    if (got instanceof Error) throw got;
  }

  /** Stops writing and removes the temporary file (idempotent; no-op after a successful finish). */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#checksumWaiter?.(new TransferDataError('short', 'The transfer was stopped.'));
    await this.#hasher.dispose(); // writes in progress end first
    await this.#close().catch(() => undefined);
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

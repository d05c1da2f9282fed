/**
 * File transfer (issue 6): staging. A sandboxed renderer holds File objects, not paths; it
 * copies a file here chunk by chunk ('transfer.stageBegin' / 'stageChunk' / 'stageEnd') and
 * then offers or uploads the staged path. Each stage is a private folder
 * `<dir>/<stageId>/` holding the file under its sanitised name (the name the peer sees).
 *
 * Safety: the announced size is limited, every chunk must start exactly where the previous one
 * ended and may not go beyond the announced size, the file is complete only at exactly that
 * size, few stages may be open at once, stages left unfinished are removed after `idleMs`,
 * finished ones once their transfer has ended (`release`) or after `keepMs`, and everything on
 * `close()` and at start (leftovers of a crash).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { STAGE_CHUNK_BYTES } from '../../preload/contract.ts';
import { CoreError } from './errors.ts';
import { sanitizeFileName } from './transfer/safe-name.ts';

/** Default largest file that can be staged. */
export const STAGE_MAX_BYTES = 4 * 1024 ** 3;
const STAGE_ID = /^[0-9a-f]{24}$/u;
/** A plain media type ("image/png"): anything else is dropped rather than sent in a header. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/iu;

export interface StagingOptions {
  /** The private staging folder (created 0700; emptied at start). */
  dir: string;
  maxBytes?: number;
  /** Stages open (not ended) at once. */
  maxOpen?: number;
  /** An unfinished stage untouched this long is removed. */
  idleMs?: number;
  /** A finished stage not released this long is removed. */
  keepMs?: number;
  now?: () => number;
}

interface Stage {
  id: string;
  name: string;
  size: number;
  mediaType: string | undefined;
  file: string;
  handle: FileHandle | undefined;
  received: number;
  busy: boolean;
  done: boolean;
  touchedAt: number;
}

export class TransferStaging {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #maxOpen: number;
  readonly #idleMs: number;
  readonly #keepMs: number;
  readonly #now: () => number;
  readonly #stages = new Map<string, Stage>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: StagingOptions) {
    this.#dir = options.dir;
    this.#maxBytes = options.maxBytes ?? STAGE_MAX_BYTES;
    this.#maxOpen = options.maxOpen ?? 16;
    this.#idleMs = options.idleMs ?? 5 * 60_000;
    this.#keepMs = options.keepMs ?? 24 * 3600_000;
    this.#now = options.now ?? Date.now;
    // Whatever an earlier run left behind is abandoned by definition.
    rmSync(this.#dir, { recursive: true, force: true });
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
  }

  /** Sweeps every `intervalMs` (unref'd: never keeps the process alive). */
  startSweeping(intervalMs = 60_000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweep(), intervalMs);
    this.#timer.unref();
  }

  async begin(input: { name: string; size: number; mediaType?: string | undefined }): Promise<{ stageId: string }> {
    if (this.#closed) throw new CoreError('internal', 'Parley is shutting down.');
    if (!Number.isSafeInteger(input.size) || input.size < 0)
      throw new CoreError('bad-request', 'The file size is not valid.');
    if (input.size > this.#maxBytes) throw new CoreError('not-acceptable', 'The file is too large to send.');
    const unfinished = [...this.#stages.values()].filter((s) => !s.done).length;
    if (unfinished >= this.#maxOpen) throw new CoreError('not-allowed', 'Too many files are being prepared at once.');
    const id = randomBytes(12).toString('hex');
    const folder = path.join(this.#dir, id);
    const name = sanitizeFileName(input.name);
    const file = path.join(folder, name);
    const stage: Stage = {
      id,
      name,
      size: input.size,
      mediaType: input.mediaType !== undefined && MEDIA_TYPE.test(input.mediaType) ? input.mediaType : undefined,
      file,
      handle: undefined,
      received: 0,
      busy: true,
      done: false,
      touchedAt: this.#now(),
    };
    this.#stages.set(id, stage);
    try {
      await mkdir(folder, { mode: 0o700 });
      stage.handle = await open(file, 'wx', 0o600);
    } catch (err) {
      this.#stages.delete(id);
      await rm(folder, { recursive: true, force: true });
      throw new CoreError('internal', 'The file could not be prepared for sending.', { cause: err });
    } finally {
      stage.busy = false;
    }
    return { stageId: id };
  }

  #get(stageId: string): Stage {
    const stage = STAGE_ID.test(stageId) ? this.#stages.get(stageId) : undefined;
    if (!stage) throw new CoreError('not-found', 'This file is no longer being prepared.');
    return stage;
  }

  /** Writes `data` (base64) at `offset`, which must be where the previous chunk ended. */
  async chunk(input: { stageId: string; offset: number; data: string }): Promise<{ received: number }> {
    const stage = this.#get(input.stageId);
    if (stage.done) throw new CoreError('bad-request', 'This file is already complete.');
    if (stage.busy) throw new CoreError('bad-request', 'Chunks must be sent one at a time.');
    if (input.offset !== stage.received)
      throw new CoreError(
        'bad-request',
        `Expected the chunk at ${String(stage.received)}, not ${String(input.offset)}.`,
      );
    const bytes = Buffer.from(input.data, 'base64');
    if (bytes.length > STAGE_CHUNK_BYTES) throw new CoreError('bad-request', 'The chunk is too large.');
    if (stage.received + bytes.length > stage.size) {
      await this.abort(stage.id);
      throw new CoreError('bad-request', 'More data than the announced file size.');
    }
    stage.busy = true;
    try {
      const handle = stage.handle;
      if (!handle) throw new Error('not open');
      let written = 0;
      while (written < bytes.length) {
        const r = await handle.write(bytes, written, bytes.length - written, stage.received + written);
        written += r.bytesWritten;
      }
      stage.received += bytes.length;
      stage.touchedAt = this.#now();
    } catch (err) {
      stage.busy = false;
      await this.abort(stage.id);
      throw new CoreError('internal', 'The file could not be prepared for sending.', { cause: err });
    }
    stage.busy = false;
    return { received: stage.received };
  }

  /** Completes a stage: its path, once every announced byte is in. */
  async end(stageId: string): Promise<{ path: string; name: string; mediaType?: string }> {
    const stage = this.#get(stageId);
    if (stage.busy) throw new CoreError('bad-request', 'A chunk is still being written.');
    if (!stage.done) {
      if (stage.received !== stage.size) {
        await this.abort(stage.id);
        throw new CoreError(
          'bad-request',
          `The file is incomplete (${String(stage.received)} of ${String(stage.size)} bytes).`,
        );
      }
      stage.busy = true;
      try {
        await stage.handle?.close();
      } finally {
        stage.busy = false;
      }
      stage.handle = undefined;
      stage.done = true;
      stage.touchedAt = this.#now();
    }
    return { path: stage.file, name: stage.name, ...(stage.mediaType ? { mediaType: stage.mediaType } : {}) };
  }

  /** The media type announced for a finished staged file (for its upload's Content-Type). */
  /** Whether `filePath` is a finished stage's file: the only files a renderer may send. */
  isStaged(filePath: string): boolean {
    for (const stage of this.#stages.values()) if (stage.done && stage.file === filePath) return true;
    return false;
  }

  mediaTypeOf(filePath: string): string | undefined {
    for (const stage of this.#stages.values()) if (stage.done && stage.file === filePath) return stage.mediaType;
    return undefined;
  }

  /** Drops a stage and its file (unknown ids are ignored). */
  async abort(stageId: string): Promise<void> {
    const stage = STAGE_ID.test(stageId) ? this.#stages.get(stageId) : undefined;
    if (!stage) return;
    this.#stages.delete(stageId);
    await stage.handle?.close().catch(() => undefined);
    stage.handle = undefined;
    await rm(path.dirname(stage.file), { recursive: true, force: true });
  }

  /** A transfer of a staged file ended: its copy is no longer needed. Other paths are ignored. */
  async release(filePath: string): Promise<void> {
    for (const stage of this.#stages.values()) {
      if (stage.done && stage.file === filePath) await this.abort(stage.id);
    }
  }

  /** Removes unfinished stages idle for `idleMs` and finished ones older than `keepMs`. */
  async sweep(): Promise<void> {
    const now = this.#now();
    const stale = [...this.#stages.values()].filter(
      (s) => !s.busy && now - s.touchedAt >= (s.done ? this.#keepMs : this.#idleMs),
    );
    for (const s of stale) await this.abort(s.id);
  }

  /** How many stages exist (tests). */
  get size(): number {
    return this.#stages.size;
  }

  /** Removes every stage and the folder's contents. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const id of [...this.#stages.keys()]) await this.abort(id);
    await rm(this.#dir, { recursive: true, force: true });
  }
}

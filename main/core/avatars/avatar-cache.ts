/**
 * Avatars on disk, by SHA-1: one file `<sha1>.<ext>` per image in the cache folder.
 *
 * Nothing from the network reaches the file system as a name: a file's name is made only of a
 * validated lowercase SHA-1 hex string (which the data must hash to) and the extension of the
 * type its bytes were sniffed as. Files are written under a temporary name and renamed, so a
 * reader never sees half an image; what is read back is checked again (hash and type), so a
 * damaged or planted file is dropped rather than shown.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkAvatarData,
  IMAGE_EXTENSIONS,
  IMAGE_TYPES,
  MAX_AVATAR_BYTES,
  normalizeSha1,
  type AvatarRejection,
  type ImageType,
} from '../xmpp/avatar.ts';

export interface CachedAvatar {
  data: Buffer;
  type: ImageType;
}

export type PutResult = { ok: true; type: ImageType; path: string } | { ok: false; reason: AvatarRejection };

const FILE_NAME = /^([0-9a-f]{40})\.(png|jpg|gif|webp)$/u;
const TEMP_NAME = /^\.[0-9a-f]{40}\.[0-9a-f-]{36}\.tmp$/u;
/** A temporary file older than this is left over from a crash, not a write in progress. */
const STALE_TEMP_MS = 60_000;
/** Files outside the keep set that prune() spares by default: the most recently used ones. */
export const DEFAULT_SPARE = 50;

const isMissing = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';

export class AvatarCache {
  readonly folder: string;
  /** Where each hash was last seen (saves probing every extension). */
  readonly #known = new Map<string, ImageType>();

  constructor(folder: string) {
    this.folder = folder;
  }

  #file(hash: string, type: ImageType): string {
    return join(this.folder, `${hash}.${IMAGE_EXTENSIONS[type]}`);
  }

  /** The type of the cached file for a (validated) hash, if there is one. */
  async #locate(hash: string): Promise<ImageType | undefined> {
    const hint = this.#known.get(hash);
    const order = hint ? [hint, ...IMAGE_TYPES.filter((t) => t !== hint)] : IMAGE_TYPES;
    for (const type of order) {
      try {
        const info = await stat(this.#file(hash, type));
        if (info.isFile()) {
          this.#known.set(hash, type);
          return type;
        }
      } catch (err) {
        if (!isMissing(err)) throw err;
      }
    }
    this.#known.delete(hash);
    return undefined;
  }

  /**
   * Stores an avatar under its hash, after checking it (the hash, the size, the image type by its
   * magic numbers and its dimensions). Rejected data changes nothing on disk.
   */
  async put(hash: string, data: Uint8Array): Promise<PutResult> {
    const id = normalizeSha1(hash);
    if (!id) return { ok: false, reason: 'hash' };
    const checked = checkAvatarData(data, id);
    if (!checked.ok) return checked;
    const path = this.#file(id, checked.type);
    if ((await this.#locate(id)) === checked.type) {
      await this.#touch(path);
      return { ok: true, type: checked.type, path };
    }
    await mkdir(this.folder, { recursive: true });
    const temp = join(this.folder, `.${id}.${randomUUID()}.tmp`);
    try {
      await writeFile(temp, data, { flag: 'wx' });
      await rename(temp, path);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    this.#known.set(id, checked.type);
    return { ok: true, type: checked.type, path };
  }

  /** The avatar with this hash, checked again as it is read; undefined when absent or damaged (then removed). */
  async get(hash: string): Promise<CachedAvatar | undefined> {
    const id = normalizeSha1(hash);
    if (!id) return undefined;
    const type = await this.#locate(id);
    if (!type) return undefined;
    const path = this.#file(id, type);
    let data: Buffer;
    try {
      const info = await stat(path);
      if (info.size > MAX_AVATAR_BYTES) {
        await this.#remove(id, path);
        return undefined;
      }
      data = await readFile(path);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const checked = checkAvatarData(data, id);
    if (!checked.ok || checked.type !== type) {
      await this.#remove(id, path);
      return undefined;
    }
    await this.#touch(path);
    return { data, type };
  }

  async has(hash: string): Promise<boolean> {
    const id = normalizeSha1(hash);
    return id !== undefined && (await this.#locate(id)) !== undefined;
  }

  /** The file of a cached avatar (e.g. for a notification icon); undefined when not cached. */
  async path(hash: string): Promise<string | undefined> {
    const id = normalizeSha1(hash);
    const type = id ? await this.#locate(id) : undefined;
    return id && type ? this.#file(id, type) : undefined;
  }

  /**
   * Removes avatars nobody shows any more: every cached hash not in `keep` except the `spare`
   * most recently used ones (by modification time, which get/put refresh), and temporary files
   * left over from a crash. Files that are not the cache's own are left alone. Returns the
   * hashes removed.
   */
  async prune(keep: ReadonlySet<string>, spare = DEFAULT_SPARE): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    const keepIds = new Set([...keep].flatMap((h) => normalizeSha1(h) ?? []));
    const now = Date.now();
    const candidates: { id: string; path: string; used: number }[] = [];
    for (const name of names) {
      const path = join(this.folder, name);
      if (TEMP_NAME.test(name)) {
        const info = await stat(path).catch(() => undefined);
        if (info && now - info.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => undefined);
        continue;
      }
      const id = FILE_NAME.exec(name)?.[1];
      if (!id || keepIds.has(id)) continue;
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) candidates.push({ id, path, used: info.mtimeMs });
    }
    candidates.sort((a, b) => b.used - a.used);
    const removed: string[] = [];
    for (const { id, path } of candidates.slice(Math.max(0, spare))) {
      await this.#remove(id, path);
      removed.push(id);
    }
    return removed;
  }

  async #remove(id: string, path: string): Promise<void> {
    this.#known.delete(id);
    await unlink(path).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
  }

  /** Marks a file as recently used (best effort: a read-only cache still works). */
  async #touch(path: string): Promise<void> {
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
  }
}

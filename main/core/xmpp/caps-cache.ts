/**
 * The XEP-0115 caps cache: disco#info answers by verification string, shared by every
 * contact (and account) that advertises the same one, kept across sessions.
 *
 * Only a verified entry is ever stored: the answer is well-formed and its recomputed hash
 * equals the `ver` it is stored under (XEP-0115 §5.4); an entry read back is checked again.
 *
 * The SQL repository expects this table (its migration is still to be added under
 * archive/migrations/; `CAPS_CACHE_DDL` is its exact text):
 *
 *   CREATE TABLE caps_cache (
 *     ver TEXT PRIMARY KEY,         -- the verification string (Base64)
 *     info TEXT NOT NULL,           -- JSON: { "hash": "sha-1", "info": DiscoInfo }
 *     updated_at INTEGER NOT NULL   -- ms since the epoch of the last store
 *   ) STRICT;
 */
import type { Db } from '../archive/open.ts';
import { verifyCaps, type DiscoForm, type DiscoIdentity, type DiscoInfo } from './disco.ts';

export const CAPS_CACHE_DDL = `CREATE TABLE caps_cache (
  ver TEXT PRIMARY KEY,
  info TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT`;

export interface CapsCache {
  get(ver: string): DiscoInfo | undefined;
  /**
   * Stores `info` under `ver` if it verifies (hash function `hash`, SHA-1 by default);
   * true when stored, false when refused.
   */
  put(ver: string, info: DiscoInfo, hash?: string): boolean;
}

/** The node is the asker's, not part of what the hash covers: it is not stored. */
function stripNode(info: DiscoInfo): DiscoInfo {
  return {
    identities: info.identities.map((i) => ({ ...i })),
    features: [...info.features],
    forms: info.forms.map((f) => ({
      formType: f.formType,
      fields: f.fields.map((x) => ({ ...x, values: [...x.values] })),
    })),
  };
}

// --- JSON read back: validated, never trusted ----------------------------------------------

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function identityFrom(v: unknown): DiscoIdentity | undefined {
  if (!isRecord(v) || !isString(v['category']) || !isString(v['type'])) return undefined;
  const { name, lang } = v;
  if ((name !== undefined && !isString(name)) || (lang !== undefined && !isString(lang))) return undefined;
  return {
    category: v['category'],
    type: v['type'],
    ...(name !== undefined ? { name } : {}),
    ...(lang !== undefined ? { lang } : {}),
  };
}

function formFrom(v: unknown): DiscoForm | undefined {
  if (!isRecord(v) || !isString(v['formType']) || !Array.isArray(v['fields'])) return undefined;
  const fields: DiscoForm['fields'] = [];
  for (const f of v['fields'] as unknown[]) {
    if (!isRecord(f) || !isString(f['var']) || !Array.isArray(f['values'])) return undefined;
    const values = f['values'] as unknown[];
    if (!values.every(isString)) return undefined;
    const type = f['type'];
    if (type !== undefined && !isString(type)) return undefined;
    fields.push({ var: f['var'], values, ...(type !== undefined ? { type } : {}) });
  }
  return { formType: v['formType'], fields };
}

/** A stored entry, or undefined when it is not one (damaged, or from another version). */
export function entryFromJson(json: string): { hash: string; info: DiscoInfo } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !isString(value['hash']) || !isRecord(value['info'])) return undefined;
  const raw = value['info'];
  if (!Array.isArray(raw['identities']) || !Array.isArray(raw['features']) || !Array.isArray(raw['forms']))
    return undefined;
  const identities = (raw['identities'] as unknown[]).map(identityFrom);
  const features = raw['features'] as unknown[];
  const forms = (raw['forms'] as unknown[]).map(formFrom);
  if (!identities.every((i) => i !== undefined) || !features.every(isString) || !forms.every((f) => f !== undefined))
    return undefined;
  return { hash: value['hash'], info: { identities, features, forms } };
}

// --- in memory ----------------------------------------------------------------------------

/** A cache in memory, holding at most `max` entries (the least recently used go first). */
export function createMemoryCapsCache(max = 1000): CapsCache {
  const entries = new Map<string, DiscoInfo>();
  return {
    get(ver) {
      const info = entries.get(ver);
      if (info === undefined) return undefined;
      entries.delete(ver);
      entries.set(ver, info);
      return stripNode(info);
    },
    put(ver, info, hash = 'sha-1') {
      if (!verifyCaps(info, ver, hash)) return false;
      entries.delete(ver);
      entries.set(ver, stripNode(info));
      while (entries.size > max) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      return true;
    },
  };
}

// --- SQLite ----------------------------------------------------------------------------------

export type CapsCacheRepo = ReturnType<typeof createCapsCacheRepo>;

/** The cache in the archive's `caps_cache` table (see above). `now` gives ms since the epoch. */
export function createCapsCacheRepo(db: Db, now: () => number = Date.now) {
  const select = db.prepare<[string], { info: string }>('SELECT info FROM caps_cache WHERE ver = ?');
  const upsert = db.prepare<[string, string, number]>(`
    INSERT INTO caps_cache (ver, info, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (ver) DO UPDATE SET info = excluded.info, updated_at = excluded.updated_at`);
  const remove = db.prepare<[string]>('DELETE FROM caps_cache WHERE ver = ?');
  const prune = db.prepare<[number]>('DELETE FROM caps_cache WHERE updated_at < ?');
  return {
    get(ver: string): DiscoInfo | undefined {
      const row = select.get(ver);
      if (!row) return undefined;
      const entry = entryFromJson(row.info);
      // Checked again: a damaged or tampered row is dropped, not believed.
      if (!entry || !verifyCaps(entry.info, ver, entry.hash)) {
        remove.run(ver);
        return undefined;
      }
      return entry.info;
    },
    put(ver: string, info: DiscoInfo, hash = 'sha-1'): boolean {
      if (!verifyCaps(info, ver, hash)) return false;
      upsert.run(ver, JSON.stringify({ hash, info: stripNode(info) }), now());
      return true;
    },
    /** Forgets entries not stored since `before` (ms); returns how many. */
    prune(before: number): number {
      return prune.run(before).changes;
    },
  } satisfies CapsCache & { prune(before: number): number };
}

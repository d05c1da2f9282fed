/**
 * What the quick switcher and the new-conversation dialog offer: the open and
 * recent conversations and the contacts of every account, one entry per
 * (account, address), filtered by name or address as the user types.
 */
import { foldForSearch } from '../roster/roster-model.ts';

export interface SwitchEntry {
  /** The conversation key (account, address). */
  key: string;
  accountId: string;
  peer: string;
  name: string;
}

export interface SwitchSource {
  accountId: string;
  peer: string;
  name?: string | undefined;
}

/** Longest address the core accepts (a bare JID: two parts of at most 1023 bytes each). */
const MAX_ADDRESS = 2047;
const ADDRESS = /^[^\s@/"&'<>:]+@[^\s@/"&'<>:]+$/u;

/** A bare address the user typed ("name@example.org"), trimmed and lower-cased, or undefined. */
export function typedAddress(text: string): string | undefined {
  const value = text.trim();
  if (value.length === 0 || value.length > MAX_ADDRESS || !ADDRESS.test(value)) return undefined;
  const [, domain = ''] = value.split('@');
  if (domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) return undefined;
  return value.toLowerCase();
}

/**
 * The entries in order: conversations first (as given: most recent first), then contacts
 * not already listed (as given: by name). Duplicates by key keep the first.
 */
export function mergeEntries(
  keyOf: (s: { accountId: string; peer: string }) => string,
  conversations: readonly SwitchSource[],
  contacts: readonly SwitchSource[],
): SwitchEntry[] {
  const seen = new Map<string, SwitchEntry>();
  for (const s of [...conversations, ...contacts]) {
    const key = keyOf(s);
    const known = seen.get(key);
    if (known !== undefined) {
      // A contact's roster name beats the conversation's fallback (its address).
      if (known.name === known.peer && s.name !== undefined && s.name !== '') known.name = s.name;
      continue;
    }
    seen.set(key, {
      key,
      accountId: s.accountId,
      peer: s.peer,
      name: s.name === undefined || s.name === '' ? s.peer : s.name,
    });
  }
  return [...seen.values()];
}

/** The entries whose name or address contains the query (accents, case and width folded). */
export function filterEntries(entries: readonly SwitchEntry[], query: string, limit = 50): SwitchEntry[] {
  const q = foldForSearch(query.trim());
  const out: SwitchEntry[] = [];
  for (const e of entries) {
    if (out.length >= limit) break;
    if (q === '' || foldForSearch(e.name).includes(q) || foldForSearch(e.peer).includes(q)) out.push(e);
  }
  return out;
}

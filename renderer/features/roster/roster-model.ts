/**
 * The roster as rows: pure functions, no React, no DOM (unit-tested in Node).
 *
 * 1. `createRosterBuilder(compare)` groups each account's contacts by roster group (a contact
 *    in several groups is in each; none: "Ungrouped", listed last; groups by name).
 * 2. `flattenRoster(model, options)` lays the groups out as rows for a virtualized list:
 *    account headings, group headers, contacts; with the filter (name or address, ignoring
 *    case, accents and width, so also for Chinese), offline contacts hidden unless asked for
 *    (a contact with unread messages always shows; a filter finds everyone), collapsed groups.
 * 3. Moving the focus with the keyboard; the rows in view; collapsed groups in storage.
 *
 * Within a group, contacts go by presence (chat, available, away, xa, dnd, offline), then
 * name (the locale's collator), then address.
 *
 * Built for thousands of contacts: the work that does not depend on what is on screen is
 * linear and allocates little (grouping, counting, filtering); a group is sorted only when
 * one of its rows is first asked for, and the text a filter searches is folded the first
 * time a filter needs it (and kept while the contact object is the same). So the first paint of
 * 5,000 contacts sorts the two or three groups in view, not the roster; rows have fixed
 * heights, so where each one is follows from the counts alone.
 */
import type { Contact, Show } from '../../../preload/contract.ts';

export type Compare = (a: string, b: string) => number;

/** Presence order on the list: free to chat first, offline last. */
export const PRESENCE_ORDER: readonly Show[] = ['chat', 'available', 'away', 'xa', 'dnd', 'offline'];
const RANK: Readonly<Record<Show, number>> = { chat: 0, available: 1, away: 2, xa: 3, dnd: 4, offline: 5 };

export const presenceRank = (show: Show): number => RANK[show];
export const isOnline = (c: Pick<Contact, 'show'>): boolean => c.show !== 'offline';

const NON_ASCII = /\P{ASCII}/u;
const MARKS = /\p{M}+/gu;

/**
 * Text folded for a substring search: compatibility decomposition (full-width Latin and
 * other width variants become plain letters), accents and other combining marks dropped,
 * lower case. Han characters pass through unchanged, so Chinese names match as typed.
 */
export function foldForSearch(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFKD').replace(MARKS, '').toLowerCase() : text.toLowerCase();
}

/** One account's contacts, as `useRosters` gives them. */
export interface AccountRoster {
  accountId: string;
  contacts: readonly Contact[];
}

export interface RosterEntry {
  readonly contact: Contact;
  readonly online: boolean;
  /** Folded name and address (see `searchText`), made when a filter first needs them. */
  search?: string;
}

/** Folded texts by contact object: kept across rebuilds while the contact is unchanged. */
const folded = new WeakMap<Contact, string>();

/** Name and address, folded, one line each: what the filter looks in. */
export function searchText(entry: RosterEntry): string {
  if (entry.search === undefined) {
    const { contact } = entry;
    let text = folded.get(contact);
    if (text === undefined) {
      text = `${foldForSearch(contact.name)}\n${foldForSearch(contact.jid)}`;
      folded.set(contact, text);
    }
    entry.search = text;
  }
  return entry.search;
}

// --- names in the locale's order, quickly ---------------------------------------------

/** Folded text the collator orders like plain text: Latin letters (accents aside), digits, spaces. */
const PLAIN = /^[a-z0-9 ]*$/u;
const DIGIT = /[0-9]/u;

/**
 * A key that orders like the locale's collator (base sensitivity, numeric) for names made of
 * Latin letters, with or without accents, digits and spaces — most names and group names —
 * else null (the collator decides). The collator is slow, the more so before it is warm: it
 * is what sorting the groups on screen cost before the first paint.
 */
export function plainKey(text: string): string | null {
  const key = foldForSearch(text);
  return PLAIN.test(key) ? key : null;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Compares two plain keys as the collator would: space before digits before letters (as in
 * ASCII), digit runs by their value (leading zeros aside).
 */
export function comparePlain(a: string, b: string): number {
  if (!DIGIT.test(a) || !DIGIT.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      let si = i;
      let sj = j;
      while (si < ei - 1 && a.charCodeAt(si) === 48) si++;
      while (sj < ej - 1 && b.charCodeAt(sj) === 48) sj++;
      const da = a.slice(si, ei);
      const db = b.slice(sj, ej);
      if (da.length !== db.length) return da.length - db.length < 0 ? -1 : 1;
      if (da !== db) return da < db ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca < cb ? -1 : 1;
    i++;
    j++;
  }
  return i < a.length ? 1 : j < b.length ? -1 : 0;
}

/** `compare` with the plain keys' shortcut; keys are kept per name (bounded). */
export function withPlainKeys(compare: Compare): Compare {
  const keys = new Map<string, string | null>();
  const keyOf = (text: string): string | null => {
    let key = keys.get(text);
    if (key === undefined) {
      if (keys.size >= 50_000) keys.clear();
      key = plainKey(text);
      keys.set(text, key);
    }
    return key;
  };
  return (a, b) => {
    const ka = keyOf(a);
    const kb = ka === null ? null : keyOf(b);
    return ka !== null && kb !== null ? comparePlain(ka, kb) : compare(a, b);
  };
}

export interface RosterGroupModel {
  /** Unique across accounts: account id, NUL, group name. */
  readonly id: string;
  readonly accountId: string;
  /** The roster group's name; '' for the contacts in no group. */
  readonly name: string;
  readonly ungrouped: boolean;
  /** The group's contacts, in no particular order. */
  readonly members: readonly RosterEntry[];
  /** Of `members`, how many are online (any presence but offline). */
  readonly online: number;
  /** The members sorted: presence, then name, then address (sorted on the first call). */
  sorted(): readonly RosterEntry[];
}

export interface RosterAccountModel {
  readonly accountId: string;
  /** Sorted by name; "Ungrouped" last. */
  readonly groups: readonly RosterGroupModel[];
  /** Distinct contacts of the account. */
  readonly total: number;
}

export const groupId = (accountId: string, name: string): string => `${accountId}\u0000${name}`;

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A contact's groups: trimmed, without blanks or repeats; [''] for none. */
export function groupsOf(contact: Pick<Contact, 'groups'>): string[] {
  const { groups } = contact;
  if (groups.length === 1) {
    const name = groups[0]?.trim() ?? '';
    return [name];
  }
  const names = new Set<string>();
  for (const g of groups) {
    const name = g.trim();
    if (name !== '') names.add(name);
  }
  return names.size === 0 ? [''] : [...names];
}

function group(
  accountId: string,
  name: string,
  members: RosterEntry[],
  online: number,
  compare: Compare,
): RosterGroupModel {
  let sorted: RosterEntry[] | undefined;
  return {
    id: groupId(accountId, name),
    accountId,
    name,
    ungrouped: name === '',
    members,
    online,
    sorted() {
      sorted ??= [...members].sort(
        (a, b) =>
          RANK[a.contact.show] - RANK[b.contact.show] ||
          compare(a.contact.name, b.contact.name) ||
          byCodePoint(a.contact.jid, b.contact.jid),
      );
      return sorted;
    },
  };
}

/** A roster builder for one locale: call it with every change of the rosters. */
export function createRosterBuilder(
  localeCompare: Compare,
): (accounts: readonly AccountRoster[]) => RosterAccountModel[] {
  const compare = withPlainKeys(localeCompare);
  return (accounts) =>
    accounts.map(({ accountId, contacts }): RosterAccountModel => {
      // The one pass over every contact before the first paint, often still interpreted
      // (cold): no calls or closures for the usual one group or none.
      const buckets = new Map<string, { members: RosterEntry[]; online: number }>();
      for (const contact of contacts) {
        const online = contact.show !== 'offline';
        const entry: RosterEntry = { contact, online };
        const groups = contact.groups;
        if (groups.length <= 1) {
          const name = groups.length === 0 ? '' : (groups[0] ?? '').trim();
          let bucket = buckets.get(name);
          if (bucket === undefined) buckets.set(name, (bucket = { members: [], online: 0 }));
          bucket.members.push(entry);
          if (online) bucket.online++;
          continue;
        }
        for (const name of groupsOf(contact)) {
          let bucket = buckets.get(name);
          if (bucket === undefined) buckets.set(name, (bucket = { members: [], online: 0 }));
          bucket.members.push(entry);
          if (online) bucket.online++;
        }
      }
      const names = [...buckets.keys()].sort((a, b) => {
        if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
        return compare(a, b) || byCodePoint(a, b);
      });
      return {
        accountId,
        groups: names.map((name) => {
          const bucket = buckets.get(name) ?? { members: [], online: 0 };
          return group(accountId, name, bucket.members, bucket.online, compare);
        }),
        total: contacts.length,
      };
    });
}

export function buildRoster(accounts: readonly AccountRoster[], compare: Compare): RosterAccountModel[] {
  return createRosterBuilder(compare)(accounts);
}

// --- rows -----------------------------------------------------------------------------

/** Fixed heights (CSS pixels) of each kind of row; styles.css gives the rows the same. */
export const ROW_HEIGHT = { account: 32, group: 30, contact: 52, empty: 30 } as const;
export type RowKind = keyof typeof ROW_HEIGHT;

export type RosterRow =
  | { readonly kind: 'account'; readonly key: string; readonly accountId: string }
  | {
      readonly kind: 'group';
      readonly key: string;
      readonly group: RosterGroupModel;
      readonly expanded: boolean;
      /** Contacts of the group that pass the filter and the offline rule. */
      readonly shown: number;
    }
  | {
      readonly kind: 'contact';
      readonly key: string;
      readonly entry: RosterEntry;
      readonly group: RosterGroupModel;
      readonly unread: number;
      /** 1-based place among the group's shown contacts, and their number (aria-posinset/setsize). */
      readonly position: number;
      readonly size: number;
    }
  | { readonly kind: 'empty'; readonly key: string; readonly accountId: string };

export interface FlattenOptions {
  /** As typed; folded here. Blank: no filter. */
  query: string;
  showOffline: boolean;
  /** Group ids (`groupId`) whose contacts are hidden. */
  collapsed: ReadonlySet<string>;
  /** Several accounts: a heading row above each one's groups. */
  headings: boolean;
  /** Unread messages with a contact (such a contact is shown even when offline). */
  unreadOf?: (contact: Contact) => number;
}

/** The rows, made on demand (only those on screen are ever made). */
export interface RosterRows {
  readonly count: number;
  /** All rows' height (px). */
  readonly height: number;
  /** Distinct contacts that passed the filter (shown, or in a collapsed group). */
  readonly matches: number;
  /** A filter was applied. */
  readonly filtering: boolean;
  /** Row `index` (0 <= index < count); the same object on every call. */
  row(index: number): RosterRow;
  kind(index: number): RowKind;
  /** The top of row `index` (px); top(count) is the height. */
  top(index: number): number;
  /** The row at `y` px (clamped to the rows). */
  indexAt(y: number): number;
  /** The index of the row with this key, or -1. */
  indexOfKey(key: string): number;
  /** The first row of this contact, or -1. */
  indexOfContact(accountId: string, jid: string): number;
}

/** A run of rows: an account heading, an "empty" note, or a group header and its contacts. */
interface Segment {
  /** Index of its first row. */
  index: number;
  top: number;
  kind: 'account' | 'empty' | 'group';
  accountId: string;
  group?: RosterGroupModel;
  expanded: boolean;
  /** Contacts shown (rows after the header when expanded). */
  shown: number;
  /** Rows in the segment. */
  rows: number;
  /** The shown contacts, in order (made on first use). */
  entries?: () => readonly RosterEntry[];
}

const contactKey = (groupIdValue: string, jid: string): string => `c\u0000${groupIdValue}\u0000${jid}`;
export const groupKey = (groupIdValue: string): string => `g\u0000${groupIdValue}`;

export function flattenRoster(model: readonly RosterAccountModel[], options: FlattenOptions): RosterRows {
  const query = foldForSearch(options.query.trim());
  const filtering = query !== '';
  const unreadOf = options.unreadOf ?? (() => 0);
  const segments: Segment[] = [];
  let index = 0;
  let top = 0;
  let matches = 0;
  const push = (segment: Omit<Segment, 'index' | 'top'>, height: number): void => {
    segments.push({ ...segment, index, top });
    index += segment.rows;
    top += height;
  };

  for (const account of model) {
    const { accountId } = account;
    const found = filtering ? new Set<string>() : null;
    const groups: Omit<Segment, 'index' | 'top'>[] = [];
    for (const group of account.groups) {
      let shown: number;
      let entries: () => readonly RosterEntry[];
      if (filtering) {
        shown = 0;
        for (const entry of group.members) {
          if (!searchText(entry).includes(query)) continue;
          shown++;
          found?.add(entry.contact.jid);
        }
        entries = () => group.sorted().filter((e) => searchText(e).includes(query));
      } else if (options.showOffline) {
        shown = group.members.length;
        entries = () => group.sorted();
      } else {
        shown = group.online;
        for (const entry of group.members) if (!entry.online && unreadOf(entry.contact) > 0) shown++;
        entries =
          shown === group.members.length
            ? () => group.sorted()
            : () => group.sorted().filter((e) => e.online || unreadOf(e.contact) > 0);
      }
      if (shown === 0) continue;
      const expanded = !options.collapsed.has(group.id);
      let cached: readonly RosterEntry[] | undefined;
      groups.push({
        kind: 'group',
        accountId,
        group,
        expanded,
        shown,
        rows: expanded ? 1 + shown : 1,
        entries: () => (cached ??= entries()),
      });
    }
    if (found !== null) matches += found.size;
    if (options.headings && (!filtering || groups.length > 0))
      push({ kind: 'account', accountId, expanded: true, shown: 0, rows: 1 }, ROW_HEIGHT.account);
    if (options.headings && account.total === 0 && !filtering)
      push({ kind: 'empty', accountId, expanded: true, shown: 0, rows: 1 }, ROW_HEIGHT.empty);
    for (const g of groups) push(g, ROW_HEIGHT.group + (g.rows - 1) * ROW_HEIGHT.contact);
  }
  const count = index;
  const height = top;

  /** The segment holding row `i`. */
  const segmentOf = (i: number): Segment => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segments[mid]?.index ?? Infinity) <= i) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo];
    if (s === undefined) throw new RangeError(`no row ${String(i)}`);
    return s;
  };

  const made = new Map<number, RosterRow>();
  const row = (i: number): RosterRow => {
    const cached = made.get(i);
    if (cached !== undefined) return cached;
    if (i < 0 || i >= count) throw new RangeError(`no row ${String(i)}`);
    const s = segmentOf(i);
    let r: RosterRow;
    if (s.kind === 'account') r = { kind: 'account', key: `a\u0000${s.accountId}`, accountId: s.accountId };
    else if (s.kind === 'empty') r = { kind: 'empty', key: `e\u0000${s.accountId}`, accountId: s.accountId };
    else {
      const g = s.group;
      if (g === undefined) throw new Error(`row ${String(i)}: a group segment without its group`);
      if (i === s.index) r = { kind: 'group', key: groupKey(g.id), group: g, expanded: s.expanded, shown: s.shown };
      else {
        const position = i - s.index;
        const entry = s.entries?.()[position - 1];
        if (entry === undefined) throw new Error(`group ${g.name} has no contact ${String(position)}`);
        r = {
          kind: 'contact',
          key: contactKey(g.id, entry.contact.jid),
          entry,
          group: g,
          unread: unreadOf(entry.contact),
          position,
          size: s.shown,
        };
      }
    }
    made.set(i, r);
    return r;
  };

  const kind = (i: number): RowKind => {
    const s = segmentOf(i);
    return s.kind === 'group' && i > s.index ? 'contact' : s.kind;
  };

  const topOf = (i: number): number => {
    if (i >= count) return height;
    if (i <= 0) return 0;
    const s = segmentOf(i);
    if (s.kind !== 'group' || i === s.index) return s.top;
    return s.top + ROW_HEIGHT.group + (i - s.index - 1) * ROW_HEIGHT.contact;
  };

  const indexAt = (y: number): number => {
    if (count === 0) return 0;
    if (y <= 0) return 0;
    if (y >= height) return count - 1;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segments[mid]?.top ?? Infinity) <= y) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo];
    if (s === undefined) return 0;
    if (s.kind !== 'group' || y < s.top + ROW_HEIGHT.group) return s.index;
    return Math.min(
      s.index + s.rows - 1,
      s.index + 1 + Math.floor((y - s.top - ROW_HEIGHT.group) / ROW_HEIGHT.contact),
    );
  };

  const indexOfContactIn = (s: Segment, jid: string): number => {
    if (s.kind !== 'group' || !s.expanded || s.group === undefined) return -1;
    if (!s.group.members.some((e) => e.contact.jid === jid)) return -1;
    const at = s.entries?.().findIndex((e) => e.contact.jid === jid) ?? -1;
    return at < 0 ? -1 : s.index + 1 + at;
  };

  return {
    count,
    height,
    matches,
    filtering,
    row,
    kind,
    top: topOf,
    indexAt,
    indexOfKey(key) {
      const [type, ...rest] = key.split('\u0000');
      if (type === 'a' || type === 'e') {
        const s = segments.find((x) => x.kind === (type === 'a' ? 'account' : 'empty') && x.accountId === rest[0]);
        return s?.index ?? -1;
      }
      const jid = type === 'c' ? rest.pop() : undefined;
      const id = rest.join('\u0000');
      const s = segments.find((x) => x.kind === 'group' && x.group?.id === id);
      if (s === undefined) return -1;
      return jid === undefined ? s.index : indexOfContactIn(s, jid);
    },
    indexOfContact(accountId, jid) {
      for (const s of segments) {
        if (s.accountId !== accountId) continue;
        const at = indexOfContactIn(s, jid);
        if (at >= 0) return at;
      }
      return -1;
    },
  };
}

/** The rows to render for a viewport: [start, end) covering [top - overscan, top + height + overscan). */
export function visibleRange(
  rows: Pick<RosterRows, 'count' | 'indexAt'>,
  top: number,
  height: number,
  overscan: number,
): { start: number; end: number } {
  if (rows.count === 0) return { start: 0, end: 0 };
  const start = rows.indexAt(Math.max(0, top - overscan));
  const end = Math.min(rows.count, Math.max(start + 1, rows.indexAt(top + height + overscan - 1) + 1));
  return { start, end };
}

/** The scroll position that brings row `index` fully into view, moving as little as possible. */
export function scrollToShow(rows: Pick<RosterRows, 'top'>, index: number, top: number, height: number): number {
  const rowTop = rows.top(index);
  const rowBottom = rows.top(index + 1);
  if (rowTop < top) return rowTop;
  if (rowBottom > top + height) return Math.max(0, rowBottom - height);
  return top;
}

export const isFocusable = (kind: RowKind | undefined): boolean => kind === 'group' || kind === 'contact';

/**
 * Where a key moves the focus from row `from` (a focusable row; -1: none yet): the index of
 * the row to focus, or null when the key does not move it. `page`: rows per page (PageUp/Down).
 */
export function moveFocus(
  rows: Pick<RosterRows, 'count' | 'kind'>,
  from: number,
  key: string,
  page = 10,
): number | null {
  const step = (i: number, by: 1 | -1): number => {
    for (let j = i + by; j >= 0 && j < rows.count; j += by) if (isFocusable(rows.kind(j))) return j;
    return -1;
  };
  const first = step(-1, 1);
  if (first === -1) return null;
  const jump = (by: 1 | -1): number => {
    let j = Math.max(from, 0);
    for (let n = 0; n < page; n++) {
      const next = step(j, by);
      if (next === -1) break;
      j = next;
    }
    return isFocusable(rows.kind(j)) ? j : first;
  };
  let to: number;
  switch (key) {
    case 'ArrowDown':
      to = from < 0 ? first : step(from, 1);
      break;
    case 'ArrowUp':
      to = from < 0 ? first : step(from, -1);
      break;
    case 'Home':
      to = first;
      break;
    case 'End':
      to = step(rows.count, -1);
      break;
    case 'PageDown':
      to = jump(1);
      break;
    case 'PageUp':
      to = jump(-1);
      break;
    default:
      return null;
  }
  return to === -1 ? null : to;
}

// --- collapsed groups -----------------------------------------------------------------

/** The set with `id` added, or removed when it was there. */
export function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** Collapsed groups as stored (a JSON array of group ids); anything else reads as none. */
export function parseCollapsed(stored: string | null): Set<string> {
  if (stored === null) return new Set();
  try {
    const value: unknown = JSON.parse(stored);
    return new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}

export const serializeCollapsed = (set: ReadonlySet<string>): string => JSON.stringify([...set].sort());

// --- drag and drop between groups ----------------------------------------------------

/**
 * A contact's groups after it is dropped from group `from` on group `to` ('' is "Ungrouped"):
 * a move leaves `from` for `to`, a copy adds `to` and keeps the others; a move to
 * "Ungrouped" leaves every group (that is where it then shows). Undefined when the drop
 * changes nothing (the same group, or a copy to "Ungrouped", which is no group to add).
 */
export function groupsAfterDrop(
  groups: readonly string[],
  from: string,
  to: string,
  copy: boolean,
): string[] | undefined {
  if (from === to) return undefined;
  const current = groupsOf({ groups: [...groups] }).filter((g) => g !== '');
  if (to === '') return copy || current.length === 0 ? undefined : [];
  const next = copy ? [...current] : current.filter((g) => g !== from);
  if (!next.includes(to)) next.push(to);
  const same = next.length === current.length && next.every((g, i) => g === current[i]);
  return same ? undefined : next;
}

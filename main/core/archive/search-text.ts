/**
 * Full-text search: what the index stores, how a user's query becomes an FTS5 expression, and
 * where the matches are in a message's own text. Pure functions, shared by the index (SQLite
 * functions called by the `messages` triggers, see migration 0005) and the search repository.
 *
 * The index is FTS5 with the stock `unicode61` tokenizer (`remove_diacritics 2`), which folds
 * case and diacritics of Latin (and other spaced) scripts well, but treats a run of Han
 * characters as one token, so '北京' would not find '我们明天去北京开会'. Chinese, Japanese and
 * Korean text therefore reaches the tokenizer rewritten: every run of CJK characters (Han,
 * Hiragana, Katakana, Hangul) becomes its overlapping bigrams followed by its last character
 * ('我们明天' → '我们 们明 明天 天'), set off by spaces from the text around it; all other text
 * is left as it is. A query is rewritten the same way: a CJK run of two or more characters
 * becomes the phrase of its bigrams (consecutive positions: exactly a substring of one run),
 * and a single character becomes a prefix token (a bigram starting with it, or the unigram that
 * ends a run), so any CJK substring is found and nothing else is. The trailing unigram also
 * lets a phrase continue past the end of a run ('北京abc').
 *
 * Every user term is quoted, so no input can be an FTS5 syntax error: plain words are ANDed
 * (the last token of each matches as a prefix from two letters on, for search as you type;
 * the index keeps 2- and 3-character prefixes for that), "quoted phrases" match
 * as phrases (an unclosed quote: a phrase whose last token is a prefix). Terms only match the
 * `body` column: the `scope` column holds hashed account, conversation and peer tokens and the
 * message's UTC year and month, which let a filtered search intersect posting lists instead of
 * walking every match until enough of them pass the filter.
 *
 * Highlights are computed here, on the original text (never on the bigram form), as UTF-16
 * ranges, with the same matching rules (case and diacritics folded; prefix on the last token);
 * for every hit of a search, so plain ASCII text and CJK substrings take shortcuts that find
 * the same ranges without tokenizing (see TermPlan).
 */
import type { Database } from 'better-sqlite3';

const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3005-\\u3007\\u30FC';
const CJK_RUNS = new RegExp(`[${CJK_CLASS}]+`, 'gu');
const HAS_CJK = new RegExp(`[${CJK_CLASS}]`, 'u');
const IS_CJK = new RegExp(`^[${CJK_CLASS}]$`, 'u');
const CJK_AT = new RegExp(`[${CJK_CLASS}]+`, 'uy');
/** unicode61's token characters (categories L*, N*, Co); marks stay inside a word and fold away. */
const IS_WORD_CHAR = /^[\p{L}\p{N}\p{Co}\p{M}]$/u;
const NOT_TOKEN_CHARS = /[^\p{L}\p{N}\p{Co}]/gu;

/** The SQL functions the triggers call; names are part of the schema (migration 0005). */
export const SEARCH_TEXT_FUNCTION = 'parley_search_text';
export const SEARCH_SCOPE_FUNCTION = 'parley_search_scope';

/** At most this many terms of a query are used (the rest are ignored). */
export const MAX_TERMS = 32;
/**
 * A word matches as a prefix from this many characters on; a single letter is a whole word
 * (its prefix query would read most of the index). The index keeps prefixes of 2 and 3
 * characters (migration 0005), so short prefixes, the ones typed first, are single lookups.
 */
export const MIN_PREFIX = 2;

/** A run's index tokens: bigrams then its last character ('北京开会' → 北京 京开 开会 会). */
function indexRun(run: string): string {
  const chars = Array.from(run);
  if (chars.length === 1) return run;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  out.push(chars.at(-1) ?? '');
  return out.join(' ');
}

/** What the index stores for a body: the body, with each CJK run replaced by its tokens. */
export function indexText(body: string): string {
  if (!HAS_CJK.test(body)) return body;
  return body.replace(CJK_RUNS, (run) => ` ${indexRun(run)} `);
}

/** 53-bit string hash (cyrb53), base 36: a compact token of letters and digits. */
function hash(value: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export const accountToken = (account: string): string => `a${hash(account)}`;
export const conversationToken = (account: string, peer: string): string => `c${hash(`${account}\u0000${peer}`)}`;
export const peerToken = (peer: string): string => `p${hash(peer)}`;

export const yearToken = (year: number): string => `y${String(year)}`;
export const monthToken = (year: number, month: number): string =>
  `m${String(year)}${String(month + 1).padStart(2, '0')}`;

const scopeCache = new Map<string, string>();

/**
 * The `scope` column of a message: its account, its conversation, its peer (hashed) and its
 * UTC year and month ('y2024 m202405'), as tokens.
 */
export function scopeText(account: string, peer: string, timestamp: number | undefined): string {
  const key = `${account}\u0000${peer}`;
  let scope = scopeCache.get(key);
  if (scope === undefined) {
    if (scopeCache.size >= 4096) scopeCache.clear();
    scope = `${accountToken(account)} ${conversationToken(account, peer)} ${peerToken(peer)}`;
    scopeCache.set(key, scope);
  }
  if (timestamp === undefined) return scope;
  // Before the epoch (a bogus delay stamp) counts as its first month, as timeCover expects.
  const date = new Date(Math.max(0, timestamp));
  const year = date.getUTCFullYear();
  if (!Number.isFinite(year)) return scope;
  return `${scope} ${yearToken(year)} ${monthToken(year, date.getUTCMonth())}`;
}

/** At most this many month tokens for a range; beyond, whole years cover the middle. */
const MAX_MONTHS = 24;
/** A wider cover is not worth it (nor is a date centuries away): the exact filter alone then. */
const MAX_COVER = 100;

/**
 * The time tokens covering [from, to] (ms, inclusive; a missing `from` is the epoch): the
 * months of a short range, else the partial years' months and the whole years in between.
 * Undefined without `to` (a range open to the future is found quickly walking newest first)
 * or for a range of more than about 75 years; empty for an empty range.
 */
export function timeCover(from: number | undefined, to: number | undefined): string[] | undefined {
  if (to === undefined || !Number.isFinite(to)) return undefined;
  if (from !== undefined && from > to) return [];
  const start = new Date(Math.max(0, from ?? 0));
  const end = new Date(Math.max(0, to));
  const y0 = start.getUTCFullYear();
  const m0 = start.getUTCMonth();
  const y1 = end.getUTCFullYear();
  const m1 = end.getUTCMonth();
  if (!Number.isFinite(y0) || !Number.isFinite(y1) || y1 < y0 || (y1 === y0 && m1 < m0)) return [];
  const months = (y1 - y0) * 12 + (m1 - m0) + 1;
  if (months > MAX_MONTHS && y1 - y0 + 24 > MAX_COVER) return undefined;
  const tokens: string[] = [];
  if (months <= MAX_MONTHS) {
    for (let i = 0; i < months; i++) tokens.push(monthToken(y0 + Math.floor((m0 + i) / 12), (m0 + i) % 12));
    return tokens;
  }
  // Partial first and last years by month, whole years in between.
  const firstWhole = m0 === 0 ? y0 : y0 + 1;
  const lastWhole = m1 === 11 ? y1 : y1 - 1;
  if (m0 !== 0) for (let m = m0; m < 12; m++) tokens.push(monthToken(y0, m));
  for (let y = firstWhole; y <= lastWhole; y++) tokens.push(yearToken(y));
  if (m1 !== 11) for (let m = 0; m <= m1; m++) tokens.push(monthToken(y1, m));
  return tokens;
}

/**
 * Registers the functions the search triggers call. Each connection needs them before it
 * writes to `messages` (openArchive does it; so does migration 0005 for the connection it runs on).
 */
export function registerSearchFunctions(db: Database): void {
  db.function(SEARCH_TEXT_FUNCTION, { deterministic: true }, (body: unknown) =>
    typeof body === 'string' ? indexText(body) : '',
  );
  // Variadic: an archive migrated by a draft of 0005 has triggers that pass no timestamp.
  db.function(SEARCH_SCOPE_FUNCTION, { deterministic: true, varargs: true }, (...args: unknown[]) =>
    scopeText(String(args[0]), String(args[1]), args.length > 2 ? Number(args[2]) : undefined),
  );
}

// --- tokens of the original text ---------------------------------------------------------

export interface TextToken {
  kind: 'word' | 'cjk';
  /** UTF-16 range in the original text. */
  start: number;
  end: number;
  /** Case and diacritics folded (words); the character itself (CJK). */
  folded: string;
  /**
   * Words: the original offset after each folded character (to end a prefix highlight);
   * empty when they map one to one (plain ASCII).
   */
  ends: readonly number[];
  /** CJK: continues the run of the token before it (no separator in between). */
  joined: boolean;
}

const NO_ENDS: readonly number[] = [];

const isAsciiWordChar = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);

function foldChar(ch: string): string {
  return ch.normalize('NFKD').replace(NOT_TOKEN_CHARS, '').toLowerCase();
}

/** Splits text the way the index sees it: words (unicode61's tokens) and single CJK characters. */
export function tokenize(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  let inRun = false;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (!isAsciiWordChar(code)) {
        inRun = false;
        i++;
        continue;
      }
    } else {
      // A run of CJK characters: one token per character (no CJK below U+1100).
      CJK_AT.lastIndex = i;
      const run = code >= 0x1100 ? CJK_AT.exec(text) : null;
      if (run) {
        for (const ch of run[0]) {
          tokens.push({ kind: 'cjk', start: i, end: i + ch.length, folded: ch, ends: NO_ENDS, joined: inRun });
          inRun = true;
          i += ch.length;
        }
        continue;
      }
      const size = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      const ch = text.slice(i, i + size);
      if (!IS_WORD_CHAR.test(ch)) {
        inRun = false;
        i += size;
        continue;
      }
    }
    // A word starts here. Plain ASCII (the common case) folds by lower-casing, one for one.
    inRun = false;
    const start = i;
    let j = i;
    while (j < text.length && isAsciiWordChar(text.charCodeAt(j))) j++;
    if (j === text.length || text.charCodeAt(j) < 0x80) {
      tokens.push({
        kind: 'word',
        start,
        end: j,
        folded: text.slice(start, j).toLowerCase(),
        ends: NO_ENDS,
        joined: false,
      });
      i = j;
      continue;
    }
    let folded = text.slice(start, j).toLowerCase();
    const ends: number[] = [];
    for (let k = start + 1; k <= j; k++) ends.push(k);
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c < 0x80) {
        if (!isAsciiWordChar(c)) break;
        folded += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
        ends.push(++j);
        continue;
      }
      const size = (text.codePointAt(j) ?? 0) > 0xffff ? 2 : 1;
      const ch = text.slice(j, j + size);
      if (IS_CJK.test(ch) || !IS_WORD_CHAR.test(ch)) break;
      const f = foldChar(ch);
      for (let k = f.length; k > 0; k--) ends.push(j + size);
      folded += f;
      j += size;
    }
    if (folded.length > 0) tokens.push({ kind: 'word', start, end: j, folded, ends, joined: false });
    i = j;
  }
  return tokens;
}

/** Where the first `length` folded characters of a word end in the original text. */
function foldedEnd(token: TextToken, length: number): number {
  return token.ends.length > 0 ? (token.ends[length - 1] ?? token.end) : Math.min(token.start + length, token.end);
}

// --- queries ---------------------------------------------------------------------------

export interface QueryTerm {
  tokens: TextToken[];
  /** The last token is a word that matches as a prefix. */
  prefix: boolean;
  /** The FTS5 phrase (restricted to the body column). */
  fts: string;
}

export interface SearchQuery {
  terms: QueryTerm[];
  /** The FTS5 expression; undefined when the query has nothing to search for. */
  match: string | undefined;
}

/** The FTS5 phrase of one term: words as typed (FTS folds them), CJK runs as index tokens. */
function ftsPhrase(text: string, tokens: TextToken[], prefix: boolean): string {
  const pieces: string[] = [];
  let star = false;
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i];
    if (!token) break;
    if (token.kind === 'word') {
      pieces.push(text.slice(token.start, token.end));
      i++;
      star = prefix && i === tokens.length;
      continue;
    }
    const run: string[] = [token.folded];
    i++;
    for (let next = tokens[i]; next?.kind === 'cjk' && next.joined; next = tokens[++i]) run.push(next.folded);
    const last = i === tokens.length;
    if (run.length === 1) {
      // Alone at the end: any token starting with it; followed by more: the unigram ending a run.
      pieces.push(run[0] ?? '');
      star = last;
    } else {
      for (let k = 0; k + 1 < run.length; k++) pieces.push(`${run[k] ?? ''}${run[k + 1] ?? ''}`);
      // Followed by more, the run must end here, where the index has its last character again.
      if (!last) pieces.push(run.at(-1) ?? '');
      star = false;
    }
  }
  return `body : "${pieces.join(' ').replaceAll('"', '""')}"${star ? '*' : ''}`;
}

/**
 * Parses what the user typed: words (ANDed, each a prefix from two letters on) and "quoted
 * phrases" (exact; an unclosed quote while typing: its last word a prefix). Never throws;
 * empty means no search.
 */
export function parseQuery(input: string): SearchQuery {
  const raw: { text: string; prefix: boolean }[] = [];
  const parts = input.split('"');
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      raw.push({ text: part, prefix: index === parts.length - 1 });
    } else {
      for (const word of part.split(/\s+/u)) if (word) raw.push({ text: word, prefix: true });
    }
  });
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const { text, prefix } of raw) {
    if (terms.length >= MAX_TERMS) break;
    const tokens = tokenize(text);
    const last = tokens.at(-1);
    if (!last) continue;
    const isPrefix = prefix && last.kind === 'word' && last.folded.length >= MIN_PREFIX;
    const fts = ftsPhrase(text, tokens, isPrefix);
    if (seen.has(fts)) continue;
    seen.add(fts);
    terms.push({ tokens, prefix: isPrefix, fts });
  }
  return { terms, match: terms.length > 0 ? terms.map((t) => t.fts).join(' AND ') : undefined };
}

// --- highlights and snippets -------------------------------------------------------------

export type Range = [start: number, end: number];

export interface Snippet {
  text: string;
  highlights: Range[];
}

function tokenMatches(body: TextToken, query: TextToken, isPrefix: boolean, first: boolean): boolean {
  if (body.kind !== query.kind) return false;
  if (body.kind === 'cjk') return body.folded === query.folded && (first || body.joined === query.joined);
  return isPrefix ? body.folded.startsWith(query.folded) : body.folded === query.folded;
}

/** No character above U+007F. */
const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
};
const ASCII_WORD = /^[a-z0-9]+$/u;
/**
 * A word character (for unicode61) that is neither ASCII nor CJK: a Latin letter with a
 * diacritic, Cyrillic, a combining mark… Text without any tokenizes as ASCII words, CJK
 * characters and separators, so the ASCII plans below apply to it (see `mixed`).
 */
const OTHER_WORD_CHAR = new RegExp(`(?![\\0-\\x7F${CJK_CLASS}])[\\p{L}\\p{N}\\p{Co}\\p{M}]`, 'u');

/**
 * How to find one term in a text without tokenizing it, where that finds exactly what
 * `tokenize` + token matching would (tokenHighlightRanges: the reference, used otherwise):
 * - `ascii`: in plain ASCII text (most of a Latin-script archive) tokens are the runs of
 *   [A-Za-z0-9] and folding is lower-casing, so one case-insensitive regular expression finds
 *   the term (the text is not lower-cased: same offsets); null when its folded tokens are not
 *   all such words (it cannot occur).
 * - `mixed`: the same for text whose other characters are all CJK or separators (Chinese with
 *   English words in it): there CJK characters are tokens of their own, so they end a word but
 *   never separate two words of a phrase.
 * - `literal`: a term of CJK characters that follow each other in one run ('北京') occurs
 *   exactly where that string does (each CJK character is a token, joined to the one before).
 * Made once per query (its terms), used for every hit; the search repository keeps the parsed
 * queries it was asked for last, so typing on or paging does not compile them again.
 */
interface TermPlan {
  term: QueryTerm;
  ascii: RegExp | null;
  mixed: RegExp | null;
  literal: string | undefined;
}

const plans = new WeakMap<readonly QueryTerm[], TermPlan[]>();

function plansOf(terms: readonly QueryTerm[]): TermPlan[] {
  let found = plans.get(terms);
  if (!found) {
    found = terms.map((term) => {
      const { tokens } = term;
      const asciiWords = tokens.length > 0 && tokens.every((t) => t.kind === 'word' && ASCII_WORD.test(t.folded));
      const pattern = (separator: string) =>
        `(?<![a-z0-9])${tokens.map((t) => t.folded).join(`${separator}+`)}${term.prefix ? '' : '(?![a-z0-9])'}`;
      const ascii = asciiWords ? new RegExp(pattern('[^a-z0-9]'), 'gi') : null;
      const mixed = asciiWords ? new RegExp(pattern(`[^a-z0-9${CJK_CLASS}]`), 'giu') : null;
      const cjkRun = tokens.length > 0 && tokens.every((t, i) => t.kind === 'cjk' && (i === 0 || t.joined));
      return { term, ascii, mixed, literal: cjkRun ? tokens.map((t) => t.folded).join('') : undefined };
    });
    plans.set(terms, found);
  }
  return found;
}

function mergeRanges(ranges: Range[]): Range[] {
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const prev = merged.at(-1);
    if (prev && r[0] <= prev[1]) prev[1] = Math.max(prev[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Adds the matches of `re` (global) in `text` to `ranges`, overlapping ones too. */
function regexRanges(re: RegExp, text: string, ranges: Range[]): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    ranges.push([m.index, m.index + m[0].length]);
    re.lastIndex = m.index + 1;
  }
  re.lastIndex = 0;
}

/** Where the terms occur in `text`: sorted, merged UTF-16 ranges of the original text. */
export function highlightRanges(text: string, terms: readonly QueryTerm[]): Range[] {
  const ranges: Range[] = [];
  let ascii: boolean | undefined;
  let mixed: boolean | undefined;
  let tokens: TextToken[] | undefined;
  for (const plan of plansOf(terms)) {
    if (plan.literal !== undefined) {
      // Overlapping occurrences count too ('哈哈' in '哈哈哈').
      const { literal } = plan;
      for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1))
        ranges.push([at, at + literal.length]);
      continue;
    }
    ascii ??= isAscii(text);
    if (ascii) {
      if (plan.ascii) regexRanges(plan.ascii, text, ranges);
      continue;
    }
    mixed ??= !OTHER_WORD_CHAR.test(text);
    if (mixed && plan.mixed) {
      regexRanges(plan.mixed, text, ranges);
      continue;
    }
    tokens ??= tokenize(text);
    termRanges(tokens, plan.term, ranges);
  }
  return mergeRanges(ranges);
}

/** `highlightRanges` through `tokenize` alone, for any text (the reference for the shortcuts above). */
export function tokenHighlightRanges(text: string, terms: readonly QueryTerm[]): Range[] {
  const body = tokenize(text);
  const ranges: Range[] = [];
  for (const term of terms) termRanges(body, term, ranges);
  return mergeRanges(ranges);
}

/** Adds where `term` occurs among the `body` tokens to `ranges`. */
function termRanges(body: readonly TextToken[], term: QueryTerm, ranges: Range[]): void {
  const q = term.tokens;
  const lastIndex = q.length - 1;
  const last = q[lastIndex];
  if (!last) return;
  for (let i = 0; i + q.length <= body.length; i++) {
    let ok = true;
    for (let j = 0; j < q.length && ok; j++) {
      const b = body[i + j];
      const t = q[j];
      ok = b !== undefined && t !== undefined && tokenMatches(b, t, term.prefix && j === lastIndex, j === 0);
    }
    if (!ok) continue;
    const firstToken = body[i];
    const lastToken = body[i + lastIndex];
    if (!firstToken || !lastToken) continue;
    const end = lastToken.kind === 'word' && term.prefix ? foldedEnd(lastToken, last.folded.length) : lastToken.end;
    ranges.push([firstToken.start, end]);
  }
}

export const SNIPPET_LENGTH = 160;
const SNIPPET_LEAD = 40;

const isLowSurrogate = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/**
 * A short excerpt of `text` around its first match, with the match ranges relative to the
 * excerpt ('…' marks a cut). Plain text and ranges: the renderer builds the marks itself.
 */
export function snippet(text: string, terms: readonly QueryTerm[], length = SNIPPET_LENGTH): Snippet {
  const ranges = highlightRanges(text, terms);
  if (text.length <= length) return { text, highlights: ranges };
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - SNIPPET_LEAD);
  if (start > 0) {
    // Start at a word boundary when one is close before the match.
    const space = text.slice(start, first).search(/\s\S/u);
    if (space >= 0 && space < SNIPPET_LEAD / 2) start += space + 1;
  }
  let end = Math.min(text.length, start + length);
  if (end - start < length) start = Math.max(0, end - length);
  if (start > 0 && isLowSurrogate(text, start)) start++;
  if (end < text.length && isLowSurrogate(text, end)) end--;
  const lead = start > 0 ? '…' : '';
  const excerpt = `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  const shift = lead.length - start;
  const highlights: Range[] = [];
  for (const [s, e] of ranges) {
    if (e <= start || s >= end) continue;
    highlights.push([Math.max(s, start) + shift, Math.min(e, end) + shift]);
  }
  return { text: excerpt, highlights };
}

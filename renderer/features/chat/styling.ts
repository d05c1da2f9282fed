/**
 * XEP-0393 Message Styling, parsed into a small tree, plus link detection.
 *
 * Pure and DOM-free (unit-tested in plain Node). The tree keeps every
 * character of the body except the block-quote markers ("> "), which the
 * renderer draws as a bar: span directives (`*`, `_`, `~`, `` ` ``) and the
 * fences of preformatted blocks are kept so that they can be shown, dimmed.
 *
 * Blocks (§5.1): a line starting with "```" opens a preformatted block that
 * ends at a line that is exactly "```" or at the end of the parent block;
 * lines starting with ">" form a quotation (its lines lose the ">" and then
 * one leading whitespace character, and are parsed again as blocks); every
 * other line is a plain block holding spans.
 *
 * Spans (§5.2): an opening directive sits at the start of the line, after a
 * whitespace character, or right after a different opening directive, and is
 * not followed by whitespace (nor by itself: "**" and "****" stay plain, as
 * the XEP's examples require); the closing one is the first same character
 * (lazy matching) that is not preceded by whitespace, with at least one
 * character in between. Spans never cross lines. A preformatted span holds
 * plain text only. Links (http, https, mailto, xmpp) are atomic: directive
 * characters inside a URL neither open nor close spans.
 */

export type SpanStyle = 'strong' | 'emphasis' | 'strike';

export type Span =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'link'; readonly text: string; readonly url: string }
  | { readonly type: SpanStyle; readonly directive: string; readonly children: readonly Span[] }
  /** Inline preformatted text (`` `code` ``): plain text only, never links. */
  | { readonly type: 'code'; readonly directive: string; readonly text: string };

export type Block =
  /** One line of text (possibly empty). */
  | { readonly type: 'line'; readonly spans: readonly Span[] }
  /** A preformatted block: its opening fence line ("```" and an ignored hint), its lines, its closing fence (null when unterminated). */
  | { readonly type: 'pre'; readonly open: string; readonly lines: readonly string[]; readonly close: string | null }
  | { readonly type: 'quote'; readonly children: readonly Block[] };

/** Deeper quotations than this are shown as plain lines (hostile input must not exhaust the stack). */
export const MAX_QUOTE_DEPTH = 8;

const FENCE = '```';

const STYLES: Readonly<Record<string, SpanStyle | 'code'>> = {
  '*': 'strong',
  _: 'emphasis',
  '~': 'strike',
  '`': 'code',
};

/** Unicode White_Space or general category Z. */
const WHITESPACE = /[\s\p{Z}]/u;
const isWhitespace = (c: string | undefined): boolean => c !== undefined && WHITESPACE.test(c);

/** Parses a message body into blocks. */
export function parseStyling(body: string): Block[] {
  return parseBlocks(body.replace(/\r\n?/gu, '\n').split('\n'), 0);
}

function parseBlocks(lines: readonly string[], depth: number): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.startsWith(FENCE)) {
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && lines[j] !== FENCE) body.push(lines[j++] ?? '');
      const closed = j < lines.length;
      out.push({ type: 'pre', open: line, lines: body, close: closed ? FENCE : null });
      i = closed ? j + 1 : j;
    } else if (line.startsWith('>') && depth < MAX_QUOTE_DEPTH) {
      const inner: string[] = [];
      for (; i < lines.length && lines[i]?.startsWith('>') === true; i++) {
        const rest = (lines[i] ?? '').slice(1);
        // "MUST have the first leading whitespace character trimmed" (every such character is in the BMP)
        inner.push(isWhitespace(rest[0]) ? rest.slice(1) : rest);
      }
      out.push({ type: 'quote', children: parseBlocks(inner, depth + 1) });
    } else {
      out.push({ type: 'line', spans: parseSpans(line) });
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------- spans

/** Parses one line (no line breaks) into spans. */
export function parseSpans(line: string): Span[] {
  const links = findLinks(line);
  const linkAt = new Map(links.map((l) => [l.start, l]));
  // Where each directive may close: the character itself, not preceded by whitespace, outside links.
  const closers = new Map<string, number[]>();
  for (let k = 0; k < line.length; k++) {
    const link = linkAt.get(k);
    if (link !== undefined) {
      k = link.end - 1;
      continue;
    }
    const c = line[k] ?? '';
    if (STYLES[c] !== undefined && k > 0 && !isWhitespace(line[k - 1])) {
      let list = closers.get(c);
      if (list === undefined) closers.set(c, (list = []));
      list.push(k);
    }
  }
  return spansIn({ line, links, linkAt, closers }, 0, line.length, null);
}

interface Scan {
  line: string;
  links: readonly LinkMatch[];
  linkAt: ReadonlyMap<number, LinkMatch>;
  closers: ReadonlyMap<string, readonly number[]>;
}

/** The first closer of `c` at or after `from` and before `end`, or -1. */
function closerOf(scan: Scan, c: string, from: number, end: number): number {
  const list = scan.closers.get(c);
  if (list === undefined) return -1;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] ?? 0) < from) lo = mid + 1;
    else hi = mid;
  }
  const found = list[lo];
  return found !== undefined && found < end ? found : -1;
}

function spansIn(scan: Scan, start: number, end: number, parent: string | null): Span[] {
  const { line } = scan;
  const out: Span[] = [];
  let plainFrom = start;
  let i = start;
  while (i < end) {
    const link = scan.linkAt.get(i);
    if (link !== undefined) {
      i = link.end;
      continue;
    }
    const c = line[i] ?? '';
    const style = STYLES[c];
    const opens =
      style !== undefined &&
      i + 1 < end &&
      !isWhitespace(line[i + 1]) &&
      line[i + 1] !== c &&
      (i === 0 || isWhitespace(line[i - 1]) || (i === start && parent !== null && parent !== c));
    const close = opens ? closerOf(scan, c, i + 2, end) : -1;
    if (style === undefined || close === -1) {
      i++;
      continue;
    }
    pushPlain(scan, out, plainFrom, i);
    out.push(
      style === 'code'
        ? { type: 'code', directive: c, text: line.slice(i + 1, close) }
        : { type: style, directive: c, children: spansIn(scan, i + 1, close, c) },
    );
    i = close + 1;
    plainFrom = i;
  }
  pushPlain(scan, out, plainFrom, end);
  return out;
}

/** Plain text from `from` to `to`, split around the links it holds. */
function pushPlain(scan: Scan, out: Span[], from: number, to: number): void {
  let at = from;
  for (const link of scan.links) {
    if (link.start < from || link.end > to) continue;
    if (link.start > at) out.push({ type: 'text', text: scan.line.slice(at, link.start) });
    out.push({ type: 'link', text: link.text, url: link.url });
    at = link.end;
  }
  if (to > at) out.push({ type: 'text', text: scan.line.slice(at, to) });
}

// ---------------------------------------------------------------- links

export interface LinkMatch {
  /** Offsets in the searched text: [start, end). */
  start: number;
  end: number;
  /** The text as written. */
  text: string;
  /** The normalized URL (WHATWG `href`): always http:, https:, mailto: or xmpp:. */
  url: string;
}

/**
 * A URL starts with its scheme, not glued to a preceding ASCII word character
 * (so "xhttp://" is no link, but "看https://…" and "_https://…_" are), and
 * runs to whitespace, one of < > " ` (never part of a URL as written in
 * text) or full-width punctuation (CJK text runs on after a URL without a space).
 */
const CANDIDATE = /(?<![A-Za-z0-9+.-])(?:https?:\/\/|mailto:|xmpp:)[^\s<>"`。，、；：！？「」『』【】《》〈〉（）]+/giu;

/** Punctuation that ends a sentence rather than a URL, and the styling directives. */
const TRAILING = new Set(['.', ',', ':', ';', '!', '?', "'", '*', '_', '~', '…']);
const PAIRS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

const count = (s: string, c: string): number => s.split(c).length - 1;

function trimTrailing(candidate: string): string {
  let s = candidate;
  for (;;) {
    const last = s.at(-1);
    if (last === undefined) return s;
    const open = PAIRS[last];
    if (TRAILING.has(last) || (open !== undefined && count(s, open) < count(s, last))) s = s.slice(0, -1);
    else return s;
  }
}

/** The normalized URL, or undefined when `text` is not a usable link. */
function toUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  switch (url.protocol) {
    case 'http:':
    case 'https:':
      return url.hostname !== '' ? url.href : undefined;
    case 'mailto:':
      return /^mailto:[^@\s]+@[^@\s?]+/iu.test(text) ? url.href : undefined;
    case 'xmpp:':
      return /^xmpp:\/*[^\s/?]+/iu.test(text) ? url.href : undefined;
    default:
      return undefined;
  }
}

/** The links in one line of text, in order. */
export function findLinks(text: string): LinkMatch[] {
  const found: LinkMatch[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const written = trimTrailing(match[0]);
    const url = toUrl(written);
    if (url === undefined) continue;
    found.push({ start: match.index, end: match.index + written.length, text: written, url });
  }
  return found;
}

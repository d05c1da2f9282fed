/** Pure helpers of the search panel: a snippet's highlight ranges as text pieces, date filters. */
import type { Snippet } from '../../../preload/contract.ts';

export interface Piece {
  text: string;
  /** Part of a match: shown in a <mark>. */
  mark: boolean;
}

/**
 * Cuts the snippet's text at its highlight ranges (UTF-16 [start, end)). Ranges out of bounds,
 * empty or overlapping a previous one are clipped or skipped: the text always comes out whole.
 */
export function pieces(snippet: Snippet): Piece[] {
  const { text } = snippet;
  const out: Piece[] = [];
  let at = 0;
  const ranges = [...snippet.highlights].sort((a, b) => a[0] - b[0]);
  for (const [rawStart, rawEnd] of ranges) {
    const start = Math.max(at, Math.min(rawStart, text.length));
    const end = Math.min(rawEnd, text.length);
    if (end <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), mark: false });
    out.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}

/** "2024-05-01" (an <input type="date"> value) → the start of that day, local time; undefined if empty or invalid. */
export function dayStart(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(value);
  if (!m) return undefined;
  const ms = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The last millisecond of that day, local time. */
export function dayEnd(value: string): number | undefined {
  const start = dayStart(value);
  if (start === undefined) return undefined;
  const d = new Date(start);
  d.setDate(d.getDate() + 1);
  return d.getTime() - 1;
}

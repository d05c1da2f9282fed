/**
 * A seeded random comparison of the fast highlighting (search-text.ts `highlightRanges`) with
 * the reference that tokenizes (`tokenHighlightRanges`): `texts` texts, each 1..`maxPieces`
 * pieces with a gap after each (or after a share of them), every query in each; the first difference fails the test.
 */
import assert from 'node:assert/strict';
import { highlightRanges, parseQuery, tokenHighlightRanges } from '../../../main/core/archive/search-text.ts';

export function assertHighlightsMatchTokens(options: {
  seed: number;
  texts: number;
  maxPieces: number;
  pieces: readonly string[];
  gaps: readonly string[];
  queries: readonly string[];
  /** The chance of a gap after a piece (default: always one). */
  gapChance?: number;
}): void {
  let seed = options.seed;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const parsed = options.queries.map((q) => [q, parseQuery(q).terms] as const);
  for (let i = 0; i < options.texts; i++) {
    let text = '';
    const n = 1 + Math.floor(rnd() * options.maxPieces);
    for (let k = 0; k < n; k++) {
      text += pick(options.pieces);
      if (options.gapChance === undefined || rnd() < options.gapChance) text += pick(options.gaps);
    }
    for (const [q, terms] of parsed)
      assert.deepEqual(
        highlightRanges(text, terms),
        tokenHighlightRanges(text, terms),
        `${q} in ${JSON.stringify(text)}`,
      );
  }
}

/**
 * memory: resident size of the core with a large archive open and in use, against bare
 * Node with the same modules loaded, same run.
 *
 * The archive: `--memory-messages` (1,000,000) generated messages (support/message-corpus.ts)
 * stored through the app's own path (openArchive + the messages repository, which fills the
 * search index in batches). Then, in fresh child processes (support/memory-probe.ts):
 * Parley creates the core on that folder (archive opened, migrations checked, accounts
 * loaded) and uses it (six searches, a page of a conversation); the reference imports
 * better-sqlite3, @xmpp/client, zod and ws and does nothing. Both report RSS after a full GC;
 * `--memory-rounds` (3) alternating rounds, medians. Lower is better; the goal (≤ 1.5×) says
 * that an open archive costs memory in proportion to SQLite's page cache, not to its size.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createMessageRepo } from '../../../main/core/archive/repos/messages.ts';
import { searchIndexer } from '../../../main/core/archive/search-index.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { buildCorpus } from '../support/message-corpus.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, type BenchContext, type BenchResult } from '../types.ts';

const run = promisify(execFile);
const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'memory-probe.ts');
const MiB = 1024 * 1024;

async function rssOf(args: string[], signal: AbortSignal): Promise<number> {
  const { stdout } = await run(process.execPath, ['--expose-gc', probe, ...args], {
    signal,
    maxBuffer: 1024 * 1024,
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const parsed = JSON.parse(line) as { rss: number; hits: number };
  if (args[0] === 'parley' && parsed.hits === 0) throw new Error('the probe found nothing in the archive');
  return parsed.rss;
}

function measure(ctx: BenchContext): Promise<BenchResult> {
  return withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup));
}

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const count = ctx.intOption('memory-messages', 1_000_000);
  const rounds = ctx.intOption('memory-rounds', 3);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-memory-'));
  cleanup.defer('archive folder', () => rm(dir, { recursive: true, force: true }));
  const corpus = buildCorpus(count, 0);
  const db = openArchive(dir);
  cleanup.defer('archive', () => {
    if (db.open) db.close();
  });
  const messages = createMessageRepo(db);
  const t0 = performance.now();
  for (let i = 0; i < count; i += 10_000) {
    db.transaction(() => {
      for (const m of corpus.messages.slice(i, i + 10_000)) messages.insert(m);
    })();
    if (ctx.signal.aborted) throw new Error('aborted');
  }
  searchIndexer(db).flush(); // the last rows queued for the search index
  db.close();
  ctx.note(`archive of ${String(count)} messages built in ${formatFigure((performance.now() - t0) / 1000)} s`);
  const parley: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['parley', 'bare'] as const) : (['bare', 'parley'] as const);
    for (const who of order) {
      if (who === 'parley') parley.push(await rssOf(['parley', dir], ctx.signal));
      else bare.push(await rssOf(['bare'], ctx.signal));
    }
  }
  const value = median(parley) / MiB;
  const reference = median(bare) / MiB;
  ctx.note(
    `RSS after GC: core with the archive open ${parley.map((v) => formatFigure(v / MiB)).join(', ')} MiB; bare Node with the same modules ${bare.map((v) => formatFigure(v / MiB)).join(', ')} MiB`,
  );
  return { value, reference };
}

export default defineBenchmark({
  name: 'memory',
  unit: 'MiB',
  goal: 1.5,
  better: 'lower',
  description:
    'resident size of the core with a 1,000,000-message archive open and searched, against bare Node with the same modules loaded',
  options: {
    'memory-messages': 'messages in the archive (default 1,000,000)',
    'memory-rounds': 'alternating rounds, medians (default 3)',
  },
  run: measure,
});

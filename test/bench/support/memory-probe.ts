/**
 * A child process for the `memory` benchmark: loads what the core loads and prints its
 * resident size (after a full GC) as one JSON line on stdout.
 *
 *   node --expose-gc memory-probe.ts parley DATA_DIR   the core with that archive open, in use
 *   node --expose-gc memory-probe.ts bare              bare Node with the same modules loaded
 */
import { createCore } from '../../../main/core/create-core.ts';
import { createLogger } from '../../../main/core/log.ts';

const [mode, dataDir] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

if (mode === 'parley') {
  if (!dataDir) throw new Error('usage: memory-probe.ts parley DATA_DIR');
  const core = await createCore({ dataDir, log: createLogger('warn', () => undefined) });
  // In use: the archive is read as the UI reads it (searches over every conversation).
  const { hits } = await core.handlers['search.messages']({ query: 'the', limit: 50 });
  for (const q of ['meeting', '北京', '明天', 'tomorrow', 'project'])
    await core.handlers['search.messages']({ query: q });
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss, hits: hits.length })}\n`);
  await core.shutdown();
} else if (mode === 'bare') {
  // The same modules, loaded and idle.
  await import('better-sqlite3');
  await import('@xmpp/client');
  await import('zod');
  await import('ws');
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss, hits: 0 })}\n`);
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}

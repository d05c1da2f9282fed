/**
 * roster: a roster of 5,000 contacts in 100 groups in Chromium, Parley's contact list against
 * a bare virtualized list of the same rows, same browser, same run.
 *
 * The page (test/bench/harness/roster-harness.tsx) is bundled here with esbuild in production
 * mode, with the renderer's stylesheet, and loaded from a temporary folder into Debian's
 * Chromium (as the e2e tests find it) through Playwright. Both lists get a 320 x 700 px
 * viewport. Parley's ContactList is handed the contacts as `useRosters` gives them (unsorted,
 * ungrouped) and groups, sorts, filters and virtualizes them itself; the bare list is handed
 * finished rows (grouped and sorted before the clock starts) and only renders them, with the
 * same overscan and the same CSS classes, and a plain substring filter.
 *
 * Times are the renderer main thread's CPU time, from a Chrome trace (each task's thread
 * time): what the page costs, whatever else the machine is doing. Wall-clock figures, which a
 * busy machine inflates, are notes. Per round (a fresh page for each list; rounds alternate
 * who goes first):
 *  - first paint: from handing the data over to the first frame painted with it (the render,
 *    then that frame's style, layout and paint; not the wait for the frame). The main figure
 *    is its median, Parley over bare: lower is better, goal ratio <= 1.5.
 *  - the longest frame while scrolling top to bottom (`--roster-step` px a frame: a fling),
 *    and while typing filters a key at a time and deleting them again ("maria", "o.b", "王"):
 *    the CPU time between one frame's end and the next. Notes give both lists' figures, their
 *    ratios, and the check "no frame over 50 ms".
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FrameStats, ListKind, MountTiming } from '../harness/roster-api.ts';
import { buildHarnessPage, chromiumPath, framesCpu, spanCpu, traced } from '../support/chromium-page.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { machineBusyMicros } from '../support/cpu.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, type BenchContext, type BenchResult } from '../types.ts';

type Kind = ListKind;

interface RoundResult {
  /** First paint: CPU ms (trace) and the page's own wall-clock figures. */
  firstPaint: number;
  cold: MountTiming;
  warm: number;
  /** CPU ms per frame. */
  scrollFrames: number[];
  typingFrames: number[];
  scroll: FrameStats & { height: number };
  typing: FrameStats;
}

const PAGE_CSS = `
html, body, #root { height: auto; }
body { margin: 0; }
.bench-box { width: 320px; height: 900px; }
.bench-box .side-section.roster { max-height: none; flex: 1 1 auto; }
.roster-scroll, .bare-scroll { flex: none; height: 700px; overflow-y: auto; overflow-anchor: none; }
.bare-scroll { padding: 0 8px 8px; }
.bare-filter { margin: 8px 16px; width: 288px; padding: 6px 10px; }
.bare-group { display: flex; align-items: center; height: 30px; padding: 0 8px; font-size: 12px; font-weight: 600; color: var(--muted); }
.bare-contact.item { height: 52px; margin: 0; padding: 8px; }
`;

/** Types `text` a key at a time, then deletes it a key at a time. */
async function typeAndClear(page: Page, text: string): Promise<void> {
  let typed = 0;
  for (const ch of text) {
    if (/^[\x20-\x7e]$/u.test(ch)) await page.keyboard.press(ch);
    else await page.keyboard.insertText(ch);
    typed++;
    await page.waitForTimeout(60);
  }
  for (let i = typed; i > 0; i--) {
    await page.keyboard.press('Backspace');
    await page.waitForTimeout(60);
  }
}

async function oneList(
  browser: Browser,
  url: string,
  kind: Kind,
  settings: { contacts: number; groups: number; step: number; warm: number },
  ctx: BenchContext,
): Promise<RoundResult> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1000 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.evaluate(({ contacts, groups }) => window.rosterBench.prepare(contacts, groups, 4), settings);
    await page.evaluate((k) => window.rosterBench.prepareMount(k), kind);
    const first = await traced(browser, page, () => page.evaluate(() => window.rosterBench.mount()));
    const warm: number[] = [];
    for (let i = 0; i < settings.warm; i++) {
      ctx.signal.throwIfAborted();
      await page.evaluate((k) => window.rosterBench.prepareMount(k), kind);
      warm.push((await page.evaluate(() => window.rosterBench.mount())).work);
    }
    ctx.signal.throwIfAborted();
    const scroll = await traced(browser, page, () =>
      page.evaluate(({ k, step }) => window.rosterBench.scroll(k, step), { k: kind, step: settings.step }),
    );
    ctx.signal.throwIfAborted();
    const { filter } = await page.evaluate((k) => window.rosterBench.selectors(k), kind);
    await page.focus(filter);
    const typing = await traced(browser, page, async () => {
      await page.evaluate(() => {
        window.rosterBench.startFrames();
      });
      await typeAndClear(page, 'maria');
      await typeAndClear(page, 'o.b');
      await typeAndClear(page, '王');
      await page.waitForTimeout(100);
      return page.evaluate(() => window.rosterBench.stopFrames());
    });
    if (errors.length > 0) throw new Error(`${kind}: the page failed: ${errors.join('; ')}`);
    return {
      firstPaint: spanCpu(first.events, 'roster-handover', 'roster-painted'),
      cold: first.result,
      warm: warm.length > 0 ? median(warm) : first.result.work,
      scrollFrames: framesCpu(scroll.events, 'roster-frame'),
      typingFrames: framesCpu(typing.events, 'roster-frame'),
      scroll: scroll.result,
      typing: typing.result,
    };
  } finally {
    await context.close();
  }
}

const ms = (n: number): string => `${formatFigure(n)} ms`;
const max = (list: readonly number[]): number => Math.max(0, ...list);
const p95 = (list: readonly number[]): number => [...list].sort((a, b) => a - b)[Math.floor(list.length * 0.95)] ?? 0;

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const contacts = ctx.intOption('roster-contacts', 5000);
  const groups = ctx.intOption('roster-groups', 100);
  const rounds = ctx.intOption('roster-rounds', 7);
  const step = ctx.intOption('roster-step', 800);
  const settings = { contacts, groups, step, warm: 3 };

  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-roster-'));
  cleanup.defer('the page folder', () => rm(dir, { recursive: true, force: true }));
  const url = await buildHarnessPage(dir, 'roster-harness.tsx', 'roster bench', PAGE_CSS);
  const executablePath = chromiumPath();
  const browser = await chromium.launch({
    ...(executablePath === undefined ? {} : { executablePath }),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  cleanup.defer('Chromium', () => browser.close());
  ctx.note(`Chromium ${browser.version()}${executablePath === undefined ? " (Playwright's)" : ` (${executablePath})`}`);

  const results: Record<Kind, RoundResult[]> = { parley: [], bare: [] };
  const busyBefore = await machineBusyMicros();
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    const order: Kind[] = round % 2 === 0 ? ['parley', 'bare'] : ['bare', 'parley'];
    for (const kind of order) {
      ctx.signal.throwIfAborted();
      results[kind].push(await oneList(browser, url, kind, settings, ctx));
    }
  }
  const busyAfter = await machineBusyMicros();

  const p = results.parley;
  const b = results.bare;
  const first = p[0];
  const firstBare = b[0];
  if (first === undefined || firstBare === undefined) throw new Error('no rounds');
  // The two lists must show the same rows: the same height to scroll through.
  if (Math.abs(first.scroll.height - firstBare.scroll.height) > 16)
    throw new Error(
      `the lists differ: ${String(first.scroll.height)} px of rows in Parley's, ${String(firstBare.scroll.height)} px in the bare one`,
    );
  ctx.note(
    `${String(contacts)} contacts in ${String(groups)} groups: ${String(first.cold.rows)} rows (${String(first.scroll.height)} px); ` +
      `rows in the page at first paint: Parley ${String(first.cold.inPage)}, bare ${String(firstBare.cold.inPage)}`,
  );
  if (busyBefore !== undefined && busyAfter !== undefined)
    ctx.note(
      `the machine: ${String(os.cpus().length)} CPUs, ${((busyAfter - busyBefore) / 1000 / (performance.now() - started)).toFixed(2)} of them busy on average during the run (this run's Chromium included)`,
    );

  const med = (list: RoundResult[], f: (r: RoundResult) => number): number => median(list.map(f));
  const worst = (list: RoundResult[], f: (r: RoundResult) => number): number => Math.max(...list.map(f));
  const line = (what: string, f: (r: RoundResult) => number): void => {
    const parley = med(p, f);
    const bare = med(b, f);
    ctx.note(
      `${what}: Parley ${ms(parley)}, bare ${ms(bare)}, ratio ${(parley / bare).toFixed(2)} ` +
        `(median of ${String(rounds)} rounds; worst Parley ${ms(worst(p, f))}, bare ${ms(worst(b, f))})`,
    );
  };
  line('first paint, CPU', (r) => r.firstPaint);
  line(`longest frame scrolling (${String(step)} px a frame), CPU`, (r) => max(r.scrollFrames));
  line('scrolling, 95th percentile frame, CPU', (r) => p95(r.scrollFrames));
  line('longest frame typing a filter, CPU', (r) => max(r.typingFrames));
  line('first paint, wall clock (without the wait for the frame)', (r) => r.cold.work);
  line('first paint, wall clock (with it)', (r) => r.cold.toPaint);
  line('first paint again in the same page, wall clock (warm)', (r) => r.warm);
  line('longest frame scrolling, wall clock', (r) => r.scroll.maxWork);
  line('longest frame typing, wall clock', (r) => r.typing.maxWork);

  const cpuWorst = Math.max(...p.map((r) => Math.max(max(r.scrollFrames), max(r.typingFrames))));
  const cpuOver = p.reduce(
    (n, r) => n + [...r.scrollFrames, ...r.typingFrames].filter((f) => f > 50).length + (r.firstPaint > 50 ? 1 : 0),
    0,
  );
  const firstPaintWorst = worst(p, (r) => r.firstPaint);
  ctx.note(
    `no frame over 50 ms (CPU): ${cpuOver === 0 ? 'yes' : `NO, ${String(cpuOver)} over`} (Parley's longest scrolling or typing ${ms(cpuWorst)}; first paint at most ${ms(firstPaintWorst)})`,
  );
  const longFrames = p.reduce((n, r) => n + r.scroll.longFrames + r.typing.longFrames, 0);
  const bareLong = b.reduce((n, r) => n + r.scroll.longFrames + r.typing.longFrames, 0);
  ctx.note(
    `frames the browser reported as long (over 50 ms of wall clock, machine load included): Parley ${String(longFrames)}, bare ${String(bareLong)}, in ${String(rounds)} rounds`,
  );
  return { value: med(p, (r) => r.firstPaint), reference: med(b, (r) => r.firstPaint) };
}

export default defineBenchmark({
  name: 'roster',
  unit: 'ms',
  goal: 1.5,
  better: 'lower',
  description:
    "5,000 contacts in 100 groups in Chromium: ContactList's first paint (and, in the notes, its longest frames scrolling and filtering) against a bare virtualized list of the same rows",
  options: {
    'roster-contacts': 'contacts in the roster (default 5000)',
    'roster-groups': 'roster groups (default 100)',
    'roster-rounds': 'rounds, a fresh page per list each (default 7)',
    'roster-step': 'pixels scrolled per frame (default 800)',
  },
  run: (ctx) => withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup)),
});

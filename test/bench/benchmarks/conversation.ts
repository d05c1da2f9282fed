/**
 * conversation: opening a 100,000-message conversation in Chromium, and scrolling up 5,000
 * messages, Parley's MessageList against a bare virtualized list of the same messages, same
 * page, same run.
 *
 * The page (test/bench/harness/conversation-harness.tsx) is bundled here with esbuild in
 * production mode, with the renderer's stylesheet, and loaded from a temporary folder into
 * Debian's Chromium (as the e2e tests find it) through Playwright. Both lists get the same
 * 760 x 700 px conversation box. The page holds the whole conversation in memory; each list
 * is mounted empty (a conversation opening, its first page on the way), then handed the
 * newest page (50 messages, useMessages' first page) and asks for older pages (100 each) as
 * it nears the top, served after a resolved promise (a fast IPC). Parley's list measures its
 * rows (ResizeObserver), renders the styled text, the actions and the accessibility; the bare
 * list has rows made before the clock starts, with fixed heights estimated from their text.
 *
 * Figures, per round (a fresh page for each list; rounds alternate who goes first):
 *  - open: main-thread work from handing the newest page over to the first frame painted with
 *    the newest message wholly in view, showing its text (the synchronous render, the tasks
 *    queued behind it, then that frame's rendering and painting; the wait for the frame is
 *    left out, it is the display's, and reported apart). The main figure is its median,
 *    Parley over bare: lower is better, goal ratio <= 1.5. Warm re-opens are a note.
 *  - the longest frame while scrolling up `--conversation-scroll` messages (`--conversation-step`
 *    px a frame, older pages loading on the way): each frame's main-thread work (its scroll
 *    handlers, rendering, painting, and the tasks queued behind it before the next frame: React's
 *    scheduled renders, pages landing). Notes give both lists' figures and the check "no frame
 *    over 50 ms" (no frame's work over 50 ms, and no long-animation-frame entry from the browser).
 *
 * Both are also measured as the renderer main thread's CPU time, from a Chrome trace of the
 * cold open and of the scroll (the thread time of each task: other work on a shared machine
 * does not count), as notes next to the wall-clock figures.
 *
 * The benchmark fails (no figure) if a list does not show the newest message after opening,
 * or does not get the requested number of messages back (stuck, or too slow).
 */
import { chromium, type Browser } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ConversationKind, OpenTiming, ScrollResult } from '../harness/conversation-api.ts';
import { buildHarnessPage, chromiumPath, framesCpu, spanCpu, traced } from '../support/chromium-page.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, type BenchContext, type BenchResult } from '../types.ts';

type Kind = ConversationKind;

interface Settings {
  messages: number;
  back: number;
  step: number;
  warm: number;
  limitMs: number;
}

interface RoundResult {
  mix: Record<string, number>;
  cold: OpenTiming;
  warm: number;
  scroll: ScrollResult;
  /** By CPU time (trace): the cold open, and each frame while scrolling up (ms). */
  cpu: { open: number; frames: number[] };
}

const PAGE_CSS = `
html, body, #root { height: auto; }
body { margin: 0; }
.bench-box { width: 760px; height: 700px; display: flex; flex-direction: column; }
.bare-list > .message { flex: none; overflow: hidden; }
`;

async function oneList(
  browser: Browser,
  url: string,
  kind: Kind,
  settings: Settings,
  ctx: BenchContext,
): Promise<RoundResult> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1000 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const failed = (): Error => new Error(`${kind}: the page failed: ${errors.join('; ')}`);
    await page.goto(url);
    const mix = await page.evaluate((n) => window.conversationBench.prepare(n, 5), settings.messages);
    await page.evaluate((k) => window.conversationBench.mount(k), kind);
    const { result: cold, events: openEvents } = await traced(browser, page, () =>
      page.evaluate(() => window.conversationBench.open()),
    );
    const warm: number[] = [];
    for (let i = 0; i < settings.warm; i++) {
      ctx.signal.throwIfAborted();
      await page.evaluate((k) => window.conversationBench.mount(k), kind);
      warm.push((await page.evaluate(() => window.conversationBench.open())).work);
    }
    if (errors.length > 0) throw failed();
    ctx.signal.throwIfAborted();
    const { result: scroll, events: scrollEvents } = await traced(browser, page, () =>
      page.evaluate((s) => window.conversationBench.scrollBack(s.back, s.step, s.limitMs), settings),
    );
    if (errors.length > 0) throw failed();
    await page.evaluate(() => {
      window.conversationBench.unmount();
    });
    const cpu = {
      open: spanCpu(openEvents, 'conversation-handover', 'conversation-painted', true),
      frames: framesCpu(scrollEvents, 'conversation-frame'),
    };
    return { mix, cold, warm: warm.length > 0 ? median(warm) : cold.work, scroll, cpu };
  } finally {
    await context.close();
  }
}

const ms = (n: number): string => `${formatFigure(n)} ms`;

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const messages = ctx.intOption('conversation-messages', 100_000);
  const back = ctx.intOption('conversation-scroll', 5000);
  const rounds = ctx.intOption('conversation-rounds', 3);
  const step = ctx.intOption('conversation-step', 800);
  if (back >= messages)
    throw new Error(
      `--conversation-scroll (${String(back)}) must be below --conversation-messages (${String(messages)})`,
    );
  const settings: Settings = { messages, back, step, warm: 3, limitMs: 180_000 };

  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-conversation-'));
  cleanup.defer('the page folder', () => rm(dir, { recursive: true, force: true }));
  const url = await buildHarnessPage(dir, 'conversation-harness.tsx', 'conversation bench', PAGE_CSS);
  const executablePath = chromiumPath();
  const browser = await chromium.launch({
    ...(executablePath === undefined ? {} : { executablePath }),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  cleanup.defer('Chromium', () => browser.close());
  ctx.note(`Chromium ${browser.version()}${executablePath === undefined ? " (Playwright's)" : ` (${executablePath})`}`);

  const load = os.loadavg()[0] ?? 0;
  const results: Record<Kind, RoundResult[]> = { parley: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    const order: Kind[] = round % 2 === 0 ? ['parley', 'bare'] : ['bare', 'parley'];
    for (const kind of order) {
      ctx.signal.throwIfAborted();
      results[kind].push(await oneList(browser, url, kind, settings, ctx));
    }
  }

  const p = results.parley;
  const b = results.bare;
  const first = p[0];
  const firstBare = b[0];
  if (first === undefined || firstBare === undefined) throw new Error('no rounds');
  for (const r of [...p, ...b]) {
    // The harness throws before this; a last guard that both really went the distance.
    if (r.scroll.messagesBack < back) throw new Error(`a list got only ${String(r.scroll.messagesBack)} messages back`);
  }
  const mix = first.mix;
  const share = (k: string): string => `${String(mix[k] ?? 0)} ${k}`;
  ctx.note(
    `${String(messages)} messages (${['outgoing', 'multiLine', 'styled', 'links', 'cjk', 'replies', 'reactions', 'edited', 'retracted', 'failed', 'days'].map(share).join(', ')})`,
  );
  ctx.note(
    `in the page once open: Parley ${String(first.cold.inPage)} rows, bare ${String(firstBare.cold.inPage)}; ` +
      `scrolled ${String(back)} messages back: Parley ${formatFigure(first.scroll.scrolled)} px in ${String(first.scroll.frames)} frames and ${String(first.scroll.pages)} older pages ` +
      `(${(first.scroll.height / first.scroll.loaded).toFixed(1)} px a message), bare ${formatFigure(firstBare.scroll.scrolled)} px in ${String(firstBare.scroll.frames)} frames and ${String(firstBare.scroll.pages)} pages ` +
      `(${(firstBare.scroll.height / firstBare.scroll.loaded).toFixed(1)} px a message, estimated)`,
  );

  const med = (list: RoundResult[], f: (r: RoundResult) => number): number => median(list.map(f));
  const worst = (list: RoundResult[], f: (r: RoundResult) => number): number => Math.max(...list.map(f));
  const line = (what: string, f: (r: RoundResult) => number): void => {
    const parley = med(p, f);
    const bare = med(b, f);
    ctx.note(
      `${what}: Parley ${ms(parley)}, bare ${ms(bare)}, ratio ${(parley / bare).toFixed(2)} ` +
        `(median of ${String(rounds)}; worst Parley ${ms(worst(p, f))}, bare ${ms(worst(b, f))})`,
    );
  };
  line('open, work to the newest message painted', (r) => r.cold.work);
  line('open, wall time (with the wait for the frame)', (r) => r.cold.toPaint);
  line('open again, same page (warm)', (r) => r.warm);
  line(`longest frame scrolling up (${String(step)} px a frame)`, (r) => r.scroll.maxWork);
  line(
    `  of the frames taking in an older page (Parley ${String(first.scroll.pagedFrames)} of ${String(first.scroll.frames)})`,
    (r) => r.scroll.pagedMax,
  );
  line('  of the other frames', (r) => r.scroll.otherMax);
  line('scrolling up, 95th percentile frame', (r) => r.scroll.p95Work);
  line('scrolling up, median frame', (r) => r.scroll.medianWork);
  line('longest time between frames scrolling up', (r) => r.scroll.maxInterval);
  line('scrolling up, wall time', (r) => r.scroll.duration);
  const sorted = (r: RoundResult): number[] => [...r.cpu.frames].sort((x, y) => x - y);
  line('open, CPU time (trace)', (r) => r.cpu.open);
  line('longest frame scrolling up, CPU time (trace)', (r) => sorted(r).at(-1) ?? 0);
  line('scrolling up, 95th percentile frame, CPU time', (r) => sorted(r)[Math.floor(r.cpu.frames.length * 0.95)] ?? 0);
  line('scrolling up, median frame, CPU time', (r) => sorted(r)[Math.floor(r.cpu.frames.length / 2)] ?? 0);
  ctx.note(
    `machine: ${String(os.availableParallelism())} CPUs, load average ${load.toFixed(1)} before the run, ${(os.loadavg()[0] ?? 0).toFixed(1)} after ` +
      '(Chromium runs its renderer, compositor and raster on the same CPUs: on a busy machine the frames are noisy)',
  );
  const framesToOpen = p.map((r) => r.cold.frames);
  if (framesToOpen.some((n) => n > 1))
    ctx.note(`Parley showed the newest message only after ${framesToOpen.join(', ')} frames`);

  const verdict = (list: RoundResult[], who: string): string => {
    const over = list.reduce((n, r) => n + r.scroll.over50, 0);
    const long = list.reduce((n, r) => n + r.scroll.longFrames, 0);
    const longest = worst(list, (r) => r.scroll.maxWork);
    const longestLoaf = worst(list, (r) => r.scroll.maxLong);
    const frames = list.reduce((n, r) => n + r.scroll.frames, 0);
    return over === 0 && long === 0
      ? `${who} yes (longest ${ms(longest)} of ${String(frames)} frames)`
      : `${who} NO (${String(over)} of ${String(frames)} frames over 50 ms, longest ${ms(longest)}; ` +
          `${String(long)} long-animation-frame entries, longest ${ms(longestLoaf)})`;
  };
  ctx.note(`no frame over 50 ms scrolling up: ${verdict(p, 'Parley')}; ${verdict(b, 'bare')}`);
  const cpuVerdict = (list: RoundResult[], who: string): string => {
    const frames = list.flatMap((r) => r.cpu.frames);
    const over = frames.filter((f) => f > 50).length;
    return `${who} ${over === 0 ? 'yes' : `NO (${String(over)} over)`} (longest ${ms(Math.max(0, ...frames))} of ${String(frames.length)} frames)`;
  };
  ctx.note(`no frame over 50 ms scrolling up, by CPU time: ${cpuVerdict(p, 'Parley')}; ${cpuVerdict(b, 'bare')}`);
  const openOver = p.filter((r) => r.cold.work > 50).length;
  if (openOver > 0)
    ctx.note(
      `opening took over 50 ms of work in ${String(openOver)} of ${String(rounds)} rounds (at most ${ms(worst(p, (r) => r.cold.work))})`,
    );
  return { value: med(p, (r) => r.cold.work), reference: med(b, (r) => r.cold.work) };
}

export default defineBenchmark({
  name: 'conversation',
  unit: 'ms',
  goal: 1.5,
  better: 'lower',
  description:
    "a 100,000-message conversation in Chromium: MessageList's work to the newest messages painted (and, in the notes, its longest frame scrolling up 5,000 messages) against a bare virtualized list of the same messages",
  options: {
    'conversation-messages': 'messages in the conversation (default 100000)',
    'conversation-scroll': 'messages to scroll up through (default 5000)',
    'conversation-rounds': 'rounds, a fresh page per list each (default 3)',
    'conversation-step': 'pixels scrolled per frame (default 800)',
  },
  run: (ctx) => withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup)),
});

/**
 * What the Chromium benchmarks (roster, conversation) share: the harness page bundled with
 * esbuild in production mode beside the app's own stylesheet, the Chromium to launch, and
 * main-thread CPU time read from a Chrome trace between the page's performance marks.
 */
import * as esbuild from 'esbuild';
import type { Browser, Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Bundles `test/bench/harness/<harness>` into `dir` with renderer/styles.css and `css`; the page's file URL. */
export async function buildHarnessPage(dir: string, harness: string, title: string, css: string): Promise<string> {
  await esbuild.build({
    entryPoints: [path.join(root, 'test/bench/harness', harness)],
    outfile: path.join(dir, 'harness.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome130'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    logLevel: 'warning',
    absWorkingDir: root,
  });
  await copyFile(path.join(root, 'renderer/styles.css'), path.join(dir, 'styles.css'));
  const html = path.join(dir, 'index.html');
  await writeFile(
    html,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
      `<link rel="stylesheet" href="styles.css"><style>${css}</style></head>` +
      `<body><div id="root"></div><script src="harness.js"></script></body></html>`,
  );
  return pathToFileURL(html).href;
}

/** `PARLEY_CHROMIUM`, else Debian's chromium, else Playwright's own. */
export function chromiumPath(): string | undefined {
  return process.env['PARLEY_CHROMIUM'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
}

/** Runs `run` under a Chrome trace of the page: the renderer's tasks (with thread time) and the page's marks. */
export async function traced<T>(
  browser: Browser,
  page: Page,
  run: () => Promise<T>,
): Promise<{ result: T; events: TraceEvent[] }> {
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await browser.stopTracing().catch(() => undefined);
    throw error;
  }
  const parsed = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents?: TraceEvent[] };
  return { result, events: parsed.traceEvents ?? [] };
}

/** The marks with these names (on the page's main thread), in order, and that thread's top-level tasks (µs). */
function mainThread(events: readonly TraceEvent[], names: readonly string[]) {
  const marks = events
    .filter((e) => names.includes(e.name) && ['I', 'R', 'n'].includes(e.ph))
    .sort((a, b) => a.ts - b.ts);
  const thread = marks[0];
  if (thread === undefined) throw new Error(`the trace has no ${names.join(' or ')} mark`);
  const tasks = events
    .filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === thread.pid && e.tid === thread.tid)
    .map((e) => ({ ts: e.ts, end: e.ts + (e.dur ?? 0), cpu: e.tdur ?? e.dur ?? 0 }))
    .sort((a, b) => a.ts - b.ts);
  return { marks, tasks };
}

/**
 * CPU ms of the tasks from the one holding mark `from` (the first) to the one holding mark
 * `to` (its first, or with `lastTo` its last).
 */
export function spanCpu(events: readonly TraceEvent[], from: string, to: string, lastTo = false): number {
  const { marks, tasks } = mainThread(events, [from, to]);
  const start = marks.find((m) => m.name === from)?.ts;
  const end = (lastTo ? marks.findLast((m) => m.name === to) : marks.find((m) => m.name === to))?.ts;
  if (start === undefined || end === undefined) throw new Error(`the trace lacks the ${from}/${to} marks`);
  return tasks.filter((t) => t.end >= start && t.ts <= end).reduce((n, t) => n + t.cpu, 0) / 1000;
}

/** CPU ms of each frame: the tasks that start after one `mark` up to the next one. */
export function framesCpu(events: readonly TraceEvent[], mark: string): number[] {
  const { marks, tasks } = mainThread(events, [mark]);
  const out: number[] = [];
  let t = 0;
  for (let i = 1; i < marks.length; i++) {
    const from = marks[i - 1]?.ts ?? 0;
    const to = marks[i]?.ts ?? 0;
    while (t < tasks.length && (tasks[t]?.ts ?? 0) <= from) t++;
    let cpu = 0;
    for (let k = t; k < tasks.length && (tasks[k]?.ts ?? Infinity) <= to; k++) cpu += tasks[k]?.cpu ?? 0;
    out.push(cpu / 1000);
  }
  return out;
}

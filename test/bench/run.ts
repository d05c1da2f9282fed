/**
 * The benchmark runner: `npm run bench [-- OPTIONS]`.
 *
 *   --json FILE       write one record per benchmark: {name, value, unit, reference, ratio, goal}
 *   --only A,B        run only these benchmarks
 *   --list            list the benchmarks and their options
 *   --NAME VALUE      an option of a benchmark (see --list), e.g. --messages 5000
 *
 * Every file in test/bench/benchmarks/ whose default export is a Benchmark, or an
 * array of them (see types.ts), is run, in file-name order. A missed goal is a finding, not
 * a failure: the exit code is 0 unless a benchmark could not measure (1),
 * the command line is wrong (2) or the run was interrupted (130). Run through test/support/with-test-ca.ts,
 * which makes the throwaway servers' CA trusted (npm run bench does).
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatFigure } from './support/stats.ts';
import { meetsGoal, UsageError, type BenchContext, type Benchmark, type BenchRecord } from './types.ts';

const BENCH_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'benchmarks');

interface Args {
  json?: string;
  only?: string[];
  list: boolean;
  options: Map<string, string>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { list: false, options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--list' || arg === '--help' || arg === '-h') {
      args.list = true;
      continue;
    }
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/u.exec(arg);
    if (!m?.[1]) throw new UsageError(`unexpected argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    if (m[1] === 'json') args.json = value;
    else if (m[1] === 'only')
      args.only = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else args.options.set(m[1], value);
  }
  return args;
}

function isBenchmark(value: unknown): value is Benchmark {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Partial<Record<keyof Benchmark, unknown>>;
  return (
    typeof b.name === 'string' &&
    typeof b.unit === 'string' &&
    typeof b.goal === 'number' &&
    typeof b.run === 'function'
  );
}

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = (await readdir(BENCH_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(BENCH_DIR, file)).href)) as { default?: unknown };
    // One benchmark, or a list of related ones sharing their set-up code (transfer.ts).
    const exported: unknown[] = Array.isArray(mod.default) ? (mod.default as unknown[]) : [mod.default];
    for (const benchmark of exported) {
      if (!isBenchmark(benchmark))
        throw new Error(`${file}: the default export is not a benchmark or a list of them (use defineBenchmark)`);
      if (found.some((b) => b.name === benchmark.name))
        throw new Error(`${file}: a second benchmark named ${benchmark.name}`);
      found.push(benchmark);
    }
  }
  return found;
}

const interrupted = new AbortController();

function contextFor(benchmark: Benchmark, options: Map<string, string>): BenchContext {
  return {
    signal: interrupted.signal,
    option: (name) => options.get(name),
    intOption(name, fallback) {
      const raw = options.get(name);
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a positive integer, not "${raw}"`);
      return n;
    },
    note(line) {
      console.log(`  ${benchmark.name}: ${line}`);
    },
  };
}

type Outcome = { benchmark: Benchmark; record: BenchRecord; met: boolean } | { benchmark: Benchmark; error: unknown };

function printTable(outcomes: Outcome[]): void {
  const rows = outcomes.map((o): string[] => {
    const b = o.benchmark;
    const goal = `${(b.better ?? 'higher') === 'higher' ? '>=' : '<='} ${b.goal.toFixed(2)}`;
    if ('error' in o)
      return [b.name, '-', '-', '-', goal, `FAILED: ${o.error instanceof Error ? o.error.message : String(o.error)}`];
    const r = o.record;
    return [
      b.name,
      `${formatFigure(r.value)} ${r.unit}`,
      `${formatFigure(r.reference)} ${r.unit}`,
      r.ratio.toFixed(3),
      goal,
      o.met ? 'meets goal' : 'below goal',
    ];
  });
  const header = ['benchmark', 'parley', 'reference', 'ratio', 'goal', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log('');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const all = await loadBenchmarks();
  if (args.list) {
    console.log('usage: npm run bench -- [--json FILE] [--only NAME,...] [--list] [--OPTION VALUE ...]\n');
    for (const b of all) {
      console.log(
        `${b.name} (${b.unit}, goal ratio ${(b.better ?? 'higher') === 'higher' ? '>=' : '<='} ${String(b.goal)}): ${b.description}`,
      );
      for (const [name, help] of Object.entries(b.options ?? {})) console.log(`    --${name}: ${help}`);
    }
    return 0;
  }
  const unknown = (args.only ?? []).filter((n) => !all.some((b) => b.name === n));
  if (unknown.length > 0) throw new UsageError(`no benchmark named ${unknown.join(', ')} (see --list)`);
  const selected = args.only ? all.filter((b) => args.only?.includes(b.name)) : all;
  const known = new Set(selected.flatMap((b) => Object.keys(b.options ?? {})));
  for (const name of args.options.keys()) {
    if (!known.has(name)) throw new UsageError(`unknown option --${name} (see --list)`);
  }

  const outcomes: Outcome[] = [];
  for (const benchmark of selected) {
    if (interrupted.signal.aborted) break;
    console.log(`${benchmark.name}: ${benchmark.description}`);
    const started = performance.now();
    try {
      const { value, reference } = await benchmark.run(contextFor(benchmark, args.options));
      if (!(Number.isFinite(value) && Number.isFinite(reference) && reference > 0)) {
        throw new Error(`implausible figures: value ${String(value)}, reference ${String(reference)}`);
      }
      const ratio = value / reference;
      const record: BenchRecord = {
        name: benchmark.name,
        value,
        unit: benchmark.unit,
        reference,
        ratio,
        goal: benchmark.goal,
      };
      outcomes.push({ benchmark, record, met: meetsGoal(benchmark, ratio) });
    } catch (error) {
      if (error instanceof UsageError) throw error;
      console.error(`  ${benchmark.name}: failed:`, error);
      outcomes.push({ benchmark, error });
    }
    console.log(`  ${benchmark.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  printTable(outcomes);
  if (args.json) {
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.json);
    const records = outcomes.flatMap((o) => ('record' in o ? [o.record] : []));
    await writeFile(file, JSON.stringify(records, null, 2) + '\n');
    console.log(`\nwrote ${file}`);
  }
  if (interrupted.signal.aborted) return 130;
  return outcomes.some((o) => 'error' in o) ? 1 : 0;
}

// Ctrl-C / kill: let the running benchmark close what it started; a second one exits at once
// (through 'exit', so that child servers are still killed).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted.signal.aborted) process.exit(130);
    console.error(`bench: ${signal}: stopping (again to exit at once)`);
    interrupted.abort(new Error(`interrupted by ${signal}`));
  });
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`bench: ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error('bench: failed:', err);
    process.exitCode = 1;
  }
}
// Everything should be closed by now; if some handle still keeps us alive, say so and go.
setTimeout(() => {
  console.error('bench: handles still open 5 s after the run (a leak in a benchmark?); exiting');
  process.exit(process.exitCode ?? 1);
}, 5000).unref();

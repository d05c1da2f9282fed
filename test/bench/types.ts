/**
 * What a benchmark is: a measurement of Parley (`value`) next to a reference
 * doing the same work, measured in the same run (`reference`). The figure
 * that matters is their ratio, compared with the benchmark's goal.
 *
 * To add one: drop a file in test/bench/benchmarks/ whose default export is
 * `defineBenchmark({...})`; the runner finds it by itself.
 */

export interface BenchContext {
  /** The value of `--NAME VALUE` on the command line (NAME declared in `options`). */
  option(name: string): string | undefined;
  /** `--NAME N` as a positive integer, or `fallback` when absent. */
  intOption(name: string, fallback: number): number;
  /** A line of detail, printed under the benchmark (samples, settings, sanity checks). */
  note(line: string): void;
  /** Aborted on Ctrl-C / SIGTERM: stop measuring, close what was started, and throw. */
  signal: AbortSignal;
}

export interface BenchResult {
  /** Parley's figure, in the benchmark's unit. */
  value: number;
  /** The reference's figure, same unit, same run. */
  reference: number;
}

export interface Benchmark {
  /** kebab-case, unique; used by `--only`. */
  name: string;
  /** Unit of value and reference, e.g. "msgs/s". */
  unit: string;
  /** Goal for ratio = value / reference (ratio >= goal when higher is better, <= goal otherwise). */
  goal: number;
  /** Default 'higher' (throughput); 'lower' for times and sizes. */
  better?: 'higher' | 'lower';
  /** One line: what is measured, against what. */
  description: string;
  /** Command-line options this benchmark reads: name -> help text (shown by --help). */
  options?: Record<string, string>;
  /** Throws when the measurement itself failed (not when the goal is missed). */
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** The record written by `--json FILE`, one per benchmark. */
export interface BenchRecord {
  name: string;
  value: number;
  unit: string;
  reference: number;
  ratio: number;
  goal: number;
}

/** A bad command-line value: reported as a usage error (exit code 2), not as a failed measurement. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function defineBenchmark(benchmark: Benchmark): Benchmark {
  return benchmark;
}

export function meetsGoal(benchmark: Pick<Benchmark, 'goal' | 'better'>, ratio: number): boolean {
  return (benchmark.better ?? 'higher') === 'higher' ? ratio >= benchmark.goal : ratio <= benchmark.goal;
}

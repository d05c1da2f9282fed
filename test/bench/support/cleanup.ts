/**
 * Everything a benchmark starts is registered here and closed in reverse
 * order, whether the benchmark succeeded or failed; a failing close is
 * reported, and the others still run.
 */
export class Cleanup {
  #stack: { label: string; close: () => unknown }[] = [];

  defer(label: string, close: () => unknown): void {
    this.#stack.push({ label, close });
  }

  /** Closes everything; resolves with the errors met (empty when all went well). */
  async closeAll(timeoutMs = 10_000): Promise<Error[]> {
    const errors: Error[] = [];
    while (this.#stack.length > 0) {
      const { label, close } = this.#stack.pop() ?? { label: '', close: () => undefined };
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(close),
          new Promise((_, reject) => {
            timer = setTimeout(() => {
              reject(new Error(`did not close within ${String(timeoutMs)} ms`));
            }, timeoutMs);
          }),
        ]);
      } catch (err) {
        errors.push(new Error(`closing ${label}: ${err instanceof Error ? err.message : String(err)}`));
      } finally {
        clearTimeout(timer);
      }
    }
    return errors;
  }
}

/**
 * Runs `measure` with a Cleanup, closes everything it registered whatever happens, and
 * reports cleanup errors: a benchmark that cannot shut down cleanly has failed.
 */
export async function withCleanup<T>(
  ctx: { note(line: string): void },
  measure: (cleanup: Cleanup) => Promise<T>,
): Promise<T> {
  const cleanup = new Cleanup();
  let result: T | undefined;
  let failure: Error | undefined;
  try {
    result = await measure(cleanup);
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }
  const errors = await cleanup.closeAll();
  for (const err of errors) ctx.note(`cleanup: ${err.message}`);
  if (failure !== undefined) throw failure;
  if (errors.length > 0 || result === undefined) throw new Error('could not shut everything down');
  return result;
}

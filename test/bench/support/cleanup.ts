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

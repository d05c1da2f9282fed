/** A real core on a temp data folder, with its events recorded as a renderer would see them. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventName, EventPayload } from '../../preload/contract.ts';
import { createCore, type Core, type CoreOptions } from '../../main/core/create-core.ts';
import { createLogger } from '../../main/core/log.ts';

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
}

export interface TestCore {
  core: Core;
  dataDir: string;
  events: RecordedEvent[];
  /** The core's log lines (debug and up): what a support engineer would read. */
  logs: string[];
  waitForEvent<N extends EventName>(
    name: N,
    predicate?: (payload: EventPayload<N>) => boolean,
    timeoutMs?: number,
  ): Promise<EventPayload<N>>;
  /** Like waitForEvent, but only for events that arrive after this call. */
  waitForNext<N extends EventName>(
    name: N,
    predicate?: (payload: EventPayload<N>) => boolean,
    timeoutMs?: number,
  ): Promise<EventPayload<N>>;
  restart(): Promise<TestCore>;
  shutdown(): Promise<void>;
}

export async function tempDir(prefix = 'parley-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Starts a core; a data folder made here is deleted by shutdown(). */
/**
 * For `CoreOptions.sendablePath`: integration tests drive 'transfer.sendFile' and
 * 'transfer.upload' with files of their own instead of staging them as the renderer must.
 */
export const anyFile = (): boolean => true;

export async function startCore(
  dataDir?: string,
  options: Partial<CoreOptions> = {},
  owned = dataDir === undefined,
): Promise<TestCore> {
  const dir = dataDir ?? (await tempDir());
  const logs: string[] = [];
  const log = createLogger('debug', (line) => {
    logs.push(line);
    if (process.env['PARLEY_TEST_LOG']) process.stderr.write(line + '\n');
  });
  // HTTP upload over plain http to loopback (the transfer test server) is for tests only.
  const core = await createCore({ dataDir: dir, log, insecureHttpForTests: true, ...options });
  const events: RecordedEvent[] = [];
  const waiters = new Set<() => void>();
  core.rpc.connect((frame) => {
    const parsed = JSON.parse(frame) as { kind: string; name: EventName; payload: unknown };
    if (parsed.kind === 'event') {
      events.push({ name: parsed.name, payload: parsed.payload });
      for (const w of waiters) w();
    }
  });
  function waitFrom<N extends EventName>(
    start: number,
    name: N,
    predicate: (payload: EventPayload<N>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EventPayload<N>> {
    const find = () =>
      events.slice(start).find((e) => e.name === name && predicate(e.payload as EventPayload<N>))?.payload as
        EventPayload<N> | undefined;
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit) {
          waiters.delete(check);
          resolve(hit);
        }
      };
      waiters.add(check);
      setTimeout(() => {
        if (waiters.delete(check)) reject(new Error(`no ${name} event within ${String(timeoutMs)} ms`));
      }, timeoutMs).unref();
    });
  }
  const self: TestCore = {
    core,
    dataDir: dir,
    events,
    logs,
    waitForEvent: (name, predicate, timeoutMs) => waitFrom(0, name, predicate, timeoutMs),
    waitForNext: (name, predicate, timeoutMs) => waitFrom(events.length, name, predicate, timeoutMs),
    async restart() {
      await core.shutdown();
      return startCore(dir, options, owned);
    },
    async shutdown() {
      await core.shutdown();
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
  return self;
}

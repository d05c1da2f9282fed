/**
 * A core in its own process: the web host (`node main/web/cli.ts --port 0 --data-dir DIR`),
 * driven over its WebSocket with the contract's own client (preload/rpc.ts), as the
 * browser renderer is. It can be killed (SIGKILL: no chance to clean up) and started again
 * on the same data folder; events from every incarnation reach the same listeners.
 *
 * The child inherits this process's environment (NODE_EXTRA_CA_CERTS from with-test-ca.ts).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import {
  events as eventSchemas,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type EventName,
  type EventPayload,
} from '../../preload/contract.ts';
import { createClient } from '../../preload/rpc.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'main', 'web', 'cli.ts');
const eventNames = Object.keys(eventSchemas) as EventName[];

export interface RemoteEvent {
  name: EventName;
  payload: unknown;
  /** performance.now() when it arrived. */
  at: number;
  /** Which process sent it: 1 for the first, +1 per restart. */
  incarnation: number;
}

export interface RemoteCoreOptions {
  dataDir: string;
  /** A name for messages ("A", "bob"). */
  label?: string;
  /** The core's log level (default 'warn'; 'debug' when PARLEY_TEST_LOG is set). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Append the child's stdout and stderr to this file (every incarnation). */
  logFile?: string;
  /** How long a process may take to print its URL (default 30 s). */
  startTimeoutMs?: number;
}

export interface RemoteCore {
  readonly label: string;
  readonly dataDir: string;
  readonly pid: number | undefined;
  /** A process is running and its WebSocket is open. */
  readonly alive: boolean;
  readonly incarnation: number;
  /** Every event received, from every incarnation, in arrival order. */
  readonly events: readonly RemoteEvent[];
  /** Calls a command; rejects if the process dies or the answer takes longer than timeoutMs (default 60 s). */
  call<N extends CommandName>(name: N, input: CommandInput<N>, timeoutMs?: number): Promise<CommandOutput<N>>;
  onEvent(listener: (event: RemoteEvent) => void): () => void;
  waitForEvent<N extends EventName>(
    name: N,
    predicate?: (payload: EventPayload<N>) => boolean,
    timeoutMs?: number,
  ): Promise<EventPayload<N>>;
  /** SIGKILL, then waits until the process is gone. */
  kill(): Promise<void>;
  /** A new process on the same data folder (the previous one must be gone: kill() or stop() first). */
  restart(): Promise<void>;
  /** SIGTERM (a clean shutdown), SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** The last lines the process wrote (for failure reports). */
  outputTail(): string;
}

export class RemoteCoreGone extends Error {
  override name = 'RemoteCoreGone';
}

const exec = promisify(execFile);
let rendererBuild: Promise<void> | undefined;

/** The web host refuses to start without the built renderer: build it once if it is missing. */
export function ensureRendererBuilt(): Promise<void> {
  if (existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) return Promise.resolve();
  rendererBuild ??= exec(process.execPath, [path.join(repoRoot, 'esbuild.config.ts'), '--renderer-only'], {
    cwd: repoRoot,
  }).then(() => undefined);
  return rendererBuild;
}

interface Incarnation {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited: boolean;
  ws: WebSocket | undefined;
  client: ReturnType<typeof createClient> | undefined;
  /** Rejects when the WebSocket closes or the process exits. */
  gone: Promise<never>;
}

export async function startRemoteCore(options: RemoteCoreOptions): Promise<RemoteCore> {
  await ensureRendererBuilt();
  const label = options.label ?? path.basename(options.dataDir);
  const logLevel = options.logLevel ?? (process.env['PARLEY_TEST_LOG'] ? 'debug' : 'warn');
  const events: RemoteEvent[] = [];
  const listeners = new Set<(event: RemoteEvent) => void>();
  let tail: string[] = [];
  let current: Incarnation | undefined;
  let incarnation = 0;

  const record = (line: string) => {
    tail.push(line);
    if (tail.length > 200) tail = tail.slice(-150);
    if (options.logFile)
      void appendFile(options.logFile, `[${label}#${String(incarnation)}] ${line}\n`).catch(() => undefined);
  };

  const launch = async (): Promise<Incarnation> => {
    incarnation += 1;
    const me = incarnation;
    const child = spawn(
      process.execPath,
      [cli, '--port', '0', '--data-dir', options.dataDir, '--log-level', logLevel],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: process.env,
      },
    );
    let hasExited = false;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        hasExited = true;
        record(`process exited (${signal ?? `code ${String(code)}`})`);
        resolve();
      });
    });
    createInterface({ input: child.stderr }).on('line', record);
    const lines = createInterface({ input: child.stdout });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`core ${label}: no URL within ${String(options.startTimeoutMs ?? 30_000)} ms`));
      }, options.startTimeoutMs ?? 30_000);
      lines.on('line', (line) => {
        record(line);
        const m = /Parley web UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/u.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`core ${label} exited before it was ready:\n${tail.slice(-20).join('\n')}`));
      });
    }).catch(async (err: unknown) => {
      child.kill('SIGKILL');
      await exited;
      throw err;
    });
    const http = new URL(url);
    const ws = new WebSocket(`ws://${http.host}/ws?token=${http.searchParams.get('token') ?? ''}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve();
      });
      ws.once('error', reject);
    });
    const client = createClient({
      send: (frame) => {
        ws.send(frame);
      },
      onFrame: (listener) => {
        ws.on('message', (data: WebSocket.RawData) => {
          listener(
            Array.isArray(data)
              ? Buffer.concat(data).toString('utf8')
              : Buffer.from(data as ArrayBuffer).toString('utf8'),
          );
        });
      },
    });
    for (const name of eventNames) {
      client.on(name, (payload) => {
        const event: RemoteEvent = { name, payload, at: performance.now(), incarnation: me };
        events.push(event);
        for (const l of listeners) l(event);
      });
    }
    const gone = new Promise<never>((_, reject) => {
      const fail = () => {
        reject(new RemoteCoreGone(`core ${label} (process ${String(child.pid)}) is gone`));
      };
      ws.once('close', fail);
      void exited.then(fail);
    });
    gone.catch(() => undefined);
    const inc: Incarnation = {
      child,
      exited,
      get hasExited() {
        return hasExited;
      },
      ws,
      client,
      gone,
    };
    return inc;
  };

  current = await launch();
  const killWithUs = () => {
    if (current && !current.hasExited) current.child.kill('SIGKILL');
  };
  process.once('exit', killWithUs);

  const self: RemoteCore = {
    label,
    dataDir: options.dataDir,
    get pid() {
      return current?.child.pid;
    },
    get alive() {
      return current !== undefined && !current.hasExited && current.ws?.readyState === WebSocket.OPEN;
    },
    get incarnation() {
      return incarnation;
    },
    events,
    async call(name, input, timeoutMs = 60_000) {
      const inc = current;
      if (!inc?.client || inc.hasExited) throw new RemoteCoreGone(`core ${label} is not running`);
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          inc.client.call(name, input),
          inc.gone,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              reject(new Error(`core ${label}: ${name} got no answer within ${String(timeoutMs)} ms`));
            }, timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForEvent(name, predicate = () => true, timeoutMs = 10_000) {
      type P = EventPayload<typeof name>;
      const hit = events.find((e) => e.name === name && predicate(e.payload as P));
      if (hit) return Promise.resolve(hit.payload as P);
      return new Promise((resolve, reject) => {
        const off = self.onEvent((e) => {
          if (e.name === name && predicate(e.payload as P)) {
            off();
            clearTimeout(timer);
            resolve(e.payload as P);
          }
        });
        const timer = setTimeout(() => {
          off();
          reject(new Error(`core ${label}: no ${name} event within ${String(timeoutMs)} ms`));
        }, timeoutMs);
      });
    },
    async kill() {
      const inc = current;
      if (!inc || inc.hasExited) return;
      inc.child.kill('SIGKILL');
      await inc.exited;
      inc.ws?.terminate();
    },
    async restart() {
      if (current && !current.hasExited) throw new Error(`core ${label} is still running: kill() or stop() it first`);
      current = await launch();
    },
    async stop() {
      const inc = current;
      if (!inc || inc.hasExited) return;
      inc.ws?.close();
      inc.child.kill('SIGTERM');
      const timer = setTimeout(() => inc.child.kill('SIGKILL'), 10_000);
      await inc.exited;
      clearTimeout(timer);
    },
    outputTail: () => tail.slice(-40).join('\n'),
  };
  return self;
}

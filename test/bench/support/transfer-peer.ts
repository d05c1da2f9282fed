/**
 * A child process for the `transfer-*` benchmarks: one Parley core, signed in, so that the
 * sender and the receiver each have a process (and a CPU) of their own, as on two machines,
 * and so that the resident size measured is that core's alone.
 *
 *   node transfer-peer.ts CONFIG_JSON
 *     CONFIG_JSON: {"dataDir", "jid", "password", "server", "transfers": TransferOptions}
 *
 * Prints one JSON line per event on stdout (each with `at`, the wall clock, and `cpu`, the
 * process's CPU time in µs):
 *   {"ev":"ready"}                                       signed in, online
 *   {"ev":"online", "jid"}                               a contact came online (first time only)
 *   {"ev":"transfer", "id", "direction", "state", "method", "protocol"?, "bytes", "size", "reason"?, "error"?, "path"?}
 *                                                        a transfer reached a new state (not progress)
 *   {"ev":"rss", "rss", "peak"}                          answer to "rss": now and the highest sample
 *   {"ev":"error", "message"}                            a command failed
 * Reads JSON commands on stdin, one per line:
 *   {"cmd":"send", "peer", "path"}    transfer.sendFile
 *   {"cmd":"rss-reset"}               start a new peak (samples every 20 ms, from now)
 *   {"cmd":"rss"}                     report now and the peak since the last reset
 * Every incoming offer is accepted at once. stdin closing shuts the core down.
 */
import { createInterface } from 'node:readline';
import type { Transfer } from '../../../preload/contract.ts';
import { createCore } from '../../../main/core/create-core.ts';
import { createLogger } from '../../../main/core/log.ts';
import type { TransferOptions } from '../../../main/core/transfer/transfer-service.ts';
import { setHashWorkerEnabled } from '../../../main/core/transfer/hash-worker.ts';

// For comparisons: PARLEY_BENCH_HASH_WORKER=off hashes on the core's own thread instead.
if (process.env['PARLEY_BENCH_HASH_WORKER'] === 'off') setHashWorkerEnabled(false);

interface Config {
  dataDir: string;
  jid: string;
  password: string;
  server: string;
  transfers: Omit<TransferOptions, 'downloadsDir' | 'directHosts'> & { directHosts?: string[] };
}

const raw = process.argv[2];
if (!raw) throw new Error('usage: transfer-peer.ts CONFIG_JSON');
const config = JSON.parse(raw) as Config;
const { directHosts, ...transfers } = config.transfers;

/**
 * Every line carries `at`: Date.now() when it was written (for the phases of a transfer), and
 * `cpu`: this process's CPU time so far (all its threads, user + system), and `cpuMain`, its
 * main thread's alone, in microseconds.
 */
const emit = (line: Record<string, unknown>) => {
  const { user, system } = process.cpuUsage();
  const main = process.threadCpuUsage();
  const cpuMain = main.user + main.system;
  process.stdout.write(`${JSON.stringify({ ...line, at: Date.now(), cpu: user + system, cpuMain })}\n`);
};

let peak = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);

const core = await createCore({
  dataDir: config.dataDir,
  log: createLogger('warn', (line) => process.stderr.write(line + '\n')),
  transfers: { ...transfers, ...(directHosts ? { directHosts: () => directHosts } : {}) },
  // The benchmark sends its own files (the app sends only what its renderer staged).
  sendablePath: () => true,
});
const states = new Map<string, string>();
const online = new Set<string>();
core.rpc.connect((frame) => {
  const parsed = JSON.parse(frame) as { kind: string; name: string; payload: unknown };
  if (parsed.kind === 'event' && parsed.name === 'roster.updated') {
    const { contacts } = parsed.payload as { contacts: { jid: string; show: string }[] };
    for (const c of contacts)
      if (c.show !== 'offline' && !online.has(c.jid)) {
        online.add(c.jid);
        emit({ ev: 'online', jid: c.jid });
      }
    return;
  }
  if (parsed.kind !== 'event' || parsed.name !== 'transfer.updated') return;
  const t = parsed.payload as Transfer;
  if (states.get(t.id) === t.state) return;
  states.set(t.id, t.state);
  emit({
    ev: 'transfer',
    id: t.id,
    direction: t.direction,
    state: t.state,
    method: t.method,
    protocol: t.protocol,
    bytes: t.bytes,
    size: t.size,
    reason: t.reason,
    error: t.error,
    path: t.path,
  });
  // Accepted on the next turn of the loop, as a click would be (the event comes first).
  if (t.direction === 'in' && t.state === 'offered')
    setImmediate(() => {
      core.handlers['transfer.accept']({ accountId: config.jid, id: t.id }).catch((err: unknown) => {
        emit({ ev: 'error', message: `accept: ${String(err)}` });
      });
    });
});

const state = await core.handlers['account.signIn']({
  jid: config.jid,
  password: config.password,
  server: config.server,
});
if (state.status !== 'online') throw new Error(`signIn: ${state.status}`);
emit({ ev: 'ready' });

async function command(line: string): Promise<void> {
  const c = JSON.parse(line) as { cmd: string; peer?: string; path?: string };
  if (c.cmd === 'send') {
    await core.handlers['transfer.sendFile']({ accountId: config.jid, peer: c.peer ?? '', path: c.path ?? '' });
  } else if (c.cmd === 'rss-reset') {
    peak = process.memoryUsage.rss();
  } else if (c.cmd === 'rss') {
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    emit({ ev: 'rss', rss, peak });
  } else throw new Error(`unknown command ${c.cmd}`);
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    command(line).catch((err: unknown) => {
      emit({ ev: 'error', message: String(err) });
    });
  })
  .on('close', () => {
    clearInterval(sampler);
    void core.shutdown().then(() => process.exit(0));
  });

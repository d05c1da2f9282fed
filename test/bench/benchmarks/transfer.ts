/**
 * File transfer (issue 6): three benchmarks against one throwaway Prosody with mod_proxy65.
 *
 * Every Parley core runs in a process of its own (support/transfer-peer.ts: the sender and the
 * receiver, as on two machines, each with its own event loop; the receiver accepts every offer
 * at once), and so does every reference. A figure is the whole transfer as the user waits for
 * it: from the send command to the file complete on the receiver's disk (for Parley: offered,
 * accepted, streamed, hashed on both sides while streaming — by each core's hashing worker —,
 * the sender's sha-256 sent in a Jingle session-info, checked and renamed into the downloads
 * folder). Parley to Parley is Jingle file transfer (XEP-0234) over SOCKS5 (XEP-0260, the
 * XEP-0065 streamhosts), checked in every round; the notes give each process's CPU time.
 *
 * - transfer-direct: `--transfer-mib` (200) MiB over Parley's direct SOCKS5 streamhost on
 *   loopback, against a raw Node TCP copy of the same file (support/raw-copy.ts: file → socket
 *   → file, stream.pipeline, no hashing, no signalling). MiB/s; goal ≥ 0.9×.
 * - transfer-proxy: the same file through Prosody's proxy65, Parley to Parley (no direct
 *   streamhost), against slixmpp sending to slixmpp through the same proxy (both hash, the
 *   receiver saves: slixmpp_peer.py SAVETO). MiB/s; goal ≥ 1.0×.
 * - transfer-memory: `--transfer-memory-mib` (1024) MiB directly; the highest growth of either
 *   core's resident size during the transfer (sampled every 20 ms in each process, from just
 *   before the send), against the same for the raw copy's processes (Node's own streaming
 *   floor: garbage chunks wait for the next GC): goal ≤ 1.5× (streamed, never buffered whole;
 *   the notes give the growth as a share of the file's size).
 *
 * `--transfer-rounds` (3) alternating rounds after one small warm-up transfer each; medians.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startTransferServer } from '../../support/server.ts';
import { startSlixmpp, type SlixmppPeer } from '../../support/slixmpp.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, type BenchContext, type BenchResult } from '../types.ts';

const MiB = 1024 * 1024;
const supportDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support');
const PASSWORD = 'pw-transfer';
const WARMUP_BYTES = 4 * MiB;

type Server = Awaited<ReturnType<typeof startTransferServer>>;
type Line = Record<string, unknown> & { ev: string };

/** A child process that speaks JSON lines (transfer-peer.ts, raw-copy.ts). */
interface Child {
  proc: ChildProcessWithoutNullStreams;
  lines: Line[];
  /** The first line from `from` on (default: from the start) that matches. */
  waitFor(predicate: (line: Line) => boolean, timeoutMs: number, from?: number): Promise<Line>;
  send(command: string): void;
  stop(): Promise<void>;
}

function spawnChild(script: string, args: string[], label: string): Child {
  const proc = spawn(process.execPath, [path.join(supportDir, script), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  proc.stdin.on('error', () => undefined);
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const lines: Line[] = [];
  const waiters = new Set<() => void>();
  let exited = false;
  createInterface({ input: proc.stdout }).on('line', (raw) => {
    try {
      lines.push(JSON.parse(raw) as Line);
    } catch {
      lines.push({ ev: 'text', text: raw });
    }
    for (const w of waiters) w();
  });
  const gone = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      exited = true;
      for (const w of waiters) w();
      resolve();
    });
  });
  return {
    proc,
    lines,
    waitFor(predicate, timeoutMs, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.slice(from).find(predicate);
          const error = lines.slice(from).find((l) => l.ev === 'error');
          if (hit === undefined && error === undefined && !exited) return;
          waiters.delete(check);
          clearTimeout(timer);
          if (hit !== undefined) resolve(hit);
          else
            reject(
              new Error(
                `${label}: ${error ? String(error['message']) : 'exited'}; last lines ${JSON.stringify(lines.slice(-3))}; stderr: ${stderr}`,
              ),
            );
        };
        const timer = setTimeout(() => {
          if (waiters.delete(check))
            reject(
              new Error(
                `${label}: nothing expected within ${String(timeoutMs)} ms; last lines ${JSON.stringify(lines.slice(-4))}; stderr: ${stderr}`,
              ),
            );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    send(command) {
      proc.stdin.write(command + '\n');
    },
    async stop() {
      if (exited) return;
      proc.stdin.end();
      const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(killer);
    },
  };
}

interface Env {
  server: Server;
  work: string;
}

async function setup(ctx: BenchContext, cleanup: Cleanup, users: string[]): Promise<Env> {
  const server = await startTransferServer({
    users: users.map((username) => ({ username, password: PASSWORD })),
    sharedGroup: 'Transfers',
  });
  cleanup.defer('prosody', () => server.stop());
  const work = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-transfer-'));
  cleanup.defer('work folder', () => rm(work, { recursive: true, force: true }));
  ctx.signal.throwIfAborted();
  return { server, work };
}

/** A file of `bytes` random bytes (written in 16 MiB pieces; `repeat`: the same piece each time). */
async function randomFile(file: string, bytes: number, repeat = false): Promise<string> {
  const handle = await open(file, 'w');
  const piece = repeat ? randomBytes(16 * MiB) : undefined;
  try {
    for (let done = 0; done < bytes;) {
      const n = Math.min(16 * MiB, bytes - done);
      await handle.write(piece ? piece.subarray(0, n) : randomBytes(n));
      done += n;
    }
  } finally {
    await handle.close();
  }
  return file;
}

interface Peer extends Child {
  jid: string;
  downloads: string;
}

async function startPeer(env: Env, cleanup: Cleanup, user: string, transfers: Record<string, unknown>): Promise<Peer> {
  const dataDir = path.join(env.work, user);
  await mkdir(dataDir);
  const jid = env.server.jid(user);
  const child = spawnChild(
    'transfer-peer.ts',
    [JSON.stringify({ dataDir, jid, password: PASSWORD, server: env.server.server, transfers })],
    user,
  );
  cleanup.defer(user, () => child.stop());
  await child.waitFor((l) => l.ev === 'ready', 30_000);
  return { ...child, jid, downloads: path.join(dataDir, 'downloads') };
}

async function bothOnline(a: Peer, b: Peer): Promise<void> {
  await a.waitFor((l) => l.ev === 'online' && l['jid'] === b.jid, 30_000);
  await b.waitFor((l) => l.ev === 'online' && l['jid'] === a.jid, 30_000);
}

/**
 * Per Parley transfer: seconds from the command to the offer on the receiver, and streaming
 * alone; the CPU seconds each process spent on it (all threads: the hashing worker's too).
 */
const phases: {
  offer: number;
  streaming: number;
  cpuSender: number;
  cpuReceiver: number;
  mainSender: number;
  mainReceiver: number;
}[] = [];

const phaseNote = (from: number) =>
  phases
    .slice(from)
    .map((p) => `offer after ${formatFigure(p.offer)} s, streaming ${formatFigure(p.streaming)} s`)
    .join('; ');

const cpuNote = (from: number) =>
  phases
    .slice(from)
    .map(
      (p) =>
        `${formatFigure(p.cpuSender)} + ${formatFigure(p.cpuReceiver)} s (main threads ${formatFigure(p.mainSender)} + ${formatFigure(p.mainReceiver)})`,
    )
    .join(', ');

/** The raw copies' CPU seconds (sender + receiver), per copy. */
const rawCpu: { sender: number; receiver: number }[] = [];

const rawCpuNote = (from: number) =>
  rawCpu
    .slice(from)
    .map((c) => `${formatFigure(c.sender)} + ${formatFigure(c.receiver)} s`)
    .join(', ');

/**
 * Parley sends `file` from `from` to `to`; resolves with the seconds from the command to the
 * file complete on the receiver (checked: its size, and both sides completed).
 */
async function parleySend(from: Peer, to: Peer, file: string, method: string): Promise<number> {
  const size = (await stat(file)).size;
  const startFrom = from.lines.length;
  const startTo = to.lines.length;
  const t0 = performance.now();
  const wall0 = Date.now();
  from.send(JSON.stringify({ cmd: 'send', peer: to.jid, path: file }));
  const timeout = 60_000 + (size / MiB) * 1000; // 1 MiB/s at least
  const got = await to.waitFor(
    (l) => l.ev === 'transfer' && l['direction'] === 'in' && (l['state'] === 'completed' || l['state'] === 'failed'),
    timeout,
    startTo,
  );
  const seconds = (performance.now() - t0) / 1000;
  const sent = await from.waitFor(
    (l) => l.ev === 'transfer' && l['direction'] === 'out' && (l['state'] === 'completed' || l['state'] === 'failed'),
    timeout,
    startFrom,
  );
  for (const [side, t] of [
    ['receiver', got],
    ['sender', sent],
  ] as const) {
    if (t['state'] !== 'completed') throw new Error(`parley ${side}: ${String(t['reason'])}: ${String(t['error'])}`);
    if (t['method'] !== method) throw new Error(`parley ${side}: used ${String(t['method'])}, not ${method}`);
  }
  // Parley to Parley is Jingle file transfer (XEP-0234 over XEP-0260), as each core's caps say.
  const protocol = from.lines.slice(startFrom).find((l) => l.ev === 'transfer' && l['protocol'] !== undefined)?.[
    'protocol'
  ];
  if (protocol !== 'jingle') throw new Error(`parley: sent by ${String(protocol)}, not Jingle`);
  const at = (state: string, field = 'at', peer = to, start = startTo) =>
    Number(peer.lines.slice(start).find((l) => l.ev === 'transfer' && l['state'] === state)?.[field] ?? NaN);
  phases.push({
    offer: (at('offered') - wall0) / 1000,
    streaming: (at('completed') - at('transferring')) / 1000,
    // From the sender's first line (the command taken) and the receiver's offer, to completed.
    cpuSender: (at('completed', 'cpu', from, startFrom) - at('waiting', 'cpu', from, startFrom)) / 1e6,
    cpuReceiver: (at('completed', 'cpu') - at('offered', 'cpu')) / 1e6,
    mainSender: (at('completed', 'cpuMain', from, startFrom) - at('waiting', 'cpuMain', from, startFrom)) / 1e6,
    mainReceiver: (at('completed', 'cpuMain') - at('offered', 'cpuMain')) / 1e6,
  });
  const saved = String(got['path']);
  const savedSize = (await stat(saved)).size;
  if (savedSize !== size) throw new Error(`parley: saved ${String(savedSize)} bytes of ${String(size)}`);
  await rm(saved);
  return seconds;
}

const throughputs = (mib: number, seconds: readonly number[]) => seconds.map((s) => formatFigure(mib / s)).join(', ');

function rounds<T>(ctx: BenchContext, count: number, order: readonly T[], each: (who: T) => Promise<void>) {
  return (async () => {
    for (let round = 0; round < count; round++) {
      const sequence = round % 2 === 0 ? order : [...order].reverse();
      for (const who of sequence) {
        ctx.signal.throwIfAborted();
        await each(who);
      }
    }
  })();
}

// ── transfer-direct ─────────────────────────────────────────────────────────────────────────

/** The raw copy's sender and receiver: their RSS's highest growth during the last copy, in bytes. */
const rawGrowth = { sender: NaN, receiver: NaN };

async function rawCopy(file: string, target: string): Promise<number> {
  const recv = spawnChild('raw-copy.ts', ['recv', target], 'raw receiver');
  try {
    const ready = await recv.waitFor((l) => l.ev === 'port', 30_000);
    const port = Number(ready['port']);
    const send = spawnChild('raw-copy.ts', ['send', String(port), file], 'raw sender');
    try {
      // Node's start-up is not the copy: the sender waits for "go" (and is up once it can read it).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const t0 = performance.now();
      send.send('go');
      const done = await recv.waitFor((l) => l.ev === 'done', 600_000);
      const seconds = (performance.now() - t0) / 1000;
      const size = (await stat(file)).size;
      if (done['bytes'] !== size) throw new Error(`raw copy: wrote ${String(done['bytes'])} bytes of ${String(size)}`);
      rawGrowth.receiver = Number(done['peak']) - Number(ready['rss']);
      const sent = await send.waitFor((l) => l.ev === 'sent', 30_000);
      rawGrowth.sender = Number(sent['peak']) - Number(sent['rss']);
      rawCpu.push({
        sender: (Number(sent['cpu']) - Number(sent['cpu0'])) / 1e6,
        receiver: (Number(done['cpu']) - Number(ready['cpu'])) / 1e6,
      });
      return seconds;
    } finally {
      await send.stop();
    }
  } finally {
    await recv.stop();
    await rm(target, { force: true });
  }
}

/**
 * The receivers offer no SOCKS5 candidates of their own (XEP-0260 lets a Jingle responder
 * offer some): each benchmark measures the way it names, the sender's streamhost or the proxy.
 */
const RECEIVER_NO_CANDIDATES = { directHosts: [], socks5Proxy: false };

async function measureDirect(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const mib = ctx.intOption('transfer-mib', 200);
  const count = ctx.intOption('transfer-rounds', 3);
  const env = await setup(ctx, cleanup, ['direct-a', 'direct-b']);
  const file = await randomFile(path.join(env.work, 'direct.bin'), mib * MiB);
  const warm = await randomFile(path.join(env.work, 'warm.bin'), WARMUP_BYTES);
  const sender = await startPeer(env, cleanup, 'direct-a', {
    socks5Proxy: false,
    ibb: false,
    directHosts: ['127.0.0.1'],
  });
  const receiver = await startPeer(env, cleanup, 'direct-b', RECEIVER_NO_CANDIDATES);
  await bothOnline(sender, receiver);
  await parleySend(sender, receiver, warm, 'socks5-direct');
  await rawCopy(warm, path.join(env.work, 'raw-warm.out'));
  const p0 = phases.length;
  const r0 = rawCpu.length;
  const parley: number[] = [];
  const raw: number[] = [];
  await rounds(ctx, count, ['parley', 'raw'] as const, async (who) => {
    if (who === 'parley') parley.push(await parleySend(sender, receiver, file, 'socks5-direct'));
    else raw.push(await rawCopy(file, path.join(env.work, 'raw.out')));
  });
  ctx.note(`${String(mib)} MiB, ${String(count)} rounds; MiB/s, file to file on disk`);
  ctx.note(`parley (Jingle, direct SOCKS5, sha-256 on both sides): ${throughputs(mib, parley)}`);
  ctx.note(`raw Node TCP copy (pipeline, no hashing):          ${throughputs(mib, raw)}`);
  ctx.note(`parley's phases (receiver's clock): ${phaseNote(p0)}`);
  ctx.note(`CPU seconds, sender + receiver (all threads): parley ${cpuNote(p0)}; raw copy ${rawCpuNote(r0)}`);
  const streaming = mib / median(phases.slice(p0).map((p) => p.streaming));
  ctx.note(
    `parley's streaming phase alone (connected to saved): ${formatFigure(streaming)} MiB/s, ${(streaming / (mib / median(raw))).toFixed(2)}× the raw copy`,
  );
  return { value: mib / median(parley), reference: mib / median(raw) };
}

// ── transfer-proxy ──────────────────────────────────────────────────────────────────────────

async function slixmppSend(a: SlixmppPeer, b: SlixmppPeer, file: string, bJid: string): Promise<number> {
  const name = path.basename(file);
  const size = (await stat(file)).size;
  const from = b.lines.length;
  const t0 = performance.now();
  a.send(`SENDFILE ${bJid} s5b ${file}`);
  const received = (l: string) => l.startsWith(`FILERECV ${name} `);
  // Lines repeat from round to round: only those after `from` count.
  await b.waitForLine(() => b.lines.slice(from).some(received), 60_000 + (size / MiB) * 1000);
  const line = b.lines.slice(from).find(received) ?? '';
  const seconds = (performance.now() - t0) / 1000;
  const [, , bytes, , verdict] = line.split(' ');
  if (bytes !== String(size) || verdict !== 'ok') throw new Error(`slixmpp receiver: ${line}`);
  const saved = path.join(path.dirname(file), 'sli-received', name);
  if ((await stat(saved)).size !== size) throw new Error('slixmpp receiver: saved file of the wrong size');
  await rm(saved);
  return seconds;
}

async function measureProxy(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const mib = ctx.intOption('transfer-mib', 200);
  const count = ctx.intOption('transfer-rounds', 3);
  const env = await setup(ctx, cleanup, ['proxy-a', 'proxy-b', 'sli-a', 'sli-b']);
  const file = await randomFile(path.join(env.work, 'proxied.bin'), mib * MiB);
  const warm = await randomFile(path.join(env.work, 'warm.bin'), WARMUP_BYTES);
  const sender = await startPeer(env, cleanup, 'proxy-a', { socks5Direct: false, ibb: false });
  const receiver = await startPeer(env, cleanup, 'proxy-b', RECEIVER_NO_CANDIDATES);
  await bothOnline(sender, receiver);

  const saveDir = path.join(env.work, 'sli-received');
  await mkdir(saveDir);
  const sliB = startSlixmpp(env.server, env.server.jid('sli-b'), PASSWORD, undefined, { echo: false });
  cleanup.defer('slixmpp receiver', () => {
    sliB.stop();
  });
  await sliB.waitForLine((l) => l === 'READY', 30_000);
  sliB.send('ACCEPT s5b');
  sliB.send(`SAVETO ${saveDir}`);
  await sliB.waitForLine((l) => l === `SAVING ${saveDir}`);
  const sliA = startSlixmpp(env.server, env.server.jid('sli-a'), PASSWORD, undefined, { echo: false });
  cleanup.defer('slixmpp sender', () => {
    sliA.stop();
  });
  await sliA.waitForLine((l) => l === 'READY', 30_000);
  // slixmpp picks the receiver's resource from its roster's presences: give them time to arrive.
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const bJid = env.server.jid('sli-b');
  await parleySend(sender, receiver, warm, 'socks5-proxy');
  await slixmppSend(sliA, sliB, warm, bJid);
  const p0 = phases.length;
  const parley: number[] = [];
  const sli: number[] = [];
  await rounds(ctx, count, ['parley', 'slixmpp'] as const, async (who) => {
    if (who === 'parley') parley.push(await parleySend(sender, receiver, file, 'socks5-proxy'));
    else sli.push(await slixmppSend(sliA, sliB, file, bJid));
  });
  ctx.note(`${String(mib)} MiB through Prosody's proxy65, ${String(count)} rounds; MiB/s, file to file on disk`);
  ctx.note(`parley → parley:   ${throughputs(mib, parley)}`);
  ctx.note(`slixmpp → slixmpp: ${throughputs(mib, sli)}`);
  ctx.note(`parley's phases (receiver's clock): ${phaseNote(p0)}`);
  ctx.note(`parley's CPU seconds, sender + receiver (all threads): ${cpuNote(p0)}`);
  return { value: mib / median(parley), reference: mib / median(sli) };
}

// ── transfer-memory ─────────────────────────────────────────────────────────────────────────

async function rssReport(peer: Peer): Promise<{ rss: number; peak: number }> {
  const from = peer.lines.length;
  peer.send(JSON.stringify({ cmd: 'rss' }));
  const line = await peer.waitFor((l) => l.ev === 'rss', 10_000, from);
  return { rss: Number(line['rss']), peak: Number(line['peak']) };
}

async function measureMemory(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const mib = ctx.intOption('transfer-memory-mib', 1024);
  const env = await setup(ctx, cleanup, ['memory-a', 'memory-b']);
  // A real (not sparse) file; one random 16 MiB piece over and over costs the same to hash.
  const file = await randomFile(path.join(env.work, 'large.bin'), mib * MiB, true);
  const warm = await randomFile(path.join(env.work, 'warm.bin'), WARMUP_BYTES);
  const sender = await startPeer(env, cleanup, 'memory-a', {
    socks5Proxy: false,
    ibb: false,
    directHosts: ['127.0.0.1'],
  });
  const receiver = await startPeer(env, cleanup, 'memory-b', RECEIVER_NO_CANDIDATES);
  await bothOnline(sender, receiver);
  await parleySend(sender, receiver, warm, 'socks5-direct');
  const before = { sender: await rssReport(sender), receiver: await rssReport(receiver) };
  for (const p of [sender, receiver]) p.send(JSON.stringify({ cmd: 'rss-reset' }));
  const base = { sender: (await rssReport(sender)).rss, receiver: (await rssReport(receiver)).rss };
  const seconds = await parleySend(sender, receiver, file, 'socks5-direct');
  const after = { sender: await rssReport(sender), receiver: await rssReport(receiver) };
  const growth = {
    sender: (after.sender.peak - base.sender) / MiB,
    receiver: (after.receiver.peak - base.receiver) / MiB,
  };
  ctx.note(
    `${String(mib)} MiB direct in ${formatFigure(seconds)} s (${formatFigure(mib / seconds)} MiB/s; ${phaseNote(phases.length - 1)}); RSS before: sender ${formatFigure(before.sender.rss / MiB)} MiB, receiver ${formatFigure(before.receiver.rss / MiB)} MiB`,
  );
  ctx.note(
    `peak RSS growth during the transfer: sender ${formatFigure(growth.sender)} MiB, receiver ${formatFigure(growth.receiver)} MiB (after: ${formatFigure(after.sender.rss / MiB)} / ${formatFigure(after.receiver.rss / MiB)} MiB)`,
  );
  const rawSeconds = await rawCopy(file, path.join(env.work, 'raw.out'));
  const reference = Math.max(rawGrowth.sender, rawGrowth.receiver) / MiB;
  ctx.note(
    `reference, a raw Node TCP copy of the same file (${formatFigure(mib / rawSeconds)} MiB/s): peak RSS growth sender ${formatFigure(rawGrowth.sender / MiB)} MiB, receiver ${formatFigure(rawGrowth.receiver / MiB)} MiB (Node streams leave their chunks to V8's next GC)`,
  );
  const value = Math.max(growth.sender, growth.receiver, 0);
  ctx.note(
    `parley's growth is ${((value / mib) * 100).toFixed(1)}% of the file's size (the issue's aim: bounded, e.g. under 64 MiB, not in proportion to the file)`,
  );
  const left = await readdir(receiver.downloads);
  if (left.length > 0) throw new Error(`the receiver's downloads folder still holds ${left.join(', ')}`);
  return { value, reference };
}

export default [
  defineBenchmark({
    name: 'transfer-direct',
    unit: 'MiB/s',
    goal: 0.9,
    description:
      'file to file over a direct SOCKS5 bytestream on loopback (Jingle XEP-0234 over XEP-0260, sha-256 checked), Parley core to Parley core, against a raw Node TCP copy of the same file',
    options: {
      'transfer-mib': 'size of the file in MiB (default 200)',
      'transfer-rounds': 'alternating rounds, medians (default 3)',
    },
    run: (ctx) => withCleanup(ctx, (cleanup) => measureDirect(ctx, cleanup)),
  }),
  defineBenchmark({
    name: 'transfer-proxy',
    unit: 'MiB/s',
    goal: 1.0,
    description:
      "file to file through Prosody's proxy65 (XEP-0065; Parley to Parley by Jingle XEP-0234/XEP-0260, slixmpp by XEP-0096), Parley core to Parley core, against slixmpp to slixmpp through the same proxy",
    options: {
      'transfer-mib': 'size of the file in MiB (default 200)',
      'transfer-rounds': 'alternating rounds, medians (default 3)',
    },
    run: (ctx) => withCleanup(ctx, (cleanup) => measureProxy(ctx, cleanup)),
  }),
  defineBenchmark({
    name: 'transfer-memory',
    unit: 'MiB',
    goal: 1.5,
    better: 'lower',
    description:
      "the highest growth of the sending or receiving core's resident size during a 1 GiB direct transfer, against a raw Node TCP copy's sender or receiver",
    options: { 'transfer-memory-mib': 'size of the file in MiB (default 1024)' },
    run: (ctx) => withCleanup(ctx, (cleanup) => measureMemory(ctx, cleanup)),
  }),
];

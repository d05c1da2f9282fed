/**
 * chat-throughput: one-to-one messages per second, from the sender's send to
 * the message stored and shown at the receiver, through a loopback Prosody.
 *
 * Parley: two cores in this process (each its own data folder), alice -> bob;
 * a message counts when B's rpc session gets `message.added` (direction 'in'),
 * which the core emits only after the row is in SQLite. Sends go through
 * `handlers['message.send']` (which stores the outbound row first).
 *
 * Reference: a bare @xmpp/client pair (distinct accounts) doing the same
 * work against the same server in the same run; the receiver counts
 * message stanzas with a body. Like Parley's core it does not negotiate
 * XEP-0198 (--reference-sm on: stock behaviour). It sends a bare
 * <message><body/></message>; --reference-stanza parley makes it send
 * Parley's own stanza, which separates protocol cost from client cost.
 *
 * Both are driven by the same pump (same N, same window), alternating
 * reference/Parley for several rounds; the medians are reported.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { xml, type Client } from '@xmpp/client';
import { createCore } from '../../../main/core/create-core.ts';
import { buildChatMessage } from '../../../main/core/xmpp/chat.ts';
import { createLogger } from '../../../main/core/log.ts';
import type { ProsodyServer } from '../../../main/devserver/prosody.ts';
import { startTestServer } from '../../support/server.ts';
import { startBareClient, stopBareClient } from '../support/bare-client.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { Counter } from '../support/counter.ts';
import { cpuSince, pidFromFile, sampleCpu } from '../support/cpu.ts';
import { pump } from '../support/pump.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, UsageError, type BenchContext, type BenchResult } from '../types.ts';

const USERS = {
  refSender: { username: 'ref-sender', password: 'pw-ref-sender' },
  refReceiver: { username: 'ref-receiver', password: 'pw-ref-receiver' },
  alice: { username: 'alice', password: 'pw-alice' },
  bob: { username: 'bob', password: 'pw-bob' },
};

/** A typical short chat line (about 60 characters). */
const body = (side: string, round: number, i: number) =>
  `${side} r${String(round)} #${String(i)}: the quick brown fox jumps over the lazy dog`;

interface Pair {
  label: string;
  received: Counter;
  send(body: string): Promise<unknown>;
}

interface Settings {
  messages: number;
  warmup: number;
  rounds: number;
  window: number;
  timeoutMs: number;
  signal: AbortSignal;
}

interface RunFigures {
  rate: number;
  /** CPU microseconds per message: this process (both peers), the server (undefined if unknown). */
  cpuSelf: number;
  cpuServer: number | undefined;
  /** Cores busy elsewhere on the machine during the run (other work: noise). */
  restCores: number | undefined;
}

async function runOnce(pair: Pair, round: number, s: Settings, serverPid: number | undefined): Promise<RunFigures> {
  const what = `${pair.label} round ${String(round)}`;
  s.signal.throwIfAborted();
  pair.received.reset();
  const expectedBefore = pair.received.count;
  await pump({
    count: s.warmup,
    window: s.window,
    received: pair.received,
    timeoutMs: s.timeoutMs,
    what: `${what} (warm-up)`,
    send: (i) => pair.send(body(`${pair.label}-warm`, round, i)),
  });
  const cpu0 = await sampleCpu(serverPid);
  const t0 = performance.now();
  await pump({
    count: s.messages,
    window: s.window,
    received: pair.received,
    timeoutMs: s.timeoutMs,
    what,
    send: (i) => pair.send(body(pair.label, round, i)),
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = await cpuSince(cpu0, serverPid);
  const got = pair.received.count - expectedBefore;
  if (got !== s.warmup + s.messages)
    throw new Error(`${what}: counted ${String(got)} messages, sent ${String(s.warmup + s.messages)}`);
  return {
    rate: s.messages / seconds,
    cpuSelf: cpu.self / s.messages,
    cpuServer: cpu.other === undefined ? undefined : cpu.other / s.messages,
    restCores: cpu.restCores,
  };
}

const describeRun = (f: RunFigures) =>
  `${formatFigure(f.rate)} msgs/s; CPU per message: node ${formatFigure(f.cpuSelf)} µs, prosody ${
    f.cpuServer === undefined ? '?' : formatFigure(f.cpuServer)
  } µs; rest of the machine busy: ${f.restCores === undefined ? '?' : f.restCores.toFixed(2)} cores`;

/** Prosody's rate limiting (mod_limits) would cap throughput: make sure this instance has it off. */
async function assertNoRateLimits(srv: ProsodyServer): Promise<void> {
  const config = await readFile(path.join(srv.dir, 'prosody.cfg.lua'), 'utf8');
  const disabled = /modules_disabled\s*=\s*\{([^}]*)\}/u.exec(config)?.[1] ?? '';
  const enabled = /modules_enabled\s*=\s*\{([^}]*)\}/u.exec(config)?.[1] ?? '';
  if (!disabled.includes('"limits"') || enabled.includes('"limits"'))
    throw new Error('the throwaway Prosody has mod_limits enabled: figures would measure its rate limit');
}

function measure(ctx: BenchContext): Promise<BenchResult> {
  return withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup));
}

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const s: Settings = {
    messages: ctx.intOption('messages', 2000),
    warmup: ctx.intOption('warmup', 200),
    rounds: ctx.intOption('rounds', 3),
    window: ctx.intOption('window', 64),
    timeoutMs: ctx.intOption('timeout', 120) * 1000,
    signal: ctx.signal,
  };
  const refSm = ctx.option('reference-sm') ?? 'off';
  if (refSm !== 'on' && refSm !== 'off') throw new UsageError(`--reference-sm takes on or off, not "${refSm}"`);
  const refStanza = ctx.option('reference-stanza') ?? 'bare';
  if (refStanza !== 'bare' && refStanza !== 'parley') {
    throw new UsageError(`--reference-stanza takes bare or parley, not "${refStanza}"`);
  }
  const log = createLogger('warn');
  // Prosody's internal archive store refuses items past 10,000 per user: keep archiving for any --messages.
  const srv = await startTestServer({
    users: Object.values(USERS),
    extraConfig: 'storage_archive_item_limit = 10000000',
  });
  cleanup.defer('prosody', () => srv.stop());
  await assertNoRateLimits(srv);

  // --- Parley: two cores, bob signed in first so he is present when alice sends.
  const startCore = async (name: string) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `parley-bench-${name}-`));
    cleanup.defer(`${name}'s data folder`, () => rm(dataDir, { recursive: true, force: true }));
    const core = await createCore({ dataDir, log });
    cleanup.defer(`${name}'s core`, () => core.shutdown());
    return core;
  };
  const coreB = await startCore('bob');
  const coreA = await startCore('alice');
  const alice = srv.jid(USERS.alice.username);
  const bob = srv.jid(USERS.bob.username);
  const parleyReceived = new Counter();
  const sessionB = coreB.rpc.connect((frame) => {
    const f = JSON.parse(frame) as {
      kind: string;
      name?: string;
      payload?: { direction?: string; accountId?: string };
    };
    if (
      f.kind === 'event' &&
      f.name === 'message.added' &&
      f.payload?.direction === 'in' &&
      f.payload.accountId === bob
    )
      parleyReceived.hit();
  });
  cleanup.defer("bob's rpc session", () => {
    sessionB.close();
  });
  // A renderer is attached to A too (it is shown), discarding what it gets.
  const sessionA = coreA.rpc.connect(() => undefined);
  cleanup.defer("alice's rpc session", () => {
    sessionA.close();
  });
  await coreB.handlers['account.signIn']({ jid: bob, password: USERS.bob.password, server: srv.server });
  await coreA.handlers['account.signIn']({ jid: alice, password: USERS.alice.password, server: srv.server });
  const parley: Pair = {
    label: 'parley',
    received: parleyReceived,
    async send(text) {
      const m = await coreA.handlers['message.send']({ accountId: alice, to: bob, body: text });
      // Sent, or already further on (the server's ack can come before this call returns).
      if (m.state === 'queued' || m.state === 'failed')
        throw new Error(`parley: message ${String(m.id)} ended ${m.state}`);
    },
  };

  // --- Reference: a bare @xmpp/client pair on its own accounts.
  let clientError: Error | undefined;
  const startRef = async (user: { username: string; password: string }): Promise<Client> => {
    const c = await startBareClient({
      server: srv,
      ...user,
      streamManagement: refSm === 'on',
      onError: (err) => {
        clientError ??= err instanceof Error ? err : new Error(String(err));
      },
    });
    cleanup.defer(`reference client ${user.username}`, () => stopBareClient(c));
    return c;
  };
  const refReceiver = await startRef(USERS.refReceiver);
  const refSender = await startRef(USERS.refSender);
  ctx.signal.throwIfAborted();
  const refReceived = new Counter();
  refReceiver.on('stanza', (stanza) => {
    if (stanza.is('message') && stanza.getChild('body')) refReceived.hit();
  });
  const refTo = srv.jid(USERS.refReceiver.username);
  let refId = 0;
  const reference: Pair = {
    label: 'reference',
    received: refReceived,
    send: (text) =>
      refSender.send(
        refStanza === 'parley'
          ? buildChatMessage(refTo, text, randomUUID())
          : xml('message', { to: refTo, type: 'chat', id: `b${String(++refId)}` }, xml('body', {}, text)),
      ),
  };

  ctx.note(
    `N=${String(s.messages)} after ${String(s.warmup)} warm-up, window ${String(s.window)}, ${String(s.rounds)} rounds; reference: @xmpp/client, stream management ${refSm}, ${refStanza === 'parley' ? "Parley's stanza (UUID id + origin-id)" : 'bare stanza (short id, body)'}`,
  );
  const serverPid = await pidFromFile(path.join(srv.dir, 'prosody.pid'));
  const refRuns: RunFigures[] = [];
  const parleyRuns: RunFigures[] = [];
  const interrupt = () => {
    const reason = ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('interrupted');
    parleyReceived.fail(reason);
    refReceived.fail(reason);
  };
  ctx.signal.addEventListener('abort', interrupt);
  cleanup.defer('interrupt listener', () => {
    ctx.signal.removeEventListener('abort', interrupt);
  });
  for (let round = 1; round <= s.rounds; round++) {
    const ref = await runOnce(reference, round, s, serverPid);
    const par = await runOnce(parley, round, s, serverPid);
    refRuns.push(ref);
    parleyRuns.push(par);
    ctx.note(`round ${String(round)}: reference ${describeRun(ref)}`);
    ctx.note(`round ${String(round)}: parley    ${describeRun(par)}`);
  }
  const medians = (runs: RunFigures[]): RunFigures => {
    const known = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
    const servers = known(runs.map((r) => r.cpuServer));
    const rests = known(runs.map((r) => r.restCores));
    return {
      rate: median(runs.map((r) => r.rate)),
      cpuSelf: median(runs.map((r) => r.cpuSelf)),
      cpuServer: servers.length > 0 ? median(servers) : undefined,
      restCores: rests.length > 0 ? median(rests) : undefined,
    };
  };
  const ref = medians(refRuns);
  const par = medians(parleyRuns);
  ctx.note(`medians:  reference ${describeRun(ref)}`);
  ctx.note(`medians:  parley    ${describeRun(par)}`);
  if (Math.max(ref.restCores ?? 0, par.restCores ?? 0) > 0.25) {
    ctx.note('the machine was busy with other work during the runs: these figures are noisy, compare CPU per message');
  }
  if (clientError !== undefined) throw new Error(`a reference client reported an error: ${clientError.message}`);

  // Sanity: what bob's core shows last is what alice sent last, and it is stored as received.
  const [last] = (await coreB.handlers['messages.list']({ accountId: bob, peer: alice, limit: 1 })).messages;
  const expected = body('parley', s.rounds, s.messages - 1);
  if (last?.body !== expected || last.direction !== 'in' || last.state !== 'received') {
    throw new Error(`bob's archive ends with ${JSON.stringify(last)}, expected "${expected}"`);
  }
  return { value: par.rate, reference: ref.rate };
}

export default defineBenchmark({
  name: 'chat-throughput',
  unit: 'msgs/s',
  goal: 0.85,
  description:
    'one-to-one messages/s, send to stored-and-shown at the receiver, vs a bare @xmpp/client pair (same Prosody, same run)',
  options: {
    messages: 'messages per timed run (default 2000)',
    warmup: 'untimed messages before each timed run (default 200)',
    rounds: 'alternating reference/Parley rounds; medians are reported (default 3)',
    window: 'messages in flight at most, both sides (default 64)',
    timeout: 'seconds before a run counts as failed (default 120)',
    'reference-stanza':
      "bare|parley: the reference sends <message><body/></message> (default) or Parley's own stanza (UUID id + XEP-0359 origin-id)",
    'reference-sm': 'on|off: XEP-0198 on the reference pair (default off: Parley does not negotiate it)',
  },
  run: measure,
});

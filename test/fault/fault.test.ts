/**
 * The delivery guarantee under faults: no message lost, none duplicated, none reordered.
 *
 * Part of `npm test` (also alone: `npm run test:fault`). What makes it hold: XEP-0198
 * resumption for short drops (also across the kill -9, from the persisted session), the
 * outbox re-sending what the server never acknowledged, identity de-duplication, and the
 * catch-up from the server archive (XEP-0313) on every new session, which refills what
 * Prosody had queued in a session it could not resume (its restart loses the queue; a
 * resumption refused mid-negotiation makes it drop the queue, relying on the archive).
 *
 * Two cores, each in its own web-host process (driven over WebSocket with the contract's
 * client, as the browser renderer is), alice (core A) and bob (core B), both connected to a
 * real Prosody through fault proxies of our own. 1,000 messages each way, interleaved and
 * paced, while the proxies cut connections at random points (seeded: the seed is printed,
 * PARLEY_FAULT_SEED=N replays the same choices), with one Prosody restart (same ports, same
 * data) and one `kill -9` of core A's process (restarted on the same data folder and signed
 * in again, as a user would: the web host keeps passwords in memory only). A keeps sending
 * while its process is up, also while it is offline (its outbox must keep those messages);
 * B keeps sending while A is dead.
 *
 * Then, with the faults off, it waits until every outbound message is in a final state and
 * everything arrived (or quiet: both online and nothing changing for 30 s; or a generous
 * deadline). A reconnect that the backoff puts more than 15 s away is brought forward with
 * account.reconnect ("Reconnect now", counted); an account that stops trying by itself is a
 * failure (and is signed in by hand to see the rest). It checks for each direction, from the
 * receiver's archive (messages.list, paged): every message arrived exactly once, in the
 * sender's order (by archive id); and from the sender's archive: every message accepted by
 * message.send is there once, acked/delivered/read (none queued, sent or failed).
 *
 * Knobs (environment): PARLEY_FAULT_SEED, PARLEY_FAULT_MESSAGES (1000 each way),
 * PARLEY_FAULT_INTERVAL_MS (pace per direction, 45), PARLEY_FAULT_SETTLE_S (deadline after
 * the last send, 90), PARLEY_FAULT_BLACKHOLE_MS (also blackhole A's path once for this long,
 * after the kill; default off), PARLEY_FAULT_KEEP=1 (keep the logs even when it passes),
 * PARLEY_FAULT_SERVER_DEBUG=1 (Prosody's debug log: every stanza, XEP-0198 hibernation and
 * resumption). On failure the folder with both cores' logs (info level; PARLEY_TEST_LOG=1 for
 * debug), a timeline of cuts and account states, and Prosody's log is kept and printed.
 */
import assert from 'node:assert/strict';
import { appendFile, chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AccountState, Message } from '../../preload/contract.ts';
import { prosodyInstalled } from '../../main/devserver/prosody.ts';
import { tempDir } from '../support/core.ts';
import { seedFrom, startFaultProxy, type FaultProxy, type RandomCutOptions } from '../support/fault-proxy.ts';
import { startRemoteCore, type RemoteCore } from '../support/remote-core.ts';
import { startTestServer } from '../support/server.ts';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: expected a number, got "${raw}"`);
  return n;
};

const MESSAGES = env('PARLEY_FAULT_MESSAGES', 1000);
const INTERVAL_MS = env('PARLEY_FAULT_INTERVAL_MS', 45);
const SETTLE_MS = env('PARLEY_FAULT_SETTLE_S', 90) * 1000;
const BLACKHOLE_MS = env('PARLEY_FAULT_BLACKHOLE_MS', 0);
const KEEP = Boolean(process.env['PARLEY_FAULT_KEEP']);
/** Prosody's debug log (every stanza, XEP-0198 hibernation and resumption) in the kept folder. */
const SERVER_DEBUG = Boolean(process.env['PARLEY_FAULT_SERVER_DEBUG']);
/** Random cuts: each connection dies after 3–12 s or 16–512 KiB forwarded, whichever is first. */
const CUTS: RandomCutOptions = { ms: [3000, 12_000], bytes: [16 * 1024, 512 * 1024], resetRatio: 0.5 };
/**
 * After the faults stop, a reconnect the backoff puts further away than this is brought
 * forward with account.reconnect (the user's "Reconnect now"), and counted: the backoff is
 * allowed to grow (up to 5 min by design), the test is not about its length.
 */
const LONGEST_WAIT_MS = 15_000;
/** Quiet: both accounts online and nothing changed in either archive for this long. */
const QUIET_MS = 30_000;
const FINAL = new Set<Message['state']>(['acked', 'delivered', 'read']);

const USERS = {
  A: { username: 'alice', password: 'alice-fault-pw', name: 'Alice' },
  B: { username: 'bob', password: 'bob-fault-pw', name: 'Bob' },
} as const;
type SideName = keyof typeof USERS;

const body = (side: SideName, seq: number) => `${side}-${String(seq).padStart(6, '0')}`;
const parseBody = (text: string): { side: SideName; seq: number } | undefined => {
  const m = /^([AB])-(\d{6})$/u.exec(text);
  return m?.[1] && m[2] ? { side: m[1] as SideName, seq: Number(m[2]) } : undefined;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs one function at a time: a send and the kill of its core never overlap. */
class Lock {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

interface Side {
  name: SideName;
  jid: string;
  peer: string;
  core: RemoteCore;
  proxy: FaultProxy;
  lock: Lock;
  /** seq -> archive id of the stored outbound row, for every send the core accepted. */
  accepted: Map<number, number>;
  /** Sends the core refused (rejected calls), with why. */
  refused: { seq: number; error: string }[];
  /** Times the test signed in (first sign-in, after the restart, nudges). */
  signIns: number;
  /** Transitions into 'online' seen in account.state events. */
  onlineTransitions: number;
  statuses: Map<string, number>;
  lastStatus: AccountState['status'] | undefined;
  lastState: AccountState | undefined;
  lastOnlineAt: number;
  /** Stops the account made by itself after the faults (status error/offline), with why. */
  gaveUp: string[];
  /** Times the test pressed "Reconnect now" after the faults, to skip a long backoff wait. */
  reconnectNow: number;
}

/** Every message of a conversation, oldest first, through messages.list pages (limit ≤ 500). */
async function listAll(core: RemoteCore, accountId: string, peer: string): Promise<Message[]> {
  const pages: Message[][] = [];
  let before: number | undefined;
  for (;;) {
    const { messages } = await core.call('messages.list', {
      accountId,
      peer,
      limit: 500,
      ...(before === undefined ? {} : { before }),
    });
    pages.unshift(messages);
    const first = messages[0];
    if (messages.length < 500 || !first) break;
    before = first.id;
  }
  return pages.flat();
}

interface DirectionFigures {
  direction: string;
  attempted: number;
  accepted: number;
  refused: number;
  /** Sender's archive. */
  senderRows: number;
  senderDuplicates: number;
  /** Accepted by message.send, but no longer in the sender's archive. */
  senderMissing: number;
  states: Record<string, number>;
  notFinal: number;
  /** Receiver's archive. */
  received: number;
  distinct: number;
  duplicates: number;
  lost: number;
  unexpected: number;
  outOfOrder: number;
  /** A few examples, for the report. */
  examples: string[];
}

/** "A-000003, A-000010–A-000014 (6)": sequence numbers as compact ranges. */
function ranges(side: SideName, seqs: Iterable<number>, max = 12): string {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const from = sorted[i] ?? 0;
    const to = sorted[j] ?? 0;
    parts.push(from === to ? body(side, from) : `${body(side, from)}–${body(side, to)}`);
    i = j + 1;
  }
  const shown =
    parts.slice(0, max).join(', ') + (parts.length > max ? `, … (${String(parts.length - max)} more runs)` : '');
  return `${shown} (${String(sorted.length)})`;
}

function figuresFor(sender: Side, attempted: number, outbound: Message[], inbound: Message[]): DirectionFigures {
  const examples: string[] = [];
  const name = sender.name;
  // Sender side: each accepted message stored once, in a final state.
  const senderSeen = new Map<number, Message[]>();
  for (const m of outbound) {
    const parsed = parseBody(m.body);
    if (parsed?.side !== name) continue;
    senderSeen.set(parsed.seq, [...(senderSeen.get(parsed.seq) ?? []), m]);
  }
  const states: Record<string, number> = {};
  const notFinalBy = new Map<string, number[]>();
  const senderDup: number[] = [];
  let notFinal = 0;
  let senderDuplicates = 0;
  let senderRows = 0;
  for (const [seq, rows] of senderSeen) {
    senderRows += rows.length;
    if (rows.length > 1) {
      senderDuplicates += rows.length - 1;
      senderDup.push(seq);
    }
    for (const row of rows) {
      states[row.state] = (states[row.state] ?? 0) + 1;
      if (!FINAL.has(row.state)) {
        notFinal += 1;
        const key = `'${row.state}'${row.error ? ` (${row.error})` : ''}`;
        notFinalBy.set(key, [...(notFinalBy.get(key) ?? []), seq]);
      }
    }
  }
  const senderMissing = [...sender.accepted.keys()].filter((seq) => !senderSeen.has(seq));
  // Receiver side: exactly once, in order (by archive id: list() is oldest first).
  const seen = new Set<number>();
  const dup: number[] = [];
  const unexpected: number[] = [];
  const late: string[] = [];
  let outOfOrder = 0;
  let highest = -1;
  let received = 0;
  for (const m of inbound) {
    const parsed = parseBody(m.body);
    if (parsed?.side !== name) continue;
    received += 1;
    if (seen.has(parsed.seq)) {
      dup.push(parsed.seq);
      continue;
    }
    seen.add(parsed.seq);
    if (!sender.accepted.has(parsed.seq)) unexpected.push(parsed.seq);
    if (parsed.seq < highest) {
      outOfOrder += 1;
      if (late.length < 8) late.push(`${m.body} after ${body(name, highest)}`);
    }
    highest = Math.max(highest, parsed.seq);
  }
  const lost = [...sender.accepted.keys()].filter((seq) => !seen.has(seq));
  if (lost.length > 0) {
    examples.push(`never arrived: ${ranges(name, lost)}`);
    const byState = new Map<string, number[]>();
    for (const seq of lost) {
      const row = senderSeen.get(seq)?.[0];
      const key = row ? `'${row.state}'${row.error ? ` (${row.error})` : ''}` : 'no row';
      byState.set(key, [...(byState.get(key) ?? []), seq]);
    }
    for (const [state, seqs] of byState) examples.push(`  of which ${state} at the sender: ${ranges(name, seqs)}`);
  }
  if (dup.length > 0) examples.push(`received more than once: ${ranges(name, dup)}`);
  if (outOfOrder > 0) examples.push(`out of order: ${late.join('; ')}${outOfOrder > late.length ? ' …' : ''}`);
  if (unexpected.length > 0) examples.push(`arrived although message.send refused them: ${ranges(name, unexpected)}`);
  for (const [state, seqs] of notFinalBy) {
    const arrived = seqs.filter((seq) => seen.has(seq));
    examples.push(`${state} at the sender: ${ranges(name, seqs)}; of these the receiver has ${String(arrived.length)}`);
  }
  if (senderMissing.length > 0)
    examples.push(`accepted by message.send, gone from the sender's archive: ${ranges(name, senderMissing)}`);
  if (senderDup.length > 0) examples.push(`stored more than once at the sender: ${ranges(name, senderDup)}`);
  return {
    direction: `${name}→${name === 'A' ? 'B' : 'A'}`,
    attempted,
    accepted: sender.accepted.size,
    refused: sender.refused.length,
    senderRows,
    senderDuplicates,
    senderMissing: senderMissing.length,
    states,
    notFinal,
    received,
    distinct: seen.size,
    duplicates: dup.length,
    lost: lost.length,
    unexpected: unexpected.length,
    outOfOrder,
    examples,
  };
}

function problemsOf(f: DirectionFigures, sender: Side): string[] {
  const problems: string[] = [];
  const d = f.direction;
  if (f.refused > 0)
    problems.push(
      `${d}: message.send refused ${String(f.refused)} message(s) while the core was running (first: ${sender.refused[0]?.error ?? ''})`,
    );
  if (f.lost > 0) problems.push(`${d}: ${String(f.lost)} accepted message(s) never arrived`);
  if (f.duplicates > 0) problems.push(`${d}: ${String(f.duplicates)} duplicate(s) in the receiver's archive`);
  if (f.outOfOrder > 0) problems.push(`${d}: ${String(f.outOfOrder)} message(s) out of order`);
  if (f.unexpected > 0) problems.push(`${d}: ${String(f.unexpected)} message(s) arrived that message.send had refused`);
  if (f.senderMissing > 0)
    problems.push(`${d}: ${String(f.senderMissing)} accepted message(s) missing from the sender's archive`);
  if (f.senderDuplicates > 0)
    problems.push(`${d}: ${String(f.senderDuplicates)} duplicate outbound row(s) in the sender's archive`);
  if (f.notFinal > 0)
    problems.push(`${d}: ${String(f.notFinal)} outbound message(s) not in a final state (${JSON.stringify(f.states)})`);
  return problems;
}

describe('delivery under faults: nothing lost, duplicated or reordered (XEP-0198, XEP-0184, outbox)', () => {
  it(
    `${String(MESSAGES)} messages each way through random cuts, a Prosody restart and a kill -9`,
    { timeout: 10 * 60_000, skip: prosodyInstalled() ? false : 'Prosody is not installed (apt-get install prosody)' },
    async (t) => {
      const started = performance.now();
      const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
      const work = await tempDir('parley-fault-');
      const logFile = path.join(work, 'test.log');
      const say = (line: string, toConsole = true) => {
        const text = `[${elapsed()}] ${line}`;
        if (toConsole) console.log(text);
        void appendFile(logFile, text + '\n').catch(() => undefined);
      };
      /** Proxy events and account states, one timeline. */
      const timeline = (line: string) => {
        void appendFile(path.join(work, 'timeline.log'), `[${elapsed()}] ${line}\n`).catch(() => undefined);
      };
      const seed = seedFrom(process.env['PARLEY_FAULT_SEED']);
      say(`seed ${String(seed)} (PARLEY_FAULT_SEED=${String(seed)} replays the proxies' choices); logs in ${work}`);

      let extraConfig = '';
      if (SERVER_DEBUG) {
        // Prosody runs as its own user: give it a folder it may write to.
        const dir = path.join(work, 'prosody-debug');
        await mkdir(dir);
        await chmod(work, 0o711);
        await chmod(dir, 0o777);
        const file = path.join(dir, 'prosody-debug.log');
        extraConfig = `log = { { levels = { min = "debug" }, to = "file", filename = ${JSON.stringify(file)} } }`;
      }
      const server = await startTestServer({ users: [USERS.A, USERS.B], sharedGroup: 'Team', extraConfig });
      const cleanups: (() => Promise<unknown>)[] = [() => server.stop()];
      let passed = false;
      try {
        const target = { host: server.host, port: server.c2sPort };
        const proxies = {
          A: await startFaultProxy({ target, seed, label: 'A', log: timeline }),
          B: await startFaultProxy({ target, seed: (seed ^ 0x9e3779b9) >>> 0, label: 'B', log: timeline }),
        };
        cleanups.push(
          () => proxies.A.stop(),
          () => proxies.B.stop(),
        );
        const startCore = async (name: SideName) => {
          const dataDir = path.join(work, name);
          await mkdir(dataDir, { recursive: true });
          const core = await startRemoteCore({
            dataDir,
            label: name,
            logFile: path.join(work, `core-${name}.log`),
            logLevel: process.env['PARLEY_TEST_LOG'] ? 'debug' : 'info',
          });
          cleanups.push(() => core.stop());
          return core;
        };
        const makeSide = async (name: SideName): Promise<Side> => ({
          name,
          jid: server.jid(USERS[name].username),
          peer: server.jid(USERS[name === 'A' ? 'B' : 'A'].username),
          core: await startCore(name),
          proxy: proxies[name],
          lock: new Lock(),
          accepted: new Map(),
          refused: [],
          signIns: 0,
          onlineTransitions: 0,
          statuses: new Map(),
          lastStatus: undefined,
          lastState: undefined,
          lastOnlineAt: 0,
          gaveUp: [],
          reconnectNow: 0,
        });
        const sides = { A: await makeSide('A'), B: await makeSide('B') };
        for (const side of Object.values(sides)) {
          side.core.onEvent((e) => {
            if (e.name !== 'account.state') return;
            const state = e.payload as AccountState;
            if (state.id !== side.jid) return;
            side.statuses.set(state.status, (side.statuses.get(state.status) ?? 0) + 1);
            if (state.status === 'online' && side.lastStatus !== 'online') {
              side.onlineTransitions += 1;
              side.lastOnlineAt = performance.now();
            }
            if (state.status !== side.lastStatus)
              timeline(
                `core ${side.name}#${String(e.incarnation)}: ${state.status}${state.error ? ` (${state.error.code}: ${state.error.message})` : ''}`,
              );
            side.lastStatus = state.status;
            side.lastState = state;
          });
        }

        /** Signs in (again), as a user would; retries a few times if a cut interrupts it. */
        const signIn = async (side: Side, why: string) => {
          for (let attempt = 1; ; attempt++) {
            side.signIns += 1;
            try {
              const state = await side.core.call('account.signIn', {
                jid: side.jid,
                password: USERS[side.name].password,
                server: side.proxy.server,
              });
              say(`${side.name}: signed in (${why}), ${state.status}`);
              return;
            } catch (err) {
              say(`${side.name}: sign-in (${why}) attempt ${String(attempt)} failed: ${String(err)}`);
              if (attempt >= 6) throw err;
              await sleep(1000);
              if (side.lastStatus === 'online') return;
            }
          }
        };

        await signIn(sides.B, 'start');
        await signIn(sides.A, 'start');
        say(`both online; A through ${proxies.A.server}, B through ${proxies.B.server}, Prosody on ${server.server}`);

        // --- the run: paced senders on both sides, faults alongside ---------------------------
        proxies.A.randomCuts(CUTS);
        proxies.B.randomCuts(CUTS);
        const progress = { A: 0, B: 0 };
        const t0 = performance.now();
        const sendLoop = async (side: Side) => {
          for (let seq = 0; seq < MESSAGES; seq++) {
            await sleep(t0 + seq * INTERVAL_MS - performance.now());
            await side.lock.run(async () => {
              try {
                const m = await side.core.call('message.send', {
                  accountId: side.jid,
                  to: side.peer,
                  body: body(side.name, seq),
                });
                side.accepted.set(seq, m.id);
              } catch (err) {
                side.refused.push({ seq, error: err instanceof Error ? err.message : String(err) });
              }
            });
            progress[side.name] = seq + 1;
          }
        };
        const until = async (predicate: () => boolean) => {
          while (!predicate()) await sleep(20);
        };
        const faults = {
          prosodyRestarts: 0,
          kills: 0,
          blackholes: 0,
        };
        const faultScript = async () => {
          await until(() => progress.A >= MESSAGES * 0.3);
          say(`restarting Prosody (A at ${String(progress.A)}, B at ${String(progress.B)})`);
          await server.restart();
          faults.prosodyRestarts += 1;
          say('Prosody is back');

          await until(() => progress.A >= MESSAGES * 0.6);
          await sides.A.lock.run(async () => {
            say(
              `kill -9 of core A (process ${String(sides.A.core.pid)}), after A-${String(progress.A - 1).padStart(6, '0')}`,
            );
            await sides.A.core.kill();
            faults.kills += 1;
            await sleep(2000);
            await sides.A.core.restart();
            say(`core A restarted on the same data folder (process ${String(sides.A.core.pid)}); it keeps sending`);
          });
          await sleep(1500);
          await signIn(sides.A, 'after the kill');

          if (BLACKHOLE_MS > 0) {
            await until(() => progress.A >= MESSAGES * 0.8);
            say(`blackholing A's path for ${String(BLACKHOLE_MS)} ms`);
            proxies.A.pause();
            faults.blackholes += 1;
            await sleep(BLACKHOLE_MS);
            proxies.A.resume();
            say("A's path forwards new connections again");
          }
        };
        const ticker = setInterval(() => {
          say(
            `A sent ${String(progress.A)} (${sides.A.lastStatus ?? '?'}), B sent ${String(progress.B)} (${sides.B.lastStatus ?? '?'}); cuts A ${String(proxies.A.stats.cutsRandom + proxies.A.stats.cutsAll)}, B ${String(proxies.B.stats.cutsRandom + proxies.B.stats.cutsAll)}`,
          );
        }, 10_000);
        try {
          await Promise.all([sendLoop(sides.A), sendLoop(sides.B), faultScript()]);
        } finally {
          clearInterval(ticker);
        }
        proxies.A.randomCuts(false);
        proxies.B.randomCuts(false);
        const sendingDone = performance.now();
        say(`all sent (${((sendingDone - t0) / 1000).toFixed(1)} s); faults off; waiting until quiet`);

        // --- settle: everything final and arrived, or the deadline ----------------------------
        const snapshot = async () => {
          const a = await listAll(sides.A.core, sides.A.jid, sides.A.peer);
          const b = await listAll(sides.B.core, sides.B.jid, sides.B.peer);
          return {
            aOut: a.filter((m) => m.direction === 'out'),
            aIn: a.filter((m) => m.direction === 'in'),
            bOut: b.filter((m) => m.direction === 'out'),
            bIn: b.filter((m) => m.direction === 'in'),
          };
        };
        const complete = (s: Awaited<ReturnType<typeof snapshot>>) => {
          const arrived = (sender: Side, inbound: Message[]) => {
            const got = new Set(inbound.map((m) => parseBody(m.body)?.seq));
            return [...sender.accepted.keys()].every((seq) => got.has(seq));
          };
          return (
            [...s.aOut, ...s.bOut].every((m) => FINAL.has(m.state)) &&
            arrived(sides.A, s.bIn) &&
            arrived(sides.B, s.aIn)
          );
        };
        let last = await snapshot();
        let lastChange = performance.now();
        let lastKey = '';
        for (;;) {
          if (complete(last)) break;
          if (performance.now() - sendingDone > SETTLE_MS) {
            say(`deadline: not quiet ${String(SETTLE_MS / 1000)} s after the last send`);
            break;
          }
          for (const side of Object.values(sides)) {
            const state = side.lastState;
            if (!state) continue;
            if ((state.status === 'error' || state.status === 'offline') && side.gaveUp.length === 0) {
              // It stopped by itself: a finding. Sign in by hand to see what it still delivers.
              const why = `${side.name} stopped reconnecting by itself (${state.status}${state.error ? `: ${state.error.code}, ${state.error.message}` : ''})`;
              side.gaveUp.push(why);
              say(`${why}; signing in by hand to see the rest`);
              await signIn(side, 'after it gave up').catch(() => undefined);
            } else if (
              state.status === 'waiting' &&
              state.nextRetryAt !== undefined &&
              state.nextRetryAt - Date.now() > LONGEST_WAIT_MS
            ) {
              side.reconnectNow += 1;
              say(
                `${side.name} waits ${((state.nextRetryAt - Date.now()) / 1000).toFixed(1)} s more (backoff): "Reconnect now"`,
              );
              await side.core.call('account.reconnect', { accountId: side.jid }).catch((err: unknown) => {
                say(`${side.name}: account.reconnect failed: ${String(err)}`);
              });
            }
          }
          await sleep(1000);
          last = await snapshot();
          const key = [last.aOut, last.aIn, last.bOut, last.bIn]
            .map((list) => `${String(list.length)}:${list.map((m) => m.state[0] ?? '').join('')}`)
            .join('|');
          const bothOnline = sides.A.lastStatus === 'online' && sides.B.lastStatus === 'online';
          if (key !== lastKey || !bothOnline) {
            lastKey = key;
            lastChange = performance.now();
          }
          if (performance.now() - lastChange > QUIET_MS) {
            say(`both online and nothing changed for ${String(QUIET_MS / 1000)} s: quiet`);
            break;
          }
        }
        const settled = performance.now();

        // --- figures and verdict -------------------------------------------------------------
        const figures = [
          figuresFor(sides.A, MESSAGES, last.aOut, last.bIn),
          figuresFor(sides.B, MESSAGES, last.bOut, last.aIn),
        ];
        const lines = [
          `seed ${String(seed)}; ${String(MESSAGES)} messages each way, one per ${String(INTERVAL_MS)} ms per direction`,
          `time: ${((sendingDone - t0) / 1000).toFixed(1)} s sending, ${((settled - sendingDone) / 1000).toFixed(1)} s settling, ${elapsed()} in all`,
          `faults: random cuts A ${String(proxies.A.stats.cutsRandom)}, B ${String(proxies.B.stats.cutsRandom)}; cut-all ${String(proxies.A.stats.cutsAll + proxies.B.stats.cutsAll)}; Prosody restarts ${String(faults.prosodyRestarts)}; kill -9 ${String(faults.kills)}; blackholes ${String(faults.blackholes)}`,
          `connections through the proxies: A ${String(proxies.A.stats.accepted)}, B ${String(proxies.B.stats.accepted)} (refused by the server: A ${String(proxies.A.stats.upstreamFailures)}, B ${String(proxies.B.stats.upstreamFailures)})`,
          ...Object.values(sides).map(
            (s) =>
              `core ${s.name}: online ${String(s.onlineTransitions)} times (reconnects ≈ ${String(Math.max(0, s.onlineTransitions - 1))}); sign-ins by the test ${String(s.signIns)}; states seen ${JSON.stringify(Object.fromEntries(s.statuses))}; "Reconnect now" after the faults ${String(s.reconnectNow)}; now ${s.lastStatus ?? '?'}`,
          ),
          '',
          'direction  attempted  accepted  refused  received  distinct  duplicates  lost  out-of-order  not-final  sender states',
          ...figures.map((f) =>
            [
              f.direction.padEnd(9),
              String(f.attempted).padStart(9),
              String(f.accepted).padStart(9),
              String(f.refused).padStart(8),
              String(f.received).padStart(9),
              String(f.distinct).padStart(9),
              String(f.duplicates).padStart(11),
              String(f.lost).padStart(5),
              String(f.outOfOrder).padStart(13),
              String(f.notFinal).padStart(10),
              ` ${JSON.stringify(f.states)}`,
            ].join(' '),
          ),
          ...figures.flatMap((f) => f.examples.map((e) => `  ${f.direction}: ${e}`)),
        ];
        for (const line of lines) {
          say(line, false);
          t.diagnostic(line);
        }
        const problems = [
          ...sides.A.gaveUp,
          ...sides.B.gaveUp,
          ...problemsOf(figures[0] ?? ({} as DirectionFigures), sides.A),
          ...problemsOf(figures[1] ?? ({} as DirectionFigures), sides.B),
        ];
        assert.deepEqual(problems, [], `Parley lost, duplicated or reordered messages:\n${problems.join('\n')}`);
        passed = true;
      } finally {
        const keep = !passed || KEEP;
        if (keep) await writeFile(path.join(work, 'prosody.log'), await server.log()).catch(() => undefined);
        for (const close of cleanups.reverse()) await close().catch(() => undefined);
        if (keep) console.log(`fault test: logs kept in ${work}`);
        else await rm(work, { recursive: true, force: true });
      }
    },
  );
});

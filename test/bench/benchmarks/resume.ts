/**
 * resume: time from a dropped connection to a resumed stream (XEP-0198), against a fresh
 * full login, both Parley's, both through the same fault proxy, in the same run.
 *
 * Each round: a core (the same data folder each time, so that a round's drop meets the
 * backoff as a connection that has been up a while leaves it, not stacked on the previous
 * rounds' drops) signs in (the reference: account.signIn timed to its resolution, roster
 * stored); then, once online, the TCP connection is cut at the proxy (RST) and the time until
 * the account says 'online' again is measured (account.state events; the figure includes the
 * reconnect delay the core chooses, split in the notes).
 *
 * Resumed means the same session went on: an observer that shares presence with the account
 * (a bare @xmpp/client) must see no presence from it at all between the cut and the moment it
 * is back (a new session would first go unavailable, then send its initial presence again);
 * then a message from the observer must reach the resumed stream. Anything else is a failed
 * measurement: the benchmark says why and reports no figure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { AccountState } from '../../../preload/contract.ts';
import { createCore, type Core } from '../../../main/core/create-core.ts';
import { createLogger } from '../../../main/core/log.ts';
import { startFaultProxy } from '../../support/fault-proxy.ts';
import { startTestServer } from '../../support/server.ts';
import { startBareClient, stopBareClient } from '../support/bare-client.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { SERVER_NAGLE_OPTION, serverNagle } from '../support/server-nagle.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, type BenchContext, type BenchResult } from '../types.ts';

const USERS = {
  parley: { username: 'resume-parley', password: 'pw-resume-parley' },
  observer: { username: 'resume-observer', password: 'pw-resume-observer' },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StateAt {
  at: number;
  state: AccountState;
}

interface PresenceAt {
  at: number;
  from: string;
  type: string;
}

const spread = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${formatFigure(median(sorted))} ms (min ${formatFigure(sorted[0] ?? NaN)}, max ${formatFigure(sorted.at(-1) ?? NaN)}; n=${String(sorted.length)})`;
};

function measure(ctx: BenchContext): Promise<BenchResult> {
  return withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup));
}

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const rounds = ctx.intOption('resume-rounds', 7);
  const timeoutMs = ctx.intOption('resume-timeout', 30) * 1000;

  const nagle = serverNagle(ctx);
  const srv = await startTestServer({
    users: Object.values(USERS),
    sharedGroup: 'Team',
    extraConfig: nagle.extraConfig,
  });
  cleanup.defer('prosody', () => srv.stop());
  const proxy = await startFaultProxy({ target: { host: srv.host, port: srv.c2sPort }, label: 'resume' });
  cleanup.defer('fault proxy', () => proxy.stop());

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-resume-'));
  cleanup.defer('data folder', () => rm(dataDir, { recursive: true, force: true }));
  const jid = srv.jid(USERS.parley.username);
  const states: StateAt[] = [];
  const added: string[] = [];
  const log = createLogger('warn');
  /**
   * A core per round (same data folder): each drop then meets the backoff where a connection
   * that has been up for a while leaves it (the core resets it after a stable minute), instead
   * of the attempts of the previous rounds' drops, seconds apart, stacking up.
   */
  let current: { core: Core; close: () => Promise<void> } | undefined;
  const closeCore = async () => {
    const c = current;
    current = undefined;
    await c?.close();
  };
  cleanup.defer('core', closeCore);
  const startParley = async (): Promise<Core> => {
    await closeCore();
    const core = await createCore({ dataDir, log });
    const session = core.rpc.connect((frame) => {
      const f = JSON.parse(frame) as { kind: string; name?: string; payload?: unknown };
      if (f.kind !== 'event') return;
      if (f.name === 'account.state' && (f.payload as AccountState).id === jid)
        states.push({ at: performance.now(), state: f.payload as AccountState });
      if (f.name === 'message.added') added.push((f.payload as { body: string }).body);
    });
    current = {
      core,
      close: async () => {
        session.close();
        await core.shutdown();
      },
    };
    return core;
  };

  // The observer shares presence with the account (shared roster group) and sees every session of it.
  const observer: Client = await startBareClient({ server: srv, ...USERS.observer, streamManagement: false });
  cleanup.defer('observer', () => stopBareClient(observer));
  const presences: PresenceAt[] = [];
  observer.on('stanza', (stanza: Element) => {
    const from: unknown = stanza.attrs['from'];
    const type: unknown = stanza.attrs['type'];
    if (stanza.is('presence') && typeof from === 'string' && from.startsWith(`${jid}/`))
      presences.push({ at: performance.now(), from, type: typeof type === 'string' ? type : 'available' });
  });
  const observerRoundTrip = async () => {
    const iqCaller = observer.iqCaller as unknown as { request(iq: Element, timeout?: number): Promise<Element> };
    await iqCaller.request(xml('iq', { type: 'get', to: srv.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })), 5000);
  };
  const until = async (what: string, predicate: () => boolean, ms = timeoutMs) => {
    const deadline = performance.now() + ms;
    while (!predicate()) {
      ctx.signal.throwIfAborted();
      if (performance.now() > deadline) throw new Error(what);
      await sleep(2);
    }
  };
  const describeStates = (since: number) =>
    states
      .filter((s) => s.at >= since)
      .map((s) => `${s.state.status}${s.state.error ? ` (${s.state.error.message})` : ''}`)
      .join(' → ') || 'none';

  ctx.note(
    `${String(rounds)} rounds through a fault proxy (${proxy.server} -> Prosody ${srv.server}); the drop is a TCP RST at the proxy; ${nagle.note}`,
  );
  const full: number[] = [];
  const resumed: number[] = [];
  const delays: number[] = [];
  const handshakes: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    ctx.signal.throwIfAborted();
    // --- the reference: a fresh full login through the same proxy.
    const core = await startParley();
    await sleep(50);
    const t0 = performance.now();
    const state = await core.handlers['account.signIn']({
      jid,
      password: USERS.parley.password,
      server: proxy.server,
    });
    full.push(performance.now() - t0);
    if (state.status !== 'online') throw new Error(`round ${String(round)}: signIn resolved ${state.status}`);
    await until(
      `round ${String(round)}: the observer never saw the account's presence after signing in`,
      () => presences.some((p) => p.at >= t0 && p.type === 'available'),
      5000,
    );
    await sleep(300); // XEP-0198 enabled and the first acks exchanged

    // --- the drop, and the way back.
    const mark = presences.length;
    const tCut = performance.now();
    const cut = proxy.cutAll('rst');
    if (cut === 0) throw new Error(`round ${String(round)}: no connection to cut at the proxy`);
    await until(
      `round ${String(round)}: the account did not notice the drop within ${String(timeoutMs / 1000)} s (states: ${describeStates(tCut)})`,
      () => states.some((s) => s.at >= tCut && s.state.status !== 'online'),
    );
    const back = () => {
      const lost = states.findIndex((s) => s.at >= tCut && s.state.status !== 'online');
      return lost >= 0 ? states.slice(lost).find((s) => s.state.status === 'online') : undefined;
    };
    await until(
      `round ${String(round)}: the account was not back online within ${String(timeoutMs / 1000)} s after the drop (states: ${describeStates(tCut)})`,
      () => back() !== undefined,
    );
    const tOnline = back()?.at ?? NaN;
    const tConnecting = states.find((s) => s.at >= tCut && s.state.status === 'connecting')?.at ?? tOnline;
    resumed.push(tOnline - tCut);
    delays.push(tConnecting - tCut);
    handshakes.push(tOnline - tConnecting);

    // --- was it the same session? A new one goes unavailable and announces itself again.
    await observerRoundTrip();
    await sleep(200);
    const seen = presences.slice(mark);
    if (seen.length > 0) {
      throw new Error(
        `round ${String(round)}: back online after ${formatFigure(tOnline - tCut)} ms, but not resumed: a new session (the observer saw ${seen
          .map((p) => `${p.type} from ${p.from}`)
          .join(', ')}); XEP-0198 resumption did not happen`,
      );
    }
    const probe = `resume probe ${String(round)}`;
    await observer.send(
      xml('message', { type: 'chat', to: jid, id: `probe-${String(round)}` }, xml('body', {}, probe)),
    );
    await until(
      `round ${String(round)}: a message sent to the resumed stream did not arrive within 5 s`,
      () => added.includes(probe),
      5000,
    );
    ctx.note(
      `round ${String(round)}: full login ${formatFigure(full.at(-1) ?? NaN)} ms; drop → online ${formatFigure(tOnline - tCut)} ms (reconnect delay ${formatFigure(tConnecting - tCut)} ms, resumption ${formatFigure(tOnline - tConnecting)} ms)`,
    );
  }
  ctx.note(`full login:            ${spread(full)}`);
  ctx.note(`drop → resumed online: ${spread(resumed)}`);
  ctx.note(`  of which the wait before reconnecting ${spread(delays)}; the resumption itself ${spread(handshakes)}`);
  return { value: median(resumed), reference: median(full) };
}

export default defineBenchmark({
  name: 'resume',
  unit: 'ms',
  goal: 0.3,
  better: 'lower',
  description:
    'dropped TCP connection to a resumed XEP-0198 stream (same session, verified by an observer) vs a fresh full login, both Parley, same proxy, same run',
  options: {
    ...SERVER_NAGLE_OPTION,
    'resume-rounds': 'drop/resume rounds, each with a full login (default 7); medians are reported',
    'resume-timeout': 'seconds to wait for the account to notice the drop and to come back (default 30)',
  },
  run: measure,
});

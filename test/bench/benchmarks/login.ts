/**
 * login: time from TCP connect to the roster received, Parley against a bare @xmpp/client.
 *
 * Parley: a core in this process (its own data folder, a renderer session attached);
 * `handlers['account.signIn']` timed from the call to its resolution, which comes once the
 * roster is stored (and initial presence sent); signed out between rounds (not timed).
 *
 * Reference: a stock @xmpp/client on another account with a roster of the same size, same
 * server, same run: connect + STARTTLS + SASL SCRAM-SHA-1 + bind (+ XEP-0198 enable, stock
 * behaviour) + roster get, timed from start() to the roster result. Its SCRAM Hi() is
 * computed with one crypto.pbkdf2 call, as Parley's is (see support/bare-login.ts), so that
 * the ratio does not just measure stock xmpp.js's WebCrypto loop; `--reference-scram stock`
 * measures the stock one, and a few stock logins are always reported as a note.
 *
 * Rounds alternate (and alternate who goes first); medians are reported. Lower is better.
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../../../main/core/create-core.ts';
import { createLogger } from '../../../main/core/log.ts';
import { startTestServer } from '../../support/server.ts';
import { timeBareLogin } from '../support/bare-login.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { SERVER_NAGLE_OPTION, serverNagle } from '../support/server-nagle.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, UsageError, type BenchContext, type BenchResult } from '../types.ts';

const USERS = {
  parley: { username: 'login-parley', password: 'pw-login-parley' },
  reference: { username: 'login-ref', password: 'pw-login-ref' },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const spread = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${formatFigure(median(sorted))} ms (min ${formatFigure(sorted[0] ?? NaN)}, max ${formatFigure(sorted.at(-1) ?? NaN)}; n=${String(sorted.length)})`;
};

function nonNegativeInt(ctx: BenchContext, name: string, fallback: number): number {
  const raw = ctx.option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number, not "${raw}"`);
  return n;
}

function measure(ctx: BenchContext): Promise<BenchResult> {
  return withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup));
}

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const rounds = ctx.intOption('login-rounds', 15);
  const warmup = nonNegativeInt(ctx, 'login-warmup', 2);
  const contacts = ctx.intOption('contacts', 50);
  const stockRounds = nonNegativeInt(ctx, 'login-stock-rounds', 3);
  const scram = ctx.option('reference-scram') ?? 'fast';
  if (scram !== 'fast' && scram !== 'stock')
    throw new UsageError(`--reference-scram takes fast or stock, not "${scram}"`);

  const nagle = serverNagle(ctx);
  const srv = await startTestServer({
    users: Object.values(USERS),
    sharedGroup: 'Team',
    extraConfig: nagle.extraConfig,
  });
  cleanup.defer('prosody', () => srv.stop());
  // Both accounts get the same roster: each other plus `contacts - 1` more (names only: mod_groups
  // does not need them to exist), loaded by a restart.
  const padding = Array.from(
    { length: contacts - 1 },
    (_, i) => `contact-${String(i)}@${srv.domain}=Contact ${String(i)}`,
  );
  if (padding.length > 0) {
    await appendFile(path.join(srv.dir, 'groups.txt'), padding.join('\n') + '\n');
    await srv.restart();
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-login-'));
  cleanup.defer('data folder', () => rm(dataDir, { recursive: true, force: true }));
  const core = await createCore({ dataDir, log: createLogger('warn') });
  cleanup.defer('core', () => core.shutdown());
  const session = core.rpc.connect(() => undefined); // a renderer is attached, as in the app
  cleanup.defer('rpc session', () => {
    session.close();
  });
  const jid = srv.jid(USERS.parley.username);

  const parleyLogin = async (): Promise<number> => {
    const t0 = performance.now();
    const state = await core.handlers['account.signIn']({
      jid,
      password: USERS.parley.password,
      server: srv.server,
    });
    const ms = performance.now() - t0;
    if (state.status !== 'online') throw new Error(`parley: signIn resolved with status ${state.status}`);
    await core.handlers['account.signOut']({ accountId: jid });
    return ms;
  };
  const referenceLogin = async (kind: 'fast' | 'stock' = scram): Promise<number> => {
    const r = await timeBareLogin({
      host: srv.host,
      port: srv.c2sPort,
      domain: srv.domain,
      ...USERS.reference,
      scram: kind,
    });
    if (r.rosterItems !== contacts)
      throw new Error(`reference: roster of ${String(r.rosterItems)} items, expected ${String(contacts)}`);
    return r.ms;
  };

  ctx.note(
    `${String(rounds)} rounds after ${String(warmup)} warm-up; roster of ${String(contacts)}; ${nagle.note}; reference: @xmpp/client, SCRAM-SHA-1 Hi() ${scram === 'fast' ? 'by crypto.pbkdf2' : 'stock (WebCrypto loop)'}`,
  );
  for (let i = 0; i < warmup; i++) {
    ctx.signal.throwIfAborted();
    await referenceLogin();
    await parleyLogin();
  }
  const { contacts: stored } = await core.handlers['roster.list']({ accountId: jid });
  if (stored.length !== contacts)
    throw new Error(`parley stored a roster of ${String(stored.length)} contacts, expected ${String(contacts)}`);

  const parley: number[] = [];
  const reference: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ctx.signal.throwIfAborted();
    // Alternate who goes first, so that neither always meets a server that just finished a login.
    if (round % 2 === 0) {
      reference.push(await referenceLogin());
      await sleep(50);
      parley.push(await parleyLogin());
    } else {
      parley.push(await parleyLogin());
      await sleep(50);
      reference.push(await referenceLogin());
    }
    await sleep(50);
  }
  ctx.note(`parley:    ${spread(parley)}`);
  ctx.note(`reference: ${spread(reference)}`);
  if (stockRounds > 0 && scram === 'fast') {
    const stock: number[] = [];
    for (let i = 0; i < stockRounds; i++) {
      ctx.signal.throwIfAborted();
      stock.push(await referenceLogin('stock'));
    }
    ctx.note(`for scale, stock @xmpp/client (WebCrypto SCRAM loop): ${spread(stock)}`);
  }
  return { value: median(parley), reference: median(reference) };
}

export default defineBenchmark({
  name: 'login',
  unit: 'ms',
  goal: 1.2,
  better: 'lower',
  description:
    'TCP connect to roster received: account.signIn vs a bare @xmpp/client (STARTTLS, SCRAM-SHA-1, bind, roster get), same Prosody, same run',
  options: {
    ...SERVER_NAGLE_OPTION,
    'login-rounds': 'timed logins each (default 15); medians are reported',
    'login-warmup': 'untimed logins each first (default 2)',
    contacts: 'roster size of both accounts (default 50)',
    'reference-scram':
      "fast|stock: the reference's SCRAM Hi() by crypto.pbkdf2 (default) or stock xmpp.js's WebCrypto loop",
    'login-stock-rounds': 'stock-SCRAM reference logins reported as a note (default 3, 0 for none)',
  },
  run: measure,
});

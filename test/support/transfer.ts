/**
 * What the file-transfer integration tests share: cores signed in to a Prosody with
 * mod_proxy65 (test/support/server.ts `startTransferServer`), the four senders and receiver of
 * the XEP-0096 and Jingle suites, and waits on their transfers.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transfer } from '../../preload/contract.ts';
import type { TransferOptions } from '../../main/core/transfer/transfer-service.ts';
import { startTransferServer } from './server.ts';
import { anyFile, startCore, tempDir, type TestCore } from './core.ts';

export type TransferServer = Awaited<ReturnType<typeof startTransferServer>>;

/** A buffer's sha-256, base64 (as XEP-0300 carries it). */
export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('base64');

const accounts = new Map<TestCore, string>();

/** The account id (bare JID) a core from `signInTransferCore` signed in as. */
export const accountOf = (core: TestCore): string => accounts.get(core) ?? '';

/** A new core (any file may be sent, streamhosts tried 2 s each) signed in as `user` (password "pw"), online. */
export async function signInTransferCore(
  server: TransferServer,
  user: string,
  transfers: Omit<TransferOptions, 'downloadsDir'> = {},
): Promise<TestCore> {
  const core = await startCore(undefined, {
    sendablePath: anyFile,
    transfers: { streamhostTimeoutMs: 2000, ...transfers },
  });
  await core.core.handlers['account.signIn']({ jid: `${user}@localhost`, password: 'pw', server: server.server });
  await core.waitForEvent('account.state', (s) => s.status === 'online', 10_000);
  accounts.set(core, `${user}@localhost`);
  return core;
}

/** A folder's entries (none when it does not exist yet). */
export async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** Writes `bytes` as `dir/name` and returns its path. */
export async function fileOf(dir: string, bytes: Buffer, name = 'data.bin'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

/** The receiver's view of the next incoming offer (of that name, when given). */
export function nextOffer(core: TestCore, name?: string): Promise<Transfer> {
  return core.waitForNext(
    'transfer.updated',
    (t) => t.direction === 'in' && t.state === 'offered' && (name === undefined || t.name === name),
    15_000,
  );
}

/** The transfer `id` once it has completed or failed. */
export function settled(core: TestCore, id: string, timeoutMs = 30_000): Promise<Transfer> {
  return core.waitForEvent(
    'transfer.updated',
    (t) => t.id === id && (t.state === 'completed' || t.state === 'failed'),
    timeoutMs,
  );
}

/** Waits until `bare` has a resource online as seen by `core` (so a bare JID can be picked). */
export async function online(core: TestCore, bare: string): Promise<void> {
  await core.waitForEvent(
    'roster.updated',
    (e) => e.contacts.some((c) => c.jid === bare && c.show !== 'offline'),
    15_000,
  );
}

export interface TransferCast {
  server: TransferServer;
  /** A direct streamhost on loopback, and the proxy. */
  alice: TestCore;
  /** The receiver (files up to 64 MiB; as a Jingle responder, no candidates of its own). */
  bob: TestCore;
  /** No direct streamhost: the proxy only. */
  carol: TestCore;
  /** A direct streamhost nobody can reach, no proxy: IBB in the end. */
  dave: TestCore;
  /** A folder for the files to send. */
  work: string;
}

/**
 * Starts the server (`users`, all with password "pw", in one shared group) and signs in the
 * cast, each with `transfers` beside its own options; each thing started pushes its stop onto
 * `cleanup` (so that a half-way failure still stops what started).
 */
export async function startTransferCast(
  cleanup: (() => Promise<void>)[],
  options: { users: readonly string[]; workPrefix: string; transfers?: Omit<TransferOptions, 'downloadsDir'> },
): Promise<TransferCast> {
  const server = await startTransferServer({
    users: options.users.map((u) => ({ username: u, password: 'pw' })),
    sharedGroup: 'Transfers',
  });
  cleanup.push(() => server.stop());
  const work = await tempDir(options.workPrefix);
  const start = async (user: string, own: Omit<TransferOptions, 'downloadsDir'>) => {
    const core = await signInTransferCore(server, user, { ...options.transfers, ...own });
    cleanup.push(() => core.shutdown());
    return core;
  };
  const alice = await start('alice', { directHosts: () => ['127.0.0.1'] });
  // As a Jingle responder bob offers no candidates of his own (XEP-0260 allows none), so each
  // sender's own way is what is tested; test/integration/jingle-both-ways.test.ts tests his.
  const bob = await start('bob', { maxFileBytes: 64 * 1024 * 1024, directHosts: () => [], socks5Proxy: false });
  const carol = await start('carol', { socks5Direct: false });
  const dave = await start('dave', { socks5Proxy: false, directHosts: () => ['192.0.2.1'] });
  for (const c of [alice, carol, dave]) await online(c, 'bob@localhost');
  return { server, alice, bob, carol, dave, work };
}

/**
 * Accepts `incoming` (the receiver's view of the sender's `out`) and waits for both ends:
 * checks the offer's size and sha-256, that both completed, and the saved file's bytes.
 */
export async function acceptAndReceive(
  sender: TestCore,
  out: Transfer,
  receiver: TestCore,
  incoming: Transfer,
  bytes: Buffer,
): Promise<{ sent: Transfer; got: Transfer }> {
  assert.equal(incoming.size, bytes.length);
  // An XEP-0096 offer carries the sha-256; a Jingle one announces it (XEP-0300 hash-used) and
  // the sender sends it in session-info once computed (XEP-0234 §8.1).
  if (incoming.sha256 !== undefined) assert.equal(incoming.sha256, sha256(bytes), 'the offer’s XEP-0300 sha-256');
  await receiver.core.handlers['transfer.accept']({ accountId: accountOf(receiver), id: incoming.id });
  const [sent, got] = await Promise.all([settled(sender, out.id), settled(receiver, incoming.id)]);
  assert.equal(sent.state, 'completed', sent.error);
  assert.equal(got.state, 'completed', got.error);
  assert.ok(got.path);
  assert.equal(got.sha256, sha256(bytes), 'the file was checked against the sender’s sha-256');
  assert.deepEqual(await readFile(got.path), bytes);
  return { sent, got };
}

/**
 * Accepts `incoming`, and once the receiver reports it transferring (with bytes written, when
 * `withBytes`), cancels it from `side`; both ends must fail as cancelled.
 */
export async function cancelInFlight(
  side: 'receiver' | 'sender',
  sender: TestCore,
  out: Transfer,
  receiver: TestCore,
  incoming: Transfer,
  withBytes: boolean,
): Promise<{ sent: Transfer; got: Transfer }> {
  const running = receiver.waitForNext(
    'transfer.updated',
    (t) => t.id === incoming.id && t.state === 'transferring' && (!withBytes || t.bytes > 0),
    30_000,
  );
  await receiver.core.handlers['transfer.accept']({ accountId: accountOf(receiver), id: incoming.id });
  await running;
  if (side === 'receiver')
    await receiver.core.handlers['transfer.cancel']({ accountId: accountOf(receiver), id: incoming.id });
  else await sender.core.handlers['transfer.cancel']({ accountId: accountOf(sender), id: out.id });
  const [sent, got] = await Promise.all([settled(sender, out.id), settled(receiver, incoming.id)]);
  assert.equal(sent.state, 'failed');
  assert.equal(sent.reason, 'cancelled');
  assert.equal(got.state, 'failed');
  assert.equal(got.reason, 'cancelled');
  return { sent, got };
}

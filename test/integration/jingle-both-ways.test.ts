/**
 * Jingle SOCKS5 both ways (XEP-0260) against a real Prosody with mod_proxy65, Parley to
 * Parley: a sender nobody can reach still sends over SOCKS5 through the RECEIVER's candidates
 * (its direct streamhost, or its proxy, which the receiver activates); and transfers never
 * wait forever on an account that went offline: a receiver signed out, a connection cut.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transfer } from '../../preload/contract.ts';
import type { TestCore } from '../support/core.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { startTransferServer } from '../support/server.ts';
import {
  accountOf,
  entries,
  fileOf,
  nextOffer,
  online,
  settled,
  sha256,
  signInTransferCore,
  type TransferServer,
} from '../support/transfer.ts';
import { tempDir } from '../support/core.ts';

describe('transfer: Jingle SOCKS5 both ways (XEP-0260) and transfers that never hang, against Prosody', () => {
  let server: TransferServer;
  let sam: TestCore; // the sender: its only candidate is unreachable (TEST-NET), no proxy, no IBB
  let rita: TestCore; // a receiver with a direct streamhost on loopback
  let pia: TestCore; // a receiver with the server's proxy only
  let olly: TestCore; // a receiver connected through a fault proxy (its connection gets cut)
  let cut: FaultProxy;
  let work: string;
  const cleanup: (() => Promise<void>)[] = [];

  before(async () => {
    server = await startTransferServer({
      users: ['sam', 'rita', 'pia', 'olly'].map((u) => ({ username: u, password: 'pw' })),
      sharedGroup: 'Transfers',
    });
    cleanup.push(() => server.stop());
    work = await tempDir('parley-jingle-both-');
    const start = async (user: string, options: Parameters<typeof signInTransferCore>[2], via = server.server) => {
      const core = await signInTransferCore({ ...server, server: via }, user, options);
      cleanup.push(() => core.shutdown());
      return core;
    };
    sam = await start('sam', {
      directHosts: () => ['192.0.2.1'],
      socks5Proxy: false,
      ibb: false,
      streamhostTimeoutMs: 1000,
    });
    rita = await start('rita', { directHosts: () => ['127.0.0.1'], socks5Proxy: false, streamhostTimeoutMs: 1000 });
    pia = await start('pia', { socks5Direct: false, streamhostTimeoutMs: 1000 });
    cut = await startFaultProxy({ target: { host: '127.0.0.1', port: server.c2sPort }, label: 'olly' });
    cleanup.push(() => cut.stop());
    olly = await start('olly', {}, cut.server);
    for (const peer of ['rita', 'pia', 'olly']) await online(sam, `${peer}@localhost`);
  });

  after(async () => {
    for (const stop of cleanup.reverse()) await stop();
  });

  /** Accepts, waits for both ends, and checks the saved file's bytes and sha-256. */
  async function receive(to: TestCore, out: Transfer, incoming: Transfer, bytes: Buffer) {
    assert.equal(incoming.size, bytes.length);
    await to.core.handlers['transfer.accept']({ accountId: accountOf(to), id: incoming.id });
    const [sent, got] = await Promise.all([settled(sam, out.id), settled(to, incoming.id)]);
    assert.equal(sent.state, 'completed', sent.error);
    assert.equal(got.state, 'completed', got.error);
    const saved = await readFile(got.path ?? '');
    assert.equal(sha256(saved), sha256(bytes));
    assert.deepEqual(saved, bytes);
    return { sent, got };
  }

  async function offer(to: TestCore, bytes: Buffer, name: string): Promise<{ out: Transfer; incoming: Transfer }> {
    const file = await fileOf(work, bytes, name);
    const offered = nextOffer(to, name);
    const out = await sam.core.handlers['transfer.sendFile']({
      accountId: accountOf(sam),
      peer: accountOf(to),
      path: file,
    });
    assert.equal(out.protocol, 'jingle');
    return { out, incoming: await offered };
  }

  it('an unreachable sender sends over the receiver’s direct candidate (SOCKS5, not IBB)', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 11);
    const { out, incoming } = await offer(rita, bytes, 'to-rita.bin');
    const { sent, got } = await receive(rita, out, incoming, bytes);
    assert.equal(sent.method, 'socks5-direct');
    assert.equal(got.method, 'socks5-direct');
    assert.equal(path.basename(got.path ?? ''), 'to-rita.bin');
  });

  it('… and over the receiver’s proxy candidate, which the receiver activates', async () => {
    const bytes = randomBytes(1024 * 1024 + 3);
    const { out, incoming } = await offer(pia, bytes, 'to-pia.bin');
    const { sent, got } = await receive(pia, out, incoming, bytes);
    assert.equal(sent.method, 'socks5-proxy');
    assert.equal(got.method, 'socks5-proxy');
  });

  it('a cut connection fails the receiver’s pending offer as offline (nothing written)', async () => {
    const downloads = path.join(olly.dataDir, 'downloads');
    const before = await entries(downloads);
    const { incoming } = await offer(olly, randomBytes(5000), 'to-olly.bin');
    assert.equal(incoming.state, 'offered');
    const failed = olly.waitForEvent('transfer.updated', (t) => t.id === incoming.id && t.state === 'failed', 15_000);
    assert.ok(cut.cutAll() > 0);
    const t = await failed;
    assert.equal(t.reason, 'offline');
    const latest = new Map<string, Transfer>();
    for (const e of olly.events)
      if (e.name === 'transfer.updated') latest.set((e.payload as Transfer).id, e.payload as Transfer);
    assert.ok(
      [...latest.values()].every((x) => x.state === 'completed' || x.state === 'failed'),
      'no transfer stuck offered or running',
    );
    assert.deepEqual(await entries(downloads), before);
  });

  it('a receiver that signs out with an offer pending: both sides fail, neither waits', async () => {
    const { out, incoming } = await offer(rita, randomBytes(5000), 'to-rita-then-gone.bin');
    const gone = settled(rita, incoming.id, 15_000);
    const told = settled(sam, out.id, 15_000);
    await rita.core.handlers['account.signOut']({ accountId: accountOf(rita) });
    const got = await gone;
    assert.equal(got.state, 'failed');
    assert.equal(got.reason, 'offline');
    const sent = await told;
    assert.equal(sent.state, 'failed');
    assert.ok(sent.reason === 'cancelled' || sent.reason === 'offline', sent.reason);
  });
});

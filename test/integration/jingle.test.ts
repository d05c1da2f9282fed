/**
 * Jingle file transfer (XEP-0166/0234) against a real Prosody with mod_proxy65, Parley to
 * Parley: the SOCKS5 transport (XEP-0260) direct and through the proxy, the replacement by IBB
 * (XEP-0261) when no candidate connects, decline, cancel, the file's hash; and how
 * 'transfer.sendFile' chooses: Jingle for a Parley peer, XEP-0096 for slixmpp (SI but no
 * Jingle), HTTP upload (XEP-0363) for an offline contact.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transfer } from '../../preload/contract.ts';
import type { TransferOptions } from '../../main/core/transfer/transfer-service.ts';
import { startTransferServer } from '../support/server.ts';
import { startCore, tempDir, type TestCore, anyFile } from '../support/core.ts';
import { startSlixmpp, type SlixmppPeer } from '../support/slixmpp.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');
type Server = Awaited<ReturnType<typeof startTransferServer>>;

const ids = new Map<TestCore, string>();
const accountOf = (core: TestCore) => ids.get(core) ?? '';

async function signIn(server: Server, user: string, transfers: Omit<TransferOptions, 'downloadsDir'> = {}) {
  const core = await startCore(undefined, {
    sendablePath: anyFile,
    transfers: { streamhostTimeoutMs: 2000, ...transfers },
  });
  await core.core.handlers['account.signIn']({ jid: `${user}@localhost`, password: 'pw', server: server.server });
  await core.waitForEvent('account.state', (s) => s.status === 'online', 10_000);
  ids.set(core, `${user}@localhost`);
  return core;
}

/** A folder's entries (none when it does not exist yet). */
async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

function settled(core: TestCore, id: string, timeoutMs = 30_000): Promise<Transfer> {
  return core.waitForEvent(
    'transfer.updated',
    (t) => t.id === id && (t.state === 'completed' || t.state === 'failed'),
    timeoutMs,
  );
}

async function online(core: TestCore, bare: string): Promise<void> {
  await core.waitForEvent(
    'roster.updated',
    (e) => e.contacts.some((c) => c.jid === bare && c.show !== 'offline'),
    15_000,
  );
}

describe('transfer: Jingle file transfer (XEP-0234 over XEP-0260 / XEP-0261) against Prosody', () => {
  let server: Server;
  let alice: TestCore; // a direct streamhost on loopback, and the proxy
  let bob: TestCore; // the receiver
  let carol: TestCore; // no direct streamhost: the proxy only
  let dave: TestCore; // a direct candidate nobody can reach, no proxy: replaced by IBB
  let work: string;
  const cleanup: (() => Promise<void>)[] = [];

  before(async () => {
    server = await startTransferServer({
      users: ['alice', 'bob', 'carol', 'dave', 'sli', 'olga'].map((u) => ({ username: u, password: 'pw' })),
      sharedGroup: 'Transfers',
    });
    cleanup.push(() => server.stop());
    work = await tempDir('parley-jingle-files-');
    alice = await signIn(server, 'alice', { directHosts: () => ['127.0.0.1'] });
    cleanup.push(() => alice.shutdown());
    bob = await signIn(server, 'bob', { maxFileBytes: 64 * 1024 * 1024 });
    cleanup.push(() => bob.shutdown());
    carol = await signIn(server, 'carol', { socks5Direct: false });
    cleanup.push(() => carol.shutdown());
    dave = await signIn(server, 'dave', { socks5Proxy: false, directHosts: () => ['192.0.2.1'] });
    cleanup.push(() => dave.shutdown());
    for (const c of [alice, carol, dave]) await online(c, 'bob@localhost');
  });

  after(async () => {
    for (const stop of cleanup.reverse()) await stop();
  });

  const bobDownloads = () => path.join(bob.dataDir, 'downloads');

  async function send(from: TestCore, bytes: Buffer, name: string) {
    const file = path.join(work, name);
    await writeFile(file, bytes);
    const offered = bob.waitForNext(
      'transfer.updated',
      (t) => t.direction === 'in' && t.state === 'offered' && t.name === name,
      15_000,
    );
    const out = await from.core.handlers['transfer.sendFile']({
      accountId: accountOf(from),
      peer: 'bob@localhost',
      path: file,
    });
    assert.equal(out.direction, 'out');
    assert.equal(out.protocol, 'jingle', 'a Parley peer (Jingle file transfer in its caps) gets Jingle');
    assert.equal(out.choice, 'peer-jingle');
    return { out, incoming: await offered };
  }

  async function receiveAll(from: TestCore, bytes: Buffer, name: string) {
    const { out, incoming } = await send(from, bytes, name);
    assert.equal(incoming.size, bytes.length);
    assert.equal(incoming.sha256, sha256(bytes), 'the offer carries the XEP-0300 sha-256');
    await bob.core.handlers['transfer.accept']({ accountId: 'bob@localhost', id: incoming.id });
    const [sent, got] = await Promise.all([settled(from, out.id), settled(bob, incoming.id)]);
    assert.equal(sent.state, 'completed', sent.error);
    assert.equal(got.state, 'completed', got.error);
    assert.ok(got.path);
    assert.deepEqual(await readFile(got.path), bytes);
    assert.equal(path.dirname(got.path), bobDownloads());
    return { sent, got };
  }

  it('sends Parley to Parley over a direct SOCKS5 candidate', async () => {
    const { sent, got } = await receiveAll(alice, randomBytes(3 * 1024 * 1024 + 17), 'jingle-direct.bin');
    assert.equal(sent.method, 'socks5-direct');
    assert.equal(got.method, 'socks5-direct');
    assert.equal(path.basename(got.path ?? ''), 'jingle-direct.bin');
  });

  it('sends through the server’s proxy candidate, activated by the sender', async () => {
    const { sent, got } = await receiveAll(carol, randomBytes(2 * 1024 * 1024 + 5), 'jingle-proxy.bin');
    assert.equal(sent.method, 'socks5-proxy');
    assert.equal(got.method, 'socks5-proxy');
  });

  it('replaces the SOCKS5 transport with IBB when no candidate connects', async () => {
    const { sent, got } = await receiveAll(dave, randomBytes(100 * 1024 + 3), 'jingle-ibb.bin');
    assert.equal(sent.method, 'ibb');
    assert.equal(got.method, 'ibb');
  });

  it('checks the hash: the saved file is the offered one', async () => {
    const bytes = randomBytes(64 * 1024);
    const { got } = await receiveAll(alice, bytes, 'jingle-hash.bin');
    assert.equal(got.sha256, sha256(bytes));
    assert.equal(sha256(await readFile(got.path ?? '')), got.sha256);
    // Every receiver's session-terminate <success/> so far (answered before this session's
    // stanzas, which came later on the same path) reached a session the sender still knew.
    assert.ok(!bob.logs.some((l) => l.includes('session-terminate') && l.includes('unanswered')), bob.logs.join('\n'));
  });

  it('declines: session-terminate <decline/>, the sender is told, nothing is written', async () => {
    const before = await entries(bobDownloads());
    const { out, incoming } = await send(alice, randomBytes(1000), 'jingle-declined.bin');
    await bob.core.handlers['transfer.decline']({ accountId: 'bob@localhost', id: incoming.id });
    const sent = await settled(alice, out.id);
    assert.equal(sent.state, 'failed');
    assert.equal(sent.reason, 'declined');
    assert.equal((await settled(bob, incoming.id)).reason, 'declined');
    assert.deepEqual(await entries(bobDownloads()), before);
  });

  for (const side of ['receiver', 'sender'] as const)
    it(`cancels from the ${side}'s side: session-terminate <cancel/>, no partial file`, async () => {
      const before = await entries(bobDownloads());
      const { out, incoming } = await send(dave, randomBytes(8 * 1024 * 1024), `jingle-cancel-${side}.bin`);
      const running = bob.waitForNext(
        'transfer.updated',
        (t) => t.id === incoming.id && t.state === 'transferring' && t.bytes > 0,
        30_000,
      );
      await bob.core.handlers['transfer.accept']({ accountId: 'bob@localhost', id: incoming.id });
      await running;
      if (side === 'receiver')
        await bob.core.handlers['transfer.cancel']({ accountId: 'bob@localhost', id: incoming.id });
      else await dave.core.handlers['transfer.cancel']({ accountId: accountOf(dave), id: out.id });
      const [sent, got] = await Promise.all([settled(dave, out.id), settled(bob, incoming.id)]);
      assert.equal(sent.state, 'failed');
      assert.equal(sent.reason, 'cancelled');
      assert.equal(got.state, 'failed');
      assert.equal(got.reason, 'cancelled');
      assert.ok(got.bytes < got.size);
      assert.deepEqual(await entries(bobDownloads()), before, 'no partial file');
    });

  describe('choosing the method', () => {
    it('an offline contact gets HTTP upload, and the transfer says why', async () => {
      const bytes = randomBytes(5000);
      const file = path.join(work, 'for-olga.bin');
      await writeFile(file, bytes);
      const out = await alice.core.handlers['transfer.sendFile']({
        accountId: accountOf(alice),
        peer: 'olga@localhost',
        path: file,
      });
      assert.equal(out.protocol, 'http-upload');
      assert.equal(out.choice, 'peer-offline');
      assert.equal(out.method, 'http-upload');
      const up = await settled(alice, out.id);
      assert.equal(up.state, 'completed', up.error);
      assert.ok(up.url, 'the link to send');
      const down = await bob.core.handlers['transfer.download']({ accountId: 'bob@localhost', url: up.url });
      const got = await settled(bob, down.id);
      assert.equal(got.state, 'completed', got.error);
      assert.deepEqual(await readFile(got.path ?? ''), bytes);
    });

    describe('with slixmpp (XEP-0096, no Jingle file transfer)', () => {
      let peer: SlixmppPeer;

      before(async () => {
        peer = startSlixmpp(server, 'sli@localhost', 'pw', undefined, { echo: false });
        await peer.waitForLine((l) => l === 'READY');
        await online(alice, 'sli@localhost');
        peer.send('ACCEPT s5b');
        await peer.waitForLine((l) => l === 'ACCEPTING s5b');
      });

      after(() => {
        peer.stop();
      });

      it('an SI-only peer gets XEP-0096, and receives the file', async () => {
        const bytes = randomBytes(256 * 1024 + 1);
        const file = path.join(work, 'to-sli-choice.bin');
        await writeFile(file, bytes);
        const out = await alice.core.handlers['transfer.sendFile']({
          accountId: accountOf(alice),
          peer: 'sli@localhost',
          path: file,
        });
        assert.equal(out.protocol, 'si');
        assert.equal(out.choice, 'peer-si');
        const sent = await settled(alice, out.id);
        assert.equal(sent.state, 'completed', sent.error);
        assert.equal(sent.method, 'socks5-direct');
        const line = await peer.waitForLine((l) => l.startsWith('FILERECV to-sli-choice.bin '), 30_000);
        assert.equal(line, `FILERECV to-sli-choice.bin ${String(bytes.length)} ${sha256(bytes)} ok`);
      });
    });
  });
});

/**
 * Jingle file transfer (XEP-0166/0234) against a real Prosody with mod_proxy65, Parley to
 * Parley: the SOCKS5 transport (XEP-0260) direct and through the proxy, the replacement by IBB
 * (XEP-0261) when no candidate connects, decline, cancel, the file's hash; and how
 * 'transfer.sendFile' chooses: Jingle for a Parley peer, XEP-0096 for slixmpp (SI but no
 * Jingle), HTTP upload (XEP-0363) for an offline contact.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestCore } from '../support/core.ts';
import { startSlixmpp, type SlixmppPeer } from '../support/slixmpp.ts';
import {
  acceptAndReceive,
  accountOf,
  cancelInFlight,
  entries,
  fileOf,
  nextOffer,
  online,
  settled,
  sha256,
  startTransferCast,
  type TransferServer,
} from '../support/transfer.ts';

describe('transfer: Jingle file transfer (XEP-0234 over XEP-0260 / XEP-0261) against Prosody', () => {
  let server: TransferServer;
  let alice: TestCore; // a direct streamhost on loopback, and the proxy
  let bob: TestCore; // the receiver
  let carol: TestCore; // no direct streamhost: the proxy only
  let dave: TestCore; // a direct candidate nobody can reach, no proxy: replaced by IBB
  let work: string;
  const cleanup: (() => Promise<void>)[] = [];

  before(async () => {
    ({ server, alice, bob, carol, dave, work } = await startTransferCast(cleanup, {
      users: ['alice', 'bob', 'carol', 'dave', 'sli', 'olga'],
      workPrefix: 'parley-jingle-files-',
    }));
  });

  after(async () => {
    for (const stop of cleanup.reverse()) await stop();
  });

  const bobDownloads = () => path.join(bob.dataDir, 'downloads');

  async function send(from: TestCore, bytes: Buffer, name: string) {
    const file = await fileOf(work, bytes, name);
    const offered = nextOffer(bob, name);
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
    const { sent, got } = await acceptAndReceive(from, out, bob, incoming, bytes);
    assert.equal(path.dirname(got.path ?? ''), bobDownloads());
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
      const { got } = await cancelInFlight(side, dave, out, bob, incoming, true);
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

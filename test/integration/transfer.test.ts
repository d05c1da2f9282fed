/**
 * File transfer against a real Prosody with mod_proxy65: XEP-0096 stream initiation over
 * XEP-0065 SOCKS5 (direct and through the proxy) and XEP-0047 IBB, Parley to Parley and with
 * slixmpp (an independent implementation) both ways.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UPLOAD_LIMIT } from '../support/server.ts';
import { tempDir, type TestCore } from '../support/core.ts';
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

describe('transfer (XEP-0096 over XEP-0065 / XEP-0047) against Prosody', () => {
  let server: TransferServer;
  let alice: TestCore; // everything on
  let bob: TestCore; // the receiver
  let carol: TestCore; // no direct streamhost: the proxy only
  let dave: TestCore; // a direct streamhost nobody can reach, no proxy: falls back to IBB
  let work: string;
  const cleanup: (() => Promise<void>)[] = [];

  before(async () => {
    // XEP-0096 here (Parley to Parley would choose Jingle: test/integration/jingle.test.ts).
    ({ server, alice, bob, carol, dave, work } = await startTransferCast(cleanup, {
      users: ['alice', 'bob', 'carol', 'dave', 'sli'],
      workPrefix: 'parley-transfer-files-',
      transfers: { jingle: false },
    }));
  });

  after(async () => {
    // Whatever `before` got to start (it may have failed half-way).
    for (const stop of cleanup.reverse()) await stop();
  });

  const bobDownloads = () => path.join(bob.dataDir, 'downloads');

  async function send(from: TestCore, bytes: Buffer, name = 'data.bin') {
    const file = await fileOf(work, bytes, name);
    const offered = nextOffer(bob);
    const out = await from.core.handlers['transfer.sendFile']({
      accountId: accountOf(from),
      peer: 'bob@localhost',
      path: file,
    });
    assert.equal(out.direction, 'out');
    const incoming = await offered;
    return { out, incoming, file };
  }

  async function receiveAll(from: TestCore, bytes: Buffer, name?: string) {
    const { out, incoming } = await send(from, bytes, name);
    return acceptAndReceive(from, out, bob, incoming, bytes);
  }

  it('sends Parley to Parley over a direct SOCKS5 connection', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const { sent, got } = await receiveAll(alice, bytes, 'direct.bin');
    assert.equal(sent.method, 'socks5-direct');
    assert.equal(got.method, 'socks5-direct');
    assert.equal(path.basename(got.path ?? ''), 'direct.bin');
  });

  it('sends through the server’s SOCKS5 proxy when there is no direct streamhost', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 5);
    const { sent, got } = await receiveAll(carol, bytes, 'proxied.bin');
    assert.equal(sent.method, 'socks5-proxy');
    assert.equal(got.method, 'socks5-proxy');
  });

  it('falls back to in-band bytestreams when no streamhost connects', async () => {
    const bytes = randomBytes(100 * 1024 + 3);
    const { sent, got } = await receiveAll(dave, bytes, 'fallback.bin');
    assert.equal(sent.method, 'ibb');
    assert.equal(got.method, 'ibb');
  });

  it('never overwrites: a second file with the same name is numbered', async () => {
    const bytes = randomBytes(1000);
    const { got } = await receiveAll(alice, bytes, 'direct.bin');
    assert.equal(path.basename(got.path ?? ''), 'direct (1).bin');
  });

  it('saves a hostile name sanitised', async () => {
    const { got } = await receiveAll(alice, randomBytes(10), '..\u202Egpj.exe');
    assert.equal(path.basename(got.path ?? ''), 'gpj.exe');
    assert.equal(path.dirname(got.path ?? ''), bobDownloads());
  });

  it('declines: the sender is told, nothing is written', async () => {
    const before = await entries(bobDownloads());
    const { out, incoming } = await send(alice, randomBytes(1000), 'declined.bin');
    await bob.core.handlers['transfer.decline']({ accountId: 'bob@localhost', id: incoming.id });
    const sent = await settled(alice, out.id);
    assert.equal(sent.state, 'failed');
    assert.equal(sent.reason, 'declined');
    assert.equal((await settled(bob, incoming.id)).reason, 'declined');
    assert.deepEqual(await entries(bobDownloads()), before);
  });

  it('refuses an offer larger than allowed without asking', async () => {
    const file = path.join(work, 'huge.bin');
    await writeFile(file, '');
    const { truncate } = await import('node:fs/promises');
    await truncate(file, 65 * 1024 * 1024); // sparse: above bob's 64 MiB limit
    const refused = bob.waitForNext('transfer.updated', (t) => t.name === 'huge.bin' && t.state === 'failed', 30_000);
    const out = await alice.core.handlers['transfer.sendFile']({
      accountId: accountOf(alice),
      peer: 'bob@localhost',
      path: file,
    });
    assert.equal((await refused).reason, 'size-limit');
    const sent = await settled(alice, out.id);
    assert.equal(sent.reason, 'size-limit');
    assert.ok(!(await entries(bobDownloads())).includes('huge.bin'));
  });

  for (const side of ['receiver', 'sender'] as const)
    it(`cancels from the ${side}'s side: both ends stop, no partial file is left`, async () => {
      const before = await entries(bobDownloads());
      const bytes = randomBytes(8 * 1024 * 1024);
      const { out, incoming } = await send(dave, bytes, `cancel-${side}.bin`); // IBB: slow enough to catch in flight
      await cancelInFlight(side, dave, out, bob, incoming, true);
      assert.deepEqual(await entries(bobDownloads()), before, 'no partial file');
    });

  for (const side of ['receiver', 'sender'] as const)
    it(`cancels a SOCKS5 transfer once its stream is up, from the ${side}'s side, leaving no partial file`, async () => {
      const before = await entries(bobDownloads());
      const file = path.join(work, `s5b-cancel-${side}.bin`);
      await writeFile(file, '');
      const { truncate } = await import('node:fs/promises');
      await truncate(file, 48 * 1024 * 1024);
      const offered = nextOffer(bob, `s5b-cancel-${side}.bin`);
      const out = await alice.core.handlers['transfer.sendFile']({
        accountId: accountOf(alice),
        peer: 'bob@localhost',
        path: file,
      });
      const incoming = await offered;
      // Both cores share this process: the cancel runs right after the receiver's 'transferring'.
      const { got } = await cancelInFlight(side, alice, out, bob, incoming, false);
      assert.ok(got.bytes < got.size);
      assert.deepEqual(await entries(bobDownloads()), before, 'no partial file');
    });

  it('lists transfers through the contract', async () => {
    const { transfers } = await bob.core.handlers['transfers.list']({ accountId: 'bob@localhost' });
    assert.ok(transfers.some((t) => t.method === 'socks5-proxy' && t.state === 'completed'));
    await assert.rejects(
      bob.core.handlers['transfer.accept']({ accountId: 'bob@localhost', id: 'f'.repeat(24) }),
      /no such transfer/u,
    );
  });

  describe('HTTP upload (XEP-0363)', () => {
    it('uploads a file and the link downloads on the other side, saved safely', async () => {
      const bytes = randomBytes(1024 * 1024 + 3);
      const file = await fileOf(work, bytes, 'shared photo.jpg');
      const started = await alice.core.handlers['transfer.upload']({ accountId: accountOf(alice), path: file });
      assert.equal(started.method, 'http-upload');
      const up = await settled(alice, started.id);
      assert.equal(up.state, 'completed', up.error);
      assert.ok(up.url?.startsWith('http://127.0.0.1:'), up.url);
      const down = await bob.core.handlers['transfer.download']({ accountId: 'bob@localhost', url: up.url ?? '' });
      const got = await settled(bob, down.id);
      assert.equal(got.state, 'completed', got.error);
      assert.equal(path.basename(got.path ?? ''), 'shared photo.jpg');
      assert.deepEqual(await readFile(got.path ?? ''), bytes);
    });

    it('refuses a file above the service’s limit, and links that are not https', async () => {
      const file = path.join(work, 'too-big.bin');
      await writeFile(file, '');
      const { truncate } = await import('node:fs/promises');
      await truncate(file, UPLOAD_LIMIT + 1);
      await assert.rejects(
        alice.core.handlers['transfer.upload']({ accountId: accountOf(alice), path: file }),
        /larger than the server accepts/u,
      );
      await assert.rejects(
        bob.core.handlers['transfer.download']({ accountId: 'bob@localhost', url: 'http://example.org/x.bin' }),
        /Only https links/u,
      );
    });
  });

  describe('with slixmpp (independent implementation)', () => {
    let peer: SlixmppPeer;
    let sliDir: string;
    const peerCleanup: (() => void)[] = [];

    before(async () => {
      sliDir = await tempDir('parley-sli-files-');
      peer = startSlixmpp(server, 'sli@localhost', 'pw', undefined, { echo: false });
      peerCleanup.push(() => {
        peer.stop();
      });
      await peer.waitForLine((l) => l === 'READY');
      await online(alice, 'sli@localhost');
    });

    after(() => {
      for (const stop of peerCleanup) stop();
    });

    for (const method of ['s5b', 'ibb'] as const)
      it(`receives a file slixmpp sends over ${method === 's5b' ? 'SOCKS5 through the proxy' : 'IBB'}`, async () => {
        const bytes = randomBytes(method === 's5b' ? 1024 * 1024 + 1 : 64 * 1024 + 1);
        const file = await fileOf(sliDir, bytes, `from-sli-${method}.bin`);
        const offered = alice.waitForNext(
          'transfer.updated',
          (t) => t.direction === 'in' && t.state === 'offered',
          15_000,
        );
        peer.send(`SENDFILE alice@localhost ${method} ${file}`);
        const incoming = await offered;
        assert.equal(incoming.name, `from-sli-${method}.bin`);
        await alice.core.handlers['transfer.accept']({ accountId: accountOf(alice), id: incoming.id });
        const got = await settled(alice, incoming.id);
        assert.equal(got.state, 'completed', got.error);
        assert.equal(got.method, method === 's5b' ? 'socks5-proxy' : 'ibb');
        assert.deepEqual(await readFile(got.path ?? ''), bytes);
        await peer.waitForLine((l) => l.startsWith(`FILESENT from-sli-${method}.bin`));
      });

    for (const method of ['s5b', 'ibb'] as const)
      it(`sends slixmpp a file over ${method === 's5b' ? 'SOCKS5' : 'IBB'}, which it checks by sha-256`, async () => {
        const bytes = randomBytes(method === 's5b' ? 2 * 1024 * 1024 + 9 : 48 * 1024 + 9);
        const name = `to-sli-${method}.bin`;
        const file = await fileOf(work, bytes, name);
        peer.send(`ACCEPT ${method}`);
        await peer.waitForLine((l) => l === `ACCEPTING ${method}`);
        const out = await alice.core.handlers['transfer.sendFile']({
          accountId: accountOf(alice),
          peer: 'sli@localhost',
          path: file,
        });
        const sent = await settled(alice, out.id);
        assert.equal(sent.state, 'completed', sent.error);
        assert.equal(sent.method, method === 's5b' ? 'socks5-direct' : 'ibb');
        const line = await peer.waitForLine((l) => l.startsWith(`FILERECV ${name} `), 30_000);
        assert.equal(line, `FILERECV ${name} ${String(bytes.length)} ${sha256(bytes)} ok`);
      });

    for (const [lie, option, reason] of [
      ['more data than announced', 'size=1000', 'error'],
      ['a wrong sha-256', `sha256=${Buffer.alloc(32, 1).toString('base64')}`, 'hash-mismatch'],
    ] as const)
      it(`refuses ${lie} from slixmpp and keeps no partial file`, async () => {
        const aliceDownloads = path.join(alice.dataDir, 'downloads');
        const before = await entries(aliceDownloads);
        const file = await fileOf(sliDir, randomBytes(256 * 1024), `lie-${reason}.bin`);
        const offered = alice.waitForNext(
          'transfer.updated',
          (t) => t.direction === 'in' && t.state === 'offered',
          15_000,
        );
        peer.send(`SENDFILE alice@localhost s5b ${file} ${option}`);
        const incoming = await offered;
        await alice.core.handlers['transfer.accept']({ accountId: accountOf(alice), id: incoming.id });
        const got = await settled(alice, incoming.id);
        assert.equal(got.state, 'failed');
        assert.equal(got.reason, reason, got.error);
        assert.deepEqual(await entries(aliceDownloads), before, 'no partial file');
      });

    it('saves a hostile name from slixmpp sanitised, inside the downloads folder', async () => {
      const bytes = randomBytes(4096);
      const file = await fileOf(sliDir, bytes, 'innocent.bin');
      const offered = alice.waitForNext(
        'transfer.updated',
        (t) => t.direction === 'in' && t.state === 'offered',
        15_000,
      );
      peer.send(`SENDFILE alice@localhost ibb ${file} name=../../../../tmp/.evil\u202Egpj.sh`);
      const incoming = await offered;
      assert.equal(incoming.name, 'evilgpj.sh');
      await alice.core.handlers['transfer.accept']({ accountId: accountOf(alice), id: incoming.id });
      const got = await settled(alice, incoming.id);
      assert.equal(got.state, 'completed', got.error);
      assert.equal(got.path, path.join(alice.dataDir, 'downloads', 'evilgpj.sh'));
      assert.deepEqual(await readFile(got.path), bytes);
    });

    it('refuses streamhosts for a stream it never accepted (mismatched SID)', async () => {
      peer.send('STREAMHOSTS alice@localhost not-a-stream-of-ours');
      assert.equal(await peer.waitForLine((l) => l.startsWith('S5BERROR ')), 'S5BERROR not-acceptable');
    });

    it('refuses an absurdly large offer from slixmpp', async () => {
      const refused = alice.waitForNext(
        'transfer.updated',
        (t) => t.state === 'failed' && t.reason === 'size-limit',
        15_000,
      );
      peer.send('HUGEOFFER alice@localhost 99999999999999999999');
      await refused;
      await peer.waitForLine((l) => l.startsWith('OFFERERROR not-acceptable'));
    });
  });
});

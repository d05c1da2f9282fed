/**
 * Transfer history (issue 6) against a real Prosody: finished transfers survive a restart of
 * the core (listed with their reason, method, media type and saved path; "Open" / "Show in
 * folder" still find the file), a transfer running when the core stops comes back as
 * interrupted with no partial file left, and "Clear finished" deletes them for good.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transfer } from '../../preload/contract.ts';
import { anyFile, startCore, tempDir, type TestCore } from '../support/core.ts';
import { startTransferServer } from '../support/server.ts';
import { entries, fileOf, nextOffer, online, settled, type TransferServer } from '../support/transfer.ts';

describe('transfer history (issue 6): finished transfers survive a restart', () => {
  let server: TransferServer;
  let alice: TestCore;
  let bob: TestCore;
  let work: string;
  const shown: string[] = [];
  const opened: string[] = [];
  const cleanup: (() => Promise<void>)[] = [];

  const signIn = async (user: string, core: TestCore) => {
    await core.core.handlers['account.signIn']({ jid: `${user}@localhost`, password: 'pw', server: server.server });
    await core.waitForEvent('account.state', (s) => s.status === 'online', 10_000);
  };

  before(async () => {
    server = await startTransferServer({
      users: ['alice', 'bob'].map((u) => ({ username: u, password: 'pw' })),
      sharedGroup: 'Transfers',
    });
    cleanup.push(() => server.stop());
    work = await tempDir('parley-history-files-');
    // In-band only: slow enough to stop bob while a file is on its way.
    alice = await startCore(undefined, {
      sendablePath: anyFile,
      transfers: { socks5Direct: false, socks5Proxy: false },
    });
    cleanup.push(() => alice.shutdown());
    bob = await startCore(undefined, {
      transfers: { socks5Direct: false, socks5Proxy: false },
      openFile: (file) => {
        opened.push(file);
        return Promise.resolve();
      },
      showItemInFolder: (file) => {
        shown.push(file);
      },
    });
    cleanup.push(() => bob.shutdown());
    await signIn('alice', alice);
    await signIn('bob', bob);
    await online(alice, 'bob@localhost');
  });

  after(async () => {
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
  });

  const send = async (name: string, bytes: Buffer): Promise<{ out: Transfer; incoming: Transfer }> => {
    const file = await fileOf(work, bytes, name);
    const offered = nextOffer(bob, name);
    const out = await alice.core.handlers['transfer.sendFile']({
      accountId: 'alice@localhost',
      peer: 'bob@localhost',
      path: file,
    });
    return { out, incoming: await offered };
  };

  const listed = async (core: TestCore): Promise<Transfer[]> =>
    (await core.core.handlers['transfers.list']({ accountId: 'bob@localhost' })).transfers;

  it('lists the completed, declined and interrupted transfers again after a restart', async () => {
    const report = randomBytes(40_000);
    const done = await send('report.pdf', report);
    assert.equal(done.incoming.mimeType, 'application/pdf', 'the offer names its media type');
    await bob.core.handlers['transfer.accept']({ accountId: 'bob@localhost', id: done.incoming.id });
    const got = await settled(bob, done.incoming.id);
    assert.equal(got.state, 'completed', got.error);
    assert.ok(got.path);

    const no = await send('no thanks.txt', Buffer.from('no'));
    await bob.core.handlers['transfer.decline']({ accountId: 'bob@localhost', id: no.incoming.id });
    assert.equal((await settled(bob, no.incoming.id)).reason, 'declined');

    // A large file, stopped on its way by a restart of bob's core.
    const big = await send('big.bin', randomBytes(12 * 1024 * 1024));
    const running = bob.waitForNext(
      'transfer.updated',
      (t) => t.id === big.incoming.id && t.state === 'transferring' && t.bytes > 0,
      30_000,
    );
    await bob.core.handlers['transfer.accept']({ accountId: 'bob@localhost', id: big.incoming.id });
    await running;
    const downloads = path.join(bob.dataDir, 'downloads');
    assert.ok(
      (await entries(downloads)).some((f) => f.endsWith('.part')),
      'a partial file while it runs',
    );

    bob = await bob.restart();
    const after = await listed(bob);
    const byId = new Map(after.map((t) => [t.id, t]));
    const report2 = byId.get(done.incoming.id);
    assert.equal(report2?.state, 'completed');
    assert.equal(report2.path, got.path);
    assert.equal(report2.name, 'report.pdf');
    assert.equal(report2.mimeType, 'application/pdf');
    assert.equal(report2.method, got.method);
    assert.equal(report2.protocol, got.protocol);
    assert.equal(report2.sha256, got.sha256);
    assert.equal(report2.peer, got.peer);
    assert.equal(report2.size, report.length);
    assert.equal(byId.get(no.incoming.id)?.reason, 'declined');
    const interrupted = byId.get(big.incoming.id);
    assert.equal(interrupted?.state, 'failed');
    assert.equal(interrupted.reason, 'interrupted');
    assert.deepEqual(
      (await entries(downloads)).filter((f) => f.endsWith('.part')),
      [],
      'no partial file survives',
    );
    assert.deepEqual(await readFile(report2.path ?? ''), report);

    // The file bubble's buttons still find the file.
    await bob.core.handlers['transfer.open']({ accountId: 'bob@localhost', id: done.incoming.id, reveal: true });
    assert.deepEqual(shown, [got.path]);
    // (a .pdf is not a program: it opens)
    await bob.core.handlers['transfer.open']({ accountId: 'bob@localhost', id: done.incoming.id, reveal: false });
    assert.deepEqual(opened, [got.path]);
  });

  it('"Clear finished" deletes them, also after the next restart; the saved file stays', async () => {
    const before = await listed(bob);
    const saved = before.find((t) => t.state === 'completed')?.path;
    assert.ok(saved);
    const { removed } = await bob.core.handlers['transfer.clearFinished']({});
    assert.deepEqual(new Set(removed), new Set(before.map((t) => t.id)));
    assert.deepEqual(await listed(bob), []);
    bob = await bob.restart();
    assert.deepEqual(await listed(bob), []);
    assert.ok((await readFile(saved)).length > 0);
  });
});

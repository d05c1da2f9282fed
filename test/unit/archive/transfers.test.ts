/** Transfer history (issue 6): migration 0016 and archive/repos/transfers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transfer } from '../../../preload/contract.ts';
import { migrate, migrations } from '../../../main/core/archive/migrations/index.ts';
import { openArchive } from '../../../main/core/archive/open.ts';
import { MAX_TRANSFER_HISTORY, createTransferRepo } from '../../../main/core/archive/repos/transfers.ts';
import Database from 'better-sqlite3';

const ACCOUNT = 'juliet@capulet.lit';

function transfer(n: number, patch: Partial<Transfer> = {}): Transfer {
  return {
    id: n.toString(16).padStart(24, '0'),
    accountId: ACCOUNT,
    peer: 'romeo@montague.lit/orchard',
    direction: 'in',
    name: `file ${String(n)}.txt`,
    size: 100,
    bytes: 100,
    speed: 0,
    state: 'completed',
    startedAt: 1000 + n,
    updatedAt: 2000 + n,
    ...patch,
  };
}

describe('archive/migrations 0016 (transfer history)', () => {
  it('adds the transfers table; rows written before it survive', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version < 16),
    );
    db.prepare(
      "INSERT INTO messages (account, peer, direction, sender_key, body, timestamp, received_at, state) VALUES ('a@b', 'c@d', 'in', 'k', 'hi', 1, 1, 'received')",
    ).run();
    migrate(db);
    assert.ok((db.pragma('user_version', { simple: true }) as number) >= 16);
    const columns = (db.prepare('PRAGMA table_info(transfers)').all() as { name: string }[]).map((c) => c.name);
    for (const c of ['account', 'id', 'direction', 'peer', 'state', 'reason', 'method', 'protocol', 'choice', 'path'])
      assert.ok(columns.includes(c), c);
    for (const c of ['sha256', 'url', 'temp_path', 'mime_type', 'started_at', 'updated_at'])
      assert.ok(columns.includes(c), c);
    assert.equal((db.prepare('SELECT body FROM messages').get() as { body: string }).body, 'hi');
    assert.throws(
      () =>
        db
          .prepare(
            "INSERT INTO transfers (account, id, direction, peer, name, size, bytes, state, started_at, updated_at) VALUES ('a', 'b', 'sideways', 'p', 'n', 0, 0, 'failed', 0, 0)",
          )
          .run(),
      /CHECK/u,
    );
  });
});

describe('archive/repos/transfers', () => {
  it('keeps every field of a finished transfer', () => {
    const repo = createTransferRepo(openArchive(':memory:'));
    const sent = transfer(1, {
      direction: 'out',
      state: 'failed',
      reason: 'declined',
      error: 'The recipient declined the file.',
      method: 'socks5-proxy',
      protocol: 'si',
      choice: 'peer-si',
      mimeType: 'image/png',
      description: 'holiday',
      sha256: 'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
      path: '/tmp/staging/x/a.png',
      bytes: 40,
    });
    const upload = transfer(2, { direction: 'out', method: 'http-upload', url: 'https://up.example/a.png' });
    repo.save(sent);
    repo.save(upload);
    assert.deepEqual(repo.recent(ACCOUNT), [sent, upload]);
    assert.deepEqual(repo.recent('other@example.org'), []);
  });

  it('updates a transfer in place, and forgets the partial file once it is finished', () => {
    const db = openArchive(':memory:');
    const repo = createTransferRepo(db);
    const t = transfer(3, { state: 'transferring', bytes: 10 });
    repo.save(t, '/dl/.parley-0123456789abcdef.part');
    const row = () =>
      db.prepare('SELECT state, temp_path FROM transfers').all() as { state: string; temp_path: string | null }[];
    assert.deepEqual(row(), [{ state: 'transferring', temp_path: '/dl/.parley-0123456789abcdef.part' }]);
    repo.save({ ...t, state: 'completed', path: '/dl/file 3.txt' }, '/dl/.parley-0123456789abcdef.part');
    assert.deepEqual(row(), [{ state: 'completed', temp_path: null }]);
    assert.equal(repo.recent(ACCOUNT)[0]?.path, '/dl/file 3.txt');
  });

  it('marks transfers left active as interrupted and hands back their partial files', () => {
    const repo = createTransferRepo(openArchive(':memory:'));
    repo.save(transfer(4, { state: 'transferring' }), '/dl/.parley-aaaaaaaaaaaaaaaa.part');
    repo.save(transfer(5, { state: 'offered', bytes: 0 }));
    repo.save(transfer(6));
    assert.deepEqual(repo.interrupt(ACCOUNT, 'Parley was closed.', 9999), ['/dl/.parley-aaaaaaaaaaaaaaaa.part']);
    const after = repo.recent(ACCOUNT);
    assert.deepEqual(
      after.map((t) => [t.id.slice(-1), t.state, t.reason, t.error]),
      [
        ['4', 'failed', 'interrupted', 'Parley was closed.'],
        ['5', 'failed', 'interrupted', 'Parley was closed.'],
        ['6', 'completed', undefined, undefined],
      ],
    );
    assert.equal(after[0]?.updatedAt, 9999);
    assert.deepEqual(repo.interrupt(ACCOUNT, 'again', 1), [], 'nothing is active any more');
  });

  it('keeps the newest finished transfers per account, and clears them on request', () => {
    const repo = createTransferRepo(openArchive(':memory:'));
    for (let n = 1; n <= MAX_TRANSFER_HISTORY + 3; n++) repo.save(transfer(n));
    repo.save(transfer(9000, { state: 'waiting', startedAt: 1 }));
    repo.save(transfer(9001, { accountId: 'romeo@montague.lit' }));
    const kept = repo.recent(ACCOUNT, MAX_TRANSFER_HISTORY + 10);
    assert.equal(kept.length, MAX_TRANSFER_HISTORY + 1, 'the oldest finished ones went; the active one stays');
    assert.equal(kept[0]?.state, 'waiting');
    assert.equal(kept[1]?.name, 'file 4.txt');
    assert.equal(repo.recent(ACCOUNT, 2).at(-1)?.name, `file ${String(MAX_TRANSFER_HISTORY + 3)}.txt`);
    const removed = repo.clearFinished(ACCOUNT);
    assert.equal(removed.length, MAX_TRANSFER_HISTORY);
    assert.deepEqual(
      repo.recent(ACCOUNT).map((t) => t.state),
      ['waiting'],
    );
    assert.equal(repo.recent('romeo@montague.lit').length, 1, 'another account keeps its history');
    repo.removeAccount('romeo@montague.lit');
    assert.deepEqual(repo.recent('romeo@montague.lit'), []);
  });

  it('skips a row that does not make a valid transfer', () => {
    const db = openArchive(':memory:');
    const repo = createTransferRepo(db);
    repo.save(transfer(7));
    db.prepare("UPDATE transfers SET state = 'teleported'").run();
    repo.save(transfer(8, { reason: 'cancelled', state: 'failed' }));
    db.prepare("UPDATE transfers SET reason = 'from-the-future' WHERE id LIKE '%8'").run();
    const listed = repo.recent(ACCOUNT);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.state, 'failed');
    assert.equal(listed[0].reason, undefined, 'an unknown reason is dropped, the row kept');
  });
});

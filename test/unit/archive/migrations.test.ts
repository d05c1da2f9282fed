import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, migrations } from '../../../main/core/archive/migrations/index.ts';
import { migration0001 } from '../../../main/core/archive/migrations/0001-initial.ts';
import { migration0002 } from '../../../main/core/archive/migrations/0002-delivery-states.ts';
import { migration0007 } from '../../../main/core/archive/migrations/0007-correction-identity.ts';
import { migration0008 } from '../../../main/core/archive/migrations/0008-roster-profile.ts';
import { createContactRepo } from '../../../main/core/archive/repos/contacts.ts';
import { createMessageRepo } from '../../../main/core/archive/repos/messages.ts';
import { identityHash, stanzaHash } from '../../../main/core/archive/identity-hash.ts';
import { createSearchRepo } from '../../../main/core/archive/repos/search.ts';
import { createOwnStatusRepo } from '../../../main/core/archive/repos/own-status.ts';
import { createSubscriptionRequestRepo } from '../../../main/core/archive/repos/subscription-requests.ts';
import { ArchiveBusyError, openArchive } from '../../../main/core/archive/open.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('archive/migrations', () => {
  it('0001 creates STRICT tables and the identity indexes', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001]);
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    const tables = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all();
    assert.deepEqual(tables.map((t) => t.name).sort(), ['contacts', 'conversations', 'messages']);
    assert.ok(
      tables.every((t) => t.strict === 1),
      'every table is STRICT',
    );
    const unique = db
      .prepare<[], { name: string; unique: number }>('SELECT name, "unique" FROM pragma_index_list(\'messages\')')
      .all();
    assert.ok(unique.some((i) => i.name === 'messages_identity' && i.unique === 1));
    assert.ok(unique.some((i) => i.name === 'messages_stanza_id' && i.unique === 1));
    // STRICT: a wrong type is refused, not coerced.
    assert.throws(() =>
      db.prepare("INSERT INTO conversations (account, peer, opened_at) VALUES ('a', 'b', 'not a number')").run(),
    );
  });

  it('0002 rebuilds messages for delivery states, keeping the data (pending becomes queued)', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001]);
    db.prepare(
      `INSERT INTO messages (account, peer, direction, sender_key, body, timestamp, received_at, state)
       VALUES ('a@x', 'b@x', 'out', 'k1', 'hello', 1, 1, 'pending'), ('a@x', 'b@x', 'in', 'k2', 'hi', 2, 2, 'received')`,
    ).run();
    migrate(db, [migration0001, migration0002]);
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    const rows = db
      .prepare<[], { body: string; state: string; error: null }>('SELECT body, state, error FROM messages ORDER BY id')
      .all();
    assert.deepEqual(rows, [
      { body: 'hello', state: 'queued', error: null },
      { body: 'hi', state: 'received', error: null },
    ]);
    assert.throws(() => db.prepare("UPDATE messages SET state = 'pending'").run(), /CHECK/u);
    const indexes = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_index_list('messages')")
      .all()
      .map((i) => i.name);
    for (const name of ['messages_identity', 'messages_stanza_id', 'messages_conversation', 'messages_outbox'])
      assert.ok(indexes.includes(name), name);
  });

  it('0007 names the correction that replaced each earlier body, keeping the history written before', () => {
    const db = new Database(':memory:');
    const upTo6 = migrations.filter((m) => m.version <= 6);
    migrate(db, upTo6);
    db.prepare(
      `INSERT INTO messages (account, peer, direction, sender_key, body, timestamp, received_at, state)
       VALUES ('a@x', 'b@x', 'in', 'k1', 'hello', 1, 1, 'received')`,
    ).run();
    db.prepare("INSERT INTO message_edits (message, body, replaced_at) VALUES (1, 'helo', 5)").run();
    migrate(db, [...upTo6, migration0007]);
    assert.equal(db.pragma('user_version', { simple: true }), 7);
    assert.deepEqual(
      db.prepare('SELECT message, body, replaced_at, source, source_stanza_id FROM message_edits').all(),
      [{ message: 1, body: 'helo', replaced_at: 5, source: null, source_stanza_id: null }],
    );
    const indexes = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_index_list('message_edits')")
      .all()
      .map((i) => i.name);
    for (const name of ['message_edits_source', 'message_edits_source_stanza_id'])
      assert.ok(indexes.includes(name), name);
  });

  it('0008 adds the caps cache, roster version, requests, blocklist and own statuses; contacts keep their rows', () => {
    const db = new Database(':memory:');
    const upTo7 = migrations.filter((m) => m.version <= 7);
    migrate(db, upTo7);
    db.prepare(
      `INSERT INTO contacts (account, jid, name, subscription, groups) VALUES ('a@x', 'b@x', 'Bob', 'both', '["Team"]')`,
    ).run();
    migrate(db, [...upTo7, migration0008]);
    assert.equal(db.pragma('user_version', { simple: true }), 8);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((t) => t.name);
    for (const name of ['caps_cache', 'roster_state', 'subscription_requests', 'blocklist', 'own_status'])
      assert.ok(tables.includes(name), name);
    const contacts = createContactRepo(db);
    assert.deepEqual(contacts.get('a@x', 'b@x'), { jid: 'b@x', name: 'Bob', subscription: 'both', groups: ['Team'] });
    // Nicknames and avatars survive a whole-roster refresh.
    contacts.setNick('a@x', 'b@x', 'Bobby');
    contacts.setAvatar('a@x', 'b@x', 'a'.repeat(40));
    contacts.replaceAll('a@x', [{ jid: 'b@x', name: 'Bob', subscription: 'to', groups: [] }]);
    assert.deepEqual(contacts.get('a@x', 'b@x'), {
      jid: 'b@x',
      name: 'Bob',
      subscription: 'to',
      groups: [],
      nick: 'Bobby',
      avatar: 'a'.repeat(40),
    });
    const requests = createSubscriptionRequestRepo(db);
    assert.equal(requests.put('a@x', { jid: 'c@x', direction: 'in', nick: 'C', at: 1 }), true);
    assert.equal(requests.put('a@x', { jid: 'c@x', direction: 'in', at: 2 }), false);
    assert.deepEqual(requests.list('a@x'), [{ jid: 'c@x', direction: 'in', at: 2 }]);
    const statuses = createOwnStatusRepo(db);
    for (let i = 0; i < 15; i++) statuses.use('a@x', 'away', `s${String(i)}`, i);
    statuses.use('a@x', 'dnd', '', 99);
    assert.equal(statuses.recent('a@x').length, 10);
    assert.equal(statuses.recent('a@x')[0]?.status, 's14');
  });

  it('0010 queues the search index; messages written by 0009 stay found, new ones too, by reference as well', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 9),
    );
    const insert = db.prepare<[string, string, string, string | null, string, string]>(
      `INSERT INTO messages (account, peer, direction, sender_key, origin_id, message_id, body, timestamp, received_at, state)
       VALUES ('a@x', ?, ?, ?, ?, ?, ?, 1, 1, 'received')`,
    );
    insert.run('b@x', 'in', 'o1', 'o1', 'o1', '旧消息 old budget message');
    insert.run('b@x', 'in', 'o2', 'o2', 's2', 'an origin-id unlike its stanza id');
    insert.run('c@x', 'out', 'o3', null, 'o3', 'sent before the upgrade');
    db.prepare(
      "INSERT INTO conversations (account, peer, opened_at) VALUES ('a@x', 'b@x', 1), ('a@x', 'c@x', 1)",
    ).run();
    migrate(db);
    assert.equal(db.pragma('user_version', { simple: true }), migrations.at(-1)?.version);
    const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()?.n;
    assert.equal(count('SELECT count(*) AS n FROM messages_fts_pending'), 0, 'nothing to index again');
    const messages = createMessageRepo(db);
    const search = createSearchRepo(db);
    const found = (query: string) => search.search({ query }).map((h) => h.snippet.text);
    assert.deepEqual(found('budget'), ['旧消息 old budget message']);
    assert.deepEqual(found('消息'), ['旧消息 old budget message']);
    // Found by the id they were sent with, through either index.
    assert.equal(messages.find('a@x', 'b@x', 'o1')?.body, '旧消息 old budget message');
    assert.equal(messages.find('a@x', 'b@x', 's2')?.body, 'an origin-id unlike its stanza id');
    assert.equal(messages.outbound('a@x', 'o3', 'c@x')?.body, 'sent before the upgrade');
    assert.equal(messages.outbound('a@x', 'o3')?.body, 'sent before the upgrade', 'without a peer (an error bounce)');
    assert.equal(messages.outbound('a@x', 'o2'), undefined, 'inbound');
    // New rows wait in the queue until indexed, and a search indexes them first.
    const stored = messages.insert({
      account: 'a@x',
      peer: 'b@x',
      direction: 'in',
      senderKey: 'n1',
      body: '新的预算 new budget',
      timestamp: 2,
      receivedAt: 2,
      state: 'received',
    });
    assert.ok(stored);
    assert.equal(count('SELECT count(*) AS n FROM messages_fts_pending'), 1);
    assert.deepEqual(found('budget'), ['新的预算 new budget', '旧消息 old budget message']);
    assert.equal(count('SELECT count(*) AS n FROM messages_fts_pending'), 0);
    // Edits and deletes keep the index exact, indexed or still queued.
    messages.correct(stored.id, 'corrected text', 3);
    assert.deepEqual(found('budget'), ['旧消息 old budget message']);
    assert.deepEqual(found('corrected'), ['corrected text']);
    db.prepare("DELETE FROM messages WHERE sender_key = 'o1'").run();
    assert.deepEqual(found('budget'), []);
    const queued = messages.insert({
      account: 'a@x',
      peer: 'b@x',
      direction: 'in',
      senderKey: 'n2',
      body: 'queued then deleted',
      timestamp: 4,
      receivedAt: 4,
      state: 'received',
    });
    assert.ok(queued);
    db.prepare('DELETE FROM messages WHERE id = ?').run(queued.id);
    assert.equal(count('SELECT count(*) AS n FROM messages_fts_pending'), 0);
    assert.deepEqual(found('deleted'), []);
    insert.run('d@x', 'out', 'o4', 'o4', 's4', 'from another client of ours, ids unlike');
    assert.equal(messages.outbound('a@x', 's4')?.body, 'from another client of ours, ids unlike');
    assert.equal(messages.outbound('a@x', 's4', 'd@x')?.body, 'from another client of ours, ids unlike');
  });

  it('0017 moves message identity to hash indexes; rows stored before stay de-duplicated, found and searchable', () => {
    const db = new Database(':memory:');
    const upTo16 = migrations.filter((m) => m.version <= 16);
    migrate(db, upTo16);
    const insert = db.prepare<[string, string, string, string | null, string | null, string | null, string]>(
      `INSERT INTO messages (account, peer, direction, sender_key, stanza_id, origin_id, message_id, body, timestamp, received_at, state)
       VALUES ('a@x', ?, ?, ?, ?, ?, ?, ?, 1, 1, 'received')`,
    );
    insert.run('b@x', 'in', 'o1', 's1', 'o1', 'o1', '旧消息 old budget message');
    insert.run('b@x', 'out', 'o2', null, 'o2', 'o2', 'sent before the upgrade');
    insert.run('c@x', 'in', 'h:abc', 's3', null, null, 'no ids at all');
    db.prepare(
      "INSERT INTO conversations (account, peer, opened_at) VALUES ('a@x', 'b@x', 1), ('a@x', 'c@x', 1)",
    ).run();
    createSearchRepo(db).search({ query: 'old' }); // indexed before the upgrade
    migrate(db);
    assert.equal(db.pragma('user_version', { simple: true }), migrations.at(-1)?.version);
    const indexes = db
      .prepare<[], { name: string; unique: number }>('SELECT name, "unique" FROM pragma_index_list(\'messages\')')
      .all();
    const names = indexes.map((i) => i.name);
    for (const gone of ['messages_identity', 'messages_stanza_id']) assert.ok(!names.includes(gone), gone);
    for (const name of ['messages_identity_hash', 'messages_stanza_hash', 'messages_conversation'])
      assert.ok(names.includes(name), name);
    assert.deepEqual(db.prepare('SELECT sender_key, identity_hash, stanza_hash FROM messages ORDER BY id').all(), [
      { sender_key: 'o1', identity_hash: identityHash('a@x', 'b@x', 'o1'), stanza_hash: stanzaHash('a@x', 's1') },
      { sender_key: 'o2', identity_hash: identityHash('a@x', 'b@x', 'o2'), stanza_hash: null },
      { sender_key: 'h:abc', identity_hash: identityHash('a@x', 'c@x', 'h:abc'), stanza_hash: stanzaHash('a@x', 's3') },
    ]);
    const messages = createMessageRepo(db);
    const again = {
      account: 'a@x',
      peer: 'b@x',
      direction: 'in' as const,
      senderKey: 'o1',
      originId: 'o1',
      body: '旧消息 old budget message',
      timestamp: 1,
      receivedAt: 9,
      state: 'received' as const,
    };
    // What was stored before is still stored once, by sender identity and by archive id.
    assert.equal(messages.insert(again), undefined);
    assert.equal(messages.insertMany([{ ...again, peer: 'c@x', senderKey: 'other', stanzaId: 's3' }])[0], undefined);
    assert.equal(messages.insert({ ...again, direction: 'out', state: 'acked', senderKey: 'o2' }), undefined);
    assert.equal(messages.find('a@x', 'b@x', 'o1')?.body, '旧消息 old budget message');
    assert.equal(messages.outbound('a@x', 'o2', 'b@x')?.body, 'sent before the upgrade');
    assert.equal(messages.outbound('a@x', 'o2')?.body, 'sent before the upgrade', 'without a peer');
    // New ones are stored, and the search finds old and new.
    assert.ok(
      messages.insert({ ...again, senderKey: 'o4', originId: 'o4', stanzaId: 's4', body: '新的预算 new budget' }),
    );
    const search = createSearchRepo(db);
    const found = (query: string) => search.search({ query }).map((h) => h.snippet.text);
    assert.deepEqual(found('budget'), ['新的预算 new budget', '旧消息 old budget message']);
    assert.deepEqual(found('预算'), ['新的预算 new budget']);
    assert.deepEqual(found('消息'), ['旧消息 old budget message']);
    assert.equal(messages.list('a@x', 'b@x').length, 3);
  });

  it('is idempotent and refuses an archive from a newer Parley', () => {
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    assert.equal(db.pragma('user_version', { simple: true }), migrations.at(-1)?.version);
    db.pragma('user_version = 999');
    assert.throws(() => migrate(db), /newer/);
  });

  it('opens a file archive in WAL mode, for one core at a time', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-archive-'));
    try {
      const db = openArchive(dir);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.throws(() => openArchive(dir), ArchiveBusyError);
      db.close();
      openArchive(dir).close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

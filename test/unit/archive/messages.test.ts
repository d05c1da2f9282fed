import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createMessageRepo, type NewMessage } from '../../../main/core/archive/repos/messages.ts';
import { createConversationRepo } from '../../../main/core/archive/repos/conversations.ts';
import { identityHash, stanzaHash } from '../../../main/core/archive/identity-hash.ts';

const base: NewMessage = {
  account: 'alice@example.org',
  peer: 'bob@example.org',
  direction: 'in',
  senderKey: 'o1',
  originId: 'o1',
  body: 'hello',
  timestamp: 1000,
  receivedAt: 1000,
  state: 'received',
};

describe('archive/repos/messages', () => {
  it('stores the same stanza once (sender identity)', () => {
    const repo = createMessageRepo(openArchive(':memory:'));
    assert.ok(repo.insert(base));
    assert.equal(repo.insert({ ...base, receivedAt: 2000 }), undefined);
    assert.equal(repo.list(base.account, base.peer).length, 1);
    // The same id from another sender, or in the other direction, is another message.
    assert.ok(repo.insert({ ...base, peer: 'carol@example.org' }));
    assert.ok(repo.insert({ ...base, direction: 'out', state: 'sent' }));
  });

  it('stores the same archive id once, whatever the sender key', () => {
    const repo = createMessageRepo(openArchive(':memory:'));
    assert.ok(repo.insert({ ...base, stanzaId: 's1' }));
    assert.equal(repo.insert({ ...base, senderKey: 'other', stanzaId: 's1' }), undefined);
  });

  it('pages backwards, oldest first in each page', () => {
    const repo = createMessageRepo(openArchive(':memory:'));
    for (let i = 1; i <= 5; i++) repo.insert({ ...base, senderKey: `k${String(i)}`, body: `m${String(i)}` });
    const last = repo.list(base.account, base.peer, undefined, 2);
    assert.deepEqual(
      last.map((m) => m.body),
      ['m4', 'm5'],
    );
    const before = repo.list(base.account, base.peer, last[0]?.id, 2);
    assert.deepEqual(
      before.map((m) => m.body),
      ['m2', 'm3'],
    );
  });

  it('updates delivery state', () => {
    const repo = createMessageRepo(openArchive(':memory:'));
    const m = repo.insert({ ...base, direction: 'out', state: 'queued' });
    assert.ok(m);
    assert.equal(repo.advance(m.id, 'sent')?.state, 'sent');
    assert.equal(repo.advance(m.id, 'delivered')?.state, 'delivered');
    assert.equal(repo.advance(m.id, 'acked'), undefined, 'never backwards');
    assert.equal(repo.fail(m.id, 'too late'), undefined, 'a delivered message does not fail');
    assert.equal(repo.advance(m.id, 'read')?.state, 'read');
  });

  it('fails with a reason and requeues on retry', () => {
    const repo = createMessageRepo(openArchive(':memory:'));
    const m = repo.insert({ ...base, direction: 'out', state: 'queued', messageId: 'x1' });
    assert.ok(m);
    assert.equal(repo.nextQueued(base.account)?.id, m.id);
    repo.advance(m.id, 'sent');
    assert.deepEqual(
      repo.unconfirmed(base.account).map((u) => u.stanzaId),
      ['x1'],
    );
    const failed = repo.fail(m.id, 'service-unavailable');
    assert.equal(failed?.state, 'failed');
    assert.equal(failed.error, 'service-unavailable');
    assert.equal(repo.advance(m.id, 'acked'), undefined, 'a failed message stays failed');
    assert.equal(repo.requeue(base.account, m.id)?.state, 'queued');
    assert.equal(repo.outbound(base.account, 'x1', base.peer)?.id, m.id);
  });

  it('lists conversations by last activity with their last message', () => {
    const db = openArchive(':memory:');
    const messages = createMessageRepo(db);
    const conversations = createConversationRepo(db);
    conversations.open(base.account, 'bob@example.org', 10);
    conversations.open(base.account, 'carol@example.org', 20);
    messages.insert({ ...base, body: 'latest from bob', timestamp: 30 });
    assert.deepEqual(conversations.list(base.account), [
      {
        peer: 'bob@example.org',
        lastBody: 'latest from bob',
        lastTimestamp: 30,
        openedAt: 10,
        readUpTo: 0,
        draft: '',
        tab: 0,
        mutedUntil: null,
        sound: 1,
      },
      {
        peer: 'carol@example.org',
        lastBody: null,
        lastTimestamp: null,
        openedAt: 20,
        readUpTo: 0,
        draft: '',
        tab: 0,
        mutedUntil: null,
        sound: 1,
      },
    ]);
  });

  it('keeps corrections with their history, tombstones retractions, and sums reactions per emoji', () => {
    const db = openArchive(':memory:');
    const messages = createMessageRepo(db);
    const m = messages.insert({ ...base, senderKey: 'k-edit', messageId: 'orig-1', body: 'helo' });
    assert.ok(m);
    assert.equal(messages.find(base.account, base.peer, 'orig-1')?.id, m.id);
    assert.equal(messages.find(base.account, base.peer, 'orig-1', 'out'), undefined, 'only from the same side');
    const fixed = messages.correct(m.id, 'hello', 50);
    assert.equal(fixed?.body, 'hello');
    assert.equal(fixed.editedAt, 50);
    assert.equal(messages.correct(m.id, 'hello', 60), undefined, 'the same text again changes nothing');
    assert.deepEqual(messages.edits(m.id), [{ body: 'helo', replacedAt: 50 }]);
    messages.react(m.id, base.account, ['👍', '🎉'], 70);
    const reacted = messages.react(m.id, base.peer, ['👍'], 71);
    assert.deepEqual(reacted?.reactions, [
      { emoji: '👍', count: 2, mine: true },
      { emoji: '🎉', count: 1, mine: true },
    ]);
    assert.deepEqual(messages.react(m.id, base.account, [], 72)?.reactions, [{ emoji: '👍', count: 1, mine: false }]);
    const gone = messages.retract(m.id, 80);
    assert.equal(gone?.retracted, true);
    assert.equal(gone.body, '');
    assert.equal(gone.reactions, undefined, 'a tombstone keeps no reactions');
    assert.deepEqual(messages.edits(m.id), [], 'nor its history');
    assert.equal(messages.retract(m.id, 81), undefined, 'once');
    assert.equal(messages.correct(m.id, 'back?', 90), undefined, 'a tombstone cannot be edited');
  });

  it('applies a correction once, whatever path brings it again (sender identity or archive id)', () => {
    const messages = createMessageRepo(openArchive(':memory:'));
    const m = messages.insert({ ...base, senderKey: 'k-twice', messageId: 'orig-2', body: 'at 5' });
    assert.ok(m);
    assert.equal(messages.correct(m.id, 'at 6', 10, { key: 'c1', stanzaId: 'a1' })?.body, 'at 6');
    assert.equal(messages.correct(m.id, 'at 7', 20, { key: 'c2', stanzaId: 'a2' })?.body, 'at 7');
    // The first correction again (from the archive, say) must not bring back its older text.
    assert.equal(messages.correct(m.id, 'at 6', 30, { key: 'c1', stanzaId: 'a1' }), undefined);
    assert.equal(
      messages.correct(m.id, 'at 6', 31, { key: 'h:other-hash', stanzaId: 'a1' }),
      undefined,
      'by archive id',
    );
    assert.equal(messages.correct(m.id, 'at 6', 32, { key: 'c1' }), undefined, 'by sender identity');
    assert.equal(messages.get(m.id)?.body, 'at 7');
    assert.equal(messages.get(m.id)?.editedAt, 20);
    assert.deepEqual(
      messages.edits(m.id).map((e) => e.body),
      ['at 5', 'at 6'],
    );
    // Another correction, even back to an earlier text, still applies; so does one without identity.
    assert.equal(messages.correct(m.id, 'at 6', 40, { key: 'c3' })?.body, 'at 6');
    assert.equal(messages.correct(m.id, 'at 8', 50)?.body, 'at 8');
    // A correction's identity is per message.
    const other = messages.insert({ ...base, senderKey: 'k-other', body: 'x' });
    assert.ok(other);
    assert.equal(messages.correct(other.id, 'y', 60, { key: 'c1', stanzaId: 'a1' })?.body, 'y');
  });

  it('links a reply to the message it quotes, with a preview', () => {
    const db = openArchive(':memory:');
    const messages = createMessageRepo(db);
    const quoted = messages.insert({ ...base, senderKey: 'k-q', messageId: 'q-1', body: 'pizza tonight?' });
    assert.ok(quoted);
    const reply = messages.insert({ ...base, senderKey: 'k-r', body: 'yes', replyTo: 'q-1', replyToRow: quoted.id });
    assert.ok(reply);
    assert.deepEqual(messages.get(reply.id)?.replyTo, { id: quoted.id, preview: 'pizza tonight?', direction: 'in' });
    assert.deepEqual(messages.list(base.account, base.peer).at(-1)?.replyTo?.preview, 'pizza tonight?');
  });

  describe('identity across paths (live, carbon, server archive, offline storage)', () => {
    // What each path knows of one inbound message (account.ts #apply): the sender's origin-id
    // always (it is the sender key); the archive id (stanza-id by our account) from the server
    // archive, and live, as a carbon or from offline storage only once the archive is trusted;
    // a delayed (XEP-0203) time from the archive and from offline storage.
    const paths: Record<string, (m: NewMessage) => NewMessage> = {
      live: (m) => ({ ...m, messageId: 'o7', receivedAt: 5000 }),
      carbon: (m) => ({ ...m, messageId: 'o7', stanzaId: 's7', receivedAt: 6000 }),
      archive: (m) => ({ ...m, stanzaId: 's7', timestamp: 990, receivedAt: 7000 }),
      offline: (m) => ({ ...m, messageId: 'o7', timestamp: 990, receivedAt: 8000 }),
    };
    const message: NewMessage = { ...base, senderKey: 'o7', originId: 'o7' };
    for (const [first, storeFirst] of Object.entries(paths))
      for (const [second, storeSecond] of Object.entries(paths)) {
        if (first === second) continue;
        it(`stores a message once: ${first}, then ${second}`, () => {
          const repo = createMessageRepo(openArchive(':memory:'));
          // The archive stores a page at a time (insertMany); the others one by one.
          const store = (path: string, m: NewMessage) =>
            path === 'archive' ? repo.insertMany([m])[0] : repo.insert(m);
          assert.ok(store(first, storeFirst(message)));
          assert.equal(store(second, storeSecond(message)), undefined);
          assert.equal(repo.list(base.account, base.peer).length, 1);
          assert.equal(repo.find(base.account, base.peer, 'o7')?.body, 'hello');
        });
      }

    it('within one page too, and the archive id alone de-duplicates (a sender key that differs)', () => {
      const repo = createMessageRepo(openArchive(':memory:'));
      const stored = repo.insertMany([
        { ...message, stanzaId: 's1' },
        { ...message, stanzaId: 's2' },
        { ...message, senderKey: 'h:other', stanzaId: 's1' },
        { ...message, senderKey: 'o8', originId: 'o8', stanzaId: 's8' },
      ]);
      assert.deepEqual(
        stored.map((m) => m !== undefined),
        [true, false, false, true],
      );
      // The same archive id under another account is another message.
      assert.ok(repo.insert({ ...message, account: 'alice@work.example.com', stanzaId: 's1' }));
    });

    it('a hash shared by two identities keeps both messages, each found by its own id', () => {
      const db = openArchive(':memory:');
      const repo = createMessageRepo(db);
      const next: NewMessage = { ...message, senderKey: 'o9', originId: 'o9', messageId: 'o9', stanzaId: 's9' };
      // A stored row whose identity and archive id differ from `next`'s but hash the same.
      db.prepare(
        `INSERT INTO messages (account, peer, direction, sender_key, stanza_id, origin_id, message_id, body, timestamp,
           received_at, state, identity_hash, stanza_hash)
         VALUES (@account, @peer, 'in', 'o1', 's1', 'o1', 'o1', 'first', 1, 1, 'received', @identityHash, @stanzaHash)`,
      ).run({
        account: next.account,
        peer: next.peer,
        identityHash: identityHash(next.account, next.peer, next.senderKey),
        stanzaHash: stanzaHash(next.account, 's9'),
      });
      const second = repo.insert(next);
      assert.ok(second, 'stored: the text differs');
      assert.equal(repo.insert(next), undefined, 'and once');
      assert.equal(repo.insertMany([{ ...next, senderKey: 'o10' }])[0], undefined, 'its archive id once too');
      assert.equal(repo.find(base.account, base.peer, 'o9')?.id, second.id);
      assert.equal(repo.outbound(base.account, 'o9', base.peer), undefined, 'inbound only');
      assert.equal(repo.list(base.account, base.peer).length, 2);
    });

    it('finds messages through the hash indexes (no scan of a conversation)', () => {
      const db = openArchive(':memory:');
      const plan = (sql: string) =>
        db
          .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all()
          .map((r) => r.detail)
          .join('; ');
      assert.match(
        plan(`SELECT id FROM messages WHERE identity_hash = 1 AND account = 'a' AND peer = 'b' AND sender_key = 'k'`),
        /USING INDEX messages_identity_hash/u,
      );
      assert.match(
        plan(`SELECT id FROM messages WHERE stanza_hash = 1 AND account = 'a' AND stanza_id = 's'`),
        /USING INDEX messages_stanza_hash/u,
      );
    });
  });
});

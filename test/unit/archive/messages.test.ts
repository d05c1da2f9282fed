import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createMessageRepo, type NewMessage } from '../../../main/core/archive/repos/messages.ts';
import { createConversationRepo } from '../../../main/core/archive/repos/conversations.ts';

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
      { peer: 'bob@example.org', lastBody: 'latest from bob', lastTimestamp: 30, openedAt: 10 },
      { peer: 'carol@example.org', lastBody: null, lastTimestamp: null, openedAt: 20 },
    ]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, migrations } from '../../../main/core/archive/migrations/index.ts';
import { migration0011 } from '../../../main/core/archive/migrations/0011-conversation-attention.ts';
import { createConversationRepo } from '../../../main/core/archive/repos/conversations.ts';

describe('archive/migrations 0011 (conversation mute and sound)', () => {
  it('adds muted_until and sound, keeping existing conversations (not muted, sound on)', () => {
    const db = new Database(':memory:');
    const before = migrations.filter((m) => m.version < migration0011.version);
    migrate(db, before);
    db.prepare("INSERT INTO conversations (account, peer, opened_at) VALUES ('a@x', 'b@x', 1)").run();
    migrate(db);
    assert.equal(db.pragma('user_version', { simple: true }), migrations.at(-1)?.version);
    const repo = createConversationRepo(db);
    assert.deepEqual(repo.attention('a@x', 'b@x'), { mutedUntil: null, sound: true });
    assert.equal(repo.get('a@x', 'b@x')?.mutedUntil, null);
    repo.setMutedUntil('a@x', 'b@x', 5000);
    repo.setSound('a@x', 'b@x', false);
    assert.deepEqual(repo.attention('a@x', 'b@x'), { mutedUntil: 5000, sound: false });
    assert.equal(repo.get('a@x', 'b@x')?.sound, 0);
    assert.equal(repo.attention('a@x', 'nobody@x'), undefined);
    assert.throws(() => db.prepare("UPDATE conversations SET sound = 2 WHERE peer = 'b@x'").run(), /CHECK/u);
  });
});

/**
 * Catch-up from the server archive (XEP-0313 with XEP-0059 paging) against a real Prosody:
 * what an account missed while offline, what a session that could not be resumed had
 * queued on the server, recent history on a new device, and identity de-duplication
 * between the archive, offline storage and live delivery.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { xml } from '@xmpp/client';
import type { Message } from '../../preload/contract.ts';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, tempDir, type TestCore } from '../support/core.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { startPeer, type Peer } from '../support/peer.ts';

const fast = { backoff: { baseMs: 200, maxMs: 2000 }, livenessMs: 2000 };
const A = 'alice@localhost';
const B = 'bob@localhost';

/** Every message with bob, oldest first. */
async function history(alice: TestCore): Promise<Message[]> {
  const all: Message[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const { messages } = await alice.core.handlers['messages.list']({
      accountId: A,
      peer: B,
      limit: 500,
      ...(beforeId === undefined ? {} : { before: beforeId }),
    });
    all.unshift(...messages);
    if (messages.length < 500 || !messages[0]) return all;
    beforeId = messages[0].id;
  }
}

/** The server has processed everything the peer sent before this (an IQ round trip). */
async function flush(peer: Peer): Promise<void> {
  const id = `flush-${String(Date.now())}`;
  await peer.send(xml('iq', { type: 'get', id, to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  await peer.waitFor((s) => s.is('iq') && s.attrs['id'] === id, 10_000);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('server archive catch-up (XEP-0313, XEP-0059, XEP-0359)', () => {
  let server: ProsodyServer;
  let proxy: FaultProxy;
  let alice: TestCore;
  let bob: Peer;

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'alice-pw', name: 'Alice' },
        { username: 'bob', password: 'bob-pw', name: 'Bob' },
      ],
      sharedGroup: 'Team',
    });
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: server.c2sPort }, label: 'alice' });
    alice = await startCore(await tempDir('parley-mam-'), fast, true);
    bob = await startPeer(server, 'bob', 'bob-pw');
  });

  after(async () => {
    await bob.stop().catch(() => undefined);
    await alice.shutdown().catch(() => undefined);
    await proxy.stop();
    await server.stop();
  });

  it('catches up 500 messages sent while offline: each once, in order, with the server time, none again from offline storage', async () => {
    await alice.core.handlers['account.signIn']({ jid: A, password: 'alice-pw', server: proxy.server });
    await alice.core.handlers['account.signOut']({ accountId: A });
    const sentFrom = Date.now();
    for (let i = 0; i < 500; i++) await bob.sendChat(A, `offline ${String(i)}`, `off-${String(i)}`);
    await flush(bob);
    await sleep(1100); // the server's archive time has second precision: make "before sign-in" visible

    const signedInAt = Date.now();
    const done = alice.waitForNext('archive.sync', (e) => !e.running, 20_000);
    await alice.core.handlers['account.signIn']({ jid: A, password: 'alice-pw', server: proxy.server });
    const sync = await done;
    assert.equal(sync.fetched, 500, 'the catch-up reports what it fetched');
    assert.ok(
      alice.events.some((e) => e.name === 'archive.sync' && (e.payload as { running: boolean }).running),
      'progress is reported while it runs',
    );
    // Prosody keeps the 500 in offline storage as well; a client that queried the archive must
    // not get them twice. Give offline delivery the time it would take.
    await sleep(1500);
    const got = await history(alice);
    assert.deepEqual(
      got.map((m) => m.body),
      Array.from({ length: 500 }, (_, i) => `offline ${String(i)}`),
    );
    assert.ok(got.every((m) => m.direction === 'in' && m.state === 'received'));
    for (const m of got) {
      assert.ok(
        m.timestamp >= sentFrom - 1000 && m.timestamp < signedInAt,
        `archive time kept (${String(m.timestamp)})`,
      );
    }
    // Live messages go on arriving after the catch-up.
    await bob.sendChat(A, 'live after the catch-up', 'live-1');
    await alice.waitForEvent('message.added', (m) => m.body === 'live after the catch-up');
  });

  it('refills what a session that could not be resumed had queued on the server (Prosody restarted)', async () => {
    // The path to Alice goes silent: the server queues for her session, unacknowledged.
    proxy.pause();
    for (let i = 0; i < 10; i++) await bob.sendChat(A, `queued ${String(i)}`, `q-${String(i)}`);
    await flush(bob);
    // The restart loses that queue (and the session: no resumption).
    await bob.stop();
    await server.restart();
    proxy.resume();
    bob = await startPeer(server, 'bob', 'bob-pw');
    await alice.waitForNext('account.state', (s) => s.status === 'online', 30_000);
    await alice.waitForEvent('message.added', (m) => m.body === 'queued 9', 10_000);
    const got = await history(alice);
    const bodies = got.map((m) => m.body);
    assert.deepEqual(
      bodies.slice(-11),
      ['live after the catch-up', ...Array.from({ length: 10 }, (_, i) => `queued ${String(i)}`)],
      'each queued message once, in order, after what came before',
    );
    assert.equal(new Set(bodies).size, bodies.length, 'no duplicates');
  });

  it('marks own messages the server archived as accepted, and shows them on a new device with recent history', async () => {
    for (const body of ['mine 1', 'mine 2', 'mine 3']) {
      await alice.core.handlers['message.send']({ accountId: A, to: B, body });
    }
    await bob.waitFor((s) => s.getChildText('body') === 'mine 3');
    const device = await startCore(undefined, fast);
    try {
      const done = device.waitForNext('archive.sync', (e) => !e.running, 20_000);
      await device.core.handlers['account.signIn']({ jid: A, password: 'alice-pw', server: server.server });
      await done;
      const { messages } = await device.core.handlers['messages.list']({ accountId: A, peer: B, limit: 500 });
      // The archive's newest page (Prosody's page size: 50) also holds the read marker Alice
      // sent when she answered: everything else in it is a message.
      assert.equal(messages.length, 49, "a new device gets the archive's newest page, its messages");
      assert.deepEqual(
        messages.slice(-3).map((m) => [m.body, m.direction, m.state]),
        [
          ['mine 1', 'out', 'acked'],
          ['mine 2', 'out', 'acked'],
          ['mine 3', 'out', 'acked'],
        ],
      );
      assert.equal(messages.at(-4)?.body, 'queued 9');
    } finally {
      await device.shutdown();
    }
  });

  it('fetches older history on demand, above what is stored, and exports and deletes a conversation', async () => {
    const device = await startCore(undefined, fast);
    try {
      const done = device.waitForNext('archive.sync', (e) => !e.running, 20_000);
      await device.core.handlers['account.signIn']({ jid: A, password: 'alice-pw', server: server.server });
      await done;
      const list = async () =>
        (await device.core.handlers['messages.list']({ accountId: A, peer: B, limit: 500 })).messages;
      const newest = await list();
      assert.equal(newest.length, 49, 'the newest page: 50 archive items, one of them a read marker');
      const older = await device.core.handlers['messages.fetchOlder']({ accountId: A, peer: B });
      assert.deepEqual(older, { fetched: 50, complete: false });
      const both = await list();
      assert.equal(both.length, 99);
      assert.deepEqual(
        both.slice(50).map((m) => m.id),
        newest.map((m) => m.id),
        'what was there keeps its place, below the older page',
      );
      // The older page sits right before it, in the server's order.
      const bodies = both.map((m) => m.body);
      const firstNewest = bodies.indexOf(newest[0]?.body ?? '');
      assert.equal(firstNewest, 50);
      const offline = bodies
        .slice(0, 50)
        .filter((b) => b.startsWith('offline '))
        .map((b) => Number(b.slice(8)));
      assert.deepEqual(
        offline,
        [...offline].sort((a, b) => a - b),
        'older history in order',
      );
      assert.ok(
        both.every((m, i) => i === 0 || (both[i - 1]?.id ?? 0) < m.id),
        'ids are the display order',
      );
      const conversation = (await device.core.handlers['conversations.list']({ accountId: A })).conversations[0];
      assert.equal(conversation?.lastBody, 'mine 3', "older history does not change the conversation's newest message");

      const text = await device.core.handlers['conversation.export']({ accountId: A, peer: B, format: 'text' });
      assert.equal(text.filename, 'bob@localhost.txt');
      const lines = text.content.trim().split('\n');
      assert.equal(lines.length, 2 + 99);
      assert.match(lines.at(-1) ?? '', /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] alice@localhost: mine 3$/u);
      const json = await device.core.handlers['conversation.export']({ accountId: A, peer: B, format: 'json' });
      const parsed = JSON.parse(json.content) as { messages: { from: string; body: string }[] };
      assert.equal(parsed.messages.length, 99);
      assert.deepEqual(parsed.messages.at(-1), {
        ...parsed.messages.at(-1),
        from: A,
        body: 'mine 3',
      });

      const removed = device.waitForNext('conversation.removed');
      assert.deepEqual(await device.core.handlers['conversation.deleteHistory']({ accountId: A, peer: B }), {
        removed: 99,
      });
      await removed;
      assert.deepEqual(await list(), []);
      assert.deepEqual((await device.core.handlers['conversations.list']({ accountId: A })).conversations, []);
    } finally {
      await device.shutdown();
    }
  });

  it('stores a message once whether it came live or from the archive (sync point lost)', async () => {
    const before = await history(alice);
    await alice.core.handlers['account.signOut']({ accountId: A });
    await alice.core.shutdown();
    // Forget where the catch-up stood: the next one fetches the newest page again, all of it
    // already stored here (live, from the archive, and Alice's own messages).
    const db = new Database(path.join(alice.dataDir, 'archive.sqlite'));
    try {
      db.prepare('DELETE FROM archive_sync').run();
    } finally {
      db.close();
    }
    alice = await startCore(alice.dataDir, fast, true);
    const done = alice.waitForNext('archive.sync', (e) => !e.running, 20_000);
    await alice.core.handlers['account.signIn']({ jid: A, password: 'alice-pw', server: proxy.server });
    await done;
    await sleep(1000);
    const afterSync = await history(alice);
    assert.deepEqual(
      afterSync.map((m) => [m.id, m.body, m.direction]),
      before.map((m) => [m.id, m.body, m.direction]),
      'nothing added, nothing duplicated',
    );
  });
});

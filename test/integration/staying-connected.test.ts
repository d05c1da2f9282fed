/**
 * Staying connected for real: reconnect with backoff, XEP-0198 resumption through a
 * proxy that cuts the TCP connection, the outbox across an outage, delivery states
 * (XEP-0198 acks, XEP-0184 receipts between two Parleys), a resource conflict that is
 * not fought, and two accounts at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { client, xml } from '@xmpp/client';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, type TestCore } from '../support/core.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { startPeer, type Peer } from '../support/peer.ts';

const fast = { backoff: { baseMs: 200, maxMs: 2000 }, livenessMs: 3000 };

describe('core against Prosody: staying connected (XEP-0198, XEP-0184)', () => {
  let server: ProsodyServer;
  let proxy: FaultProxy;
  let alice: TestCore;
  let bob: TestCore;
  let carol: Peer;
  const a = 'alice@localhost';
  const b = 'bob@localhost';

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'a-pw', name: 'Alice' },
        { username: 'bob', password: 'b-pw', name: 'Bob' },
        { username: 'carol', password: 'c-pw', name: 'Carol' },
      ],
      sharedGroup: 'Team',
    });
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: server.c2sPort }, label: 'alice' });
    alice = await startCore(undefined, fast);
    bob = await startCore(undefined, fast);
    await alice.core.handlers['account.signIn']({
      jid: a,
      password: 'a-pw',
      server: `127.0.0.1:${String(proxy.port)}`,
    });
    await bob.core.handlers['account.signIn']({ jid: b, password: 'b-pw', server: server.server });
    carol = await startPeer(server, 'carol', 'c-pw');
  });

  after(async () => {
    await carol.stop().catch(() => undefined);
    await alice.shutdown().catch(() => undefined);
    await bob.shutdown().catch(() => undefined);
    await proxy.stop();
    await server.stop();
  });

  it('reaches acked (XEP-0198) and delivered (XEP-0184) between two Parleys', async () => {
    const sent = await alice.core.handlers['message.send']({ accountId: a, to: b, body: 'receipt please' });
    await bob.waitForEvent('message.added', (m) => m.body === 'receipt please');
    await alice.waitForEvent('message.updated', (m) => m.id === sent.id && m.state === 'delivered');
  });

  it('resumes the stream after a cut, without a new session and without duplicates', async () => {
    const waiting = alice.waitForNext('account.state', (st) => st.status === 'waiting');
    proxy.cutAll();
    await waiting;
    // While the connection is down, both sides write.
    const online = alice.waitForNext('account.state', (st) => st.status === 'online', 10_000);
    const fromAlice = await alice.core.handlers['message.send']({
      accountId: a,
      to: b,
      body: 'written during the outage',
    });
    await bob.core.handlers['message.send']({ accountId: b, to: a, body: 'sent to alice during her outage' });
    await online;
    assert.equal(fromAlice.state, 'queued', 'stored while offline');
    await bob.waitForEvent('message.added', (m) => m.body === 'written during the outage');
    await alice.waitForEvent('message.added', (m) => m.body === 'sent to alice during her outage');
    assert.ok(
      alice.logs.some((l) => l.includes(`${a}: resumed`)),
      'the XEP-0198 session was resumed, not replaced',
    );
    const { messages } = await bob.core.handlers['messages.list']({ accountId: b, peer: a });
    assert.equal(messages.filter((m) => m.body === 'written during the outage').length, 1);
    const { messages: mine } = await alice.core.handlers['messages.list']({ accountId: a, peer: b });
    assert.equal(mine.filter((m) => m.body === 'sent to alice during her outage').length, 1);
  });

  it('notices a silently dead connection and comes back', async () => {
    const waiting = alice.waitForNext('account.state', (st) => st.status === 'waiting', 15_000);
    proxy.pause(); // packets vanish, nobody is told
    const started = Date.now();
    await waiting;
    const noticedAfter = Date.now() - started;
    // livenessMs is 3 s here (30 s in the app): an idle <r/> after 3 s, then 3 s to answer.
    assert.ok(noticedAfter < 12_000, `noticed after ${String(noticedAfter)} ms`);
    const online = alice.waitForNext('account.state', (st) => st.status === 'online', 15_000);
    proxy.resume();
    await online;
  });

  it('keeps the outbox across a server restart and sends it in order', async () => {
    const back = alice.waitForNext('account.state', (st) => st.status === 'online', 20_000);
    await server.restart();
    // Both accounts lost the server; the stream-management session died with it.
    for (let i = 1; i <= 5; i++)
      await alice.core.handlers['message.send']({ accountId: a, to: b, body: `outbox ${String(i)}` });
    await back;
    for (let i = 1; i <= 5; i++)
      await bob.waitForEvent('message.added', (m) => m.body === `outbox ${String(i)}`, 20_000);
    const { messages } = await bob.core.handlers['messages.list']({ accountId: b, peer: a });
    const outbox = messages.filter((m) => m.body.startsWith('outbox ')).map((m) => m.body);
    assert.deepEqual(outbox, ['outbox 1', 'outbox 2', 'outbox 3', 'outbox 4', 'outbox 5'], 'once each, in order');
  });

  it('stops, and says so, when another client takes over its resource', async () => {
    // Carol sees Alice's full JID in her presence (shared roster group).
    const presence = await carol.waitFor(
      (s) => s.is('presence') && String(s.attrs['from']).startsWith(`${a}/`) && s.attrs['type'] === undefined,
      10_000,
    );
    const resource = String(presence.attrs['from']).split('/')[1] ?? '';
    const intruder = client({
      service: server.server.replace(/^/u, 'xmpp://'),
      domain: 'localhost',
      username: 'alice',
      password: 'a-pw',
      resource,
    });
    intruder.reconnect.stop();
    intruder.on('error', () => undefined);
    await intruder.start();
    try {
      const state = await alice.waitForEvent(
        'account.state',
        (s) => s.status === 'error' && s.error?.code === 'conflict',
        10_000,
      );
      assert.match(state.error?.message ?? '', /another client/iu);
      await new Promise((r) => setTimeout(r, 1500));
      const last = alice.events.filter((e) => e.name === 'account.state').at(-1)?.payload as { status: string };
      assert.equal(last.status, 'error', 'no reconnect loop');
    } finally {
      await intruder.stop().catch(() => undefined);
    }
    await alice.core.handlers['account.reconnect']({ accountId: a });
    assert.equal((await alice.core.handlers['app.snapshot']({})).accounts[0]?.status, 'online');
  });

  it('runs two accounts at once, each chatting with its own peer', async () => {
    await alice.core.handlers['account.signIn']({ jid: 'carol@localhost', password: 'c-pw', server: server.server });
    const accounts = (await alice.core.handlers['app.snapshot']({})).accounts;
    assert.deepEqual(accounts.map((s) => [s.jid, s.status]).sort(), [
      [a, 'online'],
      ['carol@localhost', 'online'],
    ]);
    await alice.core.handlers['message.send']({ accountId: 'carol@localhost', to: b, body: 'from carol' });
    await alice.core.handlers['message.send']({ accountId: a, to: b, body: 'from alice' });
    const fromCarol = await bob.waitForEvent('message.added', (m) => m.body === 'from carol');
    const fromAlice = await bob.waitForEvent('message.added', (m) => m.body === 'from alice');
    assert.equal(fromCarol.peer, 'carol@localhost');
    assert.equal(fromAlice.peer, a);
    const carolConversations = await alice.core.handlers['conversations.list']({ accountId: 'carol@localhost' });
    assert.deepEqual(
      carolConversations.conversations.map((c) => c.peer),
      [b],
    );
  });

  it('forgets a password the server no longer accepts, and stops', async () => {
    await bob.core.handlers['account.update']({ accountId: b, rememberPassword: false });
    // Change Bob's password behind the core's back, then cut his connection.
    const admin = client({
      service: `xmpp://${server.server}`,
      domain: 'localhost',
      username: 'bob',
      password: 'b-pw',
      resource: 'admin',
    });
    admin.reconnect.stop();
    admin.on('error', () => undefined);
    await admin.start();
    const iq = (admin as unknown as { iqCaller: { set(el: ReturnType<typeof xml>): Promise<unknown> } }).iqCaller;
    await iq.set(
      xml('query', { xmlns: 'jabber:iq:register' }, xml('username', {}, 'bob'), xml('password', {}, 'b-new')),
    );
    await admin.stop();
    await server.restart();
    const state = await bob.waitForEvent(
      'account.state',
      (s) => s.status === 'error' && s.error?.code === 'auth-failed',
      20_000,
    );
    assert.equal(state.hasPassword, false, 'the wrong password is forgotten');
  });
});

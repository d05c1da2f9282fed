/**
 * The core against a real Prosody over real TLS (STARTTLS), with a plain
 * @xmpp/client peer on the other end: sign in, roster, presence, a message
 * each way, archive across restarts, de-duplication, hostile input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, type TestCore } from '../support/core.ts';
import { bodyOf, startPeer, type Peer } from '../support/peer.ts';

describe('core against Prosody: one-to-one chat (RFC 6120/6121, XEP-0359)', () => {
  let server: ProsodyServer;
  let alice: TestCore;
  let bob: Peer;
  const aliceJid = 'alice@localhost';

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'alice-pw', name: 'Alice' },
        { username: 'bob', password: 'bob-pw', name: 'Bob Builder' },
      ],
      sharedGroup: 'Team',
    });
    await server.register('carol', 'carol-pw'); // not in anyone's roster
    alice = await startCore();
    bob = await startPeer(server, 'bob', 'bob-pw');
  });

  after(async () => {
    await bob.stop().catch(() => undefined);
    await alice.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('signs in and shows the roster with names and presence', async () => {
    const state = await alice.core.handlers['account.signIn']({
      jid: aliceJid,
      password: 'alice-pw',
      server: server.server,
    });
    assert.equal(state.status, 'online');
    const { contacts } = await alice.core.handlers['roster.list']({ accountId: aliceJid });
    assert.deepEqual(
      contacts.map((c) => [c.jid, c.name, c.subscription]),
      [['bob@localhost', 'Bob Builder', 'both']],
    );
    // Bob is online already: his presence reaches Alice after her initial presence.
    await alice.waitForEvent('roster.updated', (e) =>
      e.contacts.some((c) => c.jid === 'bob@localhost' && c.show === 'available'),
    );
  });

  it('receives a message: stored, then shown, once', async () => {
    await bob.sendChat(aliceJid, 'Hello <b>Alice</b> <script>alert(1)</script>', 'bob-1');
    const added = await alice.waitForEvent('message.added', (m) => m.direction === 'in');
    assert.equal(added.body, 'Hello <b>Alice</b> <script>alert(1)</script>');
    assert.equal(added.peer, 'bob@localhost');
    const { messages } = await alice.core.handlers['messages.list']({ accountId: aliceJid, peer: 'bob@localhost' });
    assert.deepEqual(
      messages.map((m) => m.body),
      [added.body],
    );
    const conv = await alice.waitForEvent('conversation.updated', (c) => c.peer === 'bob@localhost');
    assert.equal(conv.name, 'Bob Builder');
    assert.equal(conv.unread, 1, 'one message, one unread (not counted again from the archive)');
  });

  it('sends a message with an origin-id that the peer receives', async () => {
    const sent = await alice.core.handlers['message.send']({
      accountId: aliceJid,
      to: 'bob@localhost',
      body: 'Hi Bob!',
    });
    assert.equal(sent.state, 'sent');
    const got = await bob.waitFor((s) => bodyOf(s) === 'Hi Bob!');
    const originId: unknown = got.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs['id'];
    assert.equal(typeof originId, 'string');
    assert.equal(got.attrs['id'], originId);
    // The pending state was stored (and shown) before the send.
    const states = alice.events
      .filter((e) => e.name === 'message.added' || e.name === 'message.updated')
      .map((e) => (e.payload as { state: string }).state);
    assert.deepEqual(states.slice(-2), ['queued', 'sent']);
  });

  it('stores a stanza that arrives twice only once', async () => {
    const before = alice.events.filter((e) => e.name === 'message.added').length;
    await bob.sendChat(aliceJid, 'only once', 'dup-1');
    await bob.sendChat(aliceJid, 'only once', 'dup-1');
    await bob.sendChat(aliceJid, 'marker', 'dup-2');
    await alice.waitForEvent('message.added', (m) => m.body === 'marker');
    const { messages } = await alice.core.handlers['messages.list']({ accountId: aliceJid, peer: 'bob@localhost' });
    assert.equal(messages.filter((m) => m.body === 'only once').length, 1);
    assert.equal(alice.events.filter((e) => e.name === 'message.added').length, before + 2);
  });

  it('keeps messages from someone not in the roster', async () => {
    const carol = await startPeer(server, 'carol', 'carol-pw');
    try {
      await carol.sendChat(aliceJid, 'who am I?');
      await alice.waitForEvent('message.added', (m) => m.peer === 'carol@localhost');
      const { conversations } = await alice.core.handlers['conversations.list']({ accountId: aliceJid });
      const conv = conversations.find((c) => c.peer === 'carol@localhost');
      assert.equal(conv?.name, 'carol@localhost');
      assert.equal(conv.lastBody, 'who am I?');
    } finally {
      await carol.stop();
    }
  });

  it('drops stanzas it cannot handle and keeps the connection', async () => {
    await bob.send(xml('message', { type: 'chat', to: aliceJid, id: 'huge' }, xml('body', {}, 'x'.repeat(70_000))));
    await bob.send(
      xml(
        'message',
        { type: 'chat', to: aliceJid, id: 'weird' },
        xml('body', {}, 'odd delay'),
        xml('delay', { xmlns: 'urn:xmpp:delay', stamp: 'not-a-date' }),
      ),
    );
    await bob.send(
      xml(
        'iq',
        { type: 'set', to: aliceJid, id: 'bogus' },
        xml('query', { xmlns: 'jabber:iq:roster' }, xml('item', { jid: 'mallory@localhost', subscription: 'both' })),
      ),
    );
    await bob.sendChat(aliceJid, 'still here?', 'after');
    await alice.waitForEvent('message.added', (m) => m.body === 'still here?');
    const { messages } = await alice.core.handlers['messages.list']({ accountId: aliceJid, peer: 'bob@localhost' });
    assert.ok(!messages.some((m) => m.body.startsWith('xxxx')), 'oversized body not stored');
    assert.ok(
      messages.some((m) => m.body === 'odd delay'),
      'bad timestamp tolerated',
    );
    const { contacts } = await alice.core.handlers['roster.list']({ accountId: aliceJid });
    assert.ok(!contacts.some((c) => c.jid === 'mallory@localhost'), 'roster push from a stranger ignored');
    const snapshot = await alice.core.handlers['app.snapshot']({});
    assert.equal(snapshot.accounts[0]?.status, 'online');
  });

  it('finds every message again after a restart, from the archive, before signing in', async () => {
    const { messages: beforeRestart } = await alice.core.handlers['messages.list']({
      accountId: aliceJid,
      peer: 'bob@localhost',
    });
    alice = await alice.restart();
    const snapshot = await alice.core.handlers['app.snapshot']({});
    assert.deepEqual(
      snapshot.accounts.map((a) => [a.jid, a.status]),
      [[aliceJid, 'offline']],
    );
    const { messages } = await alice.core.handlers['messages.list']({ accountId: aliceJid, peer: 'bob@localhost' });
    assert.deepEqual(messages, beforeRestart);
    const { contacts } = await alice.core.handlers['roster.list']({ accountId: aliceJid });
    assert.deepEqual(
      contacts.map((c) => c.name),
      ['Bob Builder'],
      'roster cached in the archive',
    );
    const { conversations } = await alice.core.handlers['conversations.list']({ accountId: aliceJid });
    assert.deepEqual(conversations.map((c) => c.peer).sort(), ['bob@localhost', 'carol@localhost']);
  });

  it('never writes the password to the data folder', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const entries = await readdir(alice.dataDir, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile());
    assert.ok(files.length > 0, 'the data folder holds files');
    for (const file of files) {
      const content = await readFile(`${file.parentPath}/${file.name}`);
      assert.ok(!content.includes('alice-pw'), `password found in ${file.name}`);
    }
  });
});

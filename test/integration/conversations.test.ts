/**
 * One-to-one conversations against a real Prosody with independent peers: slixmpp for
 * receipts (XEP-0184), chat states (XEP-0085), markers (XEP-0333), corrections (XEP-0308),
 * retractions (XEP-0424), reactions (XEP-0444) and replies (XEP-0461) both ways; a plain
 * @xmpp/client peer for hostile stanzas; two Parley clients of one account for carbons
 * (XEP-0280); and identity de-duplication (XEP-0359) across every pair of paths a message
 * can take: live, carbon, archive (XEP-0313) and offline storage (XEP-0160, XEP-0203).
 */
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { xml } from '@xmpp/client';
import type { Message } from '../../preload/contract.ts';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, tempDir, type TestCore } from '../support/core.ts';
import { startPeer, type Peer } from '../support/peer.ts';
import { startSlixmpp, type SlixmppPeer } from '../support/slixmpp.ts';

const fast = { backoff: { baseMs: 200, maxMs: 2000 }, livenessMs: 5000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function history(core: TestCore, account: string, peer: string): Promise<Message[]> {
  const { messages } = await core.core.handlers['messages.list']({ accountId: account, peer, limit: 500 });
  return messages;
}

/** The server has processed everything the peer sent before this (an IQ round trip). */
async function flush(peer: Peer): Promise<void> {
  const id = `flush-${String(Date.now())}-${String(Math.random())}`;
  await peer.send(xml('iq', { type: 'get', id, to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  await peer.waitFor((s) => s.is('iq') && s.attrs['id'] === id, 10_000);
}

/** Forgets the archive sync point of a stopped core, so that its next sign-in fetches the newest page again. */
function forgetSyncPoint(dataDir: string): void {
  const db = new Database(path.join(dataDir, 'archive.sqlite'));
  try {
    db.prepare('DELETE FROM archive_sync').run();
  } finally {
    db.close();
  }
}

/** Signs a core in and waits for the end of its archive catch-up. */
async function signIn(core: TestCore, jid: string, password: string, server: string): Promise<void> {
  const done = core.waitForNext('archive.sync', (e) => e.accountId === jid && !e.running, 20_000);
  await core.core.handlers['account.signIn']({ jid, password, server });
  await done;
}

/** A body as one line of a slixmpp command or event. */
const escape = (body: string) => body.replaceAll('\n', '\\n');

const chatMessage = (to: string, id: string, body: string, extra: ReturnType<typeof xml>[] = []) =>
  xml(
    'message',
    { type: 'chat', to, id },
    xml('body', {}, body),
    xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id }),
    ...extra,
  );

describe('conversations with slixmpp (XEP-0184, XEP-0085, XEP-0333, XEP-0308, XEP-0424, XEP-0444, XEP-0461)', () => {
  const A = 'alice@localhost';
  const S = 'sli@localhost';
  const C = 'carol@localhost';
  let server: ProsodyServer;
  let alice: TestCore;
  let sli: SlixmppPeer;
  let carol: Peer;

  /** A message slixmpp sends, as Parley stored it. */
  async function fromSli(id: string, body: string): Promise<Message> {
    sli.send(`SEND ${A} ${id} ${escape(body)}`);
    return alice.waitForEvent('message.added', (m) => m.peer === S && m.body === body);
  }

  /** A message Parley sends, and the id slixmpp saw it with. */
  async function toSli(body: string): Promise<{ message: Message; stanzaId: string }> {
    const message = await alice.core.handlers['message.send']({ accountId: A, to: S, body });
    const line = await sli.waitForLine((l) => l.startsWith(`MSG ${A} `) && l.endsWith(` ${escape(body)}`));
    return { message, stanzaId: line.split(' ')[2] ?? '' };
  }

  const current = async (id: number) => (await history(alice, A, S)).find((m) => m.id === id);

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'alice-pw', name: 'Alice' },
        { username: 'sli', password: 'sli-pw', name: 'Slixmpp' },
        { username: 'carol', password: 'carol-pw', name: 'Carol' },
      ],
      sharedGroup: 'Team',
    });
    alice = await startCore(await tempDir('parley-conv-'), fast, true);
    await signIn(alice, A, 'alice-pw', server.server);
    sli = startSlixmpp(server, S, 'sli-pw', undefined, { echo: false });
    carol = await startPeer(server, 'carol', 'carol-pw');
    await sli.waitForLine((l) => l === 'READY');
    await alice.waitForEvent('roster.updated', (e) => e.contacts.some((c) => c.jid === S && c.show === 'available'));
  });

  after(async () => {
    sli.stop();
    await carol.stop().catch(() => undefined);
    await alice.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('sends chat states only to a contact who sent one first, and shows theirs (XEP-0085)', async () => {
    // slixmpp has sent no chat state yet: Parley's "composing" must not reach it.
    await alice.core.handlers['chat.setState']({ accountId: A, peer: S, state: 'composing' });
    await toSli('before any chat state');
    const seen = sli.lines.indexOf(sli.lines.find((l) => l.endsWith(' before any chat state')) ?? '');
    assert.ok(
      !sli.lines.slice(0, seen).includes(`STATE ${A} composing`),
      'no composing before the peer used chat states',
    );
    // A first message carries <active/> (XEP-0085 §5.1), so the peer learns that Parley supports them.
    assert.ok(sli.lines.includes(`STATE ${A} active`));

    sli.send(`STATE ${A} composing`);
    await alice.waitForEvent('chat.state', (e) => e.accountId === A && e.peer === S && e.state === 'composing');
    sli.send(`STATE ${A} paused`);
    await alice.waitForEvent('chat.state', (e) => e.peer === S && e.state === 'paused');

    await alice.core.handlers['chat.setState']({ accountId: A, peer: S, state: 'composing' });
    await sli.waitForLine((l) => l === `STATE ${A} composing`);
    await alice.core.handlers['chat.setState']({ accountId: A, peer: S, state: 'paused' });
    await sli.waitForLine((l) => l === `STATE ${A} paused`);
    // Chat states are not messages.
    assert.ok(!(await history(alice, A, S)).some((m) => m.body === ''));
  });

  it('gets receipts for its messages and answers receipt requests (XEP-0184)', async () => {
    const { message } = await toSli('do you get this?');
    const delivered = await alice.waitForEvent(
      'message.updated',
      (m) => m.id === message.id && m.state === 'delivered',
    );
    assert.equal(delivered.body, 'do you get this?');
    await fromSli('s-receipt-1', 'please confirm');
    await sli.waitForLine((l) => l === 'RECEIPT s-receipt-1');
  });

  it('sends a displayed marker when the conversation is read, and shows the peer has read ours (XEP-0333)', async () => {
    const unread = await fromSli('s-seen-1', 'have you seen this?');
    const before = await alice.waitForEvent('conversation.updated', (c) => c.peer === S && (c.unread ?? 0) > 0);
    assert.ok((before.unread ?? 0) >= 1);
    const conversation = await alice.core.handlers['conversation.markRead']({ accountId: A, peer: S, upTo: unread.id });
    assert.equal(conversation.unread, 0);
    assert.equal(conversation.readUpTo, unread.id);
    await sli.waitForLine((l) => l === 'DISPLAYED s-seen-1');

    const { message, stanzaId } = await toSli('read me');
    sli.send(`DISPLAYED ${A} ${stanzaId}`);
    await alice.waitForEvent('message.updated', (m) => m.id === message.id && m.state === 'read');
  });

  it("shows a peer's corrections in place, with the earlier bodies kept (XEP-0308)", async () => {
    const original = await fromSli('s-typo', 'See you at 5');
    const added = alice.events.filter((e) => e.name === 'message.added').length;
    sli.send(`CORRECT ${A} s-typo-fix-1 s-typo See you at 6`);
    const corrected = await alice.waitForEvent(
      'message.updated',
      (m) => m.id === original.id && m.body === 'See you at 6',
    );
    assert.equal(typeof corrected.editedAt, 'number');
    sli.send(`CORRECT ${A} s-typo-fix-2 s-typo See you at 7`);
    await alice.waitForEvent('message.updated', (m) => m.id === original.id && m.body === 'See you at 7');

    const stored = await current(original.id);
    assert.equal(stored?.body, 'See you at 7');
    assert.equal(typeof stored.editedAt, 'number');
    const { edits } = await alice.core.handlers['message.edits']({ accountId: A, messageId: original.id });
    assert.deepEqual(
      edits.map((e) => e.body),
      ['See you at 5', 'See you at 6'],
    );
    // Shown once: a correction is not a new message.
    assert.equal(alice.events.filter((e) => e.name === 'message.added').length, added);
    const bodies = (await history(alice, A, S)).map((m) => m.body);
    assert.ok(!bodies.includes('See you at 5') && !bodies.includes('See you at 6'));
  });

  it("leaves a tombstone for a peer's retraction, in both versions (XEP-0424)", async () => {
    const wrong = await fromSli('s-oops', 'wrong chat, sorry');
    sli.send(`RETRACT ${A} s-oops-r s-oops`);
    const tomb = await alice.waitForEvent('message.updated', (m) => m.id === wrong.id && m.retracted === true);
    assert.equal(tomb.body, '');
    const old = await fromSli('s-oops0', 'retracted the old way');
    sli.send(`RETRACT0 ${A} s-oops0-r s-oops0`);
    await alice.waitForEvent('message.updated', (m) => m.id === old.id && m.retracted === true);

    const all = await history(alice, A, S);
    assert.deepEqual(
      all.filter((m) => m.id === wrong.id || m.id === old.id).map((m) => [m.body, m.retracted]),
      [
        ['', true],
        ['', true],
      ],
    );
    assert.ok(!all.some((m) => m.body.includes('attempted to retract')), 'the fallback body is not a message');
    // A retracted message no longer counts as unread.
    const { conversations } = await alice.core.handlers['conversations.list']({ accountId: A });
    const conversation = conversations.find((c) => c.peer === S);
    assert.ok(conversation);
    const unread = all.filter(
      (m) => m.direction === 'in' && m.id > (conversation.readUpTo ?? 0) && m.retracted !== true,
    );
    assert.equal(conversation.unread, unread.length);
    const shown = alice.events.filter(
      (e) => e.name === 'conversation.updated' && (e.payload as { peer: string }).peer === S,
    );
    assert.equal(
      (shown.at(-1)?.payload as { unread: number } | undefined)?.unread,
      unread.length,
      'and the count shown',
    );
  });

  it("shows a peer's reactions on the message, replaced by each new set (XEP-0444)", async () => {
    const { message, stanzaId } = await toSli('Lunch at noon?');
    sli.send(`REACT ${A} ${stanzaId} 👍 🎉`);
    const first = await alice.waitForEvent('message.updated', (m) => m.id === message.id && m.reactions?.length === 2);
    assert.deepEqual(first.reactions, [
      { emoji: '👍', count: 1, mine: false },
      { emoji: '🎉', count: 1, mine: false },
    ]);
    sli.send(`REACT ${A} ${stanzaId} 🎉`);
    await alice.waitForEvent('message.updated', (m) => m.id === message.id && m.reactions?.length === 1);
    assert.deepEqual((await current(message.id))?.reactions, [{ emoji: '🎉', count: 1, mine: false }]);
    sli.send(`REACT ${A} ${stanzaId}`);
    await alice.waitForEvent('message.updated', (m) => m.id === message.id && m.reactions === undefined);
  });

  it("stores a peer's reply without its fallback quote, linked to the message it quotes (XEP-0461)", async () => {
    const { message, stanzaId } = await toSli('What time is the train? 🚆');
    sli.send(`REPLY ${A} s-reply-1 ${stanzaId} At 10:15, platform 2.`);
    const reply = await alice.waitForEvent('message.added', (m) => m.peer === S && m.body.includes('platform 2'));
    assert.equal(reply.body, 'At 10:15, platform 2.');
    assert.deepEqual(reply.replyTo, { id: message.id, preview: 'What time is the train? 🚆', direction: 'out' });
    assert.deepEqual((await current(reply.id))?.replyTo, reply.replyTo);
  });

  it('sends its own corrections, retractions, reactions and replies as the right elements', async () => {
    const { message, stanzaId } = await toSli('Meet at the cafe');
    await alice.core.handlers['message.correct']({ accountId: A, messageId: message.id, body: 'Meet at the café' });
    await sli.waitForLine((l) => l === `CORRECTION ${A} ${stanzaId} Meet at the café`);
    await alice.core.handlers['message.retract']({ accountId: A, messageId: message.id });
    await sli.waitForLine((l) => l === `RETRACT ${A} ${stanzaId}`);
    await sli.waitForLine((l) => l === `RETRACT0 ${A} ${stanzaId}`); // for clients of the older version

    const theirs = await fromSli('s-snacks', 'I will bring snacks 🍪\nand tea');
    await alice.core.handlers['message.react']({ accountId: A, messageId: theirs.id, reactions: ['👍', '🍪'] });
    await sli.waitForLine((l) => l === `REACT ${A} s-snacks 👍 🍪`);
    const mine = await alice.core.handlers['message.send']({
      accountId: A,
      to: S,
      body: 'Great, thanks!',
      replyTo: theirs.id,
    });
    // slixmpp strips the fallback quote by its XEP-0428 range: what is left is exactly the answer.
    await sli.waitForLine((l) => l === `REPLY ${A} s-snacks Great, thanks!`);
    assert.equal(mine.replyTo?.id, theirs.id);
    assert.equal((await current(theirs.id))?.reactions?.[0]?.mine, true);
  });

  it('ignores corrections, retractions and reactions from anyone but the author, and spoofed carbons', async () => {
    const target = await fromSli('s-keep', 'a message only sli may change');
    const { message: own, stanzaId: ownId } = await toSli('a message only alice may change');
    // Carol, another user, aims at sli's message...
    await carol.send(
      chatMessage(A, 'c-1', 'forged', [xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: 's-keep' })]),
    );
    await carol.send(
      chatMessage(A, 'c-2', 'gone?', [xml('retract', { xmlns: 'urn:xmpp:message-retract:1', id: 's-keep' })]),
    );
    await carol.send(
      xml(
        'message',
        { type: 'chat', to: A, id: 'c-3' },
        xml('reactions', { xmlns: 'urn:xmpp:reactions:0', id: 's-keep' }, xml('reaction', {}, '💩')),
      ),
    );
    // ...and sli at alice's own.
    sli.send(`CORRECT ${A} s-forge ${ownId} alice never wrote this`);
    sli.send(`RETRACT ${A} s-forge-r ${ownId}`);
    // Carbons (XEP-0280) may only come from our own account.
    await carol.send(
      xml(
        'message',
        { to: A, type: 'chat' },
        xml(
          'sent',
          { xmlns: 'urn:xmpp:carbons:2' },
          xml(
            'forwarded',
            { xmlns: 'urn:xmpp:forward:0' },
            xml('message', { from: `${A}/phone`, to: S, type: 'chat', id: 'spoof-1' }, xml('body', {}, 'I quit!')),
          ),
        ),
      ),
    );
    await carol.send(
      xml(
        'message',
        { to: A, type: 'chat' },
        xml(
          'received',
          { xmlns: 'urn:xmpp:carbons:2' },
          xml(
            'forwarded',
            { xmlns: 'urn:xmpp:forward:0' },
            xml('message', { from: `${S}/x`, to: A, type: 'chat', id: 'spoof-2' }, xml('body', {}, 'You owe me 100 €')),
          ),
        ),
      ),
    );
    // Everything above has been handled once these arrive (one stream each, in order).
    await carol.sendChat(A, 'carol was here', 'c-marker');
    await alice.waitForEvent('message.added', (m) => m.body === 'carol was here');
    sli.send(`SEND ${A} s-marker sli was here`);
    await alice.waitForEvent('message.added', (m) => m.body === 'sli was here');

    const theirs = await current(target.id);
    assert.equal(theirs?.body, 'a message only sli may change');
    assert.equal(theirs.editedAt, undefined);
    assert.equal(theirs.retracted, undefined);
    assert.equal(theirs.reactions, undefined);
    const mine = await current(own.id);
    assert.equal(mine?.body, 'a message only alice may change');
    assert.equal(mine.editedAt, undefined);
    assert.equal(mine.retracted, undefined);
    const everything = [...(await history(alice, A, S)), ...(await history(alice, A, C))].map((m) => m.body);
    assert.ok(!everything.includes('I quit!') && !everything.includes('You owe me 100 €'), 'spoofed carbons dropped');
    assert.ok(!everything.includes('forged') && !everything.includes('gone?'));
    assert.ok(alice.logs.some((l) => l.includes('did not come from our own account')));
  });

  it('applies corrections, retractions and reactions once when the archive brings them again (XEP-0313)', async () => {
    const before = await history(alice, A, S);
    const corrected = before.find((m) => m.body === 'See you at 7');
    assert.ok(corrected);
    const { edits: editsBefore } = await alice.core.handlers['message.edits']({
      accountId: A,
      messageId: corrected.id,
    });
    await alice.core.shutdown();
    forgetSyncPoint(alice.dataDir);
    alice = await startCore(alice.dataDir, fast, true);
    await signIn(alice, A, 'alice-pw', server.server);
    const afterSync = await history(alice, A, S);
    assert.deepEqual(afterSync, before, 'the same messages, bodies, tombstones, reactions and replies');
    const { edits } = await alice.core.handlers['message.edits']({ accountId: A, messageId: corrected.id });
    assert.deepEqual(edits, editsBefore, 'no correction applied twice');
  });
});

describe('two Parley clients of one account: message carbons (XEP-0280) and identity (XEP-0359)', () => {
  const E = 'erin@localhost';
  const B = 'bob@localhost';
  let server: ProsodyServer;
  let one: TestCore;
  let two: TestCore;
  let bob: Peer;
  let oneJid: string;
  let twoJid: string;

  const fullJid = (core: TestCore) => {
    const line = core.logs.findLast((l) => l.includes(`online as ${E}/`));
    const jid = /online as (\S+)/.exec(line ?? '')?.[1];
    assert.ok(jid, 'the core logs its full JID');
    return jid;
  };
  const count = (messages: Message[], body: string) => messages.filter((m) => m.body === body).length;

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'erin', password: 'erin-pw', name: 'Erin' },
        { username: 'bob', password: 'bob-pw', name: 'Bob' },
      ],
      sharedGroup: 'Team',
    });
    bob = await startPeer(server, 'bob', 'bob-pw');
    one = await startCore(await tempDir('parley-carbons-1-'), fast, true);
    two = await startCore(await tempDir('parley-carbons-2-'), fast, true);
    await signIn(one, E, 'erin-pw', server.server);
    await signIn(two, E, 'erin-pw', server.server);
    oneJid = fullJid(one);
    twoJid = fullJid(two);
    assert.notEqual(oneJid, twoJid);
  });

  after(async () => {
    await bob.stop().catch(() => undefined);
    await one.shutdown().catch(() => undefined);
    await two.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('shows a message sent to the account in both clients, once each', async () => {
    await bob.sendChat(E, 'hello to both of you', 'b-1');
    for (const core of [one, two]) {
      await core.waitForEvent('message.added', (m) => m.body === 'hello to both of you');
      assert.equal(count(await history(core, E, B), 'hello to both of you'), 1);
    }
  });

  it("shows a message sent to one client's full JID in the other as a received carbon", async () => {
    await bob.send(chatMessage(oneJid, 'b-2', 'just for client one'));
    const copy = await two.waitForEvent('message.added', (m) => m.body === 'just for client one');
    assert.deepEqual([copy.peer, copy.direction, copy.state], [B, 'in', 'received']);
    await one.waitForEvent('message.added', (m) => m.body === 'just for client one');
  });

  it('shows what one client sends in the other as outbound, in the right conversation, once', async () => {
    const sent = await one.core.handlers['message.send']({ accountId: E, to: B, body: 'sent from client one' });
    await bob.waitFor((s) => s.getChildText('body') === 'sent from client one');
    const copy = await two.waitForEvent('message.added', (m) => m.body === 'sent from client one');
    assert.deepEqual([copy.peer, copy.direction, copy.state], [B, 'out', 'acked']);
    assert.equal(count(await history(two, E, B), 'sent from client one'), 1);
    assert.equal(count(await history(one, E, B), 'sent from client one'), 1);
    assert.equal(sent.direction, 'out');
    const { conversations } = await two.core.handlers['conversations.list']({ accountId: E });
    assert.deepEqual(
      conversations.map((c) => c.peer),
      [B],
      'no conversation with our own account',
    );
    assert.equal(bob.received.filter((s) => s.getChildText('body') === 'sent from client one').length, 1);
  });

  it('stores a message that arrives both live and as a carbon once, in either order', async () => {
    // The same stanza (same id, as a sender re-sending after a lost session does), once to each client.
    await bob.send(chatMessage(twoJid, 'b-twice', 'live first, then the carbon'));
    await bob.send(chatMessage(oneJid, 'b-twice', 'live first, then the carbon'));
    await bob.send(chatMessage(oneJid, 'b-twice-2', 'carbon first, then live'));
    await bob.send(chatMessage(twoJid, 'b-twice-2', 'carbon first, then live'));
    await bob.send(chatMessage(E, 'b-after', 'after the doubles'));
    await flush(bob);
    for (const core of [one, two]) {
      await core.waitForEvent('message.added', (m) => m.body === 'after the doubles');
      const all = await history(core, E, B);
      assert.equal(count(all, 'live first, then the carbon'), 1);
      assert.equal(count(all, 'carbon first, then live'), 1);
      assert.equal(
        core.events.filter(
          (e) => e.name === 'message.added' && (e.payload as Message).body === 'live first, then the carbon',
        ).length,
        1,
        'shown once',
      );
    }
  });

  it('shows corrections, retractions and reactions made on one client in the other', async () => {
    const theirs = await two.waitForEvent('message.added', (m) => m.body === 'hello to both of you');
    const mine = await one.core.handlers['message.send']({ accountId: E, to: B, body: 'typo hree' });
    const copy = await two.waitForEvent('message.added', (m) => m.body === 'typo hree');
    await one.core.handlers['message.correct']({ accountId: E, messageId: mine.id, body: 'typo here' });
    const corrected = await two.waitForEvent('message.updated', (m) => m.id === copy.id && m.body === 'typo here');
    assert.equal(typeof corrected.editedAt, 'number');
    const first = one.events.find(
      (e) => e.name === 'message.added' && (e.payload as Message).body === 'hello to both of you',
    );
    const theirsInOne = first?.payload as Message;
    await one.core.handlers['message.react']({ accountId: E, messageId: theirsInOne.id, reactions: ['❤️'] });
    const reacted = await two.waitForEvent('message.updated', (m) => m.id === theirs.id && m.reactions !== undefined);
    assert.deepEqual(reacted.reactions, [{ emoji: '❤️', count: 1, mine: true }]);
    await one.core.handlers['message.retract']({ accountId: E, messageId: mine.id });
    await two.waitForEvent('message.updated', (m) => m.id === copy.id && m.retracted === true);
  });

  it('adds nothing when the archive brings live messages and carbons again (sync point lost)', async () => {
    for (const which of ['one', 'two'] as const) {
      const core = which === 'one' ? one : two;
      // Our messages the server has not acknowledged yet would move on to 'acked' (their archived copies say so).
      for (const m of (await history(core, E, B)).filter((x) => x.state === 'sent'))
        await core.waitForEvent('message.updated', (u) => u.id === m.id && u.state === 'acked');
      const before = await history(core, E, B);
      await core.core.shutdown();
      forgetSyncPoint(core.dataDir);
      const again = await startCore(core.dataDir, fast, true);
      if (which === 'one') one = again;
      else two = again;
      await signIn(again, E, 'erin-pw', server.server);
      const afterSync = await history(again, E, B);
      assert.deepEqual(afterSync, before, `client ${which}: nothing added, duplicated or changed`);
      assert.ok(!again.events.some((e) => e.name === 'message.added'), `client ${which}: nothing shown again`);
    }
  });
});

describe('offline storage (XEP-0160) with delayed delivery (XEP-0203) and the archive', () => {
  const O = 'olga@localhost';
  const B = 'bob@localhost';
  let server: ProsodyServer;
  let olga: TestCore;
  let bob: Peer;

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'olga', password: 'olga-pw', name: 'Olga' },
        { username: 'bob', password: 'bob-pw', name: 'Bob' },
      ],
      sharedGroup: 'Team',
    });
    bob = await startPeer(server, 'bob', 'bob-pw');
    olga = await startCore(await tempDir('parley-offline-'), fast, true);
  });

  after(async () => {
    await bob.stop().catch(() => undefined);
    await olga.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('stores a message once when both the archive and offline storage deliver it', async () => {
    await signIn(olga, O, 'olga-pw', server.server);
    await olga.core.handlers['account.signOut']({ accountId: O });
    // Offline: Prosody archives these and keeps them in offline storage too.
    await bob.sendChat(O, 'while away 1', 'away-1');
    await bob.sendChat(O, 'while away 2', 'away-2');
    await bob.sendChat(O, 'while away, no id'); // identity: the archive's stanza-id, then a hash
    await flush(bob);
    await signIn(olga, O, 'olga-pw', server.server);
    const fromArchive = await history(olga, O, B);
    assert.deepEqual(
      fromArchive.map((m) => m.body),
      ['while away 1', 'while away 2', 'while away, no id'],
    );
    await olga.core.handlers['account.signOut']({ accountId: O });

    // Prosody does not replay offline storage to a client that queried its archive, so the
    // copies are still there: take the archive away (the server's admin disables it), and
    // the next sign-in gets them from offline storage.
    await appendFile(
      path.join(server.dir, 'prosody.cfg.lua'),
      '\nmodules_disabled = { "s2s"; "dialback"; "s2s_auth_certs"; "limits"; "mam" }\n',
    );
    await bob.stop();
    await server.restart();
    bob = await startPeer(server, 'bob', 'bob-pw');
    await bob.sendChat(O, 'after the archive went away', 'away-3');
    await flush(bob);
    const added = olga.events.filter((e) => e.name === 'message.added').length;
    await olga.core.handlers['account.signIn']({ jid: O, password: 'olga-pw', server: server.server });
    await olga.waitForEvent('message.added', (m) => m.body === 'after the archive went away', 10_000);
    assert.ok(
      olga.logs.some((l) => l.includes('no server archive')),
      'the archive was not there',
    );
    const bodies = (await history(olga, O, B)).map((m) => m.body);
    assert.deepEqual(bodies, [...fromArchive.map((m) => m.body), 'after the archive went away']);
    assert.deepEqual((await history(olga, O, B)).slice(0, 3), fromArchive, 'the archived ones unchanged');
    assert.equal(olga.events.filter((e) => e.name === 'message.added').length, added + 1, 'only the new one shown');
  });

  it('shows offline messages delivered at login with their original times, in order (XEP-0203)', async () => {
    await olga.core.handlers['account.signOut']({ accountId: O });
    const sentAt: number[] = [];
    for (const n of [1, 2, 3]) {
      sentAt.push(Date.now());
      await bob.sendChat(O, `late ${String(n)}`, `late-${String(n)}`);
      await flush(bob);
      if (n < 3) await sleep(1100); // offline storage stamps whole seconds
    }
    await sleep(1100);
    const signedInAt = Date.now();
    await olga.core.handlers['account.signIn']({ jid: O, password: 'olga-pw', server: server.server });
    await olga.waitForEvent('message.added', (m) => m.body === 'late 3', 10_000);
    const late = (await history(olga, O, B)).slice(-3);
    assert.deepEqual(
      late.map((m) => m.body),
      ['late 1', 'late 2', 'late 3'],
    );
    late.forEach((m, i) => {
      assert.ok(m.timestamp < signedInAt, `late ${String(i + 1)} keeps its original time`);
      assert.ok(
        Math.abs(m.timestamp - (sentAt[i] ?? 0)) < 1500,
        `late ${String(i + 1)}: ${String(m.timestamp)} vs ${String(sentAt[i])}`,
      );
    });
    const [t1, t2, t3] = late.map((m) => m.timestamp);
    assert.ok(t1 !== undefined && t2 !== undefined && t3 !== undefined && t1 < t2 && t2 < t3, 'in order');
  });

  it('leaves nothing unacknowledged on the server when it signs out (XEP-0198 counts every stanza)', async () => {
    // Prosody hands what a closed session never acknowledged to offline storage (no archive
    // here): a client that signs in next, like this plain one that does not use the archive,
    // would get it all again.
    for (const n of [1, 2, 3]) await bob.sendChat(O, `seen in Parley ${String(n)}`, `seen-${String(n)}`);
    await olga.waitForEvent('message.added', (m) => m.body === 'seen in Parley 3');
    await olga.core.handlers['account.signOut']({ accountId: O });
    const phone = await startPeer(server, 'olga', 'olga-pw');
    try {
      await flush(phone);
      await sleep(300);
      assert.deepEqual(
        phone.received.flatMap((s) => (s.is('message') && s.getChild('body') ? [s.getChildText('body')] : [])),
        [],
        'nothing comes back from offline storage',
      );
    } finally {
      await phone.stop();
    }
  });
});

/**
 * Attention (issue 7) against a real Prosody: which messages from a real peer produce
 * notification intents (through the core's NotifierPort), a burst grouped into one
 * notification, a click leading the renderer to the conversation, and a clean quit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import type { NotificationIntent, TrayModel } from '../../main/core/attention/ports.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, type TestCore } from '../support/core.ts';
import { startPeer, type Peer } from '../support/peer.ts';

/** Waits until the tray (told at most every 100 ms) shows what `check` wants. */
async function trayShows(trays: readonly TrayModel[], check: (m: TrayModel) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const last = trays.at(-1);
    if (last && check(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the tray never showed ${what}: ${JSON.stringify(trays.at(-1))}`);
}

describe('core against Prosody: attention (notifications, tray, quit)', () => {
  let server: ProsodyServer;
  let alice: TestCore;
  let bob: Peer;
  const aliceJid = 'alice@localhost';
  const bobJid = 'bob@localhost';
  const shown: NotificationIntent[] = [];
  const closed: string[] = [];
  const trays: TrayModel[] = [];
  const tag = `message:${aliceJid}:${bobJid}`;
  /** The newest message of the burst. */
  let burstEnd = 0;

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'alice-pw', name: 'Alice' },
        { username: 'bob', password: 'bob-pw', name: 'Bob Builder' },
      ],
      sharedGroup: 'Team',
    });
    alice = await startCore(undefined, {
      notifier: { show: (n) => shown.push(n), close: (t) => closed.push(t) },
      tray: { update: (m) => trays.push(m) },
    });
    bob = await startPeer(server, 'bob', 'bob-pw');
    const state = await alice.core.handlers['account.signIn']({
      jid: aliceJid,
      password: 'alice-pw',
      server: server.server,
    });
    assert.equal(state.status, 'online');
    await alice.waitForEvent('roster.updated', (e) =>
      e.contacts.some((c) => c.jid === bobJid && c.show === 'available'),
    );
  });

  after(async () => {
    await bob.stop().catch(() => undefined);
    await alice.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('nothing for a message in the conversation shown in the focused window', async () => {
    await alice.core.handlers['app.setActive']({ active: true });
    await alice.core.handlers['app.setVisibleConversation']({ conversation: { accountId: aliceJid, peer: bobJid } });
    await bob.sendChat(aliceJid, 'you are looking at this', 'seen-1');
    await alice.waitForEvent('message.added', (m) => m.body === 'you are looking at this');
    assert.deepEqual(shown, []);
    await trayShows(trays, (m) => m.presence === 'available', 'available');
  });

  it('a burst of 10 in a conversation not shown is one notification updated in place, with one sound', async () => {
    await alice.core.handlers['app.setVisibleConversation']({ conversation: null });
    for (let i = 1; i <= 10; i += 1) await bob.sendChat(aliceJid, `burst ${String(i)}`, `burst-${String(i)}`);
    burstEnd = (await alice.waitForEvent('message.added', (m) => m.body === 'burst 10', 10_000)).id;
    const first = await alice.waitForEvent('message.added', (m) => m.body === 'burst 1');
    const mine = shown.filter((n) => n.tag === tag);
    assert.equal(mine.length, 10, 'one intent per message, all under one tag');
    assert.equal(mine.filter((n) => !n.replace).length, 1, 'exactly one new notification');
    assert.equal(mine.filter((n) => n.sound).length, 1, 'one sound');
    const latest = mine.at(-1);
    assert.ok(latest);
    assert.equal(latest.count, 10);
    assert.equal(latest.title, 'Bob Builder (10)');
    assert.equal(latest.body, 'burst 10');
    // A click opens the conversation at the first message of the burst, to read on from there.
    assert.deepEqual(latest.target, { accountId: aliceJid, peer: bobJid, messageId: first.id });
    await trayShows(trays, (m) => m.unread >= 10, 'the unread messages');
  });

  it('a click opens the conversation at the message; reading it closes the notification', async () => {
    const latest = shown.at(-1);
    assert.ok(latest);
    const navigated = alice.waitForNext('app.navigate');
    alice.core.attention.openTarget(latest.target);
    assert.deepEqual(await navigated, latest.target);
    // The user reads down to the end of the burst.
    await alice.core.handlers['conversation.markRead']({ accountId: aliceJid, peer: bobJid, upTo: burstEnd });
    assert.deepEqual(closed, [tag]);
    await trayShows(trays, (m) => m.unread === 0, 'nothing unread');
  });

  it('a muted conversation and "do not disturb" stay quiet', async () => {
    const before = shown.length;
    const muted = await alice.core.handlers['conversation.update']({
      accountId: aliceJid,
      peer: bobJid,
      mutedUntil: Date.now() + 3600_000,
    });
    assert.ok((muted.mutedUntil ?? 0) > Date.now());
    await bob.sendChat(aliceJid, 'while muted', 'muted-1');
    await alice.waitForEvent('message.added', (m) => m.body === 'while muted');
    assert.equal(shown.length, before);
    const unmuted = await alice.core.handlers['conversation.update']({
      accountId: aliceJid,
      peer: bobJid,
      mutedUntil: null,
    });
    assert.equal(unmuted.mutedUntil, null);
    await alice.core.handlers['presence.set']({ accountId: aliceJid, show: 'dnd' });
    await bob.sendChat(aliceJid, 'while busy', 'dnd-1');
    await alice.waitForEvent('message.added', (m) => m.body === 'while busy');
    assert.equal(shown.length, before);
    await trayShows(trays, (m) => m.presence === 'dnd', 'do not disturb');
    await alice.core.handlers['presence.set']({ accountId: aliceJid, show: 'available' });
    await bob.sendChat(aliceJid, 'back again', 'back-1');
    await alice.waitForEvent('message.added', (m) => m.body === 'back again');
    assert.equal(shown.length, before + 1);
  });

  it('an xmpp: link becomes an app.uri event for the renderer to confirm', async () => {
    const offered = alice.waitForNext('app.uri');
    await alice.core.handlers['app.openUri']({ uri: 'xmpp:bob@localhost?message;body=Hi%20Bob' });
    assert.deepEqual(await offered, { action: 'message', jid: bobJid, body: 'Hi Bob' });
    assert.deepEqual(await alice.core.handlers['app.takeUri']({}), {
      request: { action: 'message', jid: bobJid, body: 'Hi Bob' },
    });
    assert.deepEqual(await alice.core.handlers['app.takeUri']({}), { request: null });
    await assert.rejects(alice.core.handlers['app.openUri']({ uri: 'xmpp://alice@localhost/bob@localhost' }), {
      code: 'bad-request',
    });
  });

  it('quitting signs out cleanly: contacts see us go unavailable', async () => {
    const gone = bob.waitFor(
      (s) =>
        s.is('presence') && s.attrs['type'] === 'unavailable' && String(s.attrs['from']).startsWith(`${aliceJid}/`),
      10_000,
    );
    await alice.shutdown();
    await gone;
  });
});

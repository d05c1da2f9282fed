import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySettingsPatch, defaultSettings, type Settings, type SettingsPatch } from '../../../preload/settings.ts';
import { Attention, BURST_GAP_MS, type MessageEvent } from '../../../main/core/attention/attention.ts';
import type { NotificationIntent } from '../../../main/core/attention/ports.ts';
import type { OwnShow } from '../../../main/core/attention/strings.ts';

const ALICE = 'alice@example.org';
const ME = 'me@example.org';

function world(patch: SettingsPatch = {}) {
  let settings: Settings = applySettingsPatch(defaultSettings, patch);
  let now = 1_000_000;
  const shown: NotificationIntent[] = [];
  const closed: string[] = [];
  const shows = new Map<string, OwnShow>();
  const prefs = new Map<string, { mutedUntil: number | null; sound: boolean }>();
  let lookups = 0;
  const attention = new Attention({
    notifier: {
      show: (n) => shown.push(n),
      close: (tag) => closed.push(tag),
    },
    settings: () => settings,
    systemLocale: () => 'en-US',
    ownShow: (a) => shows.get(a),
    conversation: (a, p) => prefs.get(`${a} ${p}`),
    now: () => now,
  });
  let nextId = 1;
  const message = (over: Partial<MessageEvent> = {}): MessageEvent => ({
    accountId: ME,
    peer: ALICE,
    messageId: nextId++,
    direction: 'in',
    via: 'live',
    sender: () => {
      lookups += 1;
      return { name: 'Alice', avatarPath: '/data/avatars/a.png' };
    },
    body: 'Hello there',
    blocked: false,
    ...over,
  });
  return {
    attention,
    shown,
    closed,
    shows,
    prefs,
    message,
    lookups: () => lookups,
    advance: (ms: number) => (now += ms),
    now: () => now,
    set: (p: SettingsPatch) => (settings = applySettingsPatch(settings, p)),
  };
}

describe('attention: which messages notify', () => {
  it('a live message in a conversation not shown notifies with sender, text, avatar and its target', () => {
    const w = world();
    w.attention.onMessage(w.message({ messageId: 42 }));
    assert.equal(w.shown.length, 1);
    assert.deepEqual(w.shown[0], {
      kind: 'message',
      tag: `message:${ME}:${ALICE}`,
      replace: false,
      title: 'Alice',
      body: 'Hello there',
      icon: '/data/avatars/a.png',
      target: { accountId: ME, peer: ALICE, messageId: 42 },
      sound: true,
      count: 1,
    });
  });

  it('nothing for catch-up or older history, own carbons, own messages or blocked senders (and no lookups)', () => {
    const w = world();
    w.attention.onMessage(w.message({ via: 'archive' }));
    w.attention.onMessage(w.message({ via: 'carbon', direction: 'out' }));
    w.attention.onMessage(w.message({ via: 'live', direction: 'out' }));
    w.attention.onMessage(w.message({ blocked: true }));
    assert.deepEqual(w.shown, []);
    assert.equal(w.lookups(), 0);
  });

  it('a carbon of a message another device of ours received notifies like a live one', () => {
    const w = world();
    w.attention.onMessage(w.message({ via: 'carbon', direction: 'in' }));
    assert.equal(w.shown.length, 1);
  });

  it('nothing for the conversation shown in the focused window; something once the window loses focus', () => {
    const w = world();
    w.attention.setVisible({ accountId: ME, peer: ALICE });
    w.attention.setActive(true);
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 0);
    // Another conversation does notify.
    w.attention.onMessage(w.message({ peer: 'bob@example.org' }));
    assert.equal(w.shown.length, 1);
    w.attention.setActive(false);
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 2);
    assert.equal(w.shown[1]?.target.peer, ALICE);
  });

  it('showing the conversation in the focused window closes its notification', () => {
    const w = world();
    w.attention.onMessage(w.message());
    w.attention.setVisible({ accountId: ME, peer: ALICE });
    assert.deepEqual(w.closed, []); // not focused yet
    w.attention.setActive(true);
    assert.deepEqual(w.closed, [`message:${ME}:${ALICE}`]);
  });

  it('"do not disturb" on the account suppresses; other accounts still notify', () => {
    const w = world();
    w.shows.set(ME, 'dnd');
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 0);
    w.attention.onMessage(w.message({ accountId: 'work@example.com' }));
    assert.equal(w.shown.length, 1);
    w.shows.set(ME, 'away');
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 2);
  });

  it('a global mute until a time suppresses until then; notifications off suppress', () => {
    const w = world();
    w.set({ notifications: { mutedUntil: w.now() + 3600_000 } });
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 0);
    w.advance(3600_001);
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 1);
    w.set({ notifications: { enabled: false } });
    w.attention.onMessage(w.message({ peer: 'carol@example.org' }));
    assert.equal(w.shown.length, 1);
  });

  it('a muted conversation stays quiet until its mute ends; its sound can be off on its own', () => {
    const w = world();
    w.prefs.set(`${ME} ${ALICE}`, { mutedUntil: w.now() + 1000, sound: true });
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 0);
    w.advance(1001);
    w.prefs.set(`${ME} ${ALICE}`, { mutedUntil: null, sound: false });
    w.attention.onMessage(w.message());
    assert.equal(w.shown.length, 1);
    assert.equal(w.shown[0]?.sound, false);
  });
});

describe('attention: bursts', () => {
  it('a burst of 100 messages is one notification updated in place, with one sound', () => {
    const w = world();
    for (let i = 0; i < 100; i += 1) {
      w.attention.onMessage(w.message({ body: `message ${String(i)}` }));
      w.advance(50);
    }
    const tags = new Set(w.shown.map((n) => n.tag));
    assert.equal(tags.size, 1, 'one tag for the conversation');
    assert.equal(w.shown.filter((n) => !n.replace).length, 1, 'one new notification, the rest replace it');
    assert.equal(w.shown.filter((n) => n.sound).length, 1, 'one sound');
    const last = w.shown.at(-1);
    assert.ok(last);
    assert.equal(last.count, 100);
    assert.equal(last.title, 'Alice (100)');
    assert.equal(last.body, 'message 99');
    assert.equal(last.target.messageId, w.shown[0]?.target.messageId, 'a click opens the burst at its start');
  });

  it('after a quiet gap a new burst may sound again; seeing the conversation starts afresh', () => {
    const w = world();
    w.attention.onMessage(w.message());
    w.advance(BURST_GAP_MS + 1);
    w.attention.onMessage(w.message());
    assert.deepEqual(
      w.shown.map((n) => n.sound),
      [true, true],
    );
    w.attention.seen(ME, ALICE);
    assert.deepEqual(w.closed, [`message:${ME}:${ALICE}`]);
    w.attention.onMessage(w.message());
    assert.equal(w.shown.at(-1)?.count, 1);
    assert.equal(w.shown.at(-1)?.replace, false);
  });

  it('an answer from this or another device (an own carbon) closes the notification', () => {
    const w = world();
    w.attention.onMessage(w.message());
    w.attention.onMessage(w.message({ direction: 'out', via: 'carbon' }));
    assert.deepEqual(w.closed, [`message:${ME}:${ALICE}`]);
  });

  it('two conversations are two groups', () => {
    const w = world();
    w.attention.onMessage(w.message());
    w.attention.onMessage(w.message({ peer: 'bob@example.org' }));
    assert.deepEqual(
      w.shown.map((n) => [n.tag, n.replace, n.sound]),
      [
        [`message:${ME}:${ALICE}`, false, true],
        [`message:${ME}:bob@example.org`, false, true],
      ],
    );
  });

  it('sound off in the settings: never a sound', () => {
    const w = world({ notifications: { sound: false } });
    w.attention.onMessage(w.message());
    assert.equal(w.shown[0]?.sound, false);
  });
});

describe('attention: privacy', () => {
  it('"sender": "New message from Alice", no text', () => {
    const w = world({ privacy: { notificationContent: 'sender' } });
    w.attention.onMessage(w.message({ body: 'the secret' }));
    w.attention.onMessage(w.message({ body: 'the secret' }));
    assert.deepEqual(
      w.shown.map((n) => [n.title, n.body, n.icon]),
      [
        ['Parley', 'New message from Alice', '/data/avatars/a.png'],
        ['Parley', '2 new messages from Alice', '/data/avatars/a.png'],
      ],
    );
  });

  it('"none": "New message", neither sender nor avatar', () => {
    const w = world({ privacy: { notificationContent: 'none' } });
    w.attention.onMessage(w.message({ body: 'the secret' }));
    assert.deepEqual(w.shown[0] && [w.shown[0].title, w.shown[0].body, w.shown[0].icon], [
      'Parley',
      'New message',
      undefined,
    ]);
    assert.ok(!JSON.stringify(w.shown).includes('Alice'));
    assert.ok(!JSON.stringify(w.shown).includes('secret'));
  });

  it('long or multi-line text is flattened and clipped', () => {
    const w = world();
    w.attention.onMessage(w.message({ body: `line one\n\nline two ${'x'.repeat(500)}` }));
    const body = w.shown[0]?.body ?? '';
    assert.ok(body.startsWith('line one line two'));
    assert.equal(body.length, 200);
    assert.ok(body.endsWith('…'));
  });

  it('in Chinese when the language is Chinese', () => {
    const w = world({ general: { language: 'zh-CN' }, privacy: { notificationContent: 'sender' } });
    w.attention.onMessage(w.message());
    assert.equal(w.shown[0]?.body, '来自 Alice 的新消息');
  });
});

describe('attention: requests and problems', () => {
  it('a subscription request notifies (grouped per contact), silenced by "do not disturb"', () => {
    const w = world();
    w.attention.onSubscriptionRequest({ accountId: ME, jid: 'dave@example.org', nick: 'Dave' });
    const first = w.shown[0];
    assert.ok(first);
    assert.equal(first.kind, 'subscription');
    assert.equal(first.body, 'Dave would like to add you as a contact');
    assert.equal(first.tag, `subscription:${ME}:dave@example.org`);
    assert.deepEqual(first.target, { accountId: ME });
    w.shows.set(ME, 'dnd');
    w.attention.onSubscriptionRequest({ accountId: ME, jid: 'erin@example.org' });
    assert.equal(w.shown.length, 1);
  });

  it('a connection problem notifies once per failure, again after the account was online', () => {
    const w = world();
    w.attention.onConnectionProblem({ accountId: ME, code: 'auth-failed' });
    w.attention.onConnectionProblem({ accountId: ME, code: 'auth-failed' });
    assert.equal(w.shown.length, 1);
    assert.match(w.shown[0]?.body ?? '', /password/u);
    w.attention.onConnectionProblem({ accountId: ME, code: 'certificate-changed' });
    assert.equal(w.shown.length, 2);
    assert.match(w.shown[1]?.body ?? '', /certificate/u);
    w.attention.connected(ME);
    assert.deepEqual(w.closed, [`connection:${ME}`]);
    w.attention.onConnectionProblem({ accountId: ME, code: 'certificate-changed' });
    assert.equal(w.shown.length, 3);
  });

  it('room mentions, invitations and files have their hooks (mentions from the archive stay quiet)', () => {
    const w = world();
    const room = 'tea@rooms.example.org';
    w.attention.onRoomMention({
      accountId: ME,
      room,
      roomName: 'Tea',
      messageId: 7,
      senderName: 'Bob',
      body: 'me: hi',
      via: 'archive',
    });
    assert.equal(w.shown.length, 0);
    w.attention.onRoomMention({
      accountId: ME,
      room,
      roomName: 'Tea',
      messageId: 8,
      senderName: 'Bob',
      body: 'me: hi',
      via: 'live',
    });
    w.attention.onRoomInvitation({ accountId: ME, room, roomName: 'Tea', from: ALICE, fromName: 'Alice' });
    w.attention.onIncomingFile({ accountId: ME, peer: ALICE, senderName: 'Alice', fileName: 'cat.jpg' });
    assert.deepEqual(
      w.shown.map((n) => [n.kind, n.body]),
      [
        ['room-mention', 'Bob: me: hi'],
        ['room-invitation', 'Alice invites you to Tea'],
        ['file', 'Alice sends you cat.jpg'],
      ],
    );
  });

  it('the close-to-tray hint shows only while it was not shown yet', () => {
    const w = world();
    assert.equal(w.attention.closeToTrayHint(), true);
    assert.equal(w.shown[0]?.kind, 'hint');
    w.set({ general: { closeToTrayHintShown: true } });
    assert.equal(w.attention.closeToTrayHint(), false);
    assert.equal(w.shown.length, 1);
  });
});

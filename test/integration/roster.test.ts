/**
 * The roster issue against a real Prosody, with two Parley cores (alice, bob) and a plain
 * @xmpp/client peer (carol): roster add/rename/groups/remove (RFC 6121), subscriptions from
 * each side, own presence (restored after a restart; Invisible as "appear offline"), vCards
 * (XEP-0054), avatars (XEP-0084 + XEP-0153), blocking (XEP-0191), roster versioning
 * (XEP-0237), verified caps (XEP-0115) and what Parley answers (XEP-0030 disco#info, XEP-0092,
 * XEP-0202, XEP-0012, XEP-0199).
 *
 * Directory search (XEP-0055), gateways (XEP-0100) and the invisible command (XEP-0186) have
 * no Prosody 0.12 module in Debian: their protocol is covered by stanza fixtures in
 * test/unit/xmpp/{directory,gateways,invisible}.test.ts; here only what the core does on a
 * server without them is checked.
 */
import assert from 'node:assert/strict';
import { deflateSync, crc32 } from 'node:zlib';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { Contact } from '../../preload/contract.ts';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { capsVerification, parseDiscoInfo } from '../../main/core/xmpp/disco.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, tempDir, type TestCore } from '../support/core.ts';
import { startPeer, type Peer } from '../support/peer.ts';

const fast = { backoff: { baseMs: 200, maxMs: 2000 }, livenessMs: 5000 };
const A = 'alice@localhost';
const B = 'bob@localhost';
const C = 'carol@localhost';

async function signIn(core: TestCore, jid: string, password: string, server: string): Promise<void> {
  const done = core.waitForNext('archive.sync', (e) => e.accountId === jid && !e.running, 20_000);
  await core.core.handlers['account.signIn']({ jid, password, server });
  await done;
}

/** The contact as the latest roster.updated showed it (for failure messages). */
function lastSeen(core: TestCore, account: string, jid: string): string {
  for (let i = core.events.length - 1; i >= 0; i--) {
    const e = core.events[i];
    if (e?.name !== 'roster.updated') continue;
    const p = e.payload as { accountId: string; contacts: Contact[] };
    const c = p.accountId === account ? p.contacts.find((x) => x.jid === jid) : undefined;
    if (c) return JSON.stringify(c);
  }
  return 'never shown';
}

const contactIn = async (
  core: TestCore,
  account: string,
  jid: string,
  check: (c: Contact) => boolean,
  timeoutMs = 10_000,
) => {
  try {
    return await core.waitForEvent(
      'roster.updated',
      (e) => e.accountId === account && e.contacts.some((c) => c.jid === jid && check(c)),
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${String(err)}; ${jid} was last ${lastSeen(core, account, jid)}`, { cause: err });
  }
};

const contactNext = (
  core: TestCore,
  account: string,
  jid: string,
  check: (c: Contact) => boolean,
  timeoutMs = 10_000,
) =>
  core.waitForNext(
    'roster.updated',
    (e) => e.accountId === account && e.contacts.some((c) => c.jid === jid && check(c)),
    timeoutMs,
  );

async function contactOf(core: TestCore, account: string, jid: string): Promise<Contact | undefined> {
  const { contacts } = await core.core.handlers['roster.list']({ accountId: account });
  return contacts.find((c) => c.jid === jid);
}

/** A 2×2 PNG (real header, real CRCs): an avatar every check accepts. */
function tinyPng(seed: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, seed, 0, 0, 0, seed, 0, 0, 0, 0, seed, 0, 0, 0, seed]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let iqCounter = 0;
async function iq(peer: Peer, to: string, payload: Element, type: 'get' | 'set' = 'get'): Promise<Element> {
  const id = `t${String(++iqCounter)}`;
  await peer.send(xml('iq', { type, to, id }, payload));
  return peer.waitFor((s) => s.is('iq') && s.attrs['id'] === id, 10_000);
}

describe('roster, subscriptions, presence and profiles (RFC 6121, XEP-0237/0115/0054/0084/0153/0191)', () => {
  let server: ProsodyServer;
  let alice: TestCore;
  let bob: TestCore;
  let carol: Peer;
  /** Bob's idle time in seconds, as the host's port reports it. */
  let bobIdle = 0;

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'alice-pw', name: 'Alice' },
        { username: 'bob', password: 'bob-pw', name: 'Bob' },
        { username: 'carol', password: 'carol-pw', name: 'Carol' },
      ],
      modules: ['lastactivity'],
    });
    alice = await startCore(await tempDir('parley-roster-a-'), fast, true);
    bob = await startCore(
      await tempDir('parley-roster-b-'),
      { ...fast, idleSeconds: () => bobIdle, autoAway: { awayAfterS: 60, xaAfterS: 120, pollMs: 50 } },
      true,
    );
    await signIn(alice, A, 'alice-pw', server.server);
    await signIn(bob, B, 'bob-pw', server.server);
    carol = await startPeer(server, 'carol', 'carol-pw');
  });

  after(async () => {
    await carol.stop().catch(() => undefined);
    await alice.shutdown().catch(() => undefined);
    await bob.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('adds a contact with a name and group; the request is pending, then accepted from each side; presence flows', async () => {
    const bobAsked = bob.waitForNext('subscriptions.updated', (e) =>
      e.requests.some((r) => r.jid === A && r.direction === 'in'),
    );
    await alice.core.handlers['roster.add']({ accountId: A, jid: B, name: 'Bob', groups: ['Friends'] });
    await contactIn(alice, A, B, (c) => c.name === 'Bob' && c.groups.includes('Friends') && c.pending === true);
    const { requests: out } = await alice.core.handlers['subscriptions.list']({ accountId: A });
    assert.ok(out.some((r) => r.jid === B && r.direction === 'out'));
    await bobAsked;

    // Bob accepts: that also asks for Alice's presence, which Alice accepts in turn.
    const aliceAsked = alice.waitForNext('subscriptions.updated', (e) =>
      e.requests.some((r) => r.jid === B && r.direction === 'in'),
    );
    await bob.core.handlers['subscription.answer']({ accountId: B, jid: A, action: 'approve' });
    await aliceAsked;
    await alice.core.handlers['subscription.answer']({ accountId: A, jid: B, action: 'approve' });

    await contactIn(alice, A, B, (c) => c.subscription === 'both' && c.show !== 'offline' && !c.pending);
    await contactIn(bob, B, A, (c) => c.subscription === 'both' && c.show !== 'offline');
    assert.deepEqual((await alice.core.handlers['subscriptions.list']({ accountId: A })).requests, []);
    assert.deepEqual((await bob.core.handlers['subscriptions.list']({ accountId: B })).requests, []);

    // Own status, seen by the other side.
    const own = await bob.core.handlers['presence.set']({ accountId: B, show: 'away', status: 'at lunch' });
    assert.equal(own.show, 'away');
    assert.deepEqual(own.recent[0], { show: 'away', status: 'at lunch' });
    await contactIn(alice, A, B, (c) => c.show === 'away' && c.status === 'at lunch');
    await bob.core.handlers['presence.set']({ accountId: B, show: 'dnd', status: 'busy' });
    await contactIn(alice, A, B, (c) => c.show === 'dnd' && c.status === 'busy');
    await bob.core.handlers['presence.set']({ accountId: B, show: 'available' });
    await contactIn(alice, A, B, (c) => c.show === 'available');
  });

  it('goes away and extended away when idle, publishing the idle time (XEP-0319), and comes back', async () => {
    const away = contactNext(alice, A, B, (c) => c.show === 'away');
    bobIdle = 90;
    await away;
    const own = await bob.core.handlers['presence.get']({ accountId: B });
    assert.equal(own.show, 'away');
    assert.equal(own.auto, true);
    const profile = await alice.core.handlers['contact.profile']({ accountId: A, jid: B });
    const idleSince = profile.resources[0]?.idleSince;
    assert.ok(
      idleSince !== undefined && Math.abs(Date.now() - 90_000 - idleSince) < 10_000,
      `idle since ${String(idleSince)}`,
    );
    const xa = contactNext(alice, A, B, (c) => c.show === 'xa');
    bobIdle = 150;
    await xa;
    const back = contactNext(alice, A, B, (c) => c.show === 'available');
    bobIdle = 0;
    await back;
    assert.equal((await bob.core.handlers['presence.get']({ accountId: B })).auto, undefined);
  });

  it('Invisible on Prosody 0.12 (no XEP-0186): appears offline to contacts while messages still flow', async () => {
    // The server offers no XEP-0186 command: Invisible can only be "appear offline".
    const answer = await iq(carol, 'localhost', xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }));
    const query = answer.getChild('query', 'http://jabber.org/protocol/disco#info');
    const info = query ? parseDiscoInfo(query) : undefined;
    assert.ok(info, answer.toString());
    assert.ok(!info.features.some((f) => f.startsWith('urn:xmpp:invisible:')), 'Prosody 0.12 has no XEP-0186');
    await contactIn(alice, A, B, (c) => c.show === 'available');

    const gone = contactNext(alice, A, B, (c) => c.show === 'offline');
    const own = await bob.core.handlers['presence.set']({ accountId: B, show: 'offline' });
    assert.equal(own.show, 'offline');
    assert.equal(own.invisibility, 'appear-offline');
    await gone;
    assert.equal((await bob.core.handlers['app.snapshot']({})).accounts.find((a) => a.id === B)?.status, 'online');

    // Still signed in: Bob writes to Carol, and her answer to his device reaches him.
    await bob.core.handlers['message.send']({ accountId: B, to: C, body: 'writing while invisible' });
    const got = await carol.waitFor((m) => m.is('message') && m.getChildText('body') === 'writing while invisible');
    const from = String(got.attrs['from']);
    assert.ok(from.startsWith(`${B}/`), `from Bob's resource: ${from}`);
    const reply = bob.waitForNext('message.added', (m) => m.peer === C && m.body === 'seen it');
    await carol.sendChat(from, 'seen it', 'invisible-reply-1');
    await reply;
    // Alice saw no presence from him meanwhile.
    assert.equal((await contactOf(alice, A, B))?.show, 'offline');

    const back = contactNext(alice, A, B, (c) => c.show === 'available');
    await bob.core.handlers['presence.set']({ accountId: B, show: 'available' });
    await back;
  });

  it('renames a contact, copies and moves it between groups, renames a group', async () => {
    await alice.core.handlers['roster.update']({ accountId: A, jid: B, name: 'Bobby' });
    await contactIn(alice, A, B, (c) => c.name === 'Bobby' && c.groups.join() === 'Friends');
    await alice.core.handlers['roster.update']({ accountId: A, jid: B, groups: ['Friends', 'Work'] });
    await contactIn(alice, A, B, (c) => [...c.groups].sort().join() === 'Friends,Work');
    const { changed } = await alice.core.handlers['roster.renameGroup']({ accountId: A, from: 'Friends', to: 'Pals' });
    assert.equal(changed, 1);
    await contactIn(alice, A, B, (c) => c.name === 'Bobby' && [...c.groups].sort().join() === 'Pals,Work');
    await alice.core.handlers['roster.update']({ accountId: A, jid: B, groups: ['Work'] });
    await contactIn(alice, A, B, (c) => c.groups.join() === 'Work');
    await assert.rejects(
      alice.core.handlers['roster.update']({ accountId: A, jid: 'nobody@localhost', name: 'x' }),
      (err: { code?: string }) => err.code === 'not-found',
    );
  });

  it('verifies and caches caps: a second presence with the same ver asks nothing', async () => {
    const asked = () => bob.logs.filter((l) => l.includes('asking alice@localhost/') && l.includes('for caps')).length;
    for (let i = 0; i < 50 && !bob.logs.some((l) => l.includes('verified and cached')); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      bob.logs.some((l) => l.includes('verified and cached')),
      'bob cached alice’s caps',
    );
    const before = asked();
    assert.ok(before <= 1);
    await alice.core.handlers['presence.set']({ accountId: A, show: 'chat', status: 'hello' });
    await contactIn(bob, B, A, (c) => c.show === 'chat' && c.status === 'hello');
    assert.equal(asked(), before, 'no new disco#info query for a known ver');
    // The profile shows the resource with the client's name (caps identity) and version (XEP-0092).
    const profile = await bob.core.handlers['contact.profile']({ accountId: B, jid: A });
    assert.equal(profile.resources.length, 1);
    const [resource] = profile.resources;
    assert.ok(resource);
    assert.equal(resource.client, 'Parley');
    assert.equal(resource.version, '0.1.0');
    assert.equal(resource.show, 'chat');
    await alice.core.handlers['presence.set']({ accountId: A, show: 'available' });
  });

  it('edits our vCard and shows it in the contact’s profile (XEP-0054)', async () => {
    const vcard = {
      fullName: 'Alice Liddell',
      nickname: 'alice',
      emails: [{ address: 'alice@example.org', kind: 'home' as const }],
      phones: [{ number: '+44 1865 000000' }],
      addresses: [{ locality: 'Oxford', country: 'UK' }],
      birthday: '1852-05-04',
    };
    // (Prosody's mod_vcard_legacy stores vcard-temp as vCard4 and loses DESC and phone types
    // on the way back; the fields here survive its round trip.)
    const saved = await alice.core.handlers['vcard.set']({ accountId: A, vcard });
    assert.equal(saved.vcard.fullName, 'Alice Liddell');
    const again = await alice.core.handlers['vcard.get']({ accountId: A });
    assert.deepEqual(again.vcard, { ...vcard });
    const profile = await bob.core.handlers['contact.profile']({ accountId: B, jid: A });
    const card = profile.vcard;
    assert.ok(card);
    assert.equal(card.fullName, 'Alice Liddell');
    assert.equal(card.birthday, '1852-05-04');
    assert.equal(card.emails[0]?.address, 'alice@example.org');
    // XEP-0172: the nickname went to PEP too; bob has no roster name for alice, so it shows.
    await contactIn(bob, B, A, (c) => c.nick === 'alice' && c.name === 'alice');
  });

  it('publishes an avatar that the contact shows: same hash, same cached bytes (XEP-0084, XEP-0153)', async () => {
    const png = tinyPng(200);
    const hash = createHash('sha1').update(png).digest('hex');
    const { hash: published } = await alice.core.handlers['avatar.set']({ accountId: A, data: png.toString('base64') });
    assert.equal(published, hash);
    await contactIn(bob, B, A, (c) => c.avatar === hash, 15_000);
    const { dataUrl } = await bob.core.handlers['avatar.get']({ hash });
    assert.equal(dataUrl, `data:image/png;base64,${png.toString('base64')}`);
    const own = await alice.core.handlers['vcard.get']({ accountId: A });
    assert.equal(own.avatar, hash);
    await assert.rejects(
      alice.core.handlers['avatar.set']({ accountId: A, data: Buffer.from('<svg/>').toString('base64') }),
      (err: { code?: string }) => err.code === 'bad-request',
    );
  });

  it('answers disco#info (caps node too), version, time, last activity and ping for Parley', async () => {
    // Carol and Alice share presence (carol is a plain client answering by hand).
    await alice.core.handlers['roster.add']({ accountId: A, jid: C, name: 'Carol' });
    await carol.waitFor((s) => s.is('presence') && s.attrs['type'] === 'subscribe' && s.attrs['from'] === A);
    await carol.send(xml('presence', { to: A, type: 'subscribed' }));
    const asked = alice.waitForNext('subscriptions.updated', (e) => e.requests.some((r) => r.jid === C));
    await carol.send(xml('presence', { to: A, type: 'subscribe' }));
    await asked;
    await alice.core.handlers['subscription.answer']({ accountId: A, jid: C, action: 'approve' });
    const presence = await carol.waitFor(
      (s) => s.is('presence') && String(s.attrs['from']).startsWith(`${A}/`) && s.attrs['type'] === undefined,
      10_000,
    );
    const full = String(presence.attrs['from']);
    const c = presence.getChild('c', 'http://jabber.org/protocol/caps');
    assert.ok(c, 'caps in our presence');
    assert.ok(presence.getChild('x', 'vcard-temp:x:update'), 'XEP-0153 element in our presence');

    const info = await iq(carol, full, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }));
    assert.equal(info.attrs['type'], 'result');
    const features = info
      .getChild('query')
      ?.getChildren('feature')
      .map((f): unknown => f.attrs['var']);
    for (const f of [
      'http://jabber.org/protocol/caps',
      'urn:xmpp:ping',
      'jabber:iq:version',
      'urn:xmpp:avatar:metadata+notify',
    ])
      assert.ok(features?.includes(f), f);
    const node = `${String(c.attrs['node'])}#${String(c.attrs['ver'])}`;
    const byNode = await iq(carol, full, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info', node }));
    assert.equal(byNode.attrs['type'], 'result');
    assert.equal(byNode.getChild('query')?.attrs['node'], node);
    const parsed = parseDiscoInfo(byNode.getChild('query') ?? xml('none'));
    assert.ok(parsed);
    assert.equal(capsVerification(parsed), String(c.attrs['ver']), 'the answer hashes to the advertised ver');
    const unknown = await iq(
      carol,
      full,
      xml('query', { xmlns: 'http://jabber.org/protocol/disco#info', node: 'nope' }),
    );
    assert.equal(unknown.attrs['type'], 'error');
    assert.ok(unknown.getChild('error')?.getChild('item-not-found'));

    const version = await iq(carol, full, xml('query', { xmlns: 'jabber:iq:version' }));
    assert.equal(version.getChild('query')?.getChildText('name'), 'Parley');
    const time = await iq(carol, full, xml('time', { xmlns: 'urn:xmpp:time' }));
    assert.match(time.getChild('time')?.getChildText('utc') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u);
    const last = await iq(carol, full, xml('query', { xmlns: 'jabber:iq:last' }));
    assert.equal(last.attrs['type'], 'result');
    assert.match(String(last.getChild('query')?.attrs['seconds']), /^\d+$/u);
    const ping = await iq(carol, full, xml('ping', { xmlns: 'urn:xmpp:ping' }));
    assert.equal(ping.attrs['type'], 'result');
  });

  it('blocks a contact: no messages and no presence arrive, the blocklist says so; then unblocks (XEP-0191)', async () => {
    await contactIn(alice, A, C, (c) => c.show !== 'offline');
    const { jids } = await alice.core.handlers['blocklist.block']({ accountId: A, jid: C });
    assert.deepEqual(jids, [C]);
    await contactIn(alice, A, C, (c) => c.blocked === true && c.show === 'offline');
    await carol.sendChat(A, 'you should not see this', 'blocked-1');
    await carol.send(xml('presence', {}, xml('status', {}, 'still here')));
    // A round trip through alice's session: anything carol's stanzas caused would be here by now.
    await alice.core.handlers['vcard.get']({ accountId: A });
    const { messages } = await alice.core.handlers['messages.list']({ accountId: A, peer: C });
    assert.deepEqual(messages, []);
    assert.equal((await contactOf(alice, A, C))?.show, 'offline');
    assert.deepEqual((await alice.core.handlers['blocklist.list']({ accountId: A })).jids, [C]);

    const { jids: after } = await alice.core.handlers['blocklist.unblock']({ accountId: A, jid: C });
    assert.deepEqual(after, []);
    await contactIn(alice, A, C, (c) => c.blocked !== true);
    const arrived = alice.waitForNext('message.added', (m) => m.peer === C && m.body === 'after unblock');
    await carol.sendChat(A, 'after unblock', 'unblocked-1');
    await arrived;
  });

  it('reconnects with an unchanged roster: an empty result, the cache kept (XEP-0237)', async () => {
    assert.ok(
      alice.logs.some((l) => /roster of \d+ items received \(version [^-]/u.test(l)),
      'the first roster came with a version',
    );
    const before = await alice.core.handlers['roster.list']({ accountId: A });
    const mark = alice.logs.length;
    await alice.core.handlers['account.signOut']({ accountId: A });
    await signIn(alice, A, 'alice-pw', server.server);
    const fresh = alice.logs.slice(mark);
    assert.ok(
      fresh.some((l) => l.includes('roster unchanged')),
      `an empty roster result: ${fresh.filter((l) => l.includes('roster')).join(' | ')}`,
    );
    assert.ok(!fresh.some((l) => /roster of \d+ items received/u.test(l)));
    const after = await alice.core.handlers['roster.list']({ accountId: A });
    assert.deepEqual(
      after.contacts.map((c) => [c.jid, c.name, c.groups, c.subscription]),
      before.contacts.map((c) => [c.jid, c.name, c.groups, c.subscription]),
    );
  });

  it('has no directory (XEP-0055) or gateways (XEP-0100) on Prosody 0.12, and says so (their protocol: unit fixtures)', async () => {
    await assert.rejects(
      alice.core.handlers['directory.form']({ accountId: A }),
      (err: { code?: string }) => err.code === 'not-supported',
    );
    assert.deepEqual((await alice.core.handlers['gateways.list']({ accountId: A })).gateways, []);
  });

  it('shows when an offline contact was last seen, with its last status (XEP-0012)', async () => {
    await contactIn(alice, A, C, (c) => c.show !== 'offline');
    const gone = contactNext(alice, A, C, (c) => c.show === 'offline');
    await carol.send(xml('presence', { type: 'unavailable' }, xml('status', {}, 'gone fishing')));
    await gone;
    const profile = await alice.core.handlers['contact.profile']({ accountId: A, jid: C });
    assert.deepEqual(profile.resources, []);
    assert.ok(profile.lastSeen, 'the server answered for the offline contact');
    assert.ok(Math.abs(Date.now() - profile.lastSeen.at) < 60_000, `last seen ${String(profile.lastSeen.at)}`);
    assert.equal(profile.lastSeen.status, 'gone fishing');
  });

  it('restores the chosen status (show and message) after a restart: the first presence carries it', async () => {
    await bob.core.handlers['presence.set']({ accountId: B, show: 'dnd', status: 'deep work' });
    await contactIn(alice, A, B, (c) => c.show === 'dnd' && c.status === 'deep work');
    await bob.core.handlers['presence.set']({ accountId: B, show: 'xa' }); // the last one chosen: no message
    await contactIn(alice, A, B, (c) => c.show === 'xa' && c.status === undefined);
    const gone = contactNext(alice, A, B, (c) => c.show === 'offline');
    bob = await bob.restart();
    await gone;
    const restored = await bob.core.handlers['presence.get']({ accountId: B });
    assert.equal(restored.show, 'xa');
    assert.equal(restored.status, undefined);
    assert.deepEqual(restored.recent[0], { show: 'dnd', status: 'deep work' });
    const mark = alice.events.length;
    const seen = contactNext(alice, A, B, (c) => c.show === 'xa');
    await signIn(bob, B, 'bob-pw', server.server);
    await seen;
    // Never "available" first: the initial presence after the restart was the restored one.
    assert.ok(
      !alice.events
        .slice(mark)
        .some(
          (e) =>
            e.name === 'roster.updated' &&
            (e.payload as { contacts: Contact[] }).contacts.some((c) => c.jid === B && c.show === 'available'),
        ),
    );
    await bob.core.handlers['presence.set']({ accountId: B, show: 'available' });
    await contactIn(alice, A, B, (c) => c.show === 'available');
  });

  it('removes a contact with both subscriptions', async () => {
    const removed = alice.waitForNext('roster.updated', (e) => e.accountId === A && e.removed.includes(B));
    const bobSees = contactNext(bob, B, A, (c) => c.subscription === 'none');
    await alice.core.handlers['roster.remove']({ accountId: A, jid: B });
    await removed;
    assert.equal(await contactOf(alice, A, B), undefined);
    await bobSees;
    for (let i = 0; i < 50 && (await contactOf(bob, B, A))?.show !== 'offline'; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal((await contactOf(bob, B, A))?.show, 'offline', 'alice no longer shares her presence with bob');
  });
});

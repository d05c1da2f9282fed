import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreError } from '../../../main/core/errors.ts';
import {
  buildRosterGetVersioned,
  buildRosterRemove,
  buildRosterSet,
  buildSubscribe,
  buildSubscribed,
  buildUnsubscribe,
  buildUnsubscribed,
  MAX_GROUP_CHARS,
  MAX_GROUPS,
  normalizeGroups,
  parseRosterPush,
  parseRosterResult,
  parseRosterVersion,
  parseSubscription,
  supportsRosterVersioning,
} from '../../../main/core/xmpp/roster-ops.ts';
import { stanza } from '../../support/stanza.ts';

const OWN = 'juliet@example.com';

describe('xmpp/roster-ops: roster management (RFC 6121 §2.3, §2.5)', () => {
  it('builds a roster set with name and groups (trimmed, de-duplicated)', () => {
    assert.equal(
      buildRosterSet({
        jid: 'Nurse@Example.com',
        name: ' Nurse ',
        groups: [' Servants ', 'Servants', '', 'Family'],
      }).toString(),
      '<query xmlns="jabber:iq:roster"><item jid="nurse@example.com" name="Nurse">' +
        '<group>Servants</group><group>Family</group></item></query>',
    );
    assert.equal(
      buildRosterSet({ jid: 'nurse@example.com', name: '  ' }).toString(),
      '<query xmlns="jabber:iq:roster"><item jid="nurse@example.com"/></query>',
    );
  });

  it('refuses invalid JIDs, full JIDs and groups past the limits', () => {
    assert.throws(() => buildRosterSet({ jid: '@@' }), CoreError);
    assert.throws(() => buildRosterSet({ jid: 'nurse@example.com/res' }), CoreError);
    assert.throws(() => buildRosterSet({ jid: 'nurse@example.com', name: 'x'.repeat(2000) }), CoreError);
    const tooMany = Array.from({ length: MAX_GROUPS + 1 }, (_, i) => `g${String(i)}`);
    assert.throws(() => normalizeGroups(tooMany), CoreError);
    assert.equal(normalizeGroups([...tooMany.slice(0, MAX_GROUPS), 'g0']).length, MAX_GROUPS);
    assert.throws(() => normalizeGroups(['x'.repeat(MAX_GROUP_CHARS + 1)]), CoreError);
    assert.deepEqual(normalizeGroups([` ${'x'.repeat(MAX_GROUP_CHARS)} `]), ['x'.repeat(MAX_GROUP_CHARS)]);
  });

  it('builds a removal', () => {
    assert.equal(
      buildRosterRemove('Nurse@example.com').toString(),
      '<query xmlns="jabber:iq:roster"><item jid="nurse@example.com" subscription="remove"/></query>',
    );
    assert.throws(() => buildRosterRemove(''), CoreError);
  });
});

describe('xmpp/roster-ops: roster versioning (XEP-0237)', () => {
  it('detects the stream feature', () => {
    assert.equal(
      supportsRosterVersioning(
        stanza(
          `<stream:features xmlns:stream="http://etherx.jabber.org/streams"><ver xmlns="urn:xmpp:features:rosterver"/></stream:features>`,
        ),
      ),
      true,
    );
    assert.equal(
      supportsRosterVersioning(
        stanza(`<stream:features xmlns:stream="http://etherx.jabber.org/streams"><ver/></stream:features>`),
      ),
      false,
    );
  });

  it("asks with ver='' first, then with the stored version, and without it when unsupported", () => {
    assert.equal(buildRosterGetVersioned(undefined).toString(), '<query xmlns="jabber:iq:roster"/>');
    assert.equal(buildRosterGetVersioned('').toString(), '<query xmlns="jabber:iq:roster" ver=""/>');
    assert.equal(buildRosterGetVersioned('ver14').toString(), '<query xmlns="jabber:iq:roster" ver="ver14"/>');
  });

  it('parses the version of a result, and an empty result as "unchanged"', () => {
    assert.deepEqual(parseRosterResult(undefined), { kind: 'unchanged' });
    const result = parseRosterResult(
      stanza(`<query xmlns="jabber:iq:roster" ver="ver11"><item jid="romeo@example.net" subscription="both"/></query>`),
    );
    assert.deepEqual(result, {
      kind: 'full',
      ver: 'ver11',
      changes: [
        { kind: 'upsert', item: { jid: 'romeo@example.net', name: undefined, subscription: 'both', groups: [] } },
      ],
    });
    assert.deepEqual(parseRosterResult(stanza(`<query xmlns="jabber:iq:roster"/>`)), { kind: 'full', changes: [] });
    assert.equal(parseRosterVersion(stanza(`<query xmlns="jabber:iq:roster" ver="${'v'.repeat(2000)}"/>`)), undefined);
    assert.equal(parseRosterVersion(stanza(`<query xmlns="jabber:iq:roster" ver="a&#9;b"/>`)), undefined);
    assert.equal(parseRosterVersion(stanza(`<query xmlns="jabber:iq:other" ver="1"/>`)), undefined);
  });

  it('parses pushes with their version, from our own account only, with exactly one item', () => {
    const push = stanza(
      `<query xmlns="jabber:iq:roster" ver="ver34"><item jid="bob@example.net" subscription="remove"/></query>`,
    );
    assert.deepEqual(parseRosterPush(push, undefined, OWN), {
      change: { kind: 'remove', jid: 'bob@example.net' },
      ver: 'ver34',
    });
    assert.ok(parseRosterPush(push, OWN, OWN));
    assert.equal(parseRosterPush(push, 'mallory@evil.example', OWN), undefined);
    const two = stanza(
      `<query xmlns="jabber:iq:roster"><item jid="a@example.net"/><item jid="b@example.net"/></query>`,
    );
    assert.equal(parseRosterPush(two, undefined, OWN), undefined);
    assert.equal(parseRosterPush(stanza(`<query xmlns="jabber:iq:roster"/>`), undefined, OWN), undefined);
    assert.equal(
      parseRosterPush(stanza(`<query xmlns="jabber:iq:roster"><item jid="@@"/></query>`), undefined, OWN),
      undefined,
    );
  });
});

describe('xmpp/roster-ops: subscriptions (RFC 6121 §3, XEP-0172)', () => {
  it('builds subscription presences to bare JIDs, with a note and nickname on subscribe', () => {
    assert.equal(
      buildSubscribe('Romeo@example.net', { status: ' Hi, it is Juliet ', nick: 'Juliet' }).toString(),
      '<presence to="romeo@example.net" type="subscribe"><status>Hi, it is Juliet</status>' +
        '<nick xmlns="http://jabber.org/protocol/nick">Juliet</nick></presence>',
    );
    assert.equal(buildSubscribe('romeo@example.net').toString(), '<presence to="romeo@example.net" type="subscribe"/>');
    assert.equal(buildSubscribed('romeo@example.net').attrs['type'], 'subscribed');
    assert.equal(buildUnsubscribe('romeo@example.net').attrs['type'], 'unsubscribe');
    assert.equal(buildUnsubscribed('romeo@example.net').attrs['type'], 'unsubscribed');
    assert.throws(() => buildSubscribe('romeo@example.net/orchard'), CoreError);
    assert.throws(() => buildSubscribed('not valid@'), CoreError);
  });

  it('parses incoming subscription presences', () => {
    assert.deepEqual(
      parseSubscription(
        stanza(`<presence from="Romeo@example.net/orchard" type="subscribe">
          <status>Let me see you\u202e</status><nick xmlns="http://jabber.org/protocol/nick"> Romeo </nick>
        </presence>`),
      ),
      { kind: 'subscribe', from: 'romeo@example.net', status: 'Let me see you', nick: 'Romeo' },
    );
    for (const kind of ['subscribed', 'unsubscribe', 'unsubscribed'])
      assert.deepEqual(parseSubscription(stanza(`<presence from="romeo@example.net" type="${kind}"/>`)), {
        kind,
        from: 'romeo@example.net',
      });
    // A nickname only means something on a request.
    assert.deepEqual(
      parseSubscription(
        stanza(
          `<presence from="romeo@example.net" type="subscribed"><nick xmlns="http://jabber.org/protocol/nick">R</nick></presence>`,
        ),
      ),
      { kind: 'subscribed', from: 'romeo@example.net' },
    );
  });

  it('rejects other presences and senders that are not valid user JIDs', () => {
    assert.equal(parseSubscription(stanza(`<presence from="romeo@example.net"/>`)), undefined);
    assert.equal(parseSubscription(stanza(`<presence from="romeo@example.net" type="unavailable"/>`)), undefined);
    assert.equal(parseSubscription(stanza(`<presence from="romeo@example.net" type="probe"/>`)), undefined);
    assert.equal(parseSubscription(stanza(`<presence type="subscribe"/>`)), undefined);
    assert.equal(parseSubscription(stanza(`<presence from="@example.net" type="subscribe"/>`)), undefined);
    assert.equal(parseSubscription(stanza(`<presence from="example.net" type="subscribe"/>`)), undefined);
    assert.equal(parseSubscription(stanza(`<message from="romeo@example.net" type="subscribe"/>`)), undefined);
    const long = parseSubscription(
      stanza(
        `<presence from="romeo@example.net" type="subscribe"><nick xmlns="http://jabber.org/protocol/nick">${'n'.repeat(1000)}</nick></presence>`,
      ),
    );
    assert.equal(long?.nick?.length, 256);
  });
});

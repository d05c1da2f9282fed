import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLegitimatePush, parseRosterQuery } from '../../../main/core/xmpp/roster.ts';
import { parsePresence, PresenceBook } from '../../../main/core/xmpp/presence.ts';
import { stanza } from '../../support/stanza.ts';

describe('xmpp/roster (RFC 6121 §2)', () => {
  it('parses items, groups and removals, skipping invalid JIDs', () => {
    const query = stanza(`<query xmlns="jabber:iq:roster">
      <item jid="Bob@Example.org" name=" Bob " subscription="both"><group>Friends</group><group>Work</group><group>Friends</group></item>
      <item jid="carol@example.org" subscription="weird"/>
      <item jid="gone@example.org" subscription="remove"/>
      <item jid="@@@" subscription="both"/>
    </query>`);
    assert.deepEqual(parseRosterQuery(query), [
      {
        kind: 'upsert',
        item: { jid: 'bob@example.org', name: 'Bob', subscription: 'both', groups: ['Friends', 'Work'] },
      },
      { kind: 'upsert', item: { jid: 'carol@example.org', name: undefined, subscription: 'none', groups: [] } },
      { kind: 'remove', jid: 'gone@example.org' },
    ]);
  });

  it('accepts roster pushes only from our own bare JID', () => {
    assert.equal(isLegitimatePush(undefined, 'alice@example.org'), true);
    assert.equal(isLegitimatePush('alice@example.org', 'alice@example.org'), true);
    assert.equal(isLegitimatePush('mallory@example.org', 'alice@example.org'), false);
    assert.equal(isLegitimatePush('alice@example.org/res', 'alice@example.org'), false);
  });
});

describe('xmpp/presence (RFC 6121 §4)', () => {
  it('picks the best resource by priority, then availability', () => {
    const book = new PresenceBook();
    const p = (xml: string) => {
      const update = parsePresence(stanza(xml));
      assert.ok(update);
      book.apply(update);
    };
    assert.deepEqual(book.best('bob@example.org'), { show: 'offline' });
    p(`<presence from="bob@example.org/a"><show>away</show><status>lunch</status></presence>`);
    assert.deepEqual(book.best('bob@example.org'), { show: 'away', status: 'lunch' });
    p(`<presence from="bob@example.org/b"><show>dnd</show><priority>5</priority></presence>`);
    assert.equal(book.best('bob@example.org').show, 'dnd');
    p(`<presence from="bob@example.org/b" type="unavailable"/>`);
    assert.equal(book.best('bob@example.org').show, 'away');
    p(`<presence from="bob@example.org/a" type="unavailable"/>`);
    assert.deepEqual(book.best('bob@example.org'), { show: 'offline' });
  });

  it('ignores subscription presences and bad senders', () => {
    assert.equal(parsePresence(stanza(`<presence from="bob@example.org" type="subscribe"/>`)), undefined);
    assert.equal(parsePresence(stanza(`<presence from="@bad"/>`)), undefined);
  });
});

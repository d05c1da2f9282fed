import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildNick,
  buildNickPublish,
  cleanDisplayText,
  displayName,
  MAX_NICK,
  parseNick,
  parseNickEvent,
} from '../../../main/core/xmpp/nick.ts';
import { stanza } from '../../support/stanza.ts';

const event = (items: string, from = 'juliet@capulet.lit') =>
  stanza(
    `<message from="${from}" to="romeo@montague.lit/home"><event xmlns="http://jabber.org/protocol/pubsub#event">${items}</event></message>`,
  );
const nickItem = (nick: string) =>
  `<items node="http://jabber.org/protocol/nick"><item id="current"><nick xmlns="http://jabber.org/protocol/nick">${nick}</nick></item></items>`;

describe('xmpp/nick (XEP-0172)', () => {
  it('reads the nickname in a subscription request or a message', () => {
    assert.equal(
      parseNick(
        stanza(
          '<presence from="juliet@capulet.lit" type="subscribe"><nick xmlns="http://jabber.org/protocol/nick"> Juliet </nick></presence>',
        ),
      ),
      'Juliet',
    );
    assert.equal(
      parseNick(
        stanza(
          '<message from="juliet@capulet.lit/b"><body>hi</body><nick xmlns="http://jabber.org/protocol/nick">Jules</nick></message>',
        ),
      ),
      'Jules',
    );
    assert.equal(parseNick(stanza('<presence from="a@b"><nick>no namespace</nick></presence>')), undefined);
    assert.equal(
      parseNick(stanza('<presence from="a@b"><nick xmlns="http://jabber.org/protocol/nick">  </nick></presence>')),
      undefined,
    );
  });

  it('strips control characters and direction overrides, and bounds the length', () => {
    const nick = (text: string) =>
      parseNick(stanza(`<presence from="a@b"><nick xmlns="http://jabber.org/protocol/nick">${text}</nick></presence>`));
    assert.equal(nick('Eve&#x202E;gpj.exe'), 'Evegpj.exe');
    assert.equal(nick('line&#10;break&#9;tab&#x85;nel&#x2028;sep'), 'line break tab nel sep');
    assert.equal(nick('&#xFEFF;&#x2066;Mallory&#x2069;'), 'Mallory');
    assert.equal(nick('x'.repeat(500))?.length, MAX_NICK);
    // Cut by code points: an emoji on the limit is kept whole or not at all.
    const cut = nick(`${'a'.repeat(MAX_NICK - 1)}😺😺`);
    assert.equal(cut, `${'a'.repeat(MAX_NICK - 1)}😺`);
  });

  it('reads PEP notifications, including removal', () => {
    assert.deepEqual(parseNickEvent(event(nickItem('Jules'))), { jid: 'juliet@capulet.lit', nick: 'Jules' });
    assert.deepEqual(parseNickEvent(event(nickItem(''))), { jid: 'juliet@capulet.lit', nick: undefined });
    assert.deepEqual(
      parseNickEvent(event('<items node="http://jabber.org/protocol/nick"><retract id="current"/></items>')),
      { jid: 'juliet@capulet.lit', nick: undefined },
    );
    assert.deepEqual(parseNickEvent(event(nickItem('Jules'), 'Juliet@Capulet.lit/balcony')), {
      jid: 'juliet@capulet.lit',
      nick: 'Jules',
    });
  });

  it('ignores other nodes, other stanzas and invalid senders', () => {
    assert.equal(parseNickEvent(event('<items node="urn:xmpp:avatar:metadata"><item id="x"/></items>')), undefined);
    assert.equal(parseNickEvent(event(nickItem('Jules'), '')), undefined);
    assert.equal(parseNickEvent(event(nickItem('Jules'), 'a@b@c')), undefined);
    assert.equal(parseNickEvent(stanza('<presence from="a@b"/>')), undefined);
    assert.equal(
      parseNickEvent(event('<items node="http://jabber.org/protocol/nick"><item id="x"/></items>')),
      undefined,
    );
  });

  it('builds the element and the PEP publish', () => {
    assert.equal(buildNick('Romeo').toString(), '<nick xmlns="http://jabber.org/protocol/nick">Romeo</nick>');
    assert.equal(
      buildNickPublish('Romeo').toString(),
      '<pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="http://jabber.org/protocol/nick"><item id="current"><nick xmlns="http://jabber.org/protocol/nick">Romeo</nick></item></publish></pubsub>',
    );
    assert.equal(buildNick('r'.repeat(300)).getText().length, MAX_NICK);
  });

  it('picks the name to show: roster, then nickname, then vCard, then the JID', () => {
    const jid = 'juliet@capulet.lit';
    assert.equal(displayName({ jid, rosterName: 'My love', nick: 'Jules' }), 'My love');
    assert.equal(displayName({ jid, rosterName: '  ', nick: 'Jules', vcardFullName: 'Juliet C.' }), 'Jules');
    assert.equal(displayName({ jid, vcardNickname: 'J', vcardFullName: 'Juliet C.' }), 'J');
    assert.equal(displayName({ jid, vcardFullName: 'Juliet C.' }), 'Juliet C.');
    assert.equal(displayName({ jid, nick: '\u202e' }), jid);
  });

  it('cleans multi-line text, keeping its lines', () => {
    assert.equal(cleanDisplayText('a\r\nb\u0007\n\n\n\nc  d', 100, true), 'a\nb\n\nc d');
    assert.equal(cleanDisplayText(42, 100), undefined);
  });
});

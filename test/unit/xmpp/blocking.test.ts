import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import xml from '@xmpp/xml';
import { CoreError } from '../../../main/core/errors.ts';
import {
  applyBlockingPush,
  blockedBy,
  buildBlock,
  buildBlocklistRequest,
  buildUnblock,
  buildUnblockAll,
  isBlockedError,
  normalizeBlockJid,
  parseBlockingPush,
  parseBlocklist,
} from '../../../main/core/xmpp/blocking.ts';
import { stanza } from '../../support/stanza.ts';

const OWN = 'juliet@capulet.com';

describe('xmpp/blocking (XEP-0191)', () => {
  it('asks for the blocklist and parses it, normalized and without invalid JIDs', () => {
    assert.equal(buildBlocklistRequest().toString(), `<blocklist xmlns="urn:xmpp:blocking"/>`);
    assert.deepEqual(
      parseBlocklist(
        stanza(`<blocklist xmlns="urn:xmpp:blocking">
          <item jid="Romeo@Montague.net"/>
          <item jid="iago@shakespeare.lit/Home"/>
          <item jid="spam.example"/>
          <item jid="romeo@montague.net"/>
          <item jid="@@"/>
          <item/>
        </blocklist>`),
      ),
      ['romeo@montague.net', 'iago@shakespeare.lit/Home', 'spam.example'],
    );
    assert.deepEqual(parseBlocklist(stanza(`<blocklist xmlns="urn:xmpp:blocking"/>`)), []);
    assert.equal(parseBlocklist(stanza(`<block xmlns="urn:xmpp:blocking"/>`)), undefined);
  });

  it('builds block and unblock requests for one JID or several', () => {
    assert.equal(
      buildBlock('Romeo@Montague.net').toString(),
      `<block xmlns="urn:xmpp:blocking"><item jid="romeo@montague.net"/></block>`,
    );
    assert.equal(
      buildUnblock(['romeo@montague.net', 'iago@shakespeare.lit', 'romeo@montague.net']).toString(),
      `<unblock xmlns="urn:xmpp:blocking"><item jid="romeo@montague.net"/><item jid="iago@shakespeare.lit"/></unblock>`,
    );
    assert.equal(buildUnblockAll().toString(), `<unblock xmlns="urn:xmpp:blocking"/>`);
  });

  it('never turns an empty or invalid list into "unblock all"', () => {
    assert.throws(() => buildUnblock([]), CoreError);
    assert.throws(() => buildBlock([]), CoreError);
    assert.throws(() => buildBlock('not a jid@'), CoreError);
    assert.throws(() => buildUnblock(['ok@example.org', '@@']), CoreError);
  });

  it('accepts pushes from our own account only', () => {
    const push = stanza(
      `<iq type="set" id="push1"><block xmlns="urn:xmpp:blocking"><item jid="Romeo@montague.net"/></block></iq>`,
    );
    assert.deepEqual(parseBlockingPush(push, undefined, OWN), { kind: 'block', jids: ['romeo@montague.net'] });
    assert.deepEqual(parseBlockingPush(push, OWN, OWN), { kind: 'block', jids: ['romeo@montague.net'] });
    assert.equal(parseBlockingPush(push, 'mallory@evil.example', OWN), undefined);
    assert.equal(parseBlockingPush(push, `${OWN}/balcony`, OWN), undefined);
    assert.equal(parseBlockingPush(push, 'capulet.com', OWN), undefined);
    // The payload alone works too (what an onIq handler gets as ctx.element).
    const payload = push.getChild('block');
    assert.ok(payload);
    assert.deepEqual(parseBlockingPush(payload, undefined, OWN), { kind: 'block', jids: ['romeo@montague.net'] });
  });

  it('parses unblock and unblock-all pushes, but not a push of only invalid items', () => {
    const p = (text: string) => parseBlockingPush(stanza(text), undefined, OWN);
    assert.deepEqual(p(`<unblock xmlns="urn:xmpp:blocking"><item jid="romeo@montague.net"/></unblock>`), {
      kind: 'unblock',
      jids: ['romeo@montague.net'],
    });
    assert.deepEqual(p(`<iq type="set"><unblock xmlns="urn:xmpp:blocking"/></iq>`), { kind: 'unblock-all' });
    assert.equal(p(`<unblock xmlns="urn:xmpp:blocking"><item jid="@@"/></unblock>`), undefined);
    assert.equal(p(`<unblock xmlns="urn:xmpp:blocking"><item/></unblock>`), undefined);
    assert.equal(p(`<block xmlns="urn:xmpp:blocking"/>`), undefined);
    assert.equal(p(`<iq type="get"><unblock xmlns="urn:xmpp:blocking"/></iq>`), undefined);
    assert.equal(p(`<unblock xmlns="urn:xmpp:other"/>`), undefined);
  });

  it('applies pushes to a blocklist', () => {
    let list = ['a@example.org'];
    list = applyBlockingPush(list, { kind: 'block', jids: ['b@example.org', 'a@example.org'] });
    assert.deepEqual(list, ['a@example.org', 'b@example.org']);
    list = applyBlockingPush(list, { kind: 'unblock', jids: ['a@example.org'] });
    assert.deepEqual(list, ['b@example.org']);
    assert.deepEqual(applyBlockingPush(list, { kind: 'unblock-all' }), []);
  });

  it('matches a JID against the blocklist like privacy lists do', () => {
    const list = new Set(['romeo@montague.net', 'spam.example', 'iago@shakespeare.lit/home', 'example.org/bot']);
    assert.equal(blockedBy(list, 'Romeo@montague.net/orchard'), 'romeo@montague.net');
    assert.equal(blockedBy(list, 'anyone@spam.example'), 'spam.example');
    assert.equal(blockedBy(list, 'iago@shakespeare.lit/home'), 'iago@shakespeare.lit/home');
    assert.equal(blockedBy(list, 'iago@shakespeare.lit/work'), undefined);
    assert.equal(blockedBy(list, 'x@example.org/bot'), 'example.org/bot');
    assert.equal(blockedBy(list, 'nurse@capulet.com'), undefined);
    assert.equal(blockedBy(list, '@@'), undefined);
    assert.equal(normalizeBlockJid('Iago@Shakespeare.lit/Home'), 'iago@shakespeare.lit/Home');
  });

  it('recognizes the <blocked/> error', () => {
    const bounce = stanza(`<message type="error" from="romeo@montague.net" id="m1">
      <error type="cancel">
        <not-acceptable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>
        <blocked xmlns="urn:xmpp:blocking:errors"/>
      </error>
    </message>`);
    assert.equal(isBlockedError(bounce), true);
    const error = bounce.getChild('error');
    assert.equal(isBlockedError(error), true);
    // xmpp.js's StanzaError carries the <error/> as `element`.
    assert.equal(isBlockedError({ name: 'StanzaError', condition: 'not-acceptable', element: error }), true);
    const other = xml(
      'error',
      { type: 'cancel' },
      xml('not-acceptable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }),
    );
    assert.equal(isBlockedError(other), false);
    assert.equal(isBlockedError(new Error('boom')), false);
    assert.equal(isBlockedError(undefined), false);
    assert.equal(isBlockedError({ name: 'StanzaError', element: 'nope' }), false);
  });
});

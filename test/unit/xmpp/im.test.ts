import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildChat,
  buildCorrection,
  buildReactions,
  buildRetraction,
  parseCarbon,
  parseIm,
  type ParsedIm,
} from '../../../main/core/xmpp/im.ts';
import { stanza } from '../../support/stanza.ts';

const OWN = 'alice@example.org';
const parseText = (text: string): ParsedIm => parseIm(stanza(text), OWN, 1000);

describe('xmpp/im: one-to-one message semantics', () => {
  it('reads a chat message with its chat state, either direction', () => {
    const inbound = parseText(
      `<message from="bob@example.org/phone" to="${OWN}" type="chat" id="m1"><body>hi</body><active xmlns="http://jabber.org/protocol/chatstates"/></message>`,
    );
    assert.ok(inbound.kind === 'chat', inbound.kind);
    assert.equal(inbound.direction, 'in');
    assert.equal(inbound.peer, 'bob@example.org');
    assert.equal(inbound.chatState, 'active');
    assert.equal(inbound.senderKey, 'm1');
    const outbound = parseText(
      `<message from="${OWN}/laptop" to="bob@example.org" type="chat" id="m2"><body>yo</body><origin-id xmlns="urn:xmpp:sid:0" id="o2"/></message>`,
    );
    assert.ok(outbound.kind === 'chat', outbound.kind);
    assert.equal(outbound.direction, 'out');
    assert.equal(outbound.peer, 'bob@example.org');
    assert.equal(outbound.senderKey, 'o2');
  });

  it('reads a bare chat state as a state, and ignores notes to self and groupchat', () => {
    const state = parseText(
      '<message from="bob@example.org/phone" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>',
    );
    assert.ok(state.kind === 'state', state.kind);
    assert.equal(state.chatState, 'composing');
    assert.equal(
      parseText(`<message from="${OWN}/a" to="${OWN}/b" type="chat"><body>self</body></message>`).kind,
      'ignore',
    );
    assert.equal(parseText('<message from="room@muc/bob" type="groupchat"><body>x</body></message>').kind, 'ignore');
    assert.equal(parseText('<message from="example.org" type="chat"><body>x</body></message>').kind, 'invalid');
    assert.equal(parseText('<message type="chat"><body>x</body></message>').kind, 'invalid');
  });

  it('reads a correction (XEP-0308), a retraction in both versions (XEP-0424) and reactions (XEP-0444)', () => {
    const c = parseText(
      '<message from="bob@example.org/p" type="chat" id="c1"><body>fixed</body><replace xmlns="urn:xmpp:message-correct:0" id="m1"/></message>',
    );
    assert.deepEqual(c.kind === 'correction' ? [c.target, c.body] : c, ['m1', 'fixed']);
    const r1 = parseText(
      '<message from="bob@example.org/p" type="chat" id="r1"><retract xmlns="urn:xmpp:message-retract:1" id="m1"/><body>fallback</body></message>',
    );
    assert.deepEqual(r1.kind === 'retraction' ? r1.target : r1, 'm1');
    const r0 = parseText(
      '<message from="bob@example.org/p" type="chat" id="r0"><apply-to xmlns="urn:xmpp:fasten:0" id="m9"><retract xmlns="urn:xmpp:message-retract:0"/></apply-to></message>',
    );
    assert.deepEqual(r0.kind === 'retraction' ? r0.target : r0, 'm9');
    const x = parseText(
      '<message from="bob@example.org/p" type="chat" id="x1"><reactions xmlns="urn:xmpp:reactions:0" id="m1"><reaction>👍</reaction><reaction>👍</reaction><reaction>🎉</reaction></reactions></message>',
    );
    assert.deepEqual(x.kind === 'reactions' ? [x.target, x.reactions] : x, ['m1', ['👍', '🎉']]);
    const cleared = parseText(
      '<message from="bob@example.org/p" type="chat" id="x2"><reactions xmlns="urn:xmpp:reactions:0" id="m1"/></message>',
    );
    assert.deepEqual(cleared.kind === 'reactions' ? cleared.reactions : cleared, [], 'an empty set removes them');
  });

  it('refuses malformed or oversized references and reactions', () => {
    const tooMany = Array.from({ length: 30 }, (_, i) => `<reaction>${String(i)}</reaction>`).join('');
    assert.equal(
      parseText(
        `<message from="bob@example.org" type="chat"><reactions xmlns="urn:xmpp:reactions:0" id="m1">${tooMany}</reactions></message>`,
      ).kind,
      'invalid',
    );
    assert.equal(
      parseText(
        `<message from="bob@example.org" type="chat"><reactions xmlns="urn:xmpp:reactions:0" id="m1"><reaction>${'x'.repeat(100)}</reaction></reactions></message>`,
      ).kind,
      'invalid',
    );
    assert.equal(
      parseText('<message from="bob@example.org" type="chat"><retract xmlns="urn:xmpp:message-retract:1"/></message>')
        .kind,
      'invalid',
    );
    assert.equal(
      parseText(
        `<message from="bob@example.org" type="chat"><body>x</body><replace xmlns="urn:xmpp:message-correct:0" id="${'y'.repeat(300)}"/></message>`,
      ).kind,
      'invalid',
    );
  });

  it('reads a reply (XEP-0461) and strips its fallback quote by code points (XEP-0428)', () => {
    const built = buildChat('bob@example.org', 'sounds good 👍', 'n1', [], {
      id: 'm1',
      to: 'bob@example.org/p',
      quote: 'shall we 🍕 tonight?\nor tomorrow',
    });
    built.attrs['from'] = 'bob@example.org/p';
    const parsed = parseIm(built, OWN, 0);
    assert.ok(parsed.kind === 'chat', parsed.kind);
    assert.equal(parsed.replyTo, 'm1');
    assert.equal(parsed.body, 'sounds good 👍');
    assert.equal(built.getChildText('body'), '> shall we 🍕 tonight?\n> or tomorrow\nsounds good 👍');
    // Nonsense ranges leave the body alone.
    const odd = parseText(
      '<message from="bob@example.org" type="chat"><body>hello</body><reply xmlns="urn:xmpp:reply:0" id="m1"/><fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:reply:0"><body start="3" end="99"/></fallback></message>',
    );
    assert.equal(odd.kind === 'chat' ? odd.body : odd, 'hello');
  });

  it('round-trips our own correction, retraction and reactions', () => {
    const mine = (el: ReturnType<typeof buildCorrection>) => {
      el.attrs['from'] = `${OWN}/parley`;
      return parseIm(el, OWN, 0);
    };
    const c = mine(buildCorrection('bob@example.org', 'c1', 'm1', 'new text'));
    assert.deepEqual(c.kind === 'correction' ? [c.direction, c.target, c.body] : c, ['out', 'm1', 'new text']);
    const r = mine(buildRetraction('bob@example.org', 'r1', 'm1'));
    assert.deepEqual(r.kind === 'retraction' ? [r.direction, r.target] : r, ['out', 'm1']);
    const x = mine(buildReactions('bob@example.org', 'x1', 'm1', ['❤️']));
    assert.deepEqual(x.kind === 'reactions' ? x.reactions : x, ['❤️']);
  });

  it('accepts carbons only from our own bare JID', () => {
    const carbon = (from: string) =>
      stanza(`<message from="${from}" to="${OWN}/parley" type="chat">
        <received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
          <message from="bob@example.org/p" to="${OWN}/phone" type="chat"><body>hi</body></message>
        </forwarded></received></message>`);
    const ok = parseCarbon(carbon(OWN), OWN);
    assert.ok(ok && ok !== 'spoofed');
    assert.equal(ok.kind, 'received');
    assert.equal(ok.message.getChildText('body'), 'hi');
    assert.equal(parseCarbon(carbon('mallory@example.org'), OWN), 'spoofed');
    assert.equal(parseCarbon(carbon(`${OWN}/other`), OWN), 'spoofed');
    assert.equal(parseCarbon(stanza('<message from="bob@example.org"><body>x</body></message>'), OWN), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stanza } from '../../support/stanza.ts';
import { buildChatMessage, parseChatMessage } from '../../../main/core/xmpp/chat.ts';

const NOW = 1_700_000_000_000;
const me = 'alice@example.org';

describe('xmpp/chat (RFC 6121 §5, XEP-0359, XEP-0203)', () => {
  it('parses a chat message with origin-id, our stanza-id and a delay', () => {
    const parsed = parseChatMessage(
      stanza(`<message type="chat" from="Bob@Example.org/phone" to="${me}" id="m1"><body>hi &lt;b&gt;</body>
        <origin-id xmlns="urn:xmpp:sid:0" id="o1"/>
        <stanza-id xmlns="urn:xmpp:sid:0" id="s-other" by="evil@example.org"/>
        <stanza-id xmlns="urn:xmpp:sid:0" id="s1" by="${me}"/>
        <delay xmlns="urn:xmpp:delay" stamp="2024-01-02T03:04:05Z"/></message>`),
      me,
      NOW,
    );
    assert.deepEqual(parsed, {
      kind: 'chat',
      message: {
        peer: 'bob@example.org',
        body: 'hi <b>',
        senderKey: 'o1',
        originId: 'o1',
        stanzaId: 's1',
        messageId: 'm1',
        timestamp: Date.parse('2024-01-02T03:04:05Z'),
      },
    });
  });

  it('falls back to the message id, then to a content hash, for identity', () => {
    const withId = parseChatMessage(
      stanza(`<message type="chat" from="bob@example.org" id="m7"><body>x</body></message>`),
      me,
      NOW,
    );
    assert.equal(withId.kind === 'chat' && withId.message.senderKey, 'm7');
    const a = parseChatMessage(stanza(`<message from="bob@example.org"><body>x</body></message>`), me, NOW);
    const b = parseChatMessage(stanza(`<message from="bob@example.org"><body>x</body></message>`), me, NOW);
    assert.ok(a.kind === 'chat' && b.kind === 'chat');
    assert.match(a.message.senderKey, /^h:/);
    assert.equal(a.message.senderKey, b.message.senderKey);
  });

  it('ignores what is not a one-to-one message with text', () => {
    for (const text of [
      `<message type="groupchat" from="room@muc.example.org/x"><body>x</body></message>`,
      `<message type="error" from="bob@example.org"><body>x</body></message>`,
      `<message type="chat" from="bob@example.org"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`,
      `<message type="chat" from="bob@example.org"><body>   </body></message>`,
      `<message type="chat" from="${me}/other"><body>own</body></message>`,
      `<presence from="bob@example.org"/>`,
    ]) {
      assert.equal(parseChatMessage(stanza(text), me, NOW).kind, 'ignore', text);
    }
  });

  it('reports malformed messages as invalid instead of throwing', () => {
    assert.equal(
      parseChatMessage(stanza(`<message type="chat" from="@@bad@@"><body>x</body></message>`), me, NOW).kind,
      'invalid',
    );
    assert.equal(
      parseChatMessage(stanza(`<message type="chat" from="example.org"><body>x</body></message>`), me, NOW).kind,
      'invalid',
    );
    assert.equal(parseChatMessage(stanza(`<message type="chat"><body>x</body></message>`), me, NOW).kind, 'invalid');
    const huge = 'a'.repeat(70_000);
    assert.equal(
      parseChatMessage(stanza(`<message type="chat" from="bob@example.org"><body>${huge}</body></message>`), me, NOW)
        .kind,
      'invalid',
    );
  });

  it('ignores a garbage delay stamp and uses the arrival time', () => {
    const parsed = parseChatMessage(
      stanza(
        `<message type="chat" from="bob@example.org" id="d"><body>x</body><delay xmlns="urn:xmpp:delay" stamp="yesterday"/></message>`,
      ),
      me,
      NOW,
    );
    assert.ok(parsed.kind === 'chat');
    assert.equal(parsed.message.timestamp, NOW);
  });

  it('builds an outbound message whose id doubles as its origin-id', () => {
    const el = buildChatMessage('bob@example.org', 'hello <world>', 'abc');
    assert.equal(
      el.toString(),
      '<message type="chat" to="bob@example.org" id="abc"><body>hello &lt;world&gt;</body><origin-id xmlns="urn:xmpp:sid:0" id="abc"/></message>',
    );
  });
});

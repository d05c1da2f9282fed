import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReceipt, feedbackRequests, parseFeedback, wantsReceipt } from '../../../main/core/xmpp/receipts.ts';
import { stanza } from '../../support/stanza.ts';

describe('xmpp/receipts (XEP-0184, XEP-0333)', () => {
  it('reads receipts, markers and error bounces', () => {
    assert.deepEqual(
      parseFeedback(stanza(`<message from="b@x/r"><received xmlns="urn:xmpp:receipts" id="m1"/></message>`)),
      { kind: 'delivered', id: 'm1' },
    );
    assert.deepEqual(
      parseFeedback(stanza(`<message from="b@x/r"><displayed xmlns="urn:xmpp:chat-markers:0" id="m2"/></message>`)),
      { kind: 'read', id: 'm2' },
    );
    assert.deepEqual(
      parseFeedback(stanza(`<message from="b@x/r"><received xmlns="urn:xmpp:chat-markers:0" id="m3"/></message>`)),
      { kind: 'delivered', id: 'm3' },
    );
    assert.deepEqual(
      parseFeedback(
        stanza(
          `<message type="error" id="m4" from="b@x"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`,
        ),
      ),
      { kind: 'error', id: 'm4', reason: 'the recipient cannot receive messages (service-unavailable)' },
    );
  });

  it('ignores plain messages and hostile ids', () => {
    assert.equal(parseFeedback(stanza(`<message from="b@x"><body>hi</body></message>`)), undefined);
    assert.equal(
      parseFeedback(stanza(`<message from="b@x"><received xmlns="urn:xmpp:receipts" id=""/></message>`)),
      undefined,
    );
    assert.equal(
      parseFeedback(
        stanza(`<message from="b@x"><received xmlns="urn:xmpp:receipts" id="${'x'.repeat(300)}"/></message>`),
      ),
      undefined,
    );
    assert.equal(parseFeedback(stanza(`<message type="error" from="b@x"><error/></message>`)), undefined);
  });

  it('requests receipts and markers, and answers requests', () => {
    assert.deepEqual(
      feedbackRequests().map((e) => e.toString()),
      ['<request xmlns="urn:xmpp:receipts"/>', '<markable xmlns="urn:xmpp:chat-markers:0"/>'],
    );
    assert.equal(wantsReceipt(stanza(`<message><body>x</body><request xmlns="urn:xmpp:receipts"/></message>`)), true);
    assert.equal(
      buildReceipt('b@x/r', 'r1', 'm1').toString(),
      '<message to="b@x/r" id="r1"><received xmlns="urn:xmpp:receipts" id="m1"/></message>',
    );
  });
});

/**
 * XEP-0308 corrections that arrive before the message they correct, against a real Prosody
 * with an independent slixmpp peer: held until the original is stored, then applied once,
 * before the original is shown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startAliceAndSlixmpp } from '../support/alice-and-slixmpp.ts';
import type { TestCore } from '../support/core.ts';
import type { SlixmppPeer } from '../support/slixmpp.ts';

const fast = { backoff: { baseMs: 200, maxMs: 2000 }, livenessMs: 5000 };

describe('corrections ahead of their message (XEP-0308) with slixmpp', () => {
  const A = 'alice@localhost';
  const S = 'sli@localhost';
  let server: ProsodyServer;
  let alice: TestCore;
  let sli: SlixmppPeer;

  before(async () => {
    ({ server, alice, sli } = await startAliceAndSlixmpp('parley-correction-order-', fast));
  });

  after(async () => {
    sli.stop();
    await alice.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('shows the message corrected from the start, with its first text as the history, once', async () => {
    // The corrections first (oldest first), then the message they name: one session, so in this order.
    sli.send(`CORRECT ${A} late-fix-1 late-original Lunch at 12:30`);
    sli.send(`CORRECT ${A} late-fix-2 late-original Lunch at 13:00`);
    sli.send(`SEND ${A} late-original Lunch at 12`);
    const shown = await alice.waitForEvent('message.added', (m) => m.peer === S);
    assert.equal(shown.body, 'Lunch at 13:00', 'shown as corrected, never with the older text');
    assert.equal(typeof shown.editedAt, 'number');
    const { edits } = await alice.core.handlers['message.edits']({ accountId: A, messageId: shown.id });
    assert.deepEqual(
      edits.map((e) => e.body),
      ['Lunch at 12', 'Lunch at 12:30'],
    );

    // The first correction again (as a catch-up would bring it): applied already, nothing changes.
    sli.send(`CORRECT ${A} late-fix-1 late-original Lunch at 12:30`);
    sli.send(`SEND ${A} after-the-repeat one more message`);
    await alice.waitForEvent('message.added', (m) => m.peer === S && m.body === 'one more message');
    const { messages } = await alice.core.handlers['messages.list']({ accountId: A, peer: S });
    assert.deepEqual(
      messages.map((m) => m.body),
      ['Lunch at 13:00', 'one more message'],
    );
    const again = await alice.core.handlers['message.edits']({ accountId: A, messageId: shown.id });
    assert.equal(again.edits.length, 2, 'no correction applied twice');
  });
});

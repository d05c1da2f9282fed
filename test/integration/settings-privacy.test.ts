/**
 * The privacy settings against a real Prosody and an independent peer (slixmpp): with
 * "Send typing notifications" off no chat state (XEP-0085) leaves Parley, not even the
 * <active/> a message carries; with "Send read markers" off no displayed marker
 * (XEP-0333) does, while delivery receipts (XEP-0184) still go out. Turned back on, both
 * come back. Each check ends with a message Parley sends after the action: the server
 * keeps a sender's stanzas in order, so whatever the action sent would reach the peer first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startAliceAndSlixmpp } from '../support/alice-and-slixmpp.ts';
import type { TestCore } from '../support/core.ts';
import type { SlixmppPeer } from '../support/slixmpp.ts';

const fast = { backoff: { baseMs: 200, maxMs: 2000 }, livenessMs: 5000 };

describe('settings: privacy (XEP-0085 chat states, XEP-0333 markers, XEP-0184 receipts)', () => {
  const A = 'alice@localhost';
  const S = 'sli@localhost';
  let server: ProsodyServer;
  let alice: TestCore;
  let sli: SlixmppPeer;

  /** Sends `body` to slixmpp and returns the lines slixmpp printed from `from` up to it. */
  async function barrier(body: string, from: number): Promise<string[]> {
    await alice.core.handlers['message.send']({ accountId: A, to: S, body });
    await sli.waitForLine((l) => l.startsWith(`MSG ${A} `) && l.endsWith(` ${body}`));
    const end = sli.lines.findIndex((l, i) => i >= from && l.startsWith(`MSG ${A} `) && l.endsWith(` ${body}`));
    return sli.lines.slice(from, end + 1);
  }

  before(async () => {
    ({ server, alice, sli } = await startAliceAndSlixmpp('parley-privacy-', fast));
    // slixmpp uses chat states: from now on Parley may send it its own.
    sli.send(`STATE ${A} composing`);
    await alice.waitForEvent('chat.state', (e) => e.peer === S && e.state === 'composing');
  });

  after(async () => {
    sli.stop();
    await alice.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('sends no chat state with "Send typing notifications" off, and sends them again once on', async () => {
    const settings = await alice.core.handlers['settings.update']({ privacy: { sendChatStates: false } });
    assert.equal(settings.privacy.sendChatStates, false);
    const from = sli.lines.length;
    await alice.core.handlers['chat.setState']({ accountId: A, peer: S, state: 'composing' });
    await alice.core.handlers['chat.setState']({ accountId: A, peer: S, state: 'paused' });
    const seen = await barrier('typing is private', from);
    assert.deepEqual(
      seen.filter((l) => l.startsWith(`STATE ${A} `)),
      [],
      'no composing, paused or active reached the peer',
    );

    await alice.core.handlers['settings.update']({ privacy: { sendChatStates: true } });
    const again = sli.lines.length;
    await alice.core.handlers['chat.setState']({ accountId: A, peer: S, state: 'composing' });
    const seenAgain = await barrier('typing is shared', again);
    assert.ok(seenAgain.includes(`STATE ${A} composing`));
    assert.ok(seenAgain.includes(`STATE ${A} active`), 'a message carries <active/> again');
  });

  it('sends no displayed marker with "Send read markers" off, but still a delivery receipt', async () => {
    await alice.core.handlers['settings.update']({ privacy: { sendReadMarkers: false } });
    const from = sli.lines.length;
    sli.send(`SEND ${A} s-private-1 read quietly`);
    const message = await alice.waitForEvent('message.added', (m) => m.peer === S && m.body === 'read quietly');
    await sli.waitForLine((l) => l === 'RECEIPT s-private-1');
    const read = await alice.core.handlers['conversation.markRead']({ accountId: A, peer: S, upTo: message.id });
    assert.equal(read.unread, 0, 'read here all the same');
    const seen = await barrier('markers are private', from);
    assert.ok(!seen.includes('DISPLAYED s-private-1'));

    await alice.core.handlers['settings.update']({ privacy: { sendReadMarkers: true } });
    sli.send(`SEND ${A} s-private-2 read openly`);
    const next = await alice.waitForEvent('message.added', (m) => m.peer === S && m.body === 'read openly');
    await alice.core.handlers['conversation.markRead']({ accountId: A, peer: S, upTo: next.id });
    await sli.waitForLine((l) => l === 'DISPLAYED s-private-2');
  });
});

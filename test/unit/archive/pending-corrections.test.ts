import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createMessageRepo } from '../../../main/core/archive/repos/messages.ts';
import {
  applyPendingCorrections,
  createPendingCorrectionRepo,
  MAX_PENDING,
} from '../../../main/core/archive/repos/pending-corrections.ts';
import { parseIm } from '../../../main/core/xmpp/im.ts';
import { stanza } from '../../support/stanza.ts';

const OWN = 'alice@example.org';
const BOB = 'bob@example.org';

/** What Account#apply does with a parsed stanza, on the two repositories. */
function setup() {
  const db = openArchive(':memory:');
  const messages = createMessageRepo(db);
  const pending = createPendingCorrectionRepo(db);
  const receive = (xml: string, now: number, archiveId?: string) => {
    const im = parseIm(stanza(xml), OWN, now);
    if (im.kind === 'correction') {
      const target = messages.find(OWN, im.peer, im.target, im.direction);
      if (!target) {
        pending.hold({
          account: OWN,
          peer: im.peer,
          direction: im.direction,
          target: im.target,
          body: im.body,
          timestamp: im.timestamp,
          source: im.senderKey,
          sourceStanzaId: archiveId,
          receivedAt: now,
        });
        return undefined;
      }
      return messages.correct(target.id, im.body, im.timestamp, { key: im.senderKey, stanzaId: archiveId });
    }
    if (im.kind !== 'chat') throw new Error(`not a chat message: ${im.kind}`);
    const inserted = messages.insert({
      account: OWN,
      peer: im.peer,
      direction: im.direction,
      senderKey: im.senderKey,
      stanzaId: archiveId,
      originId: im.originId,
      messageId: im.messageId,
      body: im.body,
      timestamp: im.timestamp,
      receivedAt: now,
      state: im.direction === 'out' ? 'acked' : 'received',
    });
    return inserted && applyPendingCorrections(messages, pending, inserted, im);
  };
  return { messages, pending, receive };
}

const original = `<message from="${BOB}/phone" to="${OWN}" type="chat" id="m1">
  <body>helo</body><origin-id xmlns="urn:xmpp:sid:0" id="o1"/></message>`;
const correction = (id: string, body: string, stamp: string) =>
  `<message from="${BOB}/phone" to="${OWN}" type="chat" id="${id}"><body>${body}</body>
    <replace xmlns="urn:xmpp:message-correct:0" id="o1"/><origin-id xmlns="urn:xmpp:sid:0" id="${id}"/>
    <delay xmlns="urn:xmpp:delay" stamp="${stamp}"/></message>`;

describe('archive/repos/pending-corrections (XEP-0308 out of order)', () => {
  it('applies a correction that arrived before its message when the message is stored', () => {
    const { messages, receive } = setup();
    assert.equal(receive(correction('c1', 'hello', '2026-01-01T10:00:05Z'), 2000), undefined);
    const shown = receive(original, 3000);
    assert.ok(shown);
    assert.equal(shown.body, 'hello', 'shown corrected from the start');
    assert.ok(shown.editedAt !== undefined, 'marked edited');
    assert.deepEqual(
      messages.edits(shown.id).map((e) => e.body),
      ['helo'],
      'the original text is the history',
    );
  });

  it('applies it once: the same correction again (another path), before or after the message, changes nothing', () => {
    const { messages, receive } = setup();
    receive(correction('c1', 'hello', '2026-01-01T10:00:05Z'), 2000);
    receive(correction('c1', 'hello', '2026-01-01T10:00:05Z'), 2100, 'archive-c1'); // held once
    const shown = receive(original, 3000);
    assert.ok(shown);
    assert.equal(messages.edits(shown.id).length, 1);
    assert.equal(receive(correction('c1', 'hello', '2026-01-01T10:00:05Z'), 4000, 'archive-c1'), undefined);
    assert.equal(messages.edits(shown.id).length, 1);
  });

  it('applies several waiting corrections oldest first, and a late older one cannot bring back its text', () => {
    const { messages, receive } = setup();
    receive(correction('c2', 'hello world', '2026-01-01T10:00:09Z'), 2000);
    receive(correction('c1', 'hello', '2026-01-01T10:00:05Z'), 2100);
    const shown = receive(original, 3000);
    assert.equal(shown?.body, 'hello world');
    assert.ok(shown);
    assert.deepEqual(
      messages.edits(shown.id).map((e) => e.body),
      ['helo', 'hello'],
    );
    // c1 comes again by another path: applied already, not again.
    assert.equal(receive(correction('c1', 'hello', '2026-01-01T10:00:05Z'), 5000), undefined);
    assert.equal(messages.get(shown.id)?.body, 'hello world');
  });

  it('waits only for the same conversation and direction, and only for the id it names', () => {
    const { receive } = setup();
    receive(correction('c1', 'hello', '2026-01-01T10:00:05Z'), 2000);
    const other = receive(original.replaceAll(BOB, 'carol@example.org'), 3000);
    assert.equal(other?.body, 'helo', 'another contact reusing the id is not corrected');
    const ours = receive(
      `<message from="${OWN}/laptop" to="${BOB}" type="chat" id="m1"><body>helo</body><origin-id xmlns="urn:xmpp:sid:0" id="o1"/></message>`,
      3100,
    );
    assert.equal(ours?.body, 'helo', 'our own message with that id is not the peer’s');
    const unrelated = receive(original.replaceAll('o1', 'o9').replace('id="m1"', 'id="m9"'), 3200);
    assert.equal(unrelated?.body, 'helo');
    assert.equal(receive(original, 3300)?.body, 'hello', 'the one it names still is');
  });

  it('matches the stanza id when the original has no origin-id', () => {
    const { receive } = setup();
    receive(correction('c1', 'hello', '2026-01-01T10:00:05Z').replace('id="o1"', 'id="m7"'), 2000);
    const shown = receive(
      `<message from="${BOB}/phone" to="${OWN}" type="chat" id="m7"><body>helo</body></message>`,
      3000,
    );
    assert.equal(shown?.body, 'hello');
  });

  it('keeps at most MAX_PENDING per account, dropping the oldest', () => {
    const { pending } = setup();
    const hold = (i: number) => {
      pending.hold({
        account: OWN,
        peer: BOB,
        direction: 'in',
        target: `t${String(i)}`,
        body: `b${String(i)}`,
        timestamp: i,
        source: `s${String(i)}`,
        sourceStanzaId: undefined,
        receivedAt: 1000 + i,
      });
    };
    for (let i = 0; i < MAX_PENDING + 10; i++) hold(i);
    assert.deepEqual(pending.take(OWN, BOB, 'in', ['t0']), [], 'the oldest went');
    assert.equal(pending.take(OWN, BOB, 'in', [`t${String(MAX_PENDING + 9)}`]).length, 1);
    assert.equal(pending.take(OWN, BOB, 'in', ['t10']).length, 1);
    assert.deepEqual(pending.take(OWN, BOB, 'in', ['t10']), [], 'taken once');
  });
});

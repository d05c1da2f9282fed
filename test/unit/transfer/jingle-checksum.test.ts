/**
 * Jingle file transfer's late checksum (XEP-0234 §8.1 with XEP-0300 §4 `<hash-used/>`): the
 * sender offers without hashing the file first and sends the sha-256 in session-info once
 * computed; the receiver waits for it before it accepts the file. Stanza fixtures against a
 * scripted stream.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Transfer } from '../../../preload/contract.ts';
import { buildData, buildOpen } from '../../../main/core/transfer/ibb.ts';
import {
  NS_JINGLE,
  NS_JINGLE_FT,
  NS_JINGLE_IBB,
  NS_JINGLE_S5B,
  buildJingle,
  parseJingle,
  type Jingle,
} from '../../../main/core/transfer/jingle.ts';
import { NS_IBB } from '../../../main/core/transfer/si.ts';
import { stanza } from '../../support/stanza.ts';
import { PEER, noDisco, scriptedTransferService } from './harness.ts';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('base64');

/** A session-initiate over IBB whose file announces a sha-256 to come (XEP-0234 §8.1). */
const hashUsedOffer = (size: number) =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="${PEER}" sid="sum1">
    <content creator="initiator" name="a-file-offer" senders="initiator">
      <description xmlns="urn:xmpp:jingle:apps:file-transfer:5">
        <file>
          <name>later.txt</name>
          <size>${String(size)}</size>
          <hash-used xmlns="urn:xmpp:hashes:2" algo="sha-256"/>
        </file>
      </description>
      <transport xmlns="urn:xmpp:jingle:transports:ibb:1" sid="ibbsum" block-size="4096"/>
    </content>
  </jingle>`);

const checksum = (value: string) =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-info" sid="sum1">
    <checksum xmlns="urn:xmpp:jingle:apps:file-transfer:5" creator="initiator" name="a-file-offer">
      <file><hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${value}</hash></file>
    </checksum>
  </jingle>`);

/** Resolves once `events` has an entry for `id` in a final state. */
async function settled(events: Transfer[], id: string): Promise<Transfer> {
  for (;;) {
    const last = events.filter((t) => t.id === id).at(-1);
    if (last && (last.state === 'completed' || last.state === 'failed')) return last;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('transfer/jingle-session: a checksum after the offer (XEP-0234 §8.1, XEP-0300 hash-used)', () => {
  it('parses <hash-used/> in the offer', () => {
    const parsed = parseJingle(hashUsedOffer(5));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.jingle.content?.file?.hashes, []);
    assert.deepEqual(parsed.jingle.content.file.hashesUsed, ['sha-256']);
    const built = buildJingle({ ...parsed.jingle });
    assert.match(built.toString(), /<hash-used xmlns="urn:xmpp:hashes:2" algo="sha-256"\/>/u);
  });

  for (const when of ['before the last byte', 'after the last byte'] as const)
    it(`receiving: waits for the announced checksum and checks the file (${when})`, async () => {
      const { dir, service, events, iq, sent } = await scriptedTransferService('parley-jingle-sum-');
      const data = Buffer.from('the checksum of these bytes comes in session-info');
      assert.equal(await iq(NS_JINGLE, 'jingle', hashUsedOffer(data.length)), true);
      const offer = events.find((t) => t.state === 'offered');
      assert.ok(offer);
      assert.equal(offer.sha256, undefined);
      await service.accept(offer.id);
      assert.equal(await iq(NS_IBB, 'open', buildOpen('ibbsum', 4096)), true);
      if (when === 'before the last byte') assert.equal(await iq(NS_JINGLE, 'jingle', checksum(sha(data))), true);
      const last = iq(NS_IBB, 'data', buildData('ibbsum', 0, data));
      if (when === 'after the last byte') {
        // All bytes are in, and the file waits for its checksum: not complete yet.
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        assert.notEqual(events.filter((t) => t.id === offer.id).at(-1)?.state, 'completed');
        assert.equal(await iq(NS_JINGLE, 'jingle', checksum(sha(data))), true);
      }
      await last;
      const done = await settled(events, offer.id);
      assert.equal(done.state, 'completed', done.error);
      assert.equal(done.sha256, sha(data));
      assert.deepEqual(await readdir(dir), ['later.txt']);
      const end = sent.map((el) => parseJingle(el)).find((p) => p.ok && p.jingle.action === 'session-terminate');
      assert.ok(end?.ok && end.jingle.reason === 'success');
    });

  it('receiving: a checksum that does not match fails (hash-mismatch, media-error) and keeps no file', async () => {
    const { dir, service, events, iq, sent } = await scriptedTransferService('parley-jingle-sum-');
    const data = Buffer.from('bytes that will not match');
    await iq(NS_JINGLE, 'jingle', hashUsedOffer(data.length));
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    await service.accept(offer.id);
    await iq(NS_IBB, 'open', buildOpen('ibbsum', 4096));
    const last = iq(NS_IBB, 'data', buildData('ibbsum', 0, data));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    await iq(NS_JINGLE, 'jingle', checksum(sha(Buffer.from('something else'))));
    await last;
    const done = await settled(events, offer.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.reason, 'hash-mismatch');
    assert.deepEqual(await readdir(dir), []);
    await new Promise((resolve) => setImmediate(resolve));
    const end = sent.map((el) => parseJingle(el)).find((p) => p.ok && p.jingle.action === 'session-terminate');
    assert.ok(end?.ok && end.jingle.reason === 'media-error');
  });

  it('sending: offers with <hash-used/> (no hash yet), then sends the checksum in session-info', async () => {
    const { service, events, iq, sent, fileToSend } = await scriptedTransferService(
      'parley-jingle-sum-send-',
      {},
      {
        resources: [PEER],
        features: [NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_S5B, NS_JINGLE_IBB],
        get: noDisco,
      },
    );
    const data = Buffer.from('sent by Jingle over IBB, checksum afterwards');
    const file = await fileToSend('out.txt', data);
    const out = await service.sendFile(PEER, file);
    const jingles = () =>
      sent
        .filter((el) => el.is('jingle', NS_JINGLE))
        .map((el) => parseJingle(el))
        .flatMap((p): Jingle[] => (p.ok ? [p.jingle] : []));
    while (!jingles().some((j) => j.action === 'session-initiate'))
      await new Promise((resolve) => setTimeout(resolve, 1));
    const initiate = jingles().find((j) => j.action === 'session-initiate');
    assert.ok(initiate?.content?.file && initiate.content.transport?.kind === 'ibb');
    assert.deepEqual(initiate.content.file.hashes, [], 'no pass over the file before the offer');
    assert.deepEqual(initiate.content.file.hashesUsed, ['sha-256']);
    const accept = buildJingle({
      action: 'session-accept',
      sid: initiate.sid,
      responder: PEER,
      content: {
        creator: 'initiator',
        name: initiate.content.name,
        senders: 'initiator',
        file: initiate.content.file,
        transport: initiate.content.transport,
      },
    });
    assert.equal(await iq(NS_JINGLE, 'jingle', accept), true);
    const done = await settled(events, out.id);
    assert.equal(done.state, 'completed', done.error);
    const info = jingles().find((j) => j.action === 'session-info');
    assert.deepEqual(info?.checksum, [{ algo: 'sha-256', value: sha(data) }]);
    assert.equal(info.sid, initiate.sid);
    assert.ok(
      sent.some((el) => el.is('data', NS_IBB)),
      'the bytes went over IBB',
    );
  });
});

/** The transfer manager against a scripted stream: offers, accept/decline, IBB receiving with seq checks. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Transfer } from '../../../preload/contract.ts';
import { buildClose, buildData, buildOpen } from '../../../main/core/transfer/ibb.ts';
import { NS_IBB, NS_SI, buildOffer } from '../../../main/core/transfer/si.ts';
import { stanza } from '../../support/stanza.ts';
import { scriptedTransferService } from './harness.ts';

const setup = () => scriptedTransferService('parley-transfer-svc-', { ibbMaxBlockSize: 8 });

const offerEl = (sid: string, data: Buffer, name = 'f.txt') =>
  stanza(
    buildOffer({
      sid,
      name,
      size: data.length,
      hashes: [{ algo: 'sha-256', value: createHash('sha256').update(data).digest('base64') }],
      methods: [NS_IBB],
    }).toString(),
  );

const latest = (events: Transfer[]) => events.at(-1);

/** Until the latest event is a finished transfer (the failure path awaits the file's removal). */
async function settledIn(events: Transfer[]): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const state = latest(events)?.state;
    if (state === 'failed' || state === 'completed') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the transfer did not finish');
}

describe('transfer/transfer-service (XEP-0096 + XEP-0047 receiving)', () => {
  it('writes nothing before Accept, then receives IBB blocks in order into a verified file', async () => {
    const { dir, service, events, iq } = await setup();
    const data = Buffer.from('hello, world!');
    const answer = iq(NS_SI, 'si', offerEl('s1', data, '../f.txt'));
    const offered = events.find((t) => t.state === 'offered');
    assert.ok(offered);
    assert.equal(offered.name, 'f.txt');
    assert.deepEqual(await readdir(dir), [], 'nothing on disk before Accept');
    await service.accept(offered.id);
    assert.match((await answer).toString(), /<value>http:\/\/jabber.org\/protocol\/ibb<\/value>/u);
    assert.equal((await readdir(dir)).length, 1, 'the temporary file');
    // Larger blocks than we take are refused (resource-constraint); then the agreed size.
    assert.match(
      (await iq(NS_IBB, 'open', stanza(buildOpen('s1', 4096).toString()))).toString(),
      /resource-constraint/u,
    );
    assert.equal(await iq(NS_IBB, 'open', stanza(buildOpen('s1', 8).toString())), true);
    for (let seq = 0, at = 0; at < data.length; seq++, at += 8)
      assert.equal(await iq(NS_IBB, 'data', stanza(buildData('s1', seq, data.subarray(at, at + 8)).toString())), true);
    assert.equal(await iq(NS_IBB, 'close', stanza(buildClose('s1').toString())), true);
    const done = latest(events);
    assert.equal(done?.state, 'completed');
    assert.equal(done.method, 'ibb');
    assert.equal(await readFile(path.join(dir, 'f.txt'), 'utf8'), 'hello, world!');
  });

  it('fails on a block out of sequence and removes the partial file', async () => {
    const { dir, service, events, iq } = await setup();
    const data = Buffer.from('0123456789abcdef');
    void iq(NS_SI, 'si', offerEl('s2', data));
    const offered = events.find((t) => t.state === 'offered');
    assert.ok(offered);
    await service.accept(offered.id);
    await iq(NS_IBB, 'open', stanza(buildOpen('s2', 8).toString()));
    await iq(NS_IBB, 'data', stanza(buildData('s2', 0, data.subarray(0, 8)).toString()));
    const wrong = await iq(NS_IBB, 'data', stanza(buildData('s2', 5, data.subarray(8)).toString()));
    assert.match(wrong.toString(), /unexpected-request/u);
    await settledIn(events);
    assert.equal(latest(events)?.state, 'failed');
    assert.deepEqual(await readdir(dir), []);
  });

  it('refuses data from another sender or for another stream id', async () => {
    const { service, events, iq } = await setup();
    void iq(NS_SI, 'si', offerEl('s3', Buffer.from('abc')));
    const offered = events.find((t) => t.state === 'offered');
    assert.ok(offered);
    await service.accept(offered.id);
    assert.match(
      (await iq(NS_IBB, 'open', stanza(buildOpen('s3', 8).toString()), 'iago@evil.lit/x')).toString(),
      /not-acceptable/u,
    );
    assert.match((await iq(NS_IBB, 'open', stanza(buildOpen('other', 8).toString()))).toString(), /not-acceptable/u);
  });

  it('declines with forbidden and cleans nothing up because nothing was written', async () => {
    const { dir, service, events, iq } = await setup();
    const answer = iq(NS_SI, 'si', offerEl('s4', Buffer.from('abc')));
    const offered = events.find((t) => t.state === 'offered');
    assert.ok(offered);
    service.decline(offered.id);
    assert.match((await answer).toString(), /forbidden/u);
    assert.equal(latest(events)?.reason, 'declined');
    assert.deepEqual(await readdir(dir), []);
  });

  it('refuses offers once too many wait for an answer', async () => {
    const { iq } = await setup();
    for (let i = 0; i < 50; i++) void iq(NS_SI, 'si', offerEl(`f${String(i)}`, Buffer.from('x')));
    assert.match((await iq(NS_SI, 'si', offerEl('one-more', Buffer.from('x')))).toString(), /resource-constraint/u);
  });
});

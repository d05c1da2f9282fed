/** Jingle file transfer (XEP-0166, XEP-0234, XEP-0260, XEP-0261): stanza fixtures, and a session against a scripted stream. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Element } from '@xmpp/xml';
import { silentLogger } from '../../../main/core/log.ts';
import type { XmppStream } from '../../../main/core/xmpp/entity.ts';
import { buildData, buildOpen } from '../../../main/core/transfer/ibb.ts';
import {
  NS_JINGLE,
  NS_JINGLE_FT,
  NS_JINGLE_IBB,
  NS_JINGLE_S5B,
  buildJingle,
  buildS5bInfo,
  parseJingle,
  parseS5bInfo,
  supportsJingleFt,
  type Jingle,
} from '../../../main/core/transfer/jingle.ts';
import { NS_IBB } from '../../../main/core/transfer/si.ts';
import { TransferService } from '../../../main/core/transfer/transfer-service.ts';
import { stanza } from '../../support/stanza.ts';
import { OWN, PEER, scriptedTransferService, tempDir } from './harness.ts';

const SHA = Buffer.alloc(32, 7).toString('base64');

/** XEP-0234 example 1 (a file offer with the SOCKS5 transport), as Conversations and Dino send it. */
const initiate = (size = '6144', extra = '') =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="romeo@montague.example/dr4hcr0st3lup4c" sid="851ba2">
    <content creator="initiator" name="a-file-offer" senders="initiator">
      <description xmlns="urn:xmpp:jingle:apps:file-transfer:5">
        <file>
          <date>1969-07-21T02:56:15Z</date>
          <desc>This is a test. If this were a real file...</desc>
          <media-type>text/plain</media-type>
          <name>test.txt</name>
          <range/>
          <size>${size}</size>
          <hash xmlns="urn:xmpp:hashes:2" algo="sha-1">w0mcJylzCn+AfvuGdqkty2+KP48=</hash>
          <hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${SHA}</hash>
        </file>
      </description>
      <transport xmlns="urn:xmpp:jingle:transports:s5b:1" mode="tcp" sid="vj3hs98y" dstaddr="972b7bf47291ca609517f67f86b5081086052dad">
        <candidate cid="ht567dq" host="192.169.1.10" jid="romeo@montague.example/dr4hcr0st3lup4c" port="6539" priority="8257636" type="direct"/>
        <candidate cid="hr65dqyd" host="134.102.201.180" jid="romeo@montague.example/dr4hcr0st3lup4c" port="16453" priority="7929856" type="assisted"/>
        <candidate cid="grt654q2" host="2001:638:708:30c9:219:d1ff:fea4:a17d" jid="romeo@montague.example/dr4hcr0st3lup4c" port="6539" priority="8257636" type="direct"/>
        <candidate cid="px1" host="proxy.montague.example" jid="proxy.montague.example" port="7777" priority="655360" type="proxy"/>
        <candidate cid="bad1" host="evil host" jid="x@y/z" port="1" priority="1" type="direct"/>
        <candidate cid="bad2" host="1.2.3.4" jid="x@y/z" port="70000" priority="1" type="direct"/>
        <candidate cid="bad3" host="1.2.3.4" jid="x@y/z" port="1" priority="1" type="teleport"/>
        ${extra}
      </transport>
    </content>
  </jingle>`);

function ok(el: Element): Jingle {
  const parsed = parseJingle(el);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.jingle;
}

describe('transfer/jingle (XEP-0166 / XEP-0234 / XEP-0260 / XEP-0261)', () => {
  it('parses a session-initiate: the file (XEP-0300 hashes) and the candidates by priority, dropping bad ones', () => {
    const j = ok(initiate());
    assert.equal(j.action, 'session-initiate');
    assert.equal(j.sid, '851ba2');
    assert.equal(j.initiator, 'romeo@montague.example/dr4hcr0st3lup4c');
    assert.equal(j.content?.creator, 'initiator');
    assert.equal(j.content.name, 'a-file-offer');
    assert.deepEqual(j.content.file, {
      name: 'test.txt',
      size: 6144,
      mediaType: 'text/plain',
      date: '1969-07-21T02:56:15Z',
      desc: 'This is a test. If this were a real file...',
      hashes: [
        { algo: 'sha-1', value: 'w0mcJylzCn+AfvuGdqkty2+KP48=' },
        { algo: 'sha-256', value: SHA },
      ],
    });
    const t = j.content.transport;
    assert.equal(t?.kind, 's5b');
    assert.equal(t.sid, 'vj3hs98y');
    assert.equal(t.dstaddr, '972b7bf47291ca609517f67f86b5081086052dad');
    assert.deepEqual(
      t.candidates.map((c) => [c.cid, c.type, c.priority]),
      [
        ['ht567dq', 'direct', 8257636],
        ['grt654q2', 'direct', 8257636],
        ['hr65dqyd', 'assisted', 7929856],
        ['px1', 'proxy', 655360],
      ],
    );
  });

  it('refuses absurd sizes apart (to answer with a reason), and malformed sessions', () => {
    assert.deepEqual(parseJingle(initiate('99999999999999999999')), { ok: false, error: 'size', sid: '851ba2' });
    assert.deepEqual(parseJingle(initiate('-5')).ok, true); // a bad size is no file: the offer has none
    assert.equal(ok(initiate('-5')).content?.file, undefined);
    for (const bad of [
      `<jingle xmlns="${NS_JINGLE}" action="session-initiate"/>`, // no sid
      `<jingle xmlns="${NS_JINGLE}" action="bogus" sid="a"/>`,
      `<jingle xmlns="${NS_JINGLE}" action="session-initiate" sid="has space"/>`,
      `<jingle xmlns="urn:xmpp:jingle:0" action="session-initiate" sid="a"/>`,
      `<jingle xmlns="${NS_JINGLE}" action="session-initiate" sid="a"><content creator="initiator" name="a"/><content creator="initiator" name="b"/></jingle>`,
      `<jingle xmlns="${NS_JINGLE}" action="session-initiate" sid="a"><content creator="nobody" name="a"/></jingle>`,
    ])
      assert.equal(parseJingle(stanza(bad)).ok, false, bad);
  });

  it('builds a session-initiate that parses back the same', () => {
    const j: Jingle = {
      action: 'session-initiate',
      sid: 's1',
      initiator: 'a@b/c',
      content: {
        creator: 'initiator',
        name: 'a-file-offer',
        senders: 'initiator',
        file: { name: 'photo <1>.jpg', size: 12, mediaType: 'image/jpeg', hashes: [{ algo: 'sha-256', value: SHA }] },
        transport: {
          kind: 's5b',
          sid: 't1',
          dstaddr: 'a'.repeat(40),
          candidates: [{ cid: 'c1', host: '127.0.0.1', port: 1234, jid: 'a@b/c', priority: 8257536, type: 'direct' }],
        },
      },
    };
    const el = buildJingle(j);
    assert.equal(
      el.getChild('content')?.getChild('description', NS_JINGLE_FT)?.getChild('file')?.getChildText('name'),
      'photo <1>.jpg',
    );
    const back = ok(stanza(el.toString()));
    assert.deepEqual(back.content?.file, { ...j.content?.file, date: undefined, desc: undefined });
    assert.deepEqual(back.content.transport, j.content?.transport);
  });

  it('reads transport-info: candidate-used, candidate-error, activated, proxy-error', () => {
    for (const info of [
      { kind: 'candidate-used', sid: 't1', cid: 'c1' },
      { kind: 'candidate-error', sid: 't1' },
      { kind: 'activated', sid: 't1', cid: 'px1' },
      { kind: 'proxy-error', sid: 't1' },
    ] as const) {
      assert.deepEqual(parseS5bInfo(stanza(buildS5bInfo(info).toString())), info);
      const j = ok(
        buildJingle({ action: 'transport-info', sid: 's', content: { creator: 'initiator', name: 'f', info } }),
      );
      assert.deepEqual(j.content?.info, info);
    }
    assert.equal(
      parseS5bInfo(stanza(`<transport xmlns="${NS_JINGLE_S5B}" sid="t1"><candidate-used/></transport>`)),
      undefined,
      'candidate-used without a cid',
    );
  });

  it('reads a transport-replace to IBB (XEP-0261) and the reasons of a session-terminate', () => {
    const j = ok(
      stanza(`<jingle xmlns="${NS_JINGLE}" action="transport-replace" sid="a73sjjvkla37jfea">
        <content creator="initiator" name="ex"><transport xmlns="${NS_JINGLE_IBB}" block-size="4096" sid="ch3d9s71"/></content>
      </jingle>`),
    );
    assert.deepEqual(j.content?.transport, { kind: 'ibb', sid: 'ch3d9s71', blockSize: 4096 });
    const end = (r: string) =>
      ok(
        stanza(
          `<jingle xmlns="${NS_JINGLE}" action="session-terminate" sid="a"><reason><${r}/><text>x</text></reason></jingle>`,
        ),
      ).reason;
    assert.equal(end('success'), 'success');
    assert.equal(end('decline'), 'decline');
    assert.equal(end('media-error'), 'media-error');
    assert.equal(end('failed-transport'), 'failed-transport');
    assert.equal(end('something-new'), 'general-error');
    const built = buildJingle({ action: 'session-terminate', sid: 'a', reason: 'cancel' });
    assert.equal(ok(stanza(built.toString())).reason, 'cancel');
  });

  it('reads a session-info checksum (XEP-0234 §8.1)', () => {
    const el = buildJingle({ action: 'session-info', sid: 'a', checksum: [{ algo: 'sha-256', value: SHA }] });
    assert.deepEqual(ok(stanza(el.toString())).checksum, [{ algo: 'sha-256', value: SHA }]);
  });

  it('knows a peer that can receive by Jingle from its features', () => {
    assert.ok(supportsJingleFt([NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_S5B]));
    assert.ok(supportsJingleFt([NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_IBB]));
    assert.ok(!supportsJingleFt([NS_JINGLE, NS_JINGLE_FT]), 'no transport of ours');
    assert.ok(!supportsJingleFt([NS_JINGLE, 'urn:xmpp:jingle:apps:rtp:1', NS_JINGLE_S5B]), 'calls only');
    assert.ok(!supportsJingleFt(['http://jabber.org/protocol/si/profile/file-transfer']));
  });
});

// ── a session against a scripted stream ──────────────────────────────────────

async function setup() {
  const harness = await scriptedTransferService('parley-jingle-svc-');
  const terminate = () =>
    harness.sent.map((el) => parseJingle(el)).find((p) => p.ok && p.jingle.action === 'session-terminate');
  return { ...harness, terminate };
}

const ibbOffer = (data: Buffer, sha256: string) =>
  buildJingle({
    action: 'session-initiate',
    sid: 'sess1',
    initiator: PEER,
    content: {
      creator: 'initiator',
      name: 'a-file-offer',
      senders: 'initiator',
      file: { name: 'note.txt', size: data.length, hashes: [{ algo: 'sha-256', value: sha256 }] },
      transport: { kind: 'ibb', sid: 'ibb1', blockSize: 4096 },
    },
  });

describe('transfer/jingle-session: receiving over IBB', () => {
  it('accepts, receives, checks the hash and ends with session-terminate <success/>', async () => {
    const { service, events, iq, sent, terminate } = await setup();
    const data = Buffer.from('hello jingle');
    assert.equal(
      await iq(NS_JINGLE, 'jingle', ibbOffer(data, createHash('sha256').update(data).digest('base64'))),
      true,
    );
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    assert.equal(offer.name, 'note.txt');
    await service.accept(offer.id);
    const accept = parseJingle(sent[0] ?? stanza('<x/>'));
    assert.ok(accept.ok && accept.jingle.action === 'session-accept');
    assert.equal(accept.jingle.content?.transport?.kind, 'ibb');
    assert.equal(await iq(NS_IBB, 'open', buildOpen('ibb1', 4096)), true);
    assert.equal(await iq(NS_IBB, 'data', buildData('ibb1', 0, data)), true);
    const done = events.filter((t) => t.id === offer.id).at(-1);
    assert.equal(done?.state, 'completed', done?.error);
    const end = terminate();
    assert.ok(end?.ok && end.jingle.reason === 'success');
    assert.equal(end.jingle.sid, 'sess1');
  });

  it('a wrong hash fails (hash-mismatch), answers media-error and keeps no file', async () => {
    const { dir, service, events, iq, terminate } = await setup();
    const data = Buffer.from('these bytes are not the offered ones');
    await iq(NS_JINGLE, 'jingle', ibbOffer(data, SHA));
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    await service.accept(offer.id);
    await iq(NS_IBB, 'open', buildOpen('ibb1', 4096));
    await iq(NS_IBB, 'data', buildData('ibb1', 0, data));
    const done = events.filter((t) => t.id === offer.id).at(-1);
    assert.equal(done?.state, 'failed');
    assert.equal(done.reason, 'hash-mismatch');
    const end = terminate();
    assert.ok(end?.ok && end.jingle.reason === 'media-error');
    assert.deepEqual(await readdir(dir), []);
  });

  for (const right of [true, false])
    it(`checks a checksum sent later in session-info (${right ? 'the right one' : 'a wrong one'})`, async () => {
      const { dir, service, events, iq } = await setup();
      const data = Buffer.from('no hash in the offer');
      const offerEl = ibbOffer(data, SHA);
      offerEl.getChild('content')?.getChild('description')?.getChild('file')?.children.splice(0); // drop everything…
      const file = offerEl.getChild('content')?.getChild('description')?.getChild('file');
      file?.append(stanza(`<name>late.txt</name>`));
      file?.append(stanza(`<size>${String(data.length)}</size>`));
      await iq(NS_JINGLE, 'jingle', offerEl);
      const offer = events.find((t) => t.state === 'offered');
      assert.ok(offer);
      assert.equal(offer.sha256, undefined);
      await service.accept(offer.id);
      const sum = right ? createHash('sha256').update(data).digest('base64') : SHA;
      const info = buildJingle({ action: 'session-info', sid: 'sess1', checksum: [{ algo: 'sha-256', value: sum }] });
      assert.equal(await iq(NS_JINGLE, 'jingle', info), true);
      await iq(NS_IBB, 'open', buildOpen('ibb1', 4096));
      await iq(NS_IBB, 'data', buildData('ibb1', 0, data));
      const done = events.filter((t) => t.id === offer.id).at(-1);
      assert.equal(done?.sha256, sum);
      if (right) {
        assert.equal(done.state, 'completed', done.error);
        assert.deepEqual(await readdir(dir), ['late.txt']);
      } else {
        assert.equal(done.state, 'failed');
        assert.equal(done.reason, 'hash-mismatch');
        assert.deepEqual(await readdir(dir), []);
      }
    });

  it('declining sends session-terminate <decline/> and writes nothing', async () => {
    const { dir, service, events, iq, terminate } = await setup();
    await iq(NS_JINGLE, 'jingle', ibbOffer(Buffer.from('x'), SHA));
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    service.decline(offer.id);
    await new Promise((r) => setImmediate(r));
    const end = terminate();
    assert.ok(end?.ok && end.jingle.reason === 'decline');
    assert.deepEqual(await readdir(dir), []);
  });

  it('answers unknown-session for a session it does not know, and refuses a session offered twice', async () => {
    const { iq } = await setup();
    const reply = await iq(
      NS_JINGLE,
      'jingle',
      buildJingle({ action: 'session-terminate', sid: 'nope', reason: 'cancel' }),
    );
    assert.ok(reply !== true && reply.getChild('unknown-session', 'urn:xmpp:jingle:errors:1'));
    await iq(NS_JINGLE, 'jingle', ibbOffer(Buffer.from('x'), SHA));
    const again = await iq(NS_JINGLE, 'jingle', ibbOffer(Buffer.from('x'), SHA));
    assert.ok(again !== true && again.getChild('conflict'));
  });

  it('refuses an absurdly large file with session-terminate, asking nobody', async () => {
    const { events, iq, sent } = await setup();
    const el = stanza(
      initiate('99999999999999999999').toString().replace('romeo@montague.example/dr4hcr0st3lup4c', PEER),
    );
    assert.equal(await iq(NS_JINGLE, 'jingle', el), true);
    await new Promise((r) => setImmediate(r));
    assert.equal(events.length, 0);
    const end = sent.map((s) => parseJingle(s)).find((p) => p.ok && p.jingle.action === 'session-terminate');
    assert.ok(end?.ok && end.jingle.reason === 'failed-application');
  });
});

describe('transfer/transfer-service: choosing the method for transfer.sendFile', () => {
  async function sender(features: Record<string, string[] | undefined>, resources: string[]) {
    const dir = await tempDir('parley-jingle-choice-');
    const file = path.join(dir, 'a.txt');
    await writeFile(file, 'hello');
    const sent: Element[] = [];
    const stream = {
      entity: { jid: { toString: () => OWN } },
      onIq: () => undefined,
      iq: {
        set: (el: Element) => {
          sent.push(el);
          return new Promise<undefined>(() => undefined); // never answered: we look at what went out
        },
        get: () => Promise.reject(Object.assign(new Error('no'), { name: 'StanzaError', condition: 'item-not-found' })),
      },
    } as unknown as XmppStream;
    const service = new TransferService(
      {
        id: 'juliet@capulet.lit',
        log: silentLogger,
        now: Date.now,
        emit: () => undefined,
        stream: () => stream,
        online: () => stream,
        resources: () => resources,
        features: (full) => Promise.resolve(features[full]),
      },
      { downloadsDir: () => dir, socks5Direct: false, socks5Proxy: false },
    );
    const settle = async () => {
      for (let i = 0; i < 20 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    };
    return { service, file, sent, settle };
  }
  const JINGLE = [NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_S5B, NS_JINGLE_IBB];
  const SI = ['http://jabber.org/protocol/si', 'http://jabber.org/protocol/si/profile/file-transfer', NS_IBB];

  it('a resource with Jingle file transfer gets Jingle (even when a better one has only SI)', async () => {
    const { service, file, sent, settle } = await sender({ [PEER]: SI, 'romeo@montague.lit/phone': JINGLE }, [
      PEER,
      'romeo@montague.lit/phone',
    ]);
    const t = await service.sendFile('romeo@montague.lit', file);
    assert.equal(t.protocol, 'jingle');
    assert.equal(t.choice, 'peer-jingle');
    assert.equal(t.peer, 'romeo@montague.lit/phone');
    await settle();
    const offer = parseJingle(sent[0] ?? stanza('<x/>'));
    assert.ok(offer.ok && offer.jingle.action === 'session-initiate', String(sent[0]));
    assert.equal(offer.jingle.content?.file?.name, 'a.txt');
    assert.equal(offer.jingle.content.file.size, 5);
    // No pass over the file before the offer: the sha-256 is announced (XEP-0300 hash-used) and
    // follows in session-info once computed (XEP-0234 §8.1).
    assert.deepEqual(offer.jingle.content.file.hashes, []);
    assert.deepEqual(offer.jingle.content.file.hashesUsed, ['sha-256']);
    // No streamhost enabled here: the offer's transport is IBB from the start.
    assert.equal(offer.jingle.content.transport?.kind, 'ibb');
  });

  it('an SI-only resource gets XEP-0096', async () => {
    const { service, file, sent, settle } = await sender({ [PEER]: SI }, [PEER]);
    const t = await service.sendFile('romeo@montague.lit', file);
    assert.equal(t.protocol, 'si');
    assert.equal(t.choice, 'peer-si');
    await settle();
    assert.ok(sent[0]?.is('si', 'http://jabber.org/protocol/si'), String(sent[0]));
  });

  it('offline, or no direct method, and no upload service: refused with the reason', async () => {
    const offline = await sender({}, []);
    await assert.rejects(offline.service.sendFile('romeo@montague.lit', offline.file), /not online/u);
    const calls = await sender({ [PEER]: ['urn:xmpp:jingle:apps:rtp:1'] }, [PEER]);
    await assert.rejects(calls.service.sendFile('romeo@montague.lit', calls.file), /cannot receive files directly/u);
  });
});

/**
 * Jingle file transfer as deployed clients speak it (XEP-0166, XEP-0234, XEP-0260, XEP-0261,
 * XEP-0300): no independent Jingle implementation runs here, so these fixtures are written from
 * what Conversations, Dino and Gajim send and parse (read in their sources and in the XEPs'
 * examples), in their order of children, with their kinds of ids and resources, and fed to
 * Parley's transfer service against a scripted stream. See ARCHITECTURE.md, "Interop".
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Element } from '@xmpp/xml';
import type { Transfer } from '../../../preload/contract.ts';
import { buildData, buildOpen } from '../../../main/core/transfer/ibb.ts';
import {
  NS_JINGLE,
  NS_JINGLE_FT,
  NS_JINGLE_FT_3,
  NS_JINGLE_FT_4,
  NS_JINGLE_IBB,
  NS_JINGLE_S5B,
  parseJingle,
  type Jingle,
  type JingleReason,
} from '../../../main/core/transfer/jingle.ts';
import { NS_IBB } from '../../../main/core/transfer/si.ts';
import { parleyInfo } from '../../../main/core/xmpp/disco.ts';
import { stanza } from '../../support/stanza.ts';
import { OWN, itemNotFound, scriptedTransferService } from './harness.ts';

// The peers' full JIDs, with the resources those clients make up.
const CONVERSATIONS = 'romeo@montague.lit/Conversations.x7Qc';
const DINO = 'romeo@montague.lit/dino.4f3a9b2c';
const GAJIM = 'romeo@montague.lit/gajim.JX5CZ7N2';

const NS_HASHES = 'urn:xmpp:hashes:2';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');
const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('base64');

/**
 * Conversations (eu.siacs.conversations.xmpp.jingle): a random content name, `<size/>` before
 * `<name/>`, no hash in the offer (a sha-1 follows in session-info after the bytes), SOCKS5
 * candidates without `mode`/`dstaddr`, a proxy candidate carrying the proxy's JID. An
 * unreachable candidate here (port 1 on loopback), so the transport fails and is replaced.
 */
const conversationsOffer = (size: number, ns = NS_JINGLE_FT) => {
  const file = `<file><size>${String(size)}</size><name>IMG_20261204_183512.jpg</name></file>`;
  return stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" sid="Xy3kQ9pL2mNvR8tA" initiator="${CONVERSATIONS}">
    <content creator="initiator" name="pJ8rT2wqLs0c" senders="initiator">
      <description xmlns="${ns}">${ns === NS_JINGLE_FT_3 ? `<offer>${file}</offer>` : file}</description>
      <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="Vb7nQ1sZ0kLeH3uD">
        <candidate cid="Rk3J0aQ8xY" host="127.0.0.1" jid="${CONVERSATIONS}" port="1" priority="8257536" type="direct"/>
        <candidate cid="M4tP6yWc2F" host="127.0.0.1" jid="proxy.montague.lit" port="1" priority="655360" type="proxy"/>
      </transport>
    </content>
  </jingle>`);
};

/** Conversations after both candidate-errors: IBB under a fresh transport sid, blocks of 8 KiB. */
const conversationsReplace = () =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="transport-replace" sid="Xy3kQ9pL2mNvR8tA">
    <content creator="initiator" name="pJ8rT2wqLs0c" senders="initiator">
      <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="8192" sid="Wq2ZbN5uT1oAe7Kc"/>
    </content>
  </jingle>`);

const s5bInfo = (from: string, sid: string, content: string, tsid: string, child: string) =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="transport-info" sid="${sid}" initiator="${from}">
    <content creator="initiator" name="${content}">
      <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="${tsid}">${child}</transport>
    </content>
  </jingle>`);

/** Conversations' checksum (FT :5 only): sha-1, after the last byte, content name "a-file-offer". */
const conversationsChecksum = (data: Buffer) =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-info" sid="Xy3kQ9pL2mNvR8tA">
    <checksum xmlns="urn:xmpp:jingle:apps:file-transfer:5" creator="initiator" name="a-file-offer">
      <file><hash xmlns="urn:xmpp:hashes:2" algo="sha-1">${sha1(data)}</hash></file>
    </checksum>
  </jingle>`);

/**
 * Dino (xmpp-vala 0234/0261): content "a-file-offer", a file with `<name/>` and `<size/>` only
 * (it refuses offers without a size itself), UUIDs for session and transport ids, and here the
 * IBB transport (Dino's fallback when SOCKS5 is not shared). `extra` goes into `<file/>`.
 */
const dinoIbbOffer = (size: string, extra = '', fileOverride?: string) =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="${DINO}" sid="0b5a6c1e-3f0e-4d2a-9c1b-7e8f2a4d6b10">
    <content creator="initiator" name="a-file-offer" senders="initiator">
      <description xmlns="urn:xmpp:jingle:apps:file-transfer:5">
        ${fileOverride ?? `<file><name>notes.pdf</name><size>${size}</size>${extra}</file>`}
      </description>
      <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="4096" sid="5e0c2d7a-9b1f-4c3e-8a6d-2f4b1e7c9a03"/>
    </content>
  </jingle>`);
const DINO_SID = '0b5a6c1e-3f0e-4d2a-9c1b-7e8f2a4d6b10';
const DINO_IBB = '5e0c2d7a-9b1f-4c3e-8a6d-2f4b1e7c9a03';

/**
 * Gajim (gajim/common/jingle_ft.py, jingle_content.py): content "file" + random letters,
 * `<name/>`, `<date/>`, `<size/>`, `<desc/>` and `<range/>`; for a large file no hash in the
 * offer: it is computed after session-accept and sent in a session-info `<checksum/>` without
 * creator or name. The transport here is IBB (Gajim's fallback transport).
 */
const gajimOffer = (size: number) =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="${GAJIM}" sid="PUVGQJ8LYD4C">
    <content creator="initiator" name="fileNQ2XKJ7PA" senders="initiator">
      <description xmlns="urn:xmpp:jingle:apps:file-transfer:5">
        <file>
          <name>holiday-2026.tar.gz</name>
          <date>2026-12-01T09:14:03Z</date>
          <size>${String(size)}</size>
          <desc>Photos from the lake, as promised</desc>
          <media-type>application/gzip</media-type>
          <range/>
        </file>
      </description>
      <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="4096" sid="T6WZ3RMUQ9KB"/>
    </content>
  </jingle>`);
const gajimChecksum = (value: string, algo = 'sha-256') =>
  stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-info" initiator="${GAJIM}" sid="PUVGQJ8LYD4C">
    <checksum xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><hash xmlns="urn:xmpp:hashes:2" algo="${algo}">${value}</hash></file></checksum>
  </jingle>`);

function ok(el: Element): Jingle {
  const parsed = parseJingle(el);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.jingle;
}

/** The Jingle IQs Parley sent, parsed, with a given action. */
function sentJingle(sent: Element[], action: string): Jingle[] {
  const out: Jingle[] = [];
  for (const el of sent) {
    const p = parseJingle(el);
    if (p.ok && p.jingle.action === action) out.push(p.jingle);
  }
  return out;
}

/** Lets queued work run until `done()` holds (a bounded number of turns; no clock involved). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(done(), `never happened: ${what}`);
}

function last(events: Transfer[], id: string): Transfer | undefined {
  return events.filter((t) => t.id === id).at(-1);
}

describe('transfer/jingle interop: offers from Conversations, Dino and Gajim (XEP-0234, XEP-0260, XEP-0261)', () => {
  it('Conversations over SOCKS5 falling back to IBB: offered, accepted, replaced, received, late sha-1 ignored', async () => {
    const { dir, service, events, iq, sent } = await scriptedTransferService('parley-interop-conv-');
    const data = Buffer.from('JFIF… not really a photo, but 48 bytes of one..');
    assert.equal(await iq(NS_JINGLE, 'jingle', conversationsOffer(data.length), CONVERSATIONS), true);
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    assert.equal(offer.peer, CONVERSATIONS);
    assert.equal(offer.name, 'IMG_20261204_183512.jpg');
    assert.equal(offer.size, data.length);
    assert.equal(offer.sha256, undefined);
    assert.deepEqual(await readdir(dir), [], 'nothing on disk before Accept');

    await service.accept(offer.id);
    const [accept] = sentJingle(sent, 'session-accept');
    assert.ok(accept, 'a session-accept');
    assert.equal(accept.sid, 'Xy3kQ9pL2mNvR8tA');
    assert.equal(accept.responder, OWN);
    // The content as offered: its creator and (random) name, senders, the file echoed.
    assert.equal(accept.content?.creator, 'initiator');
    assert.equal(accept.content.name, 'pJ8rT2wqLs0c');
    assert.equal(accept.content.senders, 'initiator');
    assert.equal(accept.content.file?.name, 'IMG_20261204_183512.jpg');
    assert.equal(accept.content.file.size, data.length);
    assert.equal(accept.content.transport?.kind, 's5b');
    assert.equal(accept.content.transport.sid, 'Vb7nQ1sZ0kLeH3uD');
    const acceptEl = sent.find((el) => el.attrs['action'] === 'session-accept');
    assert.ok(acceptEl?.getChild('content')?.getChild('description', NS_JINGLE_FT)?.getChild('file'));

    // Neither candidate answers: Parley says candidate-error (with the transport's sid).
    await until(() => sentJingle(sent, 'transport-info').length > 0, 'candidate-error');
    const [report] = sentJingle(sent, 'transport-info');
    assert.deepEqual(report?.content?.info, { kind: 'candidate-error', sid: 'Vb7nQ1sZ0kLeH3uD' });
    assert.equal(report.content.name, 'pJ8rT2wqLs0c');
    // Conversations could not reach us either, then replaces the transport with IBB.
    assert.equal(
      await iq(
        NS_JINGLE,
        'jingle',
        s5bInfo(CONVERSATIONS, 'Xy3kQ9pL2mNvR8tA', 'pJ8rT2wqLs0c', 'Vb7nQ1sZ0kLeH3uD', '<candidate-error/>'),
        CONVERSATIONS,
      ),
      true,
    );
    assert.equal(await iq(NS_JINGLE, 'jingle', conversationsReplace(), CONVERSATIONS), true);
    await until(() => sentJingle(sent, 'transport-accept').length > 0, 'transport-accept');
    const [taccept] = sentJingle(sent, 'transport-accept');
    assert.deepEqual(taccept?.content?.transport, { kind: 'ibb', sid: 'Wq2ZbN5uT1oAe7Kc', blockSize: 8192 });
    assert.equal(taccept.content.name, 'pJ8rT2wqLs0c');

    assert.equal(await iq(NS_IBB, 'open', buildOpen('Wq2ZbN5uT1oAe7Kc', 8192), CONVERSATIONS), true);
    assert.equal(await iq(NS_IBB, 'data', buildData('Wq2ZbN5uT1oAe7Kc', 0, data), CONVERSATIONS), true);
    const done = last(events, offer.id);
    assert.equal(done?.state, 'completed', done?.error);
    assert.deepEqual(await readdir(dir), ['IMG_20261204_183512.jpg']);
    const [end] = sentJingle(sent, 'session-terminate');
    assert.equal(end?.reason, 'success');
    assert.equal(end.sid, 'Xy3kQ9pL2mNvR8tA');
    // Its sha-1 checksum comes after our success: acknowledged, not an unknown-session error.
    assert.equal(await iq(NS_JINGLE, 'jingle', conversationsChecksum(data), CONVERSATIONS), true);
  });

  for (const ns of [NS_JINGLE_FT_4, NS_JINGLE_FT_3])
    it(`an older Conversations offering ${ns.slice(-2)}: understood, and answered in the same namespace`, async () => {
      const { service, events, iq, sent } = await scriptedTransferService('parley-interop-old-');
      assert.equal(await iq(NS_JINGLE, 'jingle', conversationsOffer(1234, ns), CONVERSATIONS), true);
      const offer = events.find((t) => t.state === 'offered');
      assert.ok(offer);
      assert.equal(offer.name, 'IMG_20261204_183512.jpg');
      assert.equal(offer.size, 1234);
      await service.accept(offer.id);
      const acceptEl = sent.find((el) => el.attrs['action'] === 'session-accept');
      const description = acceptEl?.getChild('content')?.getChild('description', ns);
      assert.ok(description, String(acceptEl));
      const file =
        ns === NS_JINGLE_FT_3 ? description.getChild('offer')?.getChild('file') : description.getChild('file');
      assert.equal(file?.getChildText('name'), 'IMG_20261204_183512.jpg');
      assert.equal(file.getChildText('size'), '1234');
      await service.cancel(offer.id);
    });

  it('Dino over IBB only: offered with name and size, accepted with the same IBB transport, received', async () => {
    const { dir, service, events, iq, sent } = await scriptedTransferService('parley-interop-dino-');
    const data = Buffer.from('%PDF-1.7 a very short document');
    assert.equal(await iq(NS_JINGLE, 'jingle', dinoIbbOffer(String(data.length)), DINO), true);
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    assert.equal(offer.peer, DINO);
    assert.equal(offer.name, 'notes.pdf');
    assert.equal(offer.size, data.length);
    await service.accept(offer.id);
    const [accept] = sentJingle(sent, 'session-accept');
    assert.equal(accept?.sid, DINO_SID);
    assert.equal(accept.content?.name, 'a-file-offer');
    assert.deepEqual(accept.content.transport, { kind: 'ibb', sid: DINO_IBB, blockSize: 4096 });
    // Dino's parser wants exactly one <file/> with a <size/>.
    const acceptEl = sent.find((el) => el.attrs['action'] === 'session-accept');
    const files = acceptEl?.getChild('content')?.getChild('description', NS_JINGLE_FT)?.getChildren('file') ?? [];
    assert.equal(files.length, 1);
    assert.equal(files[0]?.getChildText('size'), String(data.length));
    assert.equal(await iq(NS_IBB, 'open', buildOpen(DINO_IBB, 4096), DINO), true);
    assert.equal(await iq(NS_IBB, 'data', buildData(DINO_IBB, 0, data), DINO), true);
    assert.equal(last(events, offer.id)?.state, 'completed');
    assert.deepEqual(await readdir(dir), ['notes.pdf']);
    assert.equal(sentJingle(sent, 'session-terminate')[0]?.reason, 'success');
  });

  it('Gajim: name, date, size, desc and media type shown; <range/> not taken up; no <range/> in the accept', async () => {
    const { service, events, iq, sent } = await scriptedTransferService('parley-interop-gajim-');
    assert.equal(await iq(NS_JINGLE, 'jingle', gajimOffer(2048), GAJIM), true);
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    assert.equal(offer.name, 'holiday-2026.tar.gz');
    assert.equal(offer.size, 2048);
    assert.equal(offer.mimeType, 'application/gzip');
    assert.equal(offer.description, 'Photos from the lake, as promised');
    await service.accept(offer.id);
    const acceptEl = sent.find((el) => el.attrs['action'] === 'session-accept');
    const file = acceptEl?.getChild('content')?.getChild('description', NS_JINGLE_FT)?.getChild('file');
    assert.ok(file);
    // A <range/> in the accept would ask for part of the file (XEP-0234 §6.4): we take it whole.
    assert.equal(file.getChild('range'), undefined);
    assert.equal(file.getChildText('name'), 'holiday-2026.tar.gz');
    assert.equal(acceptEl?.getChild('content')?.attrs['name'], 'fileNQ2XKJ7PA');
    await service.cancel(offer.id);
  });

  for (const when of ['before', 'after'] as const)
    it(`Gajim's checksum in session-info (no creator/name) ${when} the data`, async () => {
      const { dir, service, events, iq } = await scriptedTransferService('parley-interop-sum-');
      const data = Buffer.from('a big archive, in spirit');
      await iq(NS_JINGLE, 'jingle', gajimOffer(data.length), GAJIM);
      const offer = events.find((t) => t.state === 'offered');
      assert.ok(offer);
      await service.accept(offer.id);
      if (when === 'before') assert.equal(await iq(NS_JINGLE, 'jingle', gajimChecksum(sha256(data)), GAJIM), true);
      await iq(NS_IBB, 'open', buildOpen('T6WZ3RMUQ9KB', 4096), GAJIM);
      await iq(NS_IBB, 'data', buildData('T6WZ3RMUQ9KB', 0, data), GAJIM);
      const done = last(events, offer.id);
      assert.equal(done?.state, 'completed', done?.error);
      if (when === 'before') assert.equal(done.sha256, sha256(data), 'checked against the checksum');
      else {
        // Nothing announced it: the file is complete on its size; the checksum that follows is acknowledged.
        assert.equal(done.sha256, undefined);
        assert.equal(await iq(NS_JINGLE, 'jingle', gajimChecksum(sha256(data)), GAJIM), true);
      }
      assert.deepEqual(await readdir(dir), ['holiday-2026.tar.gz']);
    });

  it("Gajim's wrong checksum before the data: hash-mismatch, media-error, no file", async () => {
    const { dir, service, events, iq, sent } = await scriptedTransferService('parley-interop-bad-');
    const data = Buffer.from('bytes that will not match');
    await iq(NS_JINGLE, 'jingle', gajimOffer(data.length), GAJIM);
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    await service.accept(offer.id);
    await iq(NS_JINGLE, 'jingle', gajimChecksum(Buffer.alloc(32, 1).toString('base64')), GAJIM);
    await iq(NS_IBB, 'open', buildOpen('T6WZ3RMUQ9KB', 4096), GAJIM);
    await iq(NS_IBB, 'data', buildData('T6WZ3RMUQ9KB', 0, data), GAJIM);
    assert.equal(last(events, offer.id)?.reason, 'hash-mismatch');
    assert.equal(sentJingle(sent, 'session-terminate')[0]?.reason, 'media-error');
    assert.deepEqual(await readdir(dir), []);
  });

  it('an offer carrying both transports uses SOCKS5 (the first in XEP-0260/0261 preference)', () => {
    const j = ok(
      stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="${DINO}" sid="both1">
        <content creator="initiator" name="a-file-offer" senders="initiator">
          <description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><name>a.bin</name><size>10</size></file></description>
          <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="4096" sid="ibbB"/>
          <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="s5bB" mode="tcp" dstaddr="${'ab'.repeat(20)}">
            <candidate cid="c1" host="192.0.2.7" jid="${DINO}" port="40119" priority="8290304" type="direct"/>
          </transport>
        </content>
      </jingle>`),
    );
    assert.equal(j.content?.transport?.kind, 's5b');
    assert.equal(j.content.transport.sid, 's5bB');
  });

  it('candidate types and attributes as Dino and Conversations write them (UUID cids, default port, no type)', () => {
    const j = ok(
      stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="${DINO}" sid="cands">
        <content creator="initiator" name="a-file-offer" senders="initiator">
          <description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><name>a.bin</name><size>10</size></file></description>
          <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="t" dstaddr="${'0f'.repeat(20)}" mode="tcp">
            <candidate cid="8c6f2b1e-0d3a-4f5b-9e7c-1a2b3c4d5e6f" host="192.0.2.7" jid="${DINO}" port="40119" priority="8290304" type="direct"/>
            <candidate cid="ab12" host="192.0.2.8" jid="${DINO}" priority="7929856" type="assisted"/>
            <candidate cid="cd34" host="198.51.100.1" jid="${DINO}" port="5000" priority="7208960" type="tunnel"/>
            <candidate cid="ef56" host="proxy.montague.lit" jid="proxy.montague.lit" port="7777" priority="688128" type="proxy"/>
            <candidate cid="gh78" host="192.0.2.9" jid="${DINO}" port="6000" priority="8257536"/>
          </transport>
        </content>
      </jingle>`),
    );
    const t = j.content?.transport;
    assert.equal(t?.kind, 's5b');
    assert.equal(t.dstaddr, '0f'.repeat(20));
    assert.deepEqual(
      t.candidates.map((c) => [c.cid, c.type, c.port]),
      [
        ['8c6f2b1e-0d3a-4f5b-9e7c-1a2b3c4d5e6f', 'direct', 40119],
        ['gh78', 'direct', 6000], // no type: direct (XEP-0260 §2.2)
        ['ab12', 'assisted', 1080], // no port: 1080
        ['cd34', 'tunnel', 5000],
        ['ef56', 'proxy', 7777],
      ],
    );
    // A transport in another mode (udp) is not one we can use.
    assert.equal(ok(stanza(jingleWithMode('udp'))).content?.transport, undefined, 'mode="udp" refused');
  });

  it('transport-info as those clients send it: candidate-used, candidate-error, activated, proxy-error', () => {
    for (const [child, info] of [
      ['<candidate-used cid="Rk3J0aQ8xY"/>', { kind: 'candidate-used', sid: 'V', cid: 'Rk3J0aQ8xY' }],
      ['<candidate-error/>', { kind: 'candidate-error', sid: 'V' }],
      ['<activated cid="M4tP6yWc2F"/>', { kind: 'activated', sid: 'V', cid: 'M4tP6yWc2F' }],
      ['<proxy-error/>', { kind: 'proxy-error', sid: 'V' }],
    ] as const)
      assert.deepEqual(ok(s5bInfo(CONVERSATIONS, 'S', 'pJ8rT2wqLs0c', 'V', child)).content?.info, info, child);
  });

  it('unknown extra children and attributes are ignored (thumbnails, OOB, future elements)', async () => {
    const { events, iq } = await scriptedTransferService('parley-interop-extra-');
    const extra = `<thumbnail xmlns="urn:xmpp:thumbs:1" uri="cid:sha1+ffd7c8d28e9c5e82afea41f97108c6b4@bob.xmpp.org" media-type="image/png" width="128" height="96"/>
      <x xmlns="urn:example:future" flavour="strawberry"><y/></x>`;
    const el = dinoIbbOffer('30', extra);
    el.getChild('content')?.append(stanza('<metadata xmlns="urn:example:content-extension"/>'));
    el.attrs['x-unknown'] = 'yes';
    assert.equal(await iq(NS_JINGLE, 'jingle', el, DINO), true);
    const offer = events.find((t) => t.state === 'offered');
    assert.equal(offer?.name, 'notes.pdf');
    assert.equal(offer.size, 30);
    // session-info payloads we have no use for (XEP-0234 §8.1 <received/>) are acknowledged.
    const received = stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-info" sid="${DINO_SID}">
      <received xmlns="urn:xmpp:jingle:apps:file-transfer:5" creator="initiator" name="a-file-offer"/>
    </jingle>`);
    assert.equal(await iq(NS_JINGLE, 'jingle', received, DINO), true);
  });

  for (const [what, fileOverride] of [
    ['no size', '<file><name>notes.pdf</name></file>'],
    ['a negative size', '<file><name>notes.pdf</name><size>-1</size></file>'],
    ['a size that is not a number', '<file><name>notes.pdf</name><size>12kB</size></file>'],
    ['no name', '<file><size>12</size></file>'],
    ['no file', ''],
  ] as const)
    it(`a malformed offer (${what}) is refused with bad-request, leaving nothing behind`, async () => {
      const { dir, events, iq, sent } = await scriptedTransferService('parley-interop-bad-');
      const reply = await iq(NS_JINGLE, 'jingle', dinoIbbOffer('', '', fileOverride), DINO);
      assert.ok(reply !== true && reply.getChild('bad-request'), String(reply));
      await new Promise((r) => setImmediate(r));
      assert.equal(events.length, 0);
      assert.equal(sent.length, 0);
      assert.deepEqual(await readdir(dir), []);
    });

  for (const [what, content, reason] of [
    [
      'an ancient file-transfer:2 description',
      `<description xmlns="urn:xmpp:jingle:apps:file-transfer:2"><offer><file xmlns="http://jabber.org/protocol/si/profile/file-transfer" name="a.txt" size="3"/></offer></description>
       <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="4096" sid="i1"/>`,
      'unsupported-applications',
    ],
    [
      'a call (RTP) offered as if a file',
      `<description xmlns="urn:xmpp:jingle:apps:rtp:1" media="audio"><payload-type id="111" name="opus" clockrate="48000" channels="2"/></description>
       <transport xmlns="urn:xmpp:jingle:transports:ice-udp:1" ufrag="8hhy" pwd="asd88fgpdd777uzjYhagZg"/>`,
      'unsupported-applications',
    ],
    [
      'a file over a transport we lack (WebRTC data channel)',
      `<description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><size>3</size><name>a.txt</name></file></description>
       <transport xmlns="urn:xmpp:jingle:transports:webrtc-datachannel:1" ufrag="p3Q1" pwd="ZmNlYzA2MmI3ZjU0NDE2"/>`,
      'unsupported-transports',
    ],
    [
      'a JET-encrypted file (XEP-0391, Conversations and Dino with OMEMO)',
      `<description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><size>3</size><name>a.txt</name></file></description>
       <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="4096" sid="i1"/>
       <security xmlns="urn:xmpp:jingle:jet:0" name="a-file-offer" cipher="urn:xmpp:ciphers:aes-128-gcm-nopadding" type="eu.siacs.conversations.axolotl"><encrypted xmlns="eu.siacs.conversations.axolotl"><header sid="1234"><iv>aGVsbG8=</iv></header></encrypted></security>`,
      'security-error',
    ],
    [
      "Gajim's XTLS layer (any <security/> we lack)",
      `<description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><name>a.txt</name><size>3</size></file></description>
       <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="t1"/>
       <security xmlns="urn:xmpp:jingle:security:xtls:0"><method name="x509"/></security>`,
      'security-error',
    ],
    [
      "Conversations' legacy OMEMO key inside <file/>",
      `<description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><size>19</size><name>a.txt</name><encrypted xmlns="eu.siacs.conversations.axolotl"><header sid="1234"><iv>aGVsbG8=</iv></header></encrypted></file></description>
       <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="8192" sid="i1"/>`,
      'security-error',
    ],
  ] as const)
    it(`${what}: acknowledged, then ended with <${reason}/>, nothing offered`, async () => {
      const { dir, events, iq, sent } = await scriptedTransferService('parley-interop-unsup-');
      const el =
        stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="${CONVERSATIONS}" sid="u1">
        <content creator="initiator" name="a-file-offer" senders="initiator">${content}</content>
      </jingle>`);
      assert.equal(await iq(NS_JINGLE, 'jingle', el, CONVERSATIONS), true);
      await new Promise((r) => setImmediate(r));
      assert.equal(events.length, 0);
      const [end] = sentJingle(sent, 'session-terminate');
      assert.equal(end?.reason, reason satisfies JingleReason);
      assert.equal(end.sid, 'u1');
      assert.equal(sent[0]?.getChild('reason')?.getChild(reason)?.name, reason);
      assert.deepEqual(await readdir(dir), []);
    });

  // The peer ends an accepted incoming transfer, with each reason XEP-0166 §7.4 lists.
  const INCOMING: readonly (readonly [string, Transfer['reason']])[] = [
    ['decline', 'declined'],
    ['busy', 'declined'],
    ['cancel', 'cancelled'],
    ['media-error', 'hash-mismatch'],
    ['failed-transport', 'no-streamhost'],
    ['connectivity-error', 'no-streamhost'],
    ['unsupported-transports', 'no-streamhost'],
    ['timeout', 'timed-out'],
    ['failed-application', 'error'],
    ['security-error', 'error'],
    ['general-error', 'error'],
    ['gone', 'error'],
    ['expired', 'error'],
    ['alternative-session', 'error'],
    ['incompatible-parameters', 'error'],
    ['success', 'error'], // "success" before the whole file arrived
  ];
  for (const [condition, expected] of INCOMING)
    it(`a session-terminate <${condition}/> from the sender fails the transfer (${String(expected)}) and removes the partial file`, async () => {
      const { dir, service, events, iq, sent } = await scriptedTransferService('parley-interop-term-');
      await iq(NS_JINGLE, 'jingle', dinoIbbOffer('64'), DINO);
      const offer = events.find((t) => t.state === 'offered');
      assert.ok(offer);
      await service.accept(offer.id);
      await iq(NS_IBB, 'open', buildOpen(DINO_IBB, 4096), DINO);
      await iq(NS_IBB, 'data', buildData(DINO_IBB, 0, Buffer.alloc(16, 1)), DINO);
      // Gajim and Conversations put <text/> after the condition, some put it first.
      const terminate = stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-terminate" sid="${DINO_SID}">
        <reason><text>the other side's words</text><${condition}/></reason>
      </jingle>`);
      assert.equal(await iq(NS_JINGLE, 'jingle', terminate, DINO), true);
      await until(() => last(events, offer.id)?.state === 'failed', 'failed');
      assert.equal(last(events, offer.id)?.reason, expected);
      // The partial file is removed as the failure is handled (no clock: a bounded number of turns).
      for (let i = 0; i < 2000 && (await readdir(dir)).length > 0; i++) await new Promise((r) => setTimeout(r, 1));
      assert.deepEqual(await readdir(dir), []);
      // The peer ended it: no session-terminate goes back.
      assert.equal(sentJingle(sent, 'session-terminate').length, 0);
    });
});

// ── what Parley sends, against what those clients parse ───────────────────────

async function sender(options: { socks5Direct: boolean }) {
  const { service, events, iq, sent, fileToSend } = await scriptedTransferService(
    'parley-interop-send-',
    { socks5Direct: options.socks5Direct, directHosts: () => ['127.0.0.1'] },
    {
      resources: [DINO],
      // What Dino and Conversations announce for Jingle file transfer.
      features: [NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_S5B, NS_JINGLE_IBB, NS_HASHES],
      get: itemNotFound,
    },
  );
  const data = Buffer.from('quarterly report, in full');
  const file = await fileToSend('report.txt', data);
  return { service, file, data, sent, events, iq: (el: Element) => iq(NS_JINGLE, 'jingle', el, DINO) };
}

describe('transfer/jingle interop: what Parley sends parses as Conversations, Dino and Gajim expect', () => {
  it('our disco#info announces Jingle file transfer and sha-256 (Gajim hashes only with an announced function)', () => {
    const features = parleyInfo().features;
    for (const f of [NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_S5B, NS_JINGLE_IBB, NS_HASHES])
      assert.ok(features.includes(f), f);
    assert.ok(features.includes('urn:xmpp:hash-function-text-names:sha-256'));
  });

  it('session-initiate over SOCKS5: every attribute those parsers require', async () => {
    const { service, file, sent } = await sender({ socks5Direct: true });
    const t = await service.sendFile('romeo@montague.lit', file);
    assert.equal(t.protocol, 'jingle');
    await until(() => sent.length > 0, 'the offer');
    const jingle = sent[0];
    assert.ok(jingle);
    assert.ok(jingle.is('jingle', NS_JINGLE), String(jingle));
    assert.equal(jingle.attrs['action'], 'session-initiate');
    assert.equal(jingle.attrs['initiator'], OWN);
    assert.match(String(jingle.attrs['sid']), /^[\x21-\x7e]{8,}$/u);
    const content = jingle.getChild('content');
    assert.equal(content?.attrs['creator'], 'initiator');
    assert.equal(content.attrs['senders'], 'initiator');
    assert.ok(String(content.attrs['name']).length > 0);
    // Exactly one <file/> (Dino), with <name/> and <size/> (Dino refuses an offer without a size).
    const files = content.getChild('description', NS_JINGLE_FT)?.getChildren('file') ?? [];
    assert.equal(files.length, 1);
    const [fileEl] = files;
    assert.ok(fileEl);
    assert.equal(fileEl.getChildText('name'), 'report.txt');
    assert.equal(fileEl.getChildText('size'), '25');
    // The sha-256 to come is announced with XEP-0300 <hash-used/> in urn:xmpp:hashes:2.
    assert.equal(fileEl.getChild('hash-used', NS_HASHES)?.attrs['algo'], 'sha-256');
    const transport = content.getChild('transport', NS_JINGLE_S5B);
    assert.ok(transport, String(content));
    assert.ok(transport.attrs['sid']);
    assert.equal(transport.attrs['mode'], 'tcp');
    assert.match(String(transport.attrs['dstaddr']), /^[0-9a-f]{40}$/u);
    const candidates = transport.getChildren('candidate');
    assert.ok(candidates.length > 0);
    for (const c of candidates) {
      for (const attr of ['cid', 'host', 'jid', 'port', 'priority', 'type'])
        assert.ok(String(c.attrs[attr] ?? '').length > 0, `${attr} in ${String(c)}`);
      assert.ok(Number(c.attrs['priority']) > 0, 'Dino wants a positive priority');
      assert.ok(['direct', 'assisted', 'tunnel', 'proxy'].includes(String(c.attrs['type'])));
      assert.ok(Number(c.attrs['port']) > 0 && Number(c.attrs['port']) < 65_536);
    }
    await service.cancel(t.id);
  });

  it('session-initiate over IBB, then the checksum in session-info once accepted', async () => {
    const { service, file, data, sent, iq } = await sender({ socks5Direct: false });
    const t = await service.sendFile('romeo@montague.lit', file);
    await until(() => sent.length > 0, 'the offer');
    const offer = ok(stanza(String(sent[0])));
    const ibb = sent[0]?.getChild('content')?.getChild('transport', NS_JINGLE_IBB);
    assert.ok(ibb?.attrs['sid'] && Number(ibb.attrs['block-size']) > 0, String(ibb));
    // Dino accepts, echoing the content (a smaller block size is Dino's right, XEP-0261 §2).
    const accept =
      stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-accept" sid="${offer.sid}" responder="${DINO}">
      <content creator="initiator" name="${String(offer.content?.name)}" senders="initiator">
        <description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><name>report.txt</name><size>25</size></file></description>
        <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="4096" sid="${String(ibb.attrs['sid'])}"/>
      </content>
    </jingle>`);
    assert.equal(await iq(accept), true);
    await until(() => sent.some((el) => el.attrs['action'] === 'session-info'), 'the checksum');
    const info = sent.find((el) => el.attrs['action'] === 'session-info');
    // XEP-0234 §8.1: <checksum/> in the file-transfer namespace naming the content, the hash
    // in urn:xmpp:hashes:2 inside <file/> — where Conversations, Dino and Gajim look for it.
    const checksum = info?.getChild('checksum', NS_JINGLE_FT);
    assert.ok(checksum, String(info));
    assert.equal(checksum.attrs['creator'], 'initiator');
    assert.equal(checksum.attrs['name'], offer.content?.name);
    const hash = checksum.getChild('file')?.getChild('hash', NS_HASHES);
    assert.equal(hash?.attrs['algo'], 'sha-256');
    assert.equal(hash.text(), sha256(data));
    // The peer's <success/> completes it.
    const success = stanza(
      `<jingle xmlns="urn:xmpp:jingle:1" action="session-terminate" sid="${offer.sid}"><reason><success/></reason></jingle>`,
    );
    await until(() => sent.some((el) => el.is('data', NS_IBB)), 'the data');
    // The smaller block size wins (XEP-0261 §2): Dino's 4096, not our 16 KiB.
    const open = sent.find((el) => el.is('open', NS_IBB));
    assert.equal(open?.attrs['block-size'], '4096', String(open));
    assert.equal(await iq(success), true);
    await until(() => service.list().find((x) => x.id === t.id)?.state === 'completed', 'completed');
  });

  it('a session-accept asking for a <range offset/> (a resume we never offered) ends the session, no byte sent', async () => {
    const { service, file, sent, iq } = await sender({ socks5Direct: false });
    const t = await service.sendFile('romeo@montague.lit', file);
    await until(() => sent.length > 0, 'the offer');
    const offer = ok(stanza(String(sent[0])));
    assert.equal(sent[0]?.getChild('content')?.getChild('description')?.getChild('file')?.getChild('range'), undefined);
    const ibb = offer.content?.transport;
    assert.equal(ibb?.kind, 'ibb');
    const accept =
      stanza(`<jingle xmlns="urn:xmpp:jingle:1" action="session-accept" sid="${offer.sid}" responder="${GAJIM}">
      <content creator="initiator" name="${String(offer.content?.name)}" senders="initiator">
        <description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><name>report.txt</name><size>25</size><range offset="10"/></file></description>
        <transport xmlns="urn:xmpp:jingle:transports:ibb:1" block-size="4096" sid="${ibb.sid}"/>
      </content>
    </jingle>`);
    assert.equal(await iq(accept), true);
    await until(() => service.list().find((x) => x.id === t.id)?.state === 'failed', 'failed');
    await until(() => sentJingle(sent, 'session-terminate').length > 0, 'session-terminate');
    assert.equal(sentJingle(sent, 'session-terminate')[0]?.sid, offer.sid);
    assert.ok(!sent.some((el) => el.is('open', NS_IBB) || el.is('data', NS_IBB)), 'no byte sent');
  });

  for (const [condition, expected] of [
    ['decline', 'declined'],
    ['busy', 'declined'],
    ['cancel', 'cancelled'],
    ['failed-application', 'size-limit'],
    ['unsupported-applications', 'error'],
    ['security-error', 'error'],
  ] as const)
    it(`the recipient answering our offer with <${condition}/> fails it as ${expected}`, async () => {
      const { service, file, sent, iq } = await sender({ socks5Direct: false });
      const t = await service.sendFile('romeo@montague.lit', file);
      await until(() => sent.length > 0, 'the offer');
      const sid = String(sent[0]?.attrs['sid']);
      const end = stanza(
        `<jingle xmlns="urn:xmpp:jingle:1" action="session-terminate" sid="${sid}"><reason><${condition}/></reason></jingle>`,
      );
      assert.equal(await iq(end), true);
      await until(() => service.list().find((x) => x.id === t.id)?.state === 'failed', 'failed');
      assert.equal(service.list().find((x) => x.id === t.id)?.reason, expected);
    });
});

function jingleWithMode(mode: string): string {
  return `<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" initiator="${DINO}" sid="m1">
    <content creator="initiator" name="a-file-offer" senders="initiator">
      <description xmlns="urn:xmpp:jingle:apps:file-transfer:5"><file><name>a.bin</name><size>10</size></file></description>
      <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="t" mode="${mode}"/>
    </content>
  </jingle>`;
}

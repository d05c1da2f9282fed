/**
 * Jingle SOCKS5 both ways (XEP-0260): the nomination rule on stanza fixtures, a responder that
 * offers its own candidates, and transfers that never hang (the stall timeout, going offline)
 * against a scripted stream with real loopback sockets.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import { describe, it } from 'node:test';
import type { Element } from '@xmpp/xml';
import type { Transfer } from '../../../preload/contract.ts';
import {
  NS_BYTESTREAMS,
  buildStreamhostUsed,
  dstAddr,
  parseStreamhosts,
} from '../../../main/core/transfer/bytestreams.ts';
import { buildData, buildOpen } from '../../../main/core/transfer/ibb.ts';
import {
  NS_JINGLE,
  buildJingle,
  nominate,
  parseJingle,
  type Candidate,
  type Jingle,
} from '../../../main/core/transfer/jingle.ts';
import { NS_IBB, NS_SI, NS_SI_FT, buildAccept, buildOffer } from '../../../main/core/transfer/si.ts';
import { connectStreamhost } from '../../../main/core/transfer/socks5.ts';
import { stanza } from '../../support/stanza.ts';
import { OWN, PEER, noDisco, scriptedTransferService } from './harness.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');

/** A session's transport candidates, from a fixture as the peer would send it. */
function candidatesOf(xmlText: string): Candidate[] {
  const parsed = parseJingle(stanza(xmlText));
  assert.ok(parsed.ok);
  const t = parsed.jingle.content?.transport;
  assert.ok(t?.kind === 's5b');
  return t.candidates;
}

/** An initiator's offer: a direct candidate (priority 8257536) and a proxy (655360). */
const INITIATOR =
  candidatesOf(`<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" sid="s1" initiator="${PEER}">
  <content creator="initiator" name="f">
    <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="t1" mode="tcp">
      <candidate cid="i-direct" host="192.0.2.7" jid="${PEER}" port="5000" priority="8257536" type="direct"/>
      <candidate cid="i-proxy" host="198.51.100.1" jid="proxy.montague.example" port="7777" priority="655360" type="proxy"/>
    </transport>
  </content>
</jingle>`);
/** A responder's accept: a direct candidate of the same priority, another lower, and a proxy. */
const RESPONDER = candidatesOf(`<jingle xmlns="urn:xmpp:jingle:1" action="session-accept" sid="s1" responder="${OWN}">
  <content creator="initiator" name="f">
    <transport xmlns="urn:xmpp:jingle:transports:s5b:1" sid="t1" mode="tcp">
      <candidate cid="r-direct" host="203.0.113.9" jid="${OWN}" port="6000" priority="8257536" type="direct"/>
      <candidate cid="r-assisted" host="203.0.113.10" jid="${OWN}" port="6001" priority="7929856" type="assisted"/>
      <candidate cid="r-proxy" host="198.51.100.2" jid="proxy.capulet.example" port="7777" priority="655360" type="proxy"/>
    </transport>
  </content>
</jingle>`);
const by = (list: Candidate[], cid: string) => list.find((c) => c.cid === cid);

describe('transfer/jingle: the nominated candidate (XEP-0260 §2.4)', () => {
  it('both used: the higher priority wins, whoever offered it', () => {
    assert.deepEqual(nominate(by(RESPONDER, 'r-proxy'), by(INITIATOR, 'i-direct')), {
      offeredBy: 'initiator',
      candidate: by(INITIATOR, 'i-direct'),
    });
    assert.deepEqual(nominate(by(RESPONDER, 'r-assisted'), by(INITIATOR, 'i-proxy')), {
      offeredBy: 'responder',
      candidate: by(RESPONDER, 'r-assisted'),
    });
  });

  it('both used with equal priorities: the initiator’s choice (the responder’s candidate it used)', () => {
    assert.equal(by(RESPONDER, 'r-direct')?.priority, by(INITIATOR, 'i-direct')?.priority);
    assert.deepEqual(nominate(by(RESPONDER, 'r-direct'), by(INITIATOR, 'i-direct')), {
      offeredBy: 'responder',
      candidate: by(RESPONDER, 'r-direct'),
    });
  });

  it('one side reported candidate-error: the other side’s used candidate; both errors: none', () => {
    assert.equal(nominate(undefined, by(INITIATOR, 'i-proxy'))?.candidate.cid, 'i-proxy');
    assert.equal(nominate(by(RESPONDER, 'r-proxy'), undefined)?.offeredBy, 'responder');
    assert.equal(nominate(undefined, undefined), undefined);
  });
});

/** A port on loopback where nothing listens (connections are refused at once). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

/** Until `check` holds (the service works on real sockets and timers). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
}

const jingles = (sent: Element[]): Jingle[] =>
  sent.flatMap((el) => {
    const p = parseJingle(el);
    return p.ok ? [p.jingle] : [];
  });

/** A Jingle offer over SOCKS5 whose only candidate cannot be reached. */
async function s5bOffer(data: Buffer, candidatePort?: number): Promise<Element> {
  const port = candidatePort ?? (await closedPort());
  return buildJingle({
    action: 'session-initiate',
    sid: 'sess1',
    initiator: PEER,
    content: {
      creator: 'initiator',
      name: 'a-file-offer',
      senders: 'initiator',
      file: { name: 'both-ways.bin', size: data.length, hashes: [{ algo: 'sha-256', value: sha(data) }] },
      transport: {
        kind: 's5b',
        sid: 'tsid1',
        candidates: [{ cid: 'unreachable', host: '127.0.0.1', port, jid: PEER, priority: 7929856, type: 'direct' }],
      },
    },
  });
}

const final = (events: Transfer[], id: string) =>
  events.filter((t) => t.id === id && (t.state === 'completed' || t.state === 'failed')).at(-1);

/**
 * A responder (us) with a direct streamhost on loopback accepts an offer whose candidate is
 * unreachable; the initiator (the test) connects to our candidate and says candidate-used.
 */
async function acceptedWithOurCandidate(
  data: Buffer,
  options: { stallTimeoutMs?: number; streamhostTimeoutMs?: number; candidatePort?: number } = {},
) {
  const harness = await scriptedTransferService('parley-jingle-both-', {
    socks5Direct: true,
    directHosts: () => ['127.0.0.1'],
    streamhostTimeoutMs: options.streamhostTimeoutMs ?? 1000,
    ...(options.stallTimeoutMs ? { stallTimeoutMs: options.stallTimeoutMs } : {}),
  });
  const { service, events, iq, sent } = harness;
  assert.equal(await iq(NS_JINGLE, 'jingle', await s5bOffer(data, options.candidatePort)), true);
  const offer = events.find((t) => t.state === 'offered');
  assert.ok(offer);
  await service.accept(offer.id);
  const accept = jingles(sent).find((j) => j.action === 'session-accept');
  const transport = accept?.content?.transport;
  assert.ok(transport?.kind === 's5b', String(sent[0]));
  // Our candidate's hash is SHA1(SID + responder + initiator) (XEP-0260: the offerer's JID first).
  const dst = dstAddr('tsid1', OWN, PEER);
  assert.equal(transport.dstaddr, dst);
  const [ours] = transport.candidates;
  assert.ok(ours);
  assert.equal(transport.candidates.length, 1, 'the direct candidate (no proxy here)');
  assert.deepEqual(
    { host: ours.host, jid: ours.jid, type: ours.type },
    { host: '127.0.0.1', jid: OWN, type: 'direct' },
  );
  // A connection with the initiator's own hash is not one we accept on our streamhost.
  await assert.rejects(connectStreamhost('127.0.0.1', ours.port, dstAddr('tsid1', PEER, OWN), 1000));
  const socket = await connectStreamhost('127.0.0.1', ours.port, dst, 1000);
  const used = buildJingle({
    action: 'transport-info',
    sid: 'sess1',
    content: {
      creator: 'initiator',
      name: 'a-file-offer',
      info: { kind: 'candidate-used', sid: 'tsid1', cid: ours.cid },
    },
  });
  assert.equal(await iq(NS_JINGLE, 'jingle', used), true);
  // The responder could not reach the initiator's candidate: candidate-error.
  await until(
    () => jingles(sent).some((j) => j.action === 'transport-info' && j.content?.info?.kind === 'candidate-error'),
    'candidate-error',
  );
  return { ...harness, offer, socket };
}

describe('transfer/jingle-session: the responder’s own candidates (XEP-0260)', () => {
  it('offers a direct candidate in session-accept; the initiator’s connection to it carries the file', async () => {
    const data = Buffer.alloc(300_000, 'x');
    const { events, offer, socket, sent } = await acceptedWithOurCandidate(data);
    socket.end(data);
    await until(() => final(events, offer.id) !== undefined, 'the transfer ends');
    const done = final(events, offer.id);
    assert.equal(done?.state, 'completed', done?.error);
    assert.equal(done.method, 'socks5-direct');
    assert.ok(done.path);
    assert.equal(sha(await readFile(done.path)), sha(data));
    assert.ok(jingles(sent).some((j) => j.action === 'session-terminate' && j.reason === 'success'));
    socket.destroy();
  });

  it('stops trying a candidate of the initiator’s that can no longer win once ours was used', async () => {
    // The initiator's candidate accepts TCP and then never answers SOCKS5; our streamhost
    // timeout is far longer than the test may take: only giving up on it ends the attempt.
    const silent: net.Socket[] = [];
    let closed = 0;
    const server = net.createServer((sock) => {
      silent.push(sock);
      sock.once('close', () => closed++);
      sock.resume(); // reads (and ignores) the greeting, so that the peer's close is seen
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    const data = Buffer.alloc(50_000, 'q');
    const { events, offer, socket } = await acceptedWithOurCandidate(data, {
      streamhostTimeoutMs: 600_000,
      candidatePort: address.port,
    });
    assert.equal(silent.length, 1, 'the attempt had started');
    await until(() => closed === 1, 'the attempt is abandoned');
    socket.end(data);
    await until(() => final(events, offer.id) !== undefined, 'the transfer ends');
    assert.equal(final(events, offer.id)?.state, 'completed');
    socket.destroy();
    server.close();
  });

  it('refuses a candidate-used for a candidate it never offered', async () => {
    const { service, events, iq } = await scriptedTransferService('parley-jingle-both-', {
      socks5Direct: true,
      directHosts: () => ['127.0.0.1'],
    });
    await iq(NS_JINGLE, 'jingle', await s5bOffer(Buffer.from('abc')));
    const bogus = buildJingle({
      action: 'transport-info',
      sid: 'sess1',
      content: {
        creator: 'initiator',
        name: 'a-file-offer',
        info: { kind: 'candidate-used', sid: 'tsid1', cid: 'nope' },
      },
    });
    // Not accepted yet: there is nothing of ours to use.
    assert.match(String(await iq(NS_JINGLE, 'jingle', bogus)), /unexpected-request/u);
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    await service.accept(offer.id);
    assert.match(String(await iq(NS_JINGLE, 'jingle', bogus)), /bad-request/u);
    await service.cancel(offer.id);
  });
});

describe('transfer/transfer-service: transfers never hang', () => {
  it('SOCKS5: a sender that goes silent mid-file fails as timed out, and the partial file goes', async () => {
    const data = Buffer.alloc(200_000, 'y');
    const { dir, events, offer, socket } = await acceptedWithOurCandidate(data, { stallTimeoutMs: 300 });
    socket.write(data.subarray(0, 50_000)); // then nothing
    await until(() => final(events, offer.id) !== undefined, 'the transfer ends');
    const done = final(events, offer.id);
    assert.equal(done?.state, 'failed');
    assert.equal(done.reason, 'timed-out');
    assert.match(done.error ?? '', /stalled/u);
    assert.deepEqual(await readdir(dir), [], 'no partial file');
    socket.destroy();
  });

  it('SOCKS5 sending: a socket that takes no more bytes fails as timed out', async () => {
    let receiver: net.Socket | undefined;
    // A receiver that accepts, connects to our streamhost, names it, and then never reads.
    const { service, events, fileToSend } = await scriptedTransferService(
      'parley-stall-send-',
      { socks5Direct: true, directHosts: () => ['127.0.0.1'], jingle: false, stallTimeoutMs: 300 },
      {
        resources: [PEER],
        features: [NS_SI, NS_SI_FT, NS_BYTESTREAMS],
        set: async (el: Element) => {
          if (el.is('si', NS_SI)) return buildAccept(NS_BYTESTREAMS);
          const offered = parseStreamhosts(el);
          const host = offered?.hosts[0];
          assert.ok(offered && host);
          receiver = await connectStreamhost(host.host, host.port, dstAddr(offered.sid, OWN, PEER), 1000);
          return buildStreamhostUsed(host.jid);
        },
        get: noDisco,
      },
    );
    const file = await fileToSend('big.bin', Buffer.alloc(24 * 1024 * 1024, 's'));
    const out = await service.sendFile(PEER, file);
    await until(() => final(events, out.id) !== undefined, 'the transfer ends');
    const done = final(events, out.id);
    assert.equal(done?.state, 'failed');
    assert.equal(done.reason, 'timed-out');
    assert.match(done.error ?? '', /took no data/u);
    assert.ok(done.bytes < done.size);
    receiver?.destroy();
  });

  it('IBB (XEP-0096): no block after the first fails as timed out, and the partial file goes', async () => {
    const { dir, service, events, iq } = await scriptedTransferService('parley-stall-ibb-', { stallTimeoutMs: 300 });
    const data = Buffer.alloc(10_000, 'z');
    const answer = iq(
      NS_SI,
      'si',
      stanza(
        buildOffer({
          sid: 'st1',
          name: 'stall.bin',
          size: data.length,
          hashes: [{ algo: 'sha-256', value: sha(data) }],
          methods: [NS_IBB],
        }).toString(),
      ),
    );
    const offer = events.find((t) => t.state === 'offered');
    assert.ok(offer);
    await service.accept(offer.id);
    await answer;
    assert.equal(await iq(NS_IBB, 'open', stanza(buildOpen('st1', 4096).toString())), true);
    assert.equal(await iq(NS_IBB, 'data', stanza(buildData('st1', 0, data.subarray(0, 4096)).toString())), true);
    assert.equal((await readdir(dir)).length, 1, 'the partial file while it runs');
    await until(() => final(events, offer.id) !== undefined, 'the transfer ends');
    assert.equal(final(events, offer.id)?.reason, 'timed-out');
    assert.deepEqual(await readdir(dir), [], 'no partial file');
  });

  it('going offline fails pending offers (XEP-0096 and Jingle) and running transfers, with their files', async () => {
    const { dir, service, events, iq, sent } = await scriptedTransferService('parley-offline-', {
      socks5Direct: false,
    });
    const data = Buffer.alloc(10_000, 'w');
    const siAnswer = iq(
      NS_SI,
      'si',
      stanza(
        buildOffer({
          sid: 'off1',
          name: 'si-offer.bin',
          size: data.length,
          hashes: [{ algo: 'sha-256', value: sha(data) }],
          methods: [NS_IBB],
        }).toString(),
      ),
    );
    assert.equal(await iq(NS_JINGLE, 'jingle', await s5bOffer(data)), true);
    const pending = () => events.filter((t) => t.state === 'offered');
    await until(() => pending().length === 2, 'two offers');
    // A third one, accepted and running over IBB.
    const running = iq(
      NS_SI,
      'si',
      stanza(
        buildOffer({
          sid: 'off2',
          name: 'running.bin',
          size: data.length,
          hashes: [{ algo: 'sha-256', value: sha(data) }],
          methods: [NS_IBB],
        }).toString(),
      ),
    );
    const third = events.find((t) => t.name === 'running.bin');
    assert.ok(third);
    await service.accept(third.id);
    await running;
    await iq(NS_IBB, 'open', stanza(buildOpen('off2', 4096).toString()));
    await iq(NS_IBB, 'data', stanza(buildData('off2', 0, data.subarray(0, 4096)).toString()));
    assert.equal((await readdir(dir)).length, 1);
    await service.offline();
    for (const t of [...pending(), third]) {
      const done = final(events, t.id);
      assert.equal(done?.state, 'failed', t.name);
      assert.equal(done.reason, 'offline', t.name);
    }
    assert.ok(
      service.list().every((t) => t.state === 'failed'),
      'nothing left offered or running',
    );
    // The XEP-0096 offer is answered (refused), the Jingle one ended.
    assert.match((await siAnswer).toString(), /type="cancel"|forbidden/u);
    assert.ok(jingles(sent).some((j) => j.action === 'session-terminate' && j.sid === 'sess1'));
    assert.deepEqual(await readdir(dir), [], 'no partial file');
  });

  it('a peer that goes offline: its pending offer fails as offline; another resource’s stays', async () => {
    const { service, events, iq, inbound } = await scriptedTransferService('parley-peer-gone-');
    const data = Buffer.alloc(1000, 'v');
    const offerFrom = (sid: string, from: string) =>
      iq(
        NS_SI,
        'si',
        stanza(
          buildOffer({
            sid,
            name: `${sid}.bin`,
            size: data.length,
            hashes: [{ algo: 'sha-256', value: sha(data) }],
            methods: [NS_IBB],
          }).toString(),
        ),
        from,
      );
    const answer = offerFrom('gone1', PEER);
    void offerFrom('stays1', `${PEER}-phone`);
    await until(() => events.filter((t) => t.state === 'offered').length === 2, 'two offers');
    await inbound(stanza(`<presence from="${PEER}" type="unavailable"/>`));
    await inbound(stanza(`<presence from="${PEER}-phone"/>`));
    const gone = events.find((t) => t.name === 'gone1.bin');
    const stays = events.find((t) => t.name === 'stays1.bin');
    assert.ok(gone && stays);
    await until(() => final(events, gone.id) !== undefined, 'the offer fails');
    assert.equal(final(events, gone.id)?.reason, 'offline');
    assert.match(final(events, gone.id)?.error ?? '', /went offline/u);
    assert.match((await answer).toString(), /error/u);
    assert.equal(service.list().find((t) => t.id === stays.id)?.state, 'offered');
    await service.cancel(stays.id);
  });
});

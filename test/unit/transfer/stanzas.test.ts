import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildActivate,
  buildStreamhosts,
  buildStreamhostUsed,
  dstAddr,
  parseProxyAddress,
  parseStreamhosts,
  parseStreamhostUsed,
} from '../../../main/core/transfer/bytestreams.ts';
import { parseHashes, sha256Of } from '../../../main/core/transfer/hash.ts';
import {
  buildClose,
  buildData,
  buildOpen,
  nextSeq,
  parseClose,
  parseData,
  parseOpen,
} from '../../../main/core/transfer/ibb.ts';
import {
  NS_BYTESTREAMS,
  NS_IBB,
  buildAccept,
  buildOffer,
  buildOfferError,
  chooseMethod,
  parseAccept,
  parseOffer,
} from '../../../main/core/transfer/si.ts';
import { stanza } from '../../support/stanza.ts';

const SHA = Buffer.alloc(32, 7).toString('base64');

describe('transfer/si (XEP-0095, XEP-0096)', () => {
  it('parses an offer as Psi/Spark send it', () => {
    const parsed = parseOffer(
      stanza(`<si xmlns="http://jabber.org/protocol/si" id="a0" mime-type="text/plain" profile="http://jabber.org/protocol/si/profile/file-transfer">
        <file xmlns="http://jabber.org/protocol/si/profile/file-transfer" name="test.txt" size="1022" date="1969-07-21T02:56:15Z">
          <desc>This is a test. If this were a real file...</desc>
          <hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${SHA}</hash>
          <range/>
        </file>
        <feature xmlns="http://jabber.org/protocol/feature-neg">
          <x xmlns="jabber:x:data" type="form">
            <field var="stream-method" type="list-single">
              <option><value>http://jabber.org/protocol/bytestreams</value></option>
              <option><value>http://jabber.org/protocol/ibb</value></option>
            </field>
          </x>
        </feature>
      </si>`),
    );
    assert.deepEqual(parsed, {
      ok: true,
      offer: {
        sid: 'a0',
        name: 'test.txt',
        size: 1022,
        mimeType: 'text/plain',
        date: '1969-07-21T02:56:15Z',
        desc: 'This is a test. If this were a real file...',
        hashes: [{ algo: 'sha-256', value: SHA }],
        methods: [NS_BYTESTREAMS, NS_IBB],
      },
    });
    assert.ok(parsed.ok);
    assert.equal(sha256Of(parsed.offer.hashes), SHA);
  });

  it('round-trips our own offer and answer', () => {
    const offer = {
      sid: 's1',
      name: '报告 v2.pdf',
      size: 5,
      hashes: [{ algo: 'sha-256', value: SHA }],
      methods: [NS_BYTESTREAMS, NS_IBB],
    };
    const parsed = parseOffer(stanza(buildOffer(offer).toString()));
    assert.ok(parsed.ok);
    assert.equal(parsed.offer.name, offer.name);
    assert.equal(parsed.offer.size, 5);
    assert.equal(parsed.offer.mimeType, 'application/octet-stream');
    assert.deepEqual(parsed.offer.methods, offer.methods);
    assert.equal(parseAccept(stanza(buildAccept(NS_IBB).toString())), NS_IBB);
    assert.equal(parseAccept(undefined), undefined);
    assert.equal(chooseMethod([NS_IBB, NS_BYTESTREAMS], [NS_BYTESTREAMS, NS_IBB]), NS_BYTESTREAMS);
    assert.equal(chooseMethod(['urn:other'], [NS_BYTESTREAMS]), undefined);
  });

  it('refuses malformed, negative, absurd and method-less offers', () => {
    const offer = (
      sid: string,
      file: string,
      methods = `<option><value>${NS_IBB}</value></option>`,
      profile = 'http://jabber.org/protocol/si/profile/file-transfer',
    ) =>
      parseOffer(
        stanza(
          `<si xmlns="http://jabber.org/protocol/si" id="${sid}" profile="${profile}"><file xmlns="http://jabber.org/protocol/si/profile/file-transfer" ${file}/><feature xmlns="http://jabber.org/protocol/feature-neg"><x xmlns="jabber:x:data" type="form"><field var="stream-method">${methods}</field></x></feature></si>`,
        ),
      );
    assert.deepEqual(offer('x', 'name="a" size="-1"'), { ok: false, error: 'bad-request', sid: 'x' });
    assert.deepEqual(offer('x', 'name="a" size="1e9"'), { ok: false, error: 'bad-request', sid: 'x' });
    assert.deepEqual(offer('x', 'name="a"'), { ok: false, error: 'bad-request', sid: 'x' });
    assert.deepEqual(offer('x', 'size="3"'), { ok: false, error: 'bad-request', sid: 'x' });
    assert.deepEqual(offer('x', 'name="a" size="99999999999999999999"'), { ok: false, error: 'size', sid: 'x' });
    assert.deepEqual(offer('x', `name="a" size="${String(2 ** 41)}"`), { ok: false, error: 'size', sid: 'x' });
    assert.deepEqual(offer('x', 'name="a" size="3"', ''), { ok: false, error: 'no-valid-streams', sid: 'x' });
    assert.deepEqual(offer('x', 'name="a" size="3"', undefined, 'urn:other'), {
      ok: false,
      error: 'bad-profile',
      sid: 'x',
    });
    assert.deepEqual(offer('has space', 'name="a" size="3"'), { ok: false, error: 'bad-request' });
    assert.equal(offer('x', 'name="a" size="0"').ok, true);
  });

  it('declines with forbidden, and names SI errors', () => {
    assert.match(buildOfferError('declined').toString(), /<forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"\/>/u);
    assert.match(
      buildOfferError('no-valid-streams').toString(),
      /<no-valid-streams xmlns="http:\/\/jabber.org\/protocol\/si"\/>/u,
    );
    assert.match(buildOfferError('size').toString(), /not-acceptable/u);
  });

  it('keeps only well-formed XEP-0300 hashes', () => {
    const file = stanza(
      `<file xmlns="x"><hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${SHA}</hash><hash xmlns="urn:xmpp:hashes:2" algo="sha-1">not base64!</hash><hash xmlns="urn:xmpp:hashes:2">${SHA}</hash></file>`,
    );
    assert.deepEqual(parseHashes(file), [{ algo: 'sha-256', value: SHA }]);
    assert.equal(sha256Of([{ algo: 'sha-256', value: 'AAAA' }]), undefined); // wrong length
  });
});

describe('transfer/bytestreams (XEP-0065)', () => {
  it('computes the destination address SHA1(SID + initiator + target)', () => {
    // Checked against sha1sum for the XEP-0065 example's JIDs.
    assert.equal(
      dstAddr('vxf9n471bn46', 'romeo@montague.lit/orchard', 'juliet@capulet.lit/balcony'),
      '01494a7e04f11decb0c82b29d36d172e55ebe7a9',
    );
    assert.match(dstAddr('s', 'a@b/c', 'd@e/f'), /^[0-9a-f]{40}$/u);
    assert.notEqual(dstAddr('s', 'a@b/c', 'd@e/f'), dstAddr('s', 'd@e/f', 'a@b/c'));
  });

  it('parses streamhost lists, dropping bad hosts and refusing UDP', () => {
    const q = stanza(`<query xmlns="http://jabber.org/protocol/bytestreams" sid="vxf9n471bn46" mode="tcp">
      <streamhost jid="romeo@montague.lit/orchard" host="192.168.4.1" port="5086"/>
      <streamhost jid="streamer.example.com" host="24.24.24.1" zeroconf="_jabber.bytestreams"/>
      <streamhost jid="evil" host="a b" port="1"/>
      <streamhost jid="evil2" host="1.2.3.4" port="70000"/>
    </query>`);
    assert.deepEqual(parseStreamhosts(q), {
      sid: 'vxf9n471bn46',
      hosts: [
        { jid: 'romeo@montague.lit/orchard', host: '192.168.4.1', port: 5086 },
        { jid: 'streamer.example.com', host: '24.24.24.1', port: 1080 },
      ],
    });
    assert.equal(parseStreamhosts(stanza(`<query xmlns="${NS_BYTESTREAMS}" sid="a" mode="udp"/>`)), undefined);
    const built = buildStreamhosts('s2', [{ jid: 'a@b/c', host: '127.0.0.1', port: 9 }]);
    assert.deepEqual(parseStreamhosts(stanza(built.toString()))?.hosts, [{ jid: 'a@b/c', host: '127.0.0.1', port: 9 }]);
  });

  it('round-trips streamhost-used, proxy address and activation', () => {
    assert.equal(parseStreamhostUsed(stanza(buildStreamhostUsed('proxy.example').toString())), 'proxy.example');
    assert.equal(parseStreamhostUsed(stanza(`<query xmlns="${NS_BYTESTREAMS}"/>`)), undefined);
    assert.deepEqual(
      parseProxyAddress(
        stanza(`<query xmlns="${NS_BYTESTREAMS}"><streamhost host="127.0.0.1" port="7777"/></query>`),
        'proxy.localhost',
      ),
      { jid: 'proxy.localhost', host: '127.0.0.1', port: 7777 },
    );
    assert.equal(
      buildActivate('s', 'a@b/c').toString(),
      `<query xmlns="${NS_BYTESTREAMS}" sid="s"><activate>a@b/c</activate></query>`,
    );
  });
});

describe('transfer/ibb (XEP-0047)', () => {
  it('parses open with its block size', () => {
    assert.deepEqual(parseOpen(stanza(buildOpen('i781hf64', 4096).toString())), {
      sid: 'i781hf64',
      blockSize: 4096,
      stanza: 'iq',
    });
    assert.equal(parseOpen(stanza(`<open xmlns="${NS_IBB}" sid="a" block-size="0"/>`)), undefined);
    assert.equal(parseOpen(stanza(`<open xmlns="${NS_IBB}" sid="a" block-size="-5"/>`)), undefined);
    assert.equal(parseOpen(stanza(`<open xmlns="${NS_IBB}" sid="a" block-size="4096" stanza="presence"/>`)), undefined);
  });

  it('parses data blocks and their sequence numbers, refusing bad base64 and oversized blocks', () => {
    const data = Buffer.from('hello, world');
    assert.deepEqual(parseData(stanza(buildData('s', 65535, data).toString())), { sid: 's', seq: 65535, data });
    assert.equal(nextSeq(65535), 0);
    assert.equal(parseData(stanza(`<data xmlns="${NS_IBB}" sid="s" seq="65536">AAAA</data>`)), undefined);
    assert.equal(parseData(stanza(`<data xmlns="${NS_IBB}" sid="s" seq="1">A*AA</data>`)), undefined);
    assert.equal(parseData(stanza(`<data xmlns="${NS_IBB}" sid="s" seq="1">AAAAAAAA</data>`), 3), undefined);
    assert.equal(parseClose(stanza(buildClose('s').toString())), 's');
  });
});

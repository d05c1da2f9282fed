import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCaps,
  buildDiscoInfo,
  buildDiscoInfoQuery,
  buildDiscoItemsQuery,
  buildOwnCaps,
  buildOwnInfo,
  capsNode,
  capsProblem,
  capsString,
  capsVerification,
  discoKey,
  hasFeature,
  hasIdentity,
  MAX_FEATURES,
  MAX_ITEMS,
  NS_CAPS,
  NS_DISCO_INFO,
  PARLEY_CAPS_NODE,
  PARLEY_FEATURES,
  parleyCaps,
  parleyIdentity,
  parseCaps,
  parseDiscoInfo,
  parseDiscoItems,
  verifyCaps,
  type DiscoInfo,
} from '../../../main/core/xmpp/disco.ts';
import { stanza } from '../../support/stanza.ts';

/** XEP-0115 §5.2, the simple generation example. */
const SIMPLE = `<query xmlns="http://jabber.org/protocol/disco#info">
  <identity category="client" name="Exodus 0.9.1" type="pc"/>
  <feature var="http://jabber.org/protocol/caps"/>
  <feature var="http://jabber.org/protocol/disco#info"/>
  <feature var="http://jabber.org/protocol/disco#items"/>
  <feature var="http://jabber.org/protocol/muc"/>
</query>`;

/** XEP-0115 §5.3, the complex generation example (identities and features shuffled on purpose). */
const COMPLEX = `<query xmlns="http://jabber.org/protocol/disco#info" node="http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w=">
  <identity xml:lang="en" category="client" name="Psi 0.11" type="pc"/>
  <identity xml:lang="el" category="client" name="&#936; 0.11" type="pc"/>
  <feature var="http://jabber.org/protocol/muc"/>
  <feature var="http://jabber.org/protocol/disco#info"/>
  <feature var="http://jabber.org/protocol/caps"/>
  <feature var="http://jabber.org/protocol/disco#items"/>
  <x xmlns="jabber:x:data" type="result">
    <field var="FORM_TYPE" type="hidden"><value>urn:xmpp:dataforms:softwareinfo</value></field>
    <field var="software_version"><value>0.11</value></field>
    <field var="ip_version"><value>ipv6</value><value>ipv4</value></field>
    <field var="os"><value>Mac</value></field>
    <field var="os_version"><value>10.5.1</value></field>
    <field var="software"><value>Psi</value></field>
  </x>
</query>`;

function info(xml: string) {
  const parsed = parseDiscoInfo(stanza(xml));
  assert.ok(parsed);
  return parsed;
}

describe('xmpp/disco (XEP-0030, XEP-0128)', () => {
  it('builds info and items queries, with a node when given', () => {
    assert.equal(buildDiscoInfoQuery().toString(), `<query xmlns="${NS_DISCO_INFO}"/>`);
    assert.equal(
      buildDiscoInfoQuery('n#v').toString(),
      `<query xmlns="http://jabber.org/protocol/disco#info" node="n#v"/>`,
    );
    assert.equal(buildDiscoItemsQuery().toString(), `<query xmlns="http://jabber.org/protocol/disco#items"/>`);
  });

  it('parses identities (with xml:lang), features and extended forms', () => {
    const parsed = info(COMPLEX);
    assert.equal(parsed.node, 'http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w=');
    assert.deepEqual(parsed.identities, [
      { category: 'client', type: 'pc', name: 'Psi 0.11', lang: 'en' },
      { category: 'client', type: 'pc', name: 'Ψ 0.11', lang: 'el' },
    ]);
    assert.equal(parsed.features.length, 4);
    assert.ok(hasFeature(parsed, 'http://jabber.org/protocol/muc'));
    assert.ok(hasIdentity(parsed, 'client', 'pc'));
    assert.ok(!hasIdentity(parsed, 'gateway'));
    assert.equal(parsed.forms.length, 1);
    assert.equal(parsed.forms[0]?.formType, 'urn:xmpp:dataforms:softwareinfo');
    assert.deepEqual(parsed.forms[0].fields.find((f) => f.var === 'ip_version')?.values, ['ipv6', 'ipv4']);
    assert.equal(parsed.illFormed, undefined);
  });

  it('ignores forms without a hidden FORM_TYPE and flags what it leaves out', () => {
    const parsed = info(`<query xmlns="http://jabber.org/protocol/disco#info">
      <identity category="client" type="pc"/>
      <identity name="no category"/>
      <feature/>
      <x xmlns="jabber:x:data" type="result"><field var="FORM_TYPE"><value>not-hidden</value></field></x>
      <x xmlns="jabber:x:data" type="result"><field var="a"><value>no FORM_TYPE</value></field></x>
    </query>`);
    assert.deepEqual(parsed.identities, [{ category: 'client', type: 'pc' }]);
    assert.deepEqual(parsed.features, []);
    assert.deepEqual(parsed.forms, []);
    assert.ok(parsed.illFormed);
  });

  it('reads at most MAX_FEATURES features and flags the rest', () => {
    const many = Array.from({ length: MAX_FEATURES + 5 }, (_, i) => `<feature var="f${String(i)}"/>`).join('');
    const parsed = info(
      `<query xmlns="http://jabber.org/protocol/disco#info"><identity category="a" type="b"/>${many}</query>`,
    );
    assert.equal(parsed.features.length, MAX_FEATURES);
    assert.equal(parsed.illFormed, 'too many features');
  });

  it('refuses overlong strings instead of truncating them', () => {
    const long = 'x'.repeat(2000);
    const parsed = info(`<query xmlns="http://jabber.org/protocol/disco#info">
      <identity category="client" type="pc" name="${long}"/><feature var="${long}"/><feature var="ok"/></query>`);
    assert.deepEqual(parsed.identities, []);
    assert.deepEqual(parsed.features, ['ok']);
    assert.ok(parsed.illFormed);
  });

  it('is not fooled by other elements', () => {
    assert.equal(parseDiscoInfo(stanza(`<query xmlns="jabber:iq:roster"/>`)), undefined);
    assert.equal(parseDiscoItems(stanza(`<query xmlns="http://jabber.org/protocol/disco#info"/>`)), undefined);
  });

  it('parses items, skipping invalid JIDs and keeping node and name', () => {
    const items = parseDiscoItems(
      stanza(`<query xmlns="http://jabber.org/protocol/disco#items">
        <item jid="Search.Example.org" name="User directory"/>
        <item jid="pubsub.example.org" node="princely_musings"/>
        <item jid="@@bad"/>
        <item name="no jid"/>
        <item jid="room@conference.example.org/Nick"/>
      </query>`),
    );
    assert.deepEqual(items, {
      items: [
        { jid: 'search.example.org', name: 'User directory' },
        { jid: 'pubsub.example.org', node: 'princely_musings' },
        { jid: 'room@conference.example.org/Nick' },
      ],
      truncated: false,
    });
  });

  it('reads at most MAX_ITEMS items', () => {
    const many = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => `<item jid="s${String(i)}.example.org"/>`).join('');
    const items = parseDiscoItems(stanza(`<query xmlns="http://jabber.org/protocol/disco#items">${many}</query>`));
    assert.equal(items?.items.length, MAX_ITEMS);
    assert.equal(items.truncated, true);
  });

  it('keys answers by JID and node', () => {
    assert.equal(discoKey('a.example.org'), 'a.example.org');
    assert.notEqual(discoKey('a.example.org', 'n'), discoKey('a.example.org'));
  });
});

describe('xmpp/disco: entity capabilities (XEP-0115)', () => {
  it('computes the simple example of §5.2', () => {
    const parsed = info(SIMPLE);
    assert.equal(
      capsString(parsed),
      'client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<' +
        'http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<',
    );
    assert.equal(capsVerification(parsed), 'QgayPKawpkPSDYmwT/WM94uAlu0=');
    assert.ok(verifyCaps(parsed, 'QgayPKawpkPSDYmwT/WM94uAlu0='));
  });

  it('computes the complex example of §5.3 (languages, extended forms, sorted values)', () => {
    const parsed = info(COMPLEX);
    assert.equal(
      capsString(parsed),
      'client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<' +
        'http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<urn:xmpp:dataforms:softwareinfo<' +
        'ip_version<ipv4<ipv6<os<Mac<os_version<10.5.1<software<Psi<software_version<0.11<',
    );
    assert.equal(capsVerification(parsed), 'q07IKJEyjvHSyhy//CH0CxmKi8w=');
    assert.ok(verifyCaps(parsed, 'q07IKJEyjvHSyhy//CH0CxmKi8w='));
  });

  it('sorts by octets (UTF-8), not by UTF-16 code units', () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    const base: DiscoInfo = {
      identities: [{ category: 'client', type: 'pc' }],
      features: ['\u{1F600}', '\uFF21'],
      forms: [],
    };
    assert.equal(capsString(base), 'client/pc//<\uFF21<\u{1F600}<');
  });

  it('supports other hash functions and refuses unknown ones', () => {
    const parsed = info(SIMPLE);
    assert.equal(capsVerification(parsed, 'sha-256')?.length, 44);
    assert.equal(capsVerification(parsed, 'md5'), undefined);
    assert.equal(verifyCaps(parsed, 'QgayPKawpkPSDYmwT/WM94uAlu0=', 'md5'), false);
  });

  it('rejects a mismatching hash and ill-formed answers (§5.4)', () => {
    const parsed = info(SIMPLE);
    assert.equal(verifyCaps(parsed, 'q07IKJEyjvHSyhy//CH0CxmKi8w='), false);
    // Duplicate features: ill-formed even though the hash would be recomputable.
    const dup = info(SIMPLE.replace('</query>', '<feature var="http://jabber.org/protocol/muc"/></query>'));
    assert.equal(capsProblem(dup), 'duplicate features');
    assert.equal(verifyCaps(dup, capsVerification(dup)), false);
    const dupIdentity = info(
      SIMPLE.replace('</query>', '<identity category="client" name="Exodus 0.9.1" type="pc"/></query>'),
    );
    assert.equal(verifyCaps(dupIdentity, capsVerification(dupIdentity)), false);
    const form = `<x xmlns="jabber:x:data" type="result"><field var="FORM_TYPE" type="hidden"><value>urn:x</value></field></x>`;
    const dupForm = info(SIMPLE.replace('</query>', `${form}${form}</query>`));
    assert.equal(capsProblem(dupForm), 'duplicate FORM_TYPEs');
    const twoTypes = info(
      SIMPLE.replace(
        '</query>',
        `<x xmlns="jabber:x:data" type="result"><field var="FORM_TYPE" type="hidden"><value>urn:a</value><value>urn:b</value></field></x></query>`,
      ),
    );
    assert.equal(verifyCaps(twoTypes, capsVerification(twoTypes)), false);
  });

  it('parses and builds the <c/> element', () => {
    const presence = stanza(`<presence from="romeo@montague.lit/orchard">
      <c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="http://code.google.com/p/exodus" ver="QgayPKawpkPSDYmwT/WM94uAlu0="/>
    </presence>`);
    const caps = parseCaps(presence);
    assert.deepEqual(caps, {
      hash: 'sha-1',
      node: 'http://code.google.com/p/exodus',
      ver: 'QgayPKawpkPSDYmwT/WM94uAlu0=',
    });
    assert.ok(caps);
    assert.equal(capsNode(caps), 'http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0=');
    assert.deepEqual(parseCaps(buildCaps(caps)), caps);
  });

  it('ignores the legacy format and unusable attributes', () => {
    const c = (attrs: string) => parseCaps(stanza(`<presence><c xmlns="${NS_CAPS}" ${attrs}/></presence>`));
    assert.equal(c(`node="http://x" ver="0.9"`), undefined); // legacy: no hash
    assert.equal(c(`hash="sha-1" node="http://x" ver="not base64!"`), undefined);
    assert.equal(c(`hash="sha-1" ver="QgayPKawpkPSDYmwT/WM94uAlu0="`), undefined);
    assert.equal(c(`hash="sha-1" node="http://x" ver="${'A'.repeat(300)}"`), undefined);
    assert.equal(parseCaps(stanza(`<presence/>`)), undefined);
  });
});

describe('xmpp/disco: Parley itself', () => {
  it('advertises what it implements (file transfer too: XEP-0096, Jingle), and not the server-side archive', () => {
    for (const feature of [
      'http://jabber.org/protocol/disco#info',
      'http://jabber.org/protocol/caps',
      'urn:xmpp:ping',
      'jabber:iq:version',
      'urn:xmpp:time',
      'urn:xmpp:receipts',
      'urn:xmpp:chat-markers:0',
      'http://jabber.org/protocol/chatstates',
      'urn:xmpp:message-correct:0',
      'urn:xmpp:message-retract:1',
      'urn:xmpp:reactions:0',
      'urn:xmpp:reply:0',
      'urn:xmpp:carbons:2',
      'urn:xmpp:sid:0',
      'http://jabber.org/protocol/nick+notify',
      'urn:xmpp:avatar:metadata+notify',
      'vcard-temp:x:update',
      'jabber:iq:last',
      'urn:xmpp:idle:1',
      'urn:xmpp:blocking',
      'urn:xmpp:styling:0',
      'urn:xmpp:hints',
      'jabber:x:oob',
      'http://jabber.org/protocol/si',
      'http://jabber.org/protocol/si/profile/file-transfer',
      'http://jabber.org/protocol/bytestreams',
      'http://jabber.org/protocol/ibb',
      'urn:xmpp:jingle:1',
      'urn:xmpp:jingle:apps:file-transfer:5',
      'urn:xmpp:jingle:transports:s5b:1',
      'urn:xmpp:jingle:transports:ibb:1',
    ])
      assert.ok(PARLEY_FEATURES.includes(feature), feature);
    assert.equal(new Set(PARLEY_FEATURES).size, PARLEY_FEATURES.length);
    for (const absent of ['urn:xmpp:mam:2', 'urn:xmpp:http:upload:0', 'urn:xmpp:jingle:apps:rtp:1'])
      assert.ok(!PARLEY_FEATURES.includes(absent), absent);
    assert.deepEqual({ ...parleyIdentity }, { category: 'client', type: 'pc', name: 'Parley' });
  });

  it('answers disco#info with a self-consistent caps hash', () => {
    const answer = buildOwnInfo();
    assert.ok(answer);
    const parsed = info(answer.toString());
    assert.equal(parsed.node, undefined);
    assert.deepEqual(parsed.identities, [{ category: 'client', type: 'pc', name: 'Parley' }]);
    assert.deepEqual([...parsed.features].sort(), [...PARLEY_FEATURES].sort());
    const caps = parleyCaps();
    assert.equal(caps.node, PARLEY_CAPS_NODE);
    assert.ok(verifyCaps(parsed, caps.ver));
    assert.deepEqual(parseCaps(buildOwnCaps()), caps);
  });

  it('answers for its caps node (echoing it) and for no other node', () => {
    const node = capsNode(parleyCaps());
    const answer = buildOwnInfo(node);
    assert.ok(answer);
    const parsed = info(answer.toString());
    assert.equal(parsed.node, node);
    assert.ok(verifyCaps(parsed, parleyCaps().ver));
    assert.equal(buildOwnInfo('http://jabber.org/protocol/commands'), undefined);
    assert.equal(buildOwnInfo(`${PARLEY_CAPS_NODE}#stale`), undefined);
  });

  it('round-trips any info through buildDiscoInfo', () => {
    const parsed = info(COMPLEX);
    const again = info(buildDiscoInfo(parsed).toString());
    assert.equal(capsVerification(again), 'q07IKJEyjvHSyhy//CH0CxmKi8w=');
  });
});

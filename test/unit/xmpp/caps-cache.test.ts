import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  CAPS_CACHE_DDL,
  createCapsCacheRepo,
  createMemoryCapsCache,
  entryFromJson,
  type CapsCache,
} from '../../../main/core/xmpp/caps-cache.ts';
import { capsVerification, parseDiscoInfo, type DiscoInfo } from '../../../main/core/xmpp/disco.ts';
import { stanza } from '../../support/stanza.ts';

/** XEP-0115 §5.2's example, as answered for its caps node. */
const EXODUS = parseDiscoInfo(
  stanza(`<query xmlns="http://jabber.org/protocol/disco#info" node="http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0=">
    <identity category="client" name="Exodus 0.9.1" type="pc"/>
    <feature var="http://jabber.org/protocol/caps"/>
    <feature var="http://jabber.org/protocol/disco#info"/>
    <feature var="http://jabber.org/protocol/disco#items"/>
    <feature var="http://jabber.org/protocol/muc"/>
  </query>`),
);
const EXODUS_VER = 'QgayPKawpkPSDYmwT/WM94uAlu0=';

/** XEP-0115 §5.3's example, with an extended form. */
const PSI = parseDiscoInfo(
  stanza(`<query xmlns="http://jabber.org/protocol/disco#info">
    <identity xml:lang="en" category="client" name="Psi 0.11" type="pc"/>
    <identity xml:lang="el" category="client" name="&#936; 0.11" type="pc"/>
    <feature var="http://jabber.org/protocol/caps"/><feature var="http://jabber.org/protocol/disco#info"/>
    <feature var="http://jabber.org/protocol/disco#items"/><feature var="http://jabber.org/protocol/muc"/>
    <x xmlns="jabber:x:data" type="result">
      <field var="FORM_TYPE" type="hidden"><value>urn:xmpp:dataforms:softwareinfo</value></field>
      <field var="ip_version"><value>ipv4</value><value>ipv6</value></field>
      <field var="os"><value>Mac</value></field><field var="os_version"><value>10.5.1</value></field>
      <field var="software"><value>Psi</value></field><field var="software_version"><value>0.11</value></field>
    </x>
  </query>`),
);
const PSI_VER = 'q07IKJEyjvHSyhy//CH0CxmKi8w=';

function fixtures(): { exodus: DiscoInfo; psi: DiscoInfo } {
  assert.ok(EXODUS && PSI);
  return { exodus: EXODUS, psi: PSI };
}

function database() {
  const db = new Database(':memory:');
  db.exec(CAPS_CACHE_DDL);
  return db;
}

function behavesAsACapsCache(make: () => CapsCache) {
  it('stores only verified entries', () => {
    const { exodus, psi } = fixtures();
    const cache = make();
    assert.equal(cache.get(EXODUS_VER), undefined);
    assert.equal(cache.put(EXODUS_VER, exodus), true);
    assert.equal(cache.put(PSI_VER, psi), true);
    // Poisoning: an answer stored under someone else's ver is refused.
    assert.equal(cache.put(PSI_VER, exodus), false);
    assert.equal(cache.put('AAAAAAAAAAAAAAAAAAAAAAAAAAA=', exodus), false);
    assert.equal(cache.put(EXODUS_VER, exodus, 'md5'), false);
    const got = cache.get(EXODUS_VER);
    assert.ok(got);
    assert.equal(got.node, undefined); // the node is the asker's, not part of the entry
    assert.equal(capsVerification(got), EXODUS_VER);
    assert.equal(capsVerification(cache.get(PSI_VER) ?? exodus), PSI_VER);
  });

  it('refuses ill-formed answers even when their hash matches', () => {
    const { exodus } = fixtures();
    const cache = make();
    const duplicated = { ...exodus, features: [...exodus.features, exodus.features[0] ?? ''] };
    assert.equal(cache.put(capsVerification(duplicated), duplicated), false);
    const flagged = { ...exodus, illFormed: 'too many features' };
    assert.equal(cache.put(EXODUS_VER, flagged), false);
  });

  it('stores other hash functions under their own ver', () => {
    const { exodus } = fixtures();
    const cache = make();
    const ver = capsVerification(exodus, 'sha-256') ?? '';
    assert.equal(cache.put(ver, exodus, 'sha-256'), true);
    assert.equal(cache.put(ver, exodus), false);
    assert.ok(cache.get(ver));
  });
}

describe('xmpp/caps-cache (XEP-0115 §5.4, in memory)', () => {
  behavesAsACapsCache(() => createMemoryCapsCache());

  it('forgets the least recently used entries past its size', () => {
    const { exodus, psi } = fixtures();
    const cache = createMemoryCapsCache(1);
    cache.put(EXODUS_VER, exodus);
    cache.put(PSI_VER, psi);
    assert.equal(cache.get(EXODUS_VER), undefined);
    assert.ok(cache.get(PSI_VER));
  });

  it('hands out copies', () => {
    const { exodus } = fixtures();
    const cache = createMemoryCapsCache();
    cache.put(EXODUS_VER, exodus);
    cache.get(EXODUS_VER)?.features.push('urn:poison');
    assert.equal(capsVerification(cache.get(EXODUS_VER) ?? exodus), EXODUS_VER);
  });
});

describe('xmpp/caps-cache (XEP-0115 §5.4, SQLite)', () => {
  behavesAsACapsCache(() => createCapsCacheRepo(database()));

  it('persists entries in the documented table', () => {
    const { psi } = fixtures();
    const db = database();
    const repo = createCapsCacheRepo(db, () => 1234);
    assert.equal(repo.put(PSI_VER, psi), true);
    const row = db.prepare('SELECT ver, info, updated_at FROM caps_cache').get() as {
      ver: string;
      info: string;
      updated_at: number;
    };
    assert.equal(row.ver, PSI_VER);
    assert.equal(row.updated_at, 1234);
    assert.deepEqual(entryFromJson(row.info)?.hash, 'sha-1');
    // A second repository over the same database (the next session) finds it.
    assert.equal(
      capsVerification(createCapsCacheRepo(db).get(PSI_VER) ?? { identities: [], features: [], forms: [] }),
      PSI_VER,
    );
  });

  it('drops a damaged or tampered row instead of believing it', () => {
    const { exodus } = fixtures();
    const db = database();
    const repo = createCapsCacheRepo(db);
    repo.put(EXODUS_VER, exodus);
    const tampered = JSON.stringify({ hash: 'sha-1', info: { ...exodus, node: undefined, features: ['urn:evil'] } });
    db.prepare('UPDATE caps_cache SET info = ? WHERE ver = ?').run(tampered, EXODUS_VER);
    assert.equal(repo.get(EXODUS_VER), undefined);
    assert.equal((db.prepare('SELECT count(*) AS n FROM caps_cache').get() as { n: number }).n, 0);
    db.prepare('INSERT INTO caps_cache (ver, info, updated_at) VALUES (?, ?, ?)').run(PSI_VER, '{not json', 1);
    assert.equal(repo.get(PSI_VER), undefined);
    for (const bad of ['null', '[]', '{"hash":"sha-1","info":{"identities":[1],"features":[],"forms":[]}}'])
      assert.equal(entryFromJson(bad), undefined, bad);
  });

  it('prunes entries not stored since a time', () => {
    const { exodus, psi } = fixtures();
    let now = 100;
    const repo = createCapsCacheRepo(database(), () => now);
    repo.put(EXODUS_VER, exodus);
    now = 200;
    repo.put(PSI_VER, psi);
    assert.equal(repo.prune(150), 1);
    assert.equal(repo.get(EXODUS_VER), undefined);
    assert.ok(repo.get(PSI_VER));
  });

  it('is a STRICT table', () => {
    const db = database();
    assert.throws(() =>
      db.prepare('INSERT INTO caps_cache (ver, info, updated_at) VALUES (?, ?, ?)').run('v', 'i', 'soon'),
    );
  });
});

import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import {
  authenticate,
  mechanismRank,
  MECHANISM_RANKING,
  NS_SASL,
  parseChannelBindingTypes,
  planAuthentication,
  SaslDowngradeError,
  SaslFailure,
  type SaslEntity,
} from '../../../main/core/xmpp/sasl.ts';
import { channelBindingAttribute, gs2Header, ScramClient } from '../../../main/core/xmpp/scram.ts';
import type { ChannelBindingSource, ChannelBindingType } from '../../../main/core/xmpp/tls.ts';
import { stanza } from '../../support/stanza.ts';

const EXPORTER = Buffer.alloc(32, 0xe1);
const UNIQUE = Buffer.alloc(12, 0x75);
const END_POINT = Buffer.alloc(32, 0x5e);

/** A TLS connection's bindings as tls.ts describes them (fixed data). */
function tlsSource(protocol: 'TLSv1.3' | 'TLSv1.2'): ChannelBindingSource {
  const types: ChannelBindingType[] =
    protocol === 'TLSv1.3' ? ['tls-exporter', 'tls-server-end-point'] : ['tls-unique', 'tls-server-end-point'];
  return {
    types,
    defaultType: protocol === 'TLSv1.3' ? 'tls-exporter' : 'tls-unique',
    data: (type) =>
      types.includes(type)
        ? { 'tls-exporter': EXPORTER, 'tls-unique': UNIQUE, 'tls-server-end-point': END_POINT }[type]
        : undefined,
  };
}

const ALL = ['SCRAM-SHA-1', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS', 'PLAIN'];

describe('xmpp/sasl: mechanism choice, channel binding (RFC 5802, RFC 5929, RFC 9266, XEP-0440)', () => {
  it('ranks SCRAM-SHA-256-PLUS > SCRAM-SHA-1-PLUS > SCRAM-SHA-256 > SCRAM-SHA-1 > PLAIN', () => {
    const ranks = MECHANISM_RANKING.map(mechanismRank);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => b - a),
    );
    assert.ok(mechanismRank('SCRAM-SHA-1-PLUS') > mechanismRank('SCRAM-SHA-256'));
    assert.ok(mechanismRank('PLAIN') > 0);
    assert.equal(mechanismRank('DIGEST-MD5'), -1);
  });

  it('binds with the default for the TLS version when the server does not list its bindings', () => {
    assert.deepEqual(planAuthentication({ offered: ALL, secure: true, channelBinding: tlsSource('TLSv1.3') }), {
      mechanism: 'SCRAM-SHA-256-PLUS',
      hash: 'sha256',
      binding: { flag: 'p', type: 'tls-exporter' },
    });
    // Prosody 0.12 on TLS 1.2: SCRAM-SHA-1-PLUS with tls-unique.
    assert.deepEqual(
      planAuthentication({
        offered: ['SCRAM-SHA-1', 'SCRAM-SHA-1-PLUS', 'PLAIN'],
        secure: true,
        channelBinding: tlsSource('TLSv1.2'),
      }),
      { mechanism: 'SCRAM-SHA-1-PLUS', hash: 'sha1', binding: { flag: 'p', type: 'tls-unique' } },
    );
  });

  it('binds with a type the server lists (XEP-0440), ours in order of preference', () => {
    const features = stanza(
      `<features xmlns="http://etherx.jabber.org/streams">
         <mechanisms xmlns="${NS_SASL}"><mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>
         <sasl-channel-binding xmlns="urn:xmpp:sasl-cb:0">
           <channel-binding type="tls-server-end-point"/><channel-binding type="tls-unique"/>
         </sasl-channel-binding>
       </features>`,
    );
    const serverBindings = parseChannelBindingTypes(features);
    assert.deepEqual(serverBindings, ['tls-server-end-point', 'tls-unique']);
    const on13 = planAuthentication({
      offered: ['SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1'],
      secure: true,
      channelBinding: tlsSource('TLSv1.3'),
      serverBindings,
    });
    assert.deepEqual(on13.binding, { flag: 'p', type: 'tls-server-end-point' });
    const on12 = planAuthentication({
      offered: ['SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1'],
      secure: true,
      channelBinding: tlsSource('TLSv1.2'),
      serverBindings,
    });
    assert.deepEqual(on12.binding, { flag: 'p', type: 'tls-unique' });
    assert.equal(parseChannelBindingTypes(stanza(`<features xmlns="http://etherx.jabber.org/streams"/>`)), undefined);
  });

  it("says 'y' when it could bind but does not: no -PLUS offered, or none of the server's types usable", () => {
    const noPlus = planAuthentication({
      offered: ['SCRAM-SHA-1', 'PLAIN'],
      secure: true,
      channelBinding: tlsSource('TLSv1.3'),
    });
    assert.deepEqual(noPlus, { mechanism: 'SCRAM-SHA-1', hash: 'sha1', binding: { flag: 'y' } });
    const unusable = planAuthentication({
      offered: ['SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1'],
      secure: true,
      channelBinding: tlsSource('TLSv1.3'),
      serverBindings: ['tls-unique'],
    });
    assert.deepEqual(unusable, { mechanism: 'SCRAM-SHA-1', hash: 'sha1', binding: { flag: 'y' } });
    // Without any TLS binding at hand: 'n'.
    assert.deepEqual(planAuthentication({ offered: ['SCRAM-SHA-256'], secure: true }).binding, { flag: 'n' });
  });

  it('uses PLAIN only inside TLS, and fails when nothing is acceptable', () => {
    assert.equal(planAuthentication({ offered: ['PLAIN'], secure: true }).mechanism, 'PLAIN');
    assert.throws(
      () => planAuthentication({ offered: ['PLAIN'], secure: false }),
      (err: unknown) => err instanceof SaslFailure && err.condition === 'no-mechanism',
    );
    assert.throws(
      () => planAuthentication({ offered: ['DIGEST-MD5', 'X-OAUTH2'], secure: true }),
      (err: unknown) => err instanceof SaslFailure && err.message.includes('DIGEST-MD5'),
    );
  });

  it('refuses to go below the mechanism used last time (downgrade protection)', () => {
    const tls13 = tlsSource('TLSv1.3');
    assert.throws(
      () =>
        planAuthentication({
          offered: ['SCRAM-SHA-1', 'PLAIN'],
          secure: true,
          channelBinding: tls13,
          minMechanism: 'SCRAM-SHA-256',
        }),
      (err: unknown) =>
        err instanceof SaslDowngradeError && err.available === 'SCRAM-SHA-1' && err.required === 'SCRAM-SHA-256',
    );
    assert.throws(
      () => planAuthentication({ offered: ['PLAIN'], secure: true, minMechanism: 'SCRAM-SHA-1' }),
      SaslDowngradeError,
    );
    // -PLUS stripped (or no longer bindable) after a -PLUS login: a downgrade too.
    assert.throws(
      () =>
        planAuthentication({
          offered: ['SCRAM-SHA-1'],
          secure: true,
          channelBinding: tls13,
          minMechanism: 'SCRAM-SHA-1-PLUS',
        }),
      SaslDowngradeError,
    );
    // Nothing usable at all, after a SCRAM login.
    assert.throws(
      () => planAuthentication({ offered: ['DIGEST-MD5'], secure: true, minMechanism: 'SCRAM-SHA-1' }),
      (err: unknown) => err instanceof SaslDowngradeError && err.available === undefined,
    );
    // The same or better is fine; an unknown stored name cannot be ranked and is ignored.
    assert.equal(
      planAuthentication({ offered: ['SCRAM-SHA-1'], secure: true, minMechanism: 'SCRAM-SHA-1' }).mechanism,
      'SCRAM-SHA-1',
    );
    assert.equal(
      planAuthentication({ offered: ALL, secure: true, channelBinding: tls13, minMechanism: 'SCRAM-SHA-1' }).mechanism,
      'SCRAM-SHA-256-PLUS',
    );
    assert.equal(
      planAuthentication({ offered: ['PLAIN'], secure: true, minMechanism: 'X-UNKNOWN' }).mechanism,
      'PLAIN',
    );
  });

  it('builds the gs2 header and the c= attribute from the binding data', () => {
    assert.equal(gs2Header({ flag: 'n' }), 'n,,');
    assert.equal(gs2Header({ flag: 'y' }), 'y,,');
    assert.equal(gs2Header({ flag: 'p', type: 'tls-exporter', data: EXPORTER }), 'p=tls-exporter,,');
    assert.equal(channelBindingAttribute({ flag: 'n' }), 'biws');
    assert.equal(channelBindingAttribute({ flag: 'y' }), 'eSws');
    const c = Buffer.from(channelBindingAttribute({ flag: 'p', type: 'tls-exporter', data: EXPORTER }), 'base64');
    assert.deepEqual(c, Buffer.concat([Buffer.from('p=tls-exporter,,'), EXPORTER]));
    assert.throws(
      () => new ScramClient('sha1', 'u', 'p', 'n', { flag: 'p', type: 'tls-exporter', data: Buffer.alloc(0) }),
    );
  });

  it('authenticates with SCRAM-SHA-256-PLUS, the binding checked by a SCRAM server', async () => {
    const server = new ScramServer('sha256', 'pencil', (header) =>
      header === 'p=tls-exporter,,' ? EXPORTER : undefined,
    );
    const entity = new ScriptedEntity(server);
    const outcome = await authenticate(
      entity,
      { offered: ALL, secure: true, channelBinding: tlsSource('TLSv1.3') },
      { username: 'user', password: 'pencil' },
    );
    assert.deepEqual(outcome, { mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-exporter' });
    assert.equal(server.gs2, 'p=tls-exporter,,');
    assert.equal(server.verified, true);
  });

  it("authenticates with SCRAM-SHA-1 and 'y' when -PLUS is not offered", async () => {
    const server = new ScramServer('sha1', 'pencil', () => undefined);
    const entity = new ScriptedEntity(server);
    const outcome = await authenticate(
      entity,
      { offered: ['SCRAM-SHA-1', 'PLAIN'], secure: true, channelBinding: tlsSource('TLSv1.3') },
      { username: 'user', password: 'pencil' },
    );
    assert.deepEqual(outcome, { mechanism: 'SCRAM-SHA-1', channelBinding: undefined });
    assert.equal(server.gs2, 'y,,');
    assert.equal(server.verified, true);
  });

  it('sends nothing when refusing a downgrade', async () => {
    const server = new ScramServer('sha1', 'pencil', () => undefined);
    const entity = new ScriptedEntity(server);
    await assert.rejects(
      authenticate(
        entity,
        { offered: ['PLAIN'], secure: true, minMechanism: 'SCRAM-SHA-1' },
        { username: 'user', password: 'pencil' },
      ),
      SaslDowngradeError,
    );
    assert.equal(entity.sent.length, 0);
  });

  it('rejects a server that accepts a wrong channel binding without proving the password', async () => {
    // The server's proof is computed over its own view of the binding: if it differs, ours fails.
    const server = new ScramServer('sha256', 'pencil', () => Buffer.alloc(32, 0)); // a MITM's binding
    server.acceptBadProof = true;
    const entity = new ScriptedEntity(server);
    await assert.rejects(
      authenticate(
        entity,
        { offered: ['SCRAM-SHA-256-PLUS'], secure: true, channelBinding: tlsSource('TLSv1.3') },
        { username: 'user', password: 'pencil' },
      ),
      /server signature invalid/u,
    );
  });
});

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** The server side of RFC 5802, enough to check what the client computes. */
class ScramServer {
  readonly #hash: 'sha1' | 'sha256';
  readonly #salted: Buffer;
  readonly #binding: (gs2Header: string) => Buffer | undefined;
  #clientFirstBare = '';
  #serverFirst = '';
  gs2 = '';
  verified = false;
  acceptBadProof = false;

  constructor(hash: 'sha1' | 'sha256', password: string, binding: (gs2Header: string) => Buffer | undefined) {
    this.#hash = hash;
    this.#salted = pbkdf2Sync(password, Buffer.from('salt-salt'), 4096, hash === 'sha1' ? 20 : 32, hash);
    this.#binding = binding;
  }

  first(message: string): string {
    const match = /^((?:[ny]|p=[^,]+),[^,]*,)(.*)$/u.exec(message);
    if (!match) throw new Error(`bad client-first: ${message}`);
    this.gs2 = match[1] ?? '';
    this.#clientFirstBare = match[2] ?? '';
    const nonce = /r=([^,]+)/u.exec(this.#clientFirstBare)?.[1] ?? '';
    this.#serverFirst = `r=${nonce}server-nonce,s=${b64('salt-salt')},i=4096`;
    return this.#serverFirst;
  }

  final(message: string): string {
    const hmac = (key: Buffer, data: string) => createHmac(this.#hash, key).update(data).digest();
    const withoutProof = message.replace(/,p=[^,]+$/u, '');
    const c = /^c=([^,]+)/u.exec(message)?.[1] ?? '';
    const proof = Buffer.from(/,p=([^,]+)$/u.exec(message)?.[1] ?? '', 'base64');
    const cbData = this.#binding(this.gs2);
    const expectedC = b64(cbData ? Buffer.concat([Buffer.from(this.gs2), cbData]) : Buffer.from(this.gs2));
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},c=${expectedC},${withoutProof.replace(/^c=[^,]+,/u, '')}`;
    const storedKey = createHash(this.#hash).update(hmac(this.#salted, 'Client Key')).digest();
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (hmac(storedKey, authMessage)[i] ?? 0)));
    const ok = c === expectedC && timingSafeEqual(createHash(this.#hash).update(clientKey).digest(), storedKey);
    if (!ok && !this.acceptBadProof) throw new Error('client proof or channel binding invalid');
    this.verified = ok;
    return `v=${b64(hmac(hmac(this.#salted, 'Server Key'), authMessage))}`;
  }
}

/** An entity whose peer is the ScramServer, speaking SASL nonzas. */
class ScriptedEntity extends EventEmitter implements SaslEntity {
  readonly sent: Element[] = [];
  readonly #server: ScramServer;
  constructor(server: ScramServer) {
    super();
    this.#server = server;
  }

  send(element: Element): Promise<void> {
    this.sent.push(element);
    const text = Buffer.from(element.text(), 'base64').toString('utf8');
    setImmediate(() => {
      try {
        if (element.name === 'auth') {
          this.emit('nonza', xml('challenge', { xmlns: NS_SASL }, b64(this.#server.first(text))));
        } else if (element.name === 'response') {
          this.emit('nonza', xml('success', { xmlns: NS_SASL }, b64(this.#server.final(text))));
        }
      } catch {
        this.emit('nonza', xml('failure', { xmlns: NS_SASL }, xml('not-authorized')));
      }
    });
    return Promise.resolve();
  }
}

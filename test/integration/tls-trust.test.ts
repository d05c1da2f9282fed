/**
 * Parley's own TLS step and SASL hardening against real Prosody servers: untrusted and
 * pinned certificates (STARTTLS and direct TLS via SRV), a changed certificate, the name
 * checked against the XMPP domain, TLS 1.1 refused, SCRAM-SHA-1-PLUS with channel
 * binding, downgrade protection, XEP-0198 and XEP-0352 wiring, and the pre-authentication
 * stream for XEP-0077. "Nothing sent" is read from Prosody's debug log: after TLS, no
 * stream header and no <auth/> reached the server.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { startProsody, type ProsodyOptions, type ProsodyServer } from '../../main/devserver/prosody.ts';
import { classifyConnectError } from '../../main/core/accounts/connect-errors.ts';
import { resolveEndpoints, serviceUri, type Endpoint } from '../../main/core/accounts/endpoint.ts';
import { createStream, openPreAuthStream, type StreamOptions, type XmppStream } from '../../main/core/xmpp/entity.ts';
import { SaslDowngradeError } from '../../main/core/xmpp/sasl.ts';
import { CertificateError } from '../../main/core/xmpp/tls.ts';
import { startTestServer } from '../support/server.ts';

const USER = { username: 'dave', password: 'right-pw' };

/** A Prosody with a debug log we can read (and slice from a mark). */
interface Logged {
  server: ProsodyServer;
  log(): Promise<string>;
  /** The log written since the last call (or since start). */
  since(): Promise<string>;
  stop(): Promise<void>;
}

async function start(trusted: boolean, options: Omit<ProsodyOptions, 'ca'> = {}): Promise<Logged> {
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'parley-tls-log-'));
  await chmod(logDir, 0o777); // Prosody runs as its own user
  const file = path.join(logDir, 'debug.log');
  const extraConfig = `log = { { levels = { min = "debug" }, to = "file", filename = ${JSON.stringify(file)} } }
${options.extraConfig ?? ''}`;
  const opts = { users: [USER], ...options, extraConfig };
  const server = trusted ? await startTestServer(opts) : await startProsody(opts);
  const log = () => readFile(file, 'utf8').catch(() => '');
  let mark = (await log()).length;
  return {
    server,
    log,
    async since() {
      await new Promise((r) => setTimeout(r, 100)); // let Prosody write
      const text = await log();
      const slice = text.slice(mark);
      mark = text.length;
      return slice;
    },
    async stop() {
      await server.stop();
      await rm(logDir, { recursive: true, force: true });
    },
  };
}

/** SHA-256 fingerprint of the certificate a throwaway Prosody serves. */
async function fingerprintOf(server: ProsodyServer): Promise<string> {
  return new X509Certificate(await readFile(path.join(server.dir, 'server.pem'))).fingerprint256;
}

const starttls = (s: ProsodyServer): Endpoint => ({ host: '127.0.0.1', port: s.c2sPort, directTls: false });

/** Direct TLS as an SRV lookup finds it (XEP-0368), through endpoint.ts with a stub resolver. */
async function directTlsViaSrv(s: ProsodyServer, domain = 'localhost'): Promise<Endpoint> {
  const endpoints = await resolveEndpoints(domain, (name) =>
    Promise.resolve(
      name === `_xmpps-client._tcp.${domain}`
        ? [{ name: '127.0.0.1', port: s.directTlsPort, priority: 0, weight: 0 }]
        : [],
    ),
  );
  const [first] = endpoints;
  assert.ok(first?.directTls);
  return first;
}

function stream(endpoint: Endpoint, options: Partial<StreamOptions> = {}): XmppStream {
  const s = createStream({
    service: serviceUri(endpoint),
    domain: 'localhost',
    credentials: USER,
    timeoutMs: 10_000,
    ...options,
  });
  s.entity.on('error', () => undefined); // the failures arrive through start()
  return s;
}

async function startFails(s: XmppStream): Promise<unknown> {
  try {
    await s.entity.start();
  } catch (err) {
    return err;
  } finally {
    await s.entity.stop().catch(() => undefined);
  }
  return assert.fail('connected');
}

async function signIn(s: XmppStream): Promise<void> {
  await s.entity.start();
  assert.equal(s.entity.status, 'online');
}

/** Nothing of the stream after TLS reached the server: no stream header, no SASL. */
function assertNothingSentAfterTls(log: string, plaintextHeaders: number): void {
  assert.ok(!log.includes('Received[c2s_unauthed]: <auth'), 'no <auth/> received');
  assert.ok(!log.includes('Authenticated as'), 'nobody authenticated');
  const headers = log.split('\n').filter((l) => l.includes('Client sent opening <stream:stream>')).length;
  assert.equal(headers, plaintextHeaders, 'no stream header after TLS');
}

describe('xmpp/tls against Prosody: trust, pinning, TLS versions (RFC 6120 §5, XEP-0368)', () => {
  let stranger: Logged;
  let pin: string;

  before(async () => {
    stranger = await start(false); // its own CA, which nothing here trusts
    pin = await fingerprintOf(stranger.server);
    await stranger.since();
  });
  after(async () => {
    await stranger.stop();
  });

  it('refuses an untrusted certificate over STARTTLS before anything is sent: certificate-untrusted', async () => {
    const endpoint = starttls(stranger.server);
    const err = await startFails(stream(endpoint));
    assert.ok(err instanceof CertificateError, String(err));
    assert.equal(err.kind, 'untrusted');
    assert.equal(err.certificate.fingerprint256, pin);
    assert.equal(err.certificate.subject, 'CN=localhost');
    assert.equal(err.certificate.issuer, 'CN=Parley throwaway CA');
    const core = classifyConnectError(err, endpoint, 'localhost');
    assert.equal(core.code, 'certificate-untrusted');
    assert.match(core.message, /^The server's certificate for localhost is not trusted: .+\.$/u);
    assert.equal(core.certificate?.fingerprint256, pin);
    const log = await stranger.since();
    assert.ok(log.includes('TLS negotiation started'), 'the STARTTLS step happened');
    assertNothingSentAfterTls(log, 1); // only the plaintext header before <starttls/>
  });

  it('refuses it over direct TLS found by SRV, before anything is sent', async () => {
    const endpoint = await directTlsViaSrv(stranger.server);
    const err = await startFails(stream(endpoint));
    assert.ok(err instanceof CertificateError);
    assert.equal(err.kind, 'untrusted');
    assert.equal(err.certificate.fingerprint256, pin);
    assert.equal(classifyConnectError(err, endpoint, 'localhost').code, 'certificate-untrusted');
    assertNothingSentAfterTls(await stranger.since(), 0);
  });

  it('signs in to it once the user pinned that certificate (STARTTLS and direct TLS)', async () => {
    for (const endpoint of [starttls(stranger.server), await directTlsViaSrv(stranger.server)]) {
      // Any spelling of the fingerprint will do.
      const s = stream(endpoint, { pinnedFingerprint: pin.replace(/:/gu, '').toLowerCase() });
      await signIn(s);
      assert.equal(s.mechanism, 'SCRAM-SHA-1');
      await s.entity.stop();
    }
    assert.equal((await stranger.since()).split('\n').filter((l) => l.includes('Authenticated as')).length, 2);
  });

  it('refuses another certificate with the old pin: certificate-changed (even a CA-valid one)', async () => {
    const replaced = await start(false); // a fresh CA and certificate, as after a takeover
    const valid = await start(true); // signed by the CA this run trusts
    try {
      for (const server of [replaced, valid]) {
        for (const endpoint of [starttls(server.server), await directTlsViaSrv(server.server)]) {
          const err = await startFails(stream(endpoint, { pinnedFingerprint: pin }));
          assert.ok(err instanceof CertificateError, String(err));
          assert.equal(err.kind, 'changed');
          assert.equal(err.certificate.fingerprint256, await fingerprintOf(server.server));
          const core = classifyConnectError(err, endpoint, 'localhost');
          assert.equal(core.code, 'certificate-changed');
          assert.match(core.message, /^The certificate of localhost changed since you trusted it\./u);
        }
        assertNothingSentAfterTls(await server.since(), 1);
      }
      // Without the pin, the CA-valid one is fine.
      const s = stream(starttls(valid.server));
      await signIn(s);
      await s.entity.stop();
    } finally {
      await replaced.stop();
      await valid.stop();
    }
  });

  it('checks the certificate against the XMPP domain, not the host it connects to', async () => {
    // Trusted CA; the certificate names other.example (and 127.0.0.1, the "SRV target"); the
    // server also serves localhost (with no certificate of its own, so with that one).
    const other = await start(true, { domain: 'other.example', extraConfig: 'VirtualHost "localhost"' });
    try {
      for (const endpoint of [starttls(other.server), await directTlsViaSrv(other.server, 'localhost')]) {
        const err = await startFails(stream(endpoint, { domain: 'localhost' }));
        assert.ok(err instanceof CertificateError, String(err));
        assert.equal(err.kind, 'untrusted');
        assert.match(err.certificate.reason, /^it is not valid for localhost \(it is for other\.example/u);
      }
      assertNothingSentAfterTls(await other.since(), 1);
      // For the domain it names, the same server is fine.
      const ok = stream(await directTlsViaSrv(other.server, 'other.example'), { domain: 'other.example' });
      await signIn(ok);
      await ok.entity.stop();
    } finally {
      await other.stop();
    }
  });

  it('refuses a server that speaks only TLS 1.1', async () => {
    const legacySsl = '{ protocol = "tlsv1_1"; ciphers = "DEFAULT:@SECLEVEL=0" }';
    const legacy = await start(true, { extraConfig: `c2s_ssl = ${legacySsl}\nc2s_direct_tls_ssl = ${legacySsl}` });
    try {
      // Control: the server really speaks TLS 1.1 to a client that allows it.
      const control = tls.connect({
        host: '127.0.0.1',
        port: legacy.server.directTlsPort,
        servername: 'localhost',
        minVersion: 'TLSv1',
        ciphers: 'DEFAULT:@SECLEVEL=0',
      });
      const protocol = await new Promise<string | null>((resolve, reject) => {
        control.once('secureConnect', () => {
          resolve(control.getProtocol());
        });
        control.once('error', reject);
      });
      control.destroy();
      assert.equal(protocol, 'TLSv1.1');

      for (const endpoint of [starttls(legacy.server), await directTlsViaSrv(legacy.server)]) {
        const err = await startFails(stream(endpoint));
        assert.match((err as { code?: string }).code ?? '', /^ERR_SSL_/u);
        const core = classifyConnectError(err, endpoint, 'localhost');
        assert.equal(core.code, 'tls-failed');
        assert.match(core.message, /TLS version .*1\.2 or newer/u);
      }
      assertNothingSentAfterTls(await legacy.since(), 1);
    } finally {
      await legacy.stop();
    }
  });
});

describe('xmpp/sasl against Prosody: channel binding and downgrade protection (RFC 5802, RFC 5929)', () => {
  let tls12: Logged;
  let tls13: Logged;

  before(async () => {
    // Prosody 0.12 binds only with tls-unique, so it offers SCRAM-SHA-1-PLUS only on TLS 1.2.
    const ssl = '{ protocol = "tlsv1_2" }';
    tls12 = await start(true, { extraConfig: `c2s_ssl = ${ssl}\nc2s_direct_tls_ssl = ${ssl}` });
    tls13 = await start(true);
  });
  after(async () => {
    await tls12.stop();
    await tls13.stop();
  });

  it('signs in with SCRAM-SHA-1-PLUS bound to tls-unique where Prosody offers it (STARTTLS and direct TLS)', async () => {
    for (const endpoint of [starttls(tls12.server), await directTlsViaSrv(tls12.server)]) {
      const s = stream(endpoint);
      await signIn(s);
      assert.equal(s.mechanism, 'SCRAM-SHA-1-PLUS');
      assert.equal(s.channelBinding, 'tls-unique');
      await s.entity.stop();
    }
    const log = await tls12.since();
    assert.match(log, /Offering usable mechanisms: .*SCRAM-SHA-1-PLUS/u);
    assert.match(log, /mechanism='SCRAM-SHA-1-PLUS'/u);
  });

  it("signs in with SCRAM-SHA-1 (gs2 'y') on TLS 1.3, where Prosody 0.12 cannot bind", async () => {
    const s = stream(starttls(tls13.server));
    await signIn(s);
    assert.equal(s.mechanism, 'SCRAM-SHA-1');
    assert.equal(s.channelBinding, undefined);
    await s.entity.stop();
    assert.doesNotMatch(await tls13.since(), /Offering usable mechanisms: .*PLUS/u);
  });

  it('refuses to authenticate below the mechanism used last time: auth-downgrade, nothing sent', async () => {
    const endpoint = starttls(tls13.server);
    const err = await startFails(stream(endpoint, { minMechanism: 'SCRAM-SHA-1-PLUS' }));
    assert.ok(err instanceof SaslDowngradeError, String(err));
    assert.equal(err.available, 'SCRAM-SHA-1');
    const core = classifyConnectError(err, endpoint, 'localhost');
    assert.equal(core.code, 'auth-downgrade');
    assert.match(core.message, /only SCRAM-SHA-1, weaker than SCRAM-SHA-1-PLUS/u);
    const log = await tls13.since();
    assert.ok(!log.includes('<auth'), 'no <auth/> sent');
    // The same or a weaker minimum is fine.
    const s = stream(endpoint, { minMechanism: 'SCRAM-SHA-1' });
    await signIn(s);
    await s.entity.stop();
  });
});

describe('xmpp/entity against Prosody: XEP-0198, XEP-0352, pre-authentication stream (XEP-0077)', () => {
  let server: Logged;
  let stranger: Logged;

  before(async () => {
    server = await start(true, { modules: ['csi_simple'], allowRegistration: true });
    stranger = await start(false, { allowRegistration: true });
  });
  after(async () => {
    await server.stop();
    await stranger.stop();
  });

  it('wires stream management (XEP-0198) and records CSI (XEP-0352) from the features', async () => {
    const s = stream(starttls(server.server), { streamManagement: true });
    await signIn(s);
    assert.equal(s.features.csi, true);
    const sm = s.sm;
    assert.ok(sm, 'stream.sm present');
    assert.equal(sm.enabled, true, "enabled by the time 'online' fires");
    assert.ok(sm.id.length > 0, 'resumable');
    const acked = new Promise<Element>((resolve) => {
      sm.on('ack', resolve);
    });
    await s.entity.send(xml('message', { to: 'dave@localhost', type: 'chat', id: 'sm-1' }, xml('body', {}, 'ack me')));
    assert.equal((await acked).attrs['id'], 'sm-1');
    await s.entity.stop();

    const plain = stream(starttls(server.server));
    await signIn(plain);
    assert.equal(plain.sm, undefined, 'no XEP-0198 unless asked for');
    await plain.entity.stop();

    const noCsi = stream(starttls(stranger.server), { pinnedFingerprint: await fingerprintOf(stranger.server) });
    await signIn(noCsi);
    assert.equal(noCsi.features.csi, false);
    await noCsi.entity.stop();
  });

  it('opens a verified stream without authenticating and fetches the registration form', async () => {
    await server.since();
    for (const endpoint of [starttls(server.server), await directTlsViaSrv(server.server)]) {
      const pre = await openPreAuthStream({ service: serviceUri(endpoint), domain: 'localhost', timeoutMs: 10_000 });
      try {
        assert.equal(pre.entity.isSecure(), true);
        assert.ok(pre.features.getChild('register', 'http://jabber.org/features/iq-register'), 'register feature');
        assert.ok(!pre.features.getChild('starttls', 'urn:ietf:params:xml:ns:xmpp-tls'), 'features after TLS');
        const query = await pre.iq.get(xml('query', { xmlns: 'jabber:iq:register' }));
        assert.ok(query, 'a registration form');
        assert.ok(query.is('query', 'jabber:iq:register'));
        assert.ok(query.getChild('username'), 'username field');
        assert.ok(query.getChild('password'), 'password field');
      } finally {
        await pre.close();
      }
    }
    assert.ok(!(await server.since()).includes('<auth'), 'never authenticated');
  });

  it('verifies the pre-authentication stream like any other: untrusted refused, pinned accepted', async () => {
    const endpoint = starttls(stranger.server);
    await stranger.since();
    const err = await openPreAuthStream({ service: serviceUri(endpoint), domain: 'localhost' }).then(
      () => assert.fail('opened a stream to an untrusted server'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CertificateError);
    assert.equal(classifyConnectError(err, endpoint, 'localhost').code, 'certificate-untrusted');
    assertNothingSentAfterTls(await stranger.since(), 1);

    const pre = await openPreAuthStream({
      service: serviceUri(await directTlsViaSrv(stranger.server)),
      domain: 'localhost',
      pinnedFingerprint: await fingerprintOf(stranger.server),
    });
    const query = await pre.iq.get(xml('query', { xmlns: 'jabber:iq:register' }));
    assert.ok(query?.getChild('username'));
    await pre.close();
  });
});

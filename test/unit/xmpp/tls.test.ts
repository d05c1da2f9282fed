/**
 * tls.ts against local Node TLS servers with throwaway certificates (openssl): trust,
 * names, pins, protocol versions, and the channel-binding data both ends agree on.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { makeCa } from '../../../main/devserver/prosody.ts';
import { classifyConnectError } from '../../../main/core/accounts/connect-errors.ts';
import {
  CertificateError,
  certificateInfo,
  certificateSignatureAlgorithm,
  channelBindingSource,
  connectVerifiedTls,
  describeVerifyError,
  formatDistinguishedName,
  normalizeFingerprint,
  serverEndPointHash,
  TLS_EXPORTER_LABEL,
  trustedCaCertificates,
  VerifiedTlsSocket,
} from '../../../main/core/xmpp/tls.ts';

const run = promisify(execFile);

interface Pem {
  key: string;
  cert: string;
  der: Buffer;
}

let dir: string;
let ca: { cert: string; certFile: string; keyFile: string };
/** example.test (+ IP 127.0.0.1), EC, issued by `ca` with SHA-256. */
let leaf: Pem;
/** The same name from another (untrusted) CA: what a pin must refuse. */
let other: Pem;

async function issue(
  name: string,
  options: { digest?: string; keyArgs?: string[]; sigopts?: string[]; selfSigned?: boolean } = {},
): Promise<Pem> {
  const base = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}`);
  const keyArgs = options.keyArgs ?? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const ext = `${base}.ext`;
  await writeFile(ext, `subjectAltName=DNS:${name},IP:127.0.0.1\nbasicConstraints=CA:FALSE\n`);
  const digest = options.digest ? [`-${options.digest}`] : [];
  const sigopts = (options.sigopts ?? []).flatMap((o) => ['-sigopt', o]);
  if (options.selfSigned) {
    // prettier-ignore
    await run('openssl', [
      'req', '-x509', ...keyArgs, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.pem`, '-days', '2',
      '-subj', `/CN=${name}/O=Parley Tests`, '-addext', `subjectAltName=DNS:${name}`, ...digest, ...sigopts,
    ]);
  } else {
    // prettier-ignore
    await run('openssl', ['req', ...keyArgs, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${name}`]);
    // prettier-ignore
    await run('openssl', [
      'x509', '-req', '-in', `${base}.csr`, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
      '-out', `${base}.pem`, '-days', '2', '-extfile', ext, ...digest, ...sigopts,
    ]);
  }
  const cert = await readFile(`${base}.pem`, 'utf8');
  return { key: await readFile(`${base}.key`, 'utf8'), cert, der: Buffer.from(new X509Certificate(cert).raw) };
}

interface Server {
  port: number;
  /** Every accepted TLS socket (server side), and the bytes each received after the handshake. */
  sockets: { socket: tls.TLSSocket; received: number }[];
  close(): Promise<void>;
}

function serve(pem: Pem, options: tls.TlsOptions = {}): Promise<Server> {
  const sockets: Server['sockets'] = [];
  const server = tls.createServer({ key: pem.key, cert: pem.cert, ...options }, (socket) => {
    const entry = { socket, received: 0 };
    sockets.push(entry);
    socket.on('data', (d: Buffer) => {
      entry.received += d.length;
      socket.write(d); // echo
    });
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        sockets,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.socket.destroy();
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}

async function withServer<T>(pem: Pem, options: tls.TlsOptions, body: (server: Server) => Promise<T>): Promise<T> {
  const server = await serve(pem, options);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 50));

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-tls-test-'));
  const made = await makeCa(path.join(dir, 'ca'));
  ca = { ...made, cert: await readFile(made.certFile, 'utf8') };
  leaf = await issue('example.test');
  const otherCa = await makeCa(path.join(dir, 'other-ca'));
  const saved = ca;
  ca = { ...otherCa, cert: await readFile(otherCa.certFile, 'utf8') };
  other = await issue('example.test');
  ca = saved;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('xmpp/tls: verification (RFC 6120 §5, §13.7.2, XEP-0368)', () => {
  it('accepts a certificate a trusted CA issued for the domain, over TLS 1.2+ with SNI = domain', async () => {
    await withServer(leaf, {}, async (server) => {
      const socket = await connectVerifiedTls({
        host: '127.0.0.1',
        port: server.port,
        domain: 'example.test',
        ca: [ca.cert],
      });
      assert.equal(socket.authorized, true);
      assert.equal(socket.getProtocol(), 'TLSv1.3');
      await settle();
      assert.equal((server.sockets[0]?.socket as unknown as { servername?: string }).servername, 'example.test');
      socket.destroy();
    });
  });

  it('refuses an untrusted certificate, describes it, and writes nothing', async () => {
    await withServer(leaf, {}, async (server) => {
      const err = await connectVerifiedTls({ host: '127.0.0.1', port: server.port, domain: 'example.test' }).then(
        () => assert.fail('connected to an untrusted server'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof CertificateError);
      assert.equal(err.kind, 'untrusted');
      const x509 = new X509Certificate(leaf.cert);
      assert.equal(err.certificate.fingerprint256, x509.fingerprint256);
      assert.equal(err.certificate.subject, 'CN=example.test');
      assert.equal(err.certificate.issuer, 'CN=Parley throwaway CA');
      assert.equal(err.certificate.validTo, new Date(x509.validTo).toISOString());
      assert.equal(err.certificate.validFrom, new Date(x509.validFrom).toISOString());
      assert.equal(err.certificate.reason, 'unable to verify the first certificate');
      await settle();
      assert.equal(server.sockets[0]?.received ?? 0, 0, 'no application data sent');

      const core = classifyConnectError(err, { host: '127.0.0.1', port: server.port, directTls: true }, 'example.test');
      assert.equal(core.code, 'certificate-untrusted');
      assert.equal(
        core.message,
        "The server's certificate for example.test is not trusted: unable to verify the first certificate.",
      );
      assert.deepEqual(core.certificate, err.certificate);
    });
  });

  it('checks the name against the XMPP domain, not the host it connected to', async () => {
    await withServer(leaf, {}, async (server) => {
      // The certificate covers 127.0.0.1 (the "SRV target") but not other.test (the domain).
      const err = await connectVerifiedTls({
        host: '127.0.0.1',
        port: server.port,
        domain: 'other.test',
        ca: [ca.cert],
      }).then(
        () => assert.fail('accepted a certificate for another name'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof CertificateError);
      assert.equal(err.kind, 'untrusted');
      assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      assert.match(err.certificate.reason, /not valid for other\.test \(it is for example\.test, 127\.0\.0\.1\)/u);
    });
  });

  it('accepts the pinned certificate although no CA vouches for it', async () => {
    await withServer(leaf, {}, async (server) => {
      const pin = new X509Certificate(leaf.cert).fingerprint256.replace(/:/gu, '').toLowerCase();
      const socket = await connectVerifiedTls({
        host: '127.0.0.1',
        port: server.port,
        domain: 'example.test',
        pinnedFingerprint: pin,
      });
      assert.equal(socket.authorized, false);
      socket.destroy();
    });
  });

  it('refuses any other certificate while a pin is set, even a CA-valid one', async () => {
    await withServer(leaf, {}, async (server) => {
      const err = await connectVerifiedTls({
        host: '127.0.0.1',
        port: server.port,
        domain: 'example.test',
        ca: [ca.cert],
        pinnedFingerprint: new X509Certificate(other.cert).fingerprint256,
      }).then(
        () => assert.fail('accepted a certificate that is not the pinned one'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof CertificateError);
      assert.equal(err.kind, 'changed');
      assert.equal(err.certificate.fingerprint256, new X509Certificate(leaf.cert).fingerprint256);
      const core = classifyConnectError(err, { host: '127.0.0.1', port: server.port, directTls: true }, 'example.test');
      assert.equal(core.code, 'certificate-changed');
      assert.match(core.message, /^The certificate of example\.test changed since you trusted it\./u);
      assert.deepEqual(core.certificate, err.certificate);
    });
  });

  it('refuses a server that speaks only TLS 1.1', async () => {
    const legacy = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' } as const;
    await withServer(leaf, legacy, async (server) => {
      // Control: the server does speak TLS 1.1 to a client that allows it.
      const control = tls.connect({ host: '127.0.0.1', port: server.port, ...legacy, rejectUnauthorized: false });
      const protocol = await new Promise<string | null>((resolve, reject) => {
        control.once('secureConnect', () => {
          resolve(control.getProtocol());
        });
        control.once('error', reject);
      });
      control.destroy();
      assert.equal(protocol, 'TLSv1.1');

      const err = await connectVerifiedTls({
        host: '127.0.0.1',
        port: server.port,
        domain: 'example.test',
        ca: [ca.cert],
      }).then(
        () => assert.fail('connected over TLS 1.1'),
        (e: unknown) => e,
      );
      const code = (err as { code?: string }).code ?? '';
      assert.match(code, /^ERR_SSL_/u);
      const core = classifyConnectError(err, { host: '127.0.0.1', port: server.port, directTls: true }, 'example.test');
      assert.equal(core.code, 'tls-failed');
      assert.match(core.message, /1\.2 or newer/u);
    });
  });

  it('upgrades a plain socket (STARTTLS) only once verified, and destroys it otherwise', async () => {
    const plain = net.createServer((raw) => {
      const secured = new tls.TLSSocket(raw, { isServer: true, key: leaf.key, cert: leaf.cert });
      secured.on('data', (d: Buffer) => secured.write(d));
      secured.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as net.AddressInfo;
    const connect = async () => {
      const raw = net.connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => raw.once('connect', resolve));
      return raw;
    };
    try {
      const good = new VerifiedTlsSocket();
      await good.upgrade(await connect(), { domain: 'example.test', ca: [ca.cert] });
      const echoed = new Promise<string>((resolve) => {
        good.once('data', (d: Buffer) => {
          resolve(d.toString());
        });
      });
      good.write('<hello/>');
      assert.equal(await echoed, '<hello/>');
      good.end();

      const raw = await connect();
      await assert.rejects(new VerifiedTlsSocket().upgrade(raw, { domain: 'example.test' }), CertificateError);
      assert.equal(raw.destroyed, true);
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it("gives xmpp.js 'connect' only after verification, else 'error' then 'close'", async () => {
    await withServer(leaf, {}, async (server) => {
      const good = new VerifiedTlsSocket();
      const connected = new Promise((resolve, reject) => {
        good.once('connect', resolve);
        good.once('error', reject);
      });
      good.connect({ host: '127.0.0.1', port: server.port, domain: 'example.test', ca: [ca.cert] });
      await connected;
      assert.equal(good.secure, true);
      good.end();

      const bad = new VerifiedTlsSocket();
      const events: string[] = [];
      const closed = new Promise<void>((resolve) => {
        bad.on('connect', () => events.push('connect'));
        bad.on('error', (e: Error) => events.push(`error:${e.name}`));
        bad.on('close', () => {
          events.push('close');
          resolve();
        });
      });
      bad.connect({ host: '127.0.0.1', port: server.port, domain: 'example.test' });
      await closed;
      assert.deepEqual(events, ['error:CertificateError', 'close']);
    });
  });

  it('trusts the system store, bundled roots and NODE_EXTRA_CA_CERTS together', () => {
    const trusted = new Set(trustedCaCertificates());
    for (const c of tls.getCACertificates('default')) assert.ok(trusted.has(c));
    for (const c of tls.getCACertificates('system')) assert.ok(trusted.has(c));
    for (const c of tls.getCACertificates('extra')) assert.ok(trusted.has(c));
  });
});

describe('xmpp/tls: channel binding data (RFC 5929, RFC 9266)', () => {
  it('tls-exporter (TLS 1.3): the keying material both ends derive', async () => {
    await withServer(leaf, {}, async (server) => {
      const socket = await connectVerifiedTls({
        host: '127.0.0.1',
        port: server.port,
        domain: 'example.test',
        ca: [ca.cert],
      });
      await settle();
      const source = channelBindingSource(socket);
      assert.deepEqual(source.types, ['tls-exporter', 'tls-server-end-point']);
      assert.equal(source.defaultType, 'tls-exporter');
      const ours = source.data('tls-exporter');
      const theirs = server.sockets[0]?.socket.exportKeyingMaterial(32, TLS_EXPORTER_LABEL, Buffer.alloc(0));
      assert.equal(ours?.length, 32);
      assert.deepEqual(ours, theirs);
      assert.equal(source.data('tls-unique'), undefined, 'tls-unique is undefined for TLS 1.3');
      assert.deepEqual(source.data('tls-server-end-point'), createHash('sha256').update(leaf.der).digest());
      socket.destroy();
    });
  });

  it('tls-unique (TLS 1.2): our Finished message, as the server saw it', async () => {
    await withServer(leaf, { maxVersion: 'TLSv1.2' }, async (server) => {
      const socket = await connectVerifiedTls({
        host: '127.0.0.1',
        port: server.port,
        domain: 'example.test',
        ca: [ca.cert],
      });
      await settle();
      const source = channelBindingSource(socket);
      assert.deepEqual(source.types, ['tls-unique', 'tls-server-end-point']);
      assert.equal(source.defaultType, 'tls-unique');
      const ours = source.data('tls-unique');
      assert.ok(ours && ours.length > 0);
      assert.deepEqual(ours, server.sockets[0]?.socket.getPeerFinished());
      assert.equal(source.data('tls-exporter'), undefined);
      socket.destroy();
    });
  });

  it("tls-server-end-point hashes with the certificate's signature hash (SHA-256 for MD5/SHA-1)", async () => {
    const cases: { pem: Pem; hash: string | undefined }[] = [
      { pem: leaf, hash: 'sha256' },
      { pem: await issue('a.test', { digest: 'sha384' }), hash: 'sha384' },
      { pem: await issue('b.test', { digest: 'sha512' }), hash: 'sha512' },
      { pem: await issue('c.test', { digest: 'sha1' }), hash: 'sha256' },
      {
        pem: await issue('d.test', { selfSigned: true, keyArgs: ['-newkey', 'rsa:2048'], digest: 'sha384' }),
        hash: 'sha384',
      },
      {
        pem: await issue('e.test', {
          selfSigned: true,
          keyArgs: ['-newkey', 'rsa:2048'],
          digest: 'sha512',
          sigopts: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:-1'],
        }),
        hash: 'sha512',
      },
      { pem: await issue('f.test', { selfSigned: true, keyArgs: ['-newkey', 'ed25519'] }), hash: undefined },
    ];
    for (const { pem, hash } of cases) {
      const x509 = new X509Certificate(pem.cert);
      // Our DER reading agrees with OpenSSL's (Node 24 exposes it; Electron's Node may not, hence our own).
      assert.equal(certificateSignatureAlgorithm(pem.der)?.oid, x509.signatureAlgorithmOid);
      assert.equal(serverEndPointHash(pem.der), hash, `${x509.subject}: ${x509.signatureAlgorithmOid}`);
    }
    assert.equal(serverEndPointHash(Buffer.from('not a certificate')), undefined);
    assert.equal(serverEndPointHash(Buffer.alloc(0)), undefined);
  });
});

describe('xmpp/tls: describing certificates', () => {
  it('formats names, fingerprints, dates and reasons for people', () => {
    assert.equal(
      formatDistinguishedName({ C: 'DE', O: 'Example', CN: 'xmpp.example' }),
      'CN=xmpp.example, O=Example, C=DE',
    );
    assert.equal(
      formatDistinguishedName({ CN: 'a', OU: ['x', 'y'], emailAddress: 'e@x' }),
      'CN=a, OU=x, OU=y, emailAddress=e@x',
    );
    assert.equal(formatDistinguishedName(undefined), '');
    assert.equal(normalizeFingerprint('ab:cd:EF01'), 'AB:CD:EF:01');
    assert.equal(describeVerifyError('SELF_SIGNED_CERT_IN_CHAIN'), 'self-signed certificate in certificate chain');
    assert.equal(describeVerifyError('SOME_NEW_CODE'), 'some new code');
    const info = certificateInfo(undefined, 'the server sent no certificate');
    assert.deepEqual(info, {
      subject: '',
      issuer: '',
      validFrom: '',
      validTo: '',
      fingerprint256: '',
      reason: 'the server sent no certificate',
    });
  });
});

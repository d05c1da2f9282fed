import assert from 'node:assert/strict';
import type { SrvRecord } from 'node:dns';
import { describe, it } from 'node:test';
import { orderSrv, parseServerOverride, resolveEndpoints, serviceUri } from '../../../main/core/accounts/endpoint.ts';

const srv = (name: string, port: number, priority: number, weight: number): SrvRecord => ({
  name,
  port,
  priority,
  weight,
});

describe('accounts/endpoint (RFC 6120 §3.2, XEP-0368)', () => {
  it('parses host, host:port and [v6]:port overrides', () => {
    assert.deepEqual(parseServerOverride('xmpp.example.org'), {
      host: 'xmpp.example.org',
      port: 5222,
      directTls: false,
    });
    assert.deepEqual(parseServerOverride(' 127.0.0.1:5999 '), { host: '127.0.0.1', port: 5999, directTls: false });
    assert.deepEqual(parseServerOverride('[::1]:5223'), { host: '::1', port: 5223, directTls: false });
    assert.throws(() => parseServerOverride('host:99999'), /invalid server/);
    assert.throws(() => parseServerOverride(''), /invalid server/);
  });

  it('orders SRV records by priority, then by weight', () => {
    const records = [srv('c', 1, 20, 0), srv('a', 1, 10, 10), srv('b', 1, 10, 90)];
    assert.deepEqual(
      orderSrv(records, () => 0.5).map((r) => r.name),
      ['b', 'a', 'c'],
    );
    assert.deepEqual(
      orderSrv(records, () => 0.05).map((r) => r.name),
      ['a', 'b', 'c'],
    );
  });

  it('prefers direct TLS records, then STARTTLS records, then the domain on 5222', async () => {
    const resolver = (name: string) =>
      Promise.resolve(
        name.startsWith('_xmpps-client')
          ? [srv('tls.example.org', 5223, 0, 0)]
          : [srv('plain.example.org', 5222, 0, 0)],
      );
    const endpoints = await resolveEndpoints('example.org', resolver);
    assert.deepEqual(endpoints.map(serviceUri), ['xmpps://tls.example.org:5223', 'xmpp://plain.example.org:5222']);

    const none = await resolveEndpoints('example.org', () =>
      Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' })),
    );
    assert.deepEqual(none, [{ host: 'example.org', port: 5222, directTls: false }]);
  });

  it('treats a "." target as no service', async () => {
    const endpoints = await resolveEndpoints('example.org', () => Promise.resolve([srv('.', 0, 0, 0)]));
    assert.deepEqual(endpoints, [{ host: 'example.org', port: 5222, directTls: false }]);
  });
});

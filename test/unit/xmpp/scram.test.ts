import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saslName, ScramClient, ScramError } from '../../../main/core/xmpp/scram.ts';

describe('xmpp/scram (RFC 5802, RFC 7677)', () => {
  it('computes the RFC 5802 SCRAM-SHA-1 example exchange', async () => {
    const c = new ScramClient('sha1', 'user', 'pencil', 'fyko+d2lbbFgONRv9qkxdawL');
    assert.equal(c.clientFirst(), 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    const final = await c.clientFinal('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
    assert.equal(final, 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=');
    c.verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=');
  });

  it('computes the RFC 7677 SCRAM-SHA-256 example exchange', async () => {
    const c = new ScramClient('sha256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    const final = await c.clientFinal(
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    );
    assert.equal(
      final,
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    c.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('rejects a server that does not prove it knows the password', async () => {
    const c = new ScramClient('sha1', 'user', 'pencil', 'fyko+d2lbbFgONRv9qkxdawL');
    await c.clientFinal('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
    assert.throws(() => {
      c.verifyServerFinal('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    }, ScramError);
    assert.throws(() => {
      c.verifyServerFinal('e=invalid-proof');
    }, /invalid-proof/);
  });

  it('rejects a nonce not extending ours, a missing salt and hostile iteration counts', async () => {
    const mk = () => new ScramClient('sha1', 'user', 'pencil', 'abc');
    await assert.rejects(mk().clientFinal('r=xyz123,s=QSXCR+Q6sek8bf92,i=4096'), /nonce/);
    await assert.rejects(mk().clientFinal('r=abc,s=QSXCR+Q6sek8bf92,i=4096'), /nonce/);
    await assert.rejects(mk().clientFinal('r=abcdef,i=4096'), /salt/);
    await assert.rejects(mk().clientFinal('r=abcdef,s=QSXCR+Q6sek8bf92,i=999999999'), /iteration/);
    await assert.rejects(mk().clientFinal('r=abcdef,s=QSXCR+Q6sek8bf92,i=1'), /iteration/);
    await assert.rejects(mk().clientFinal('garbage'), /malformed/);
  });

  it('escapes = and , in the username', () => {
    assert.equal(saslName('a=b,c'), 'a=3Db=2Cc');
  });
});

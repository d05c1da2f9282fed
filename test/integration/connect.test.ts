/**
 * Connecting for real: SRV-resolved direct TLS (XEP-0368), and every way a
 * sign-in can fail, each with a clear message and no retry loop.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startProsody, type ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, type TestCore } from '../support/core.ts';
import type { RpcError } from '../../preload/rpc.ts';

describe('core against Prosody: connecting (RFC 6120, XEP-0368)', () => {
  let server: ProsodyServer;
  let core: TestCore;
  const jid = 'dave@localhost';

  before(async () => {
    server = await startTestServer({ users: [{ username: 'dave', password: 'right-pw' }] });
  });
  after(async () => {
    await core.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('resolves SRV records and signs in over direct TLS', async () => {
    const lookups: string[] = [];
    core = await startCore(undefined, {
      resolveSrv: (name) => {
        lookups.push(name);
        return Promise.resolve(
          name.startsWith('_xmpps-client.')
            ? [{ name: '127.0.0.1', port: server.directTlsPort, priority: 0, weight: 0 }]
            : [],
        );
      },
    });
    const state = await core.core.handlers['account.signIn']({ jid, password: 'right-pw' });
    assert.equal(state.status, 'online');
    assert.deepEqual(lookups.sort(), ['_xmpp-client._tcp.localhost', '_xmpps-client._tcp.localhost']);
    await core.core.handlers['account.signOut']({ accountId: jid });
  });

  it('says "wrong address or password" once, and does not retry', async () => {
    const attemptsBefore = (await server.log()).split('\n').filter((l) => l.includes('Client connected')).length;
    await assert.rejects(
      core.core.handlers['account.signIn']({ jid, password: 'wrong-pw', server: server.server }),
      (err: RpcError) => err.code === 'auth-failed' && /wrong address or password/iu.test(err.message),
    );
    await sleep(1500);
    const attemptsAfter = (await server.log()).split('\n').filter((l) => l.includes('Client connected')).length;
    assert.equal(attemptsAfter - attemptsBefore, 1, 'exactly one connection attempt');
    const [account] = (await core.core.handlers['app.snapshot']({})).accounts;
    assert.equal(account?.status, 'error');
    assert.equal(account.error?.code, 'auth-failed');
  });

  it('says which port refused the connection', async () => {
    await assert.rejects(
      core.core.handlers['account.signIn']({ jid, password: 'right-pw', server: '127.0.0.1:1' }),
      (err: RpcError) => err.code === 'connection-refused' && err.message.includes('127.0.0.1:1'),
    );
  });

  it('says when a host name does not resolve', async () => {
    await assert.rejects(
      core.core.handlers['account.signIn']({ jid, password: 'right-pw', server: 'no-such-host.invalid' }),
      (err: RpcError) => err.code === 'dns-failed' && err.message.includes('no-such-host.invalid'),
    );
  });

  it('refuses a server whose certificate is not trusted', async () => {
    // A second server with its own CA, which nothing here trusts.
    const stranger = await startProsody({ users: [{ username: 'dave', password: 'right-pw' }] });
    try {
      await assert.rejects(
        core.core.handlers['account.signIn']({ jid, password: 'right-pw', server: stranger.server }),
        (err: RpcError) => err.code === 'certificate-untrusted' && err.message.includes('certificate'),
      );
      assert.ok(!(await stranger.log()).includes('Authenticated'), 'no credentials sent to the untrusted server');
    } finally {
      await stranger.stop();
    }
  });

  it('says when the server does not serve the domain', async () => {
    await assert.rejects(
      core.core.handlers['account.signIn']({
        jid: 'dave@elsewhere.example',
        password: 'right-pw',
        server: server.server,
      }),
      (err: RpcError) => err.code === 'stream-error' && err.message.includes('elsewhere.example'),
    );
  });

  it('still signs in afterwards', async () => {
    const state = await core.core.handlers['account.signIn']({ jid, password: 'right-pw', server: server.server });
    assert.equal(state.status, 'online');
  });

  it('reports a lost connection instead of pretending to be online', async () => {
    const stoppedAt = Date.now();
    const waiting = core.waitForNext('account.state', (e) => e.status === 'waiting' && e.error?.code === 'network');
    await server.stop();
    const state = await waiting;
    // With a resumable XEP-0198 session, Prosody 0.12 closes without a <system-shutdown/> stream error.
    assert.match(state.error?.message ?? '', /connection lost/iu);
    assert.ok((state.nextRetryAt ?? 0) >= stoppedAt, 'the next attempt is planned');
    const queued = await core.core.handlers['message.send']({
      accountId: jid,
      to: 'someone@localhost',
      body: 'hello?',
    });
    assert.equal(queued.state, 'queued', 'kept in the outbox while offline');
  });
});

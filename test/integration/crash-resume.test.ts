/**
 * kill -9 of the core: the session it left hibernating on the server (XEP-0198) is resumed
 * by the restarted process, so the messages the server queued for it arrive exactly once,
 * and what it had written but not seen acknowledged goes out again (receivers de-duplicate).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, type TestCore } from '../support/core.ts';
import { startRemoteCore, type RemoteCore } from '../support/remote-core.ts';

describe('core killed with -9 resumes its XEP-0198 session', () => {
  let server: ProsodyServer;
  let alice: RemoteCore;
  let bob: TestCore;
  let dataDir: string;
  const a = 'alice@localhost';
  const b = 'bob@localhost';

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'a-pw', name: 'Alice' },
        { username: 'bob', password: 'b-pw', name: 'Bob' },
      ],
      sharedGroup: 'Team',
    });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-crash-'));
    alice = await startRemoteCore({ dataDir, label: 'alice' });
    bob = await startCore();
    await alice.call('account.signIn', { jid: a, password: 'a-pw', server: server.server });
    await bob.core.handlers['account.signIn']({ jid: b, password: 'b-pw', server: server.server });
  });

  after(async () => {
    await alice.stop().catch(() => undefined);
    await bob.shutdown().catch(() => undefined);
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gets what was sent to it while it was dead, once, in order', async () => {
    await bob.core.handlers['message.send']({ accountId: b, to: a, body: 'before the crash' });
    await alice.waitForEvent('message.added', (m) => m.body === 'before the crash');
    await alice.kill();
    for (let i = 1; i <= 20; i++)
      await bob.core.handlers['message.send']({ accountId: b, to: a, body: `while dead ${String(i)}` });
    await alice.restart();
    await alice.call('account.signIn', { jid: a, password: 'a-pw', server: server.server });
    await alice.waitForEvent('message.added', (m) => m.body === 'while dead 20', 15_000);
    const { messages } = await alice.call('messages.list', { accountId: a, peer: b, limit: 500 });
    const bodies = messages.map((m) => m.body);
    const expected = ['before the crash', ...Array.from({ length: 20 }, (_, i) => `while dead ${String(i + 1)}`)];
    assert.deepEqual(bodies, expected, 'each once, in order');
    // Bob's messages all reached a final state: acknowledged by the server, then delivered.
    const { messages: sent } = await bob.core.handlers['messages.list']({ accountId: b, peer: a, limit: 500 });
    assert.ok(
      sent.every((m) => m.state === 'acked' || m.state === 'delivered'),
      JSON.stringify(sent.map((m) => m.state)),
    );
  });
});

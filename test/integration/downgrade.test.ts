/** Never below the sign-in an account used before without asking, and asking works. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import type { RpcError } from '../../preload/rpc.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, tempDir, type TestCore } from '../support/core.ts';

describe('core against Prosody: SASL downgrade protection', () => {
  let server: ProsodyServer;
  let core: TestCore;
  const jid = 'erin@localhost';

  before(async () => {
    server = await startTestServer({ users: [{ username: 'erin', password: 'e-pw' }] });
    // This account signed in with channel binding before; this server (TLS 1.3) offers none.
    const dir = await tempDir();
    const account = {
      jid,
      server: server.server,
      enabled: true,
      rememberPassword: false,
      lastMechanism: 'SCRAM-SHA-1-PLUS',
    };
    await writeFile(path.join(dir, 'accounts.json'), JSON.stringify({ version: 2, accounts: [account] }));
    core = await startCore(dir, {}, true);
  });

  after(async () => {
    await core.shutdown();
    await server.stop();
  });

  it('refuses the weaker mechanism, sending no password', async () => {
    await assert.rejects(
      core.core.handlers['account.signIn']({ jid, password: 'e-pw' }),
      (err: RpcError) => err.code === 'auth-downgrade',
    );
    assert.ok(!(await server.log()).includes('Authenticated as erin'), 'nothing authenticated');
    const [state] = (await core.core.handlers['app.snapshot']({})).accounts;
    assert.equal(state?.status, 'error');
    assert.equal(state.hasPassword, true, 'the password is kept for the decision');
  });

  it('signs in once the user allows the weaker sign-in, and remembers the new level', async () => {
    const online = core.waitForNext('account.state', (st) => st.status === 'online', 10_000);
    await core.core.handlers['account.update']({ accountId: jid, allowWeakerSignIn: true });
    await online;
    const { readFile } = await import('node:fs/promises');
    const saved = JSON.parse(await readFile(path.join(core.dataDir, 'accounts.json'), 'utf8')) as {
      accounts: { lastMechanism?: string }[];
    };
    assert.equal(saved.accounts[0]?.lastMechanism, 'SCRAM-SHA-1');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createAccountStore } from '../../../main/core/accounts/account-store.ts';
import { silentLogger } from '../../../main/core/log.ts';

describe('accounts/account-store', () => {
  it('upgrades the first version, saves settings, never a password', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-store-'));
    try {
      writeFileSync(
        path.join(dir, 'accounts.json'),
        JSON.stringify({ version: 1, accounts: [{ jid: 'a@x.org', server: '' }] }),
      );
      const store = createAccountStore(dir, silentLogger);
      assert.deepEqual(store.load(), [{ jid: 'a@x.org', server: '', enabled: true, rememberPassword: false }]);
      store.save([
        {
          jid: 'a@x.org',
          server: 'h:5222',
          enabled: false,
          rememberPassword: true,
          pinnedCertificate: 'AB:CD',
          lastMechanism: 'SCRAM-SHA-1',
          password: 'secret',
        } as never,
      ]);
      assert.ok(!readFileSync(path.join(dir, 'accounts.json'), 'utf8').includes('secret'));
      assert.deepEqual(store.load(), [
        {
          jid: 'a@x.org',
          server: 'h:5222',
          enabled: false,
          rememberPassword: true,
          pinnedCertificate: 'AB:CD',
          lastMechanism: 'SCRAM-SHA-1',
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to no accounts on a damaged file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-store-'));
    try {
      writeFileSync(path.join(dir, 'accounts.json'), '{"version": 2, "accounts": [{"jid": 5}]}');
      assert.deepEqual(createAccountStore(dir, silentLogger).load(), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

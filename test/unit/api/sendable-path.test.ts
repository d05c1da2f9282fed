/**
 * File transfer (issue 6): a renderer can only make the core send files it staged. A path
 * to anything else on disk ('transfer.sendFile', 'transfer.upload') is refused before any
 * account is even looked at.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createCore } from '../../../main/core/create-core.ts';
import { silentLogger } from '../../../main/core/log.ts';
import { createMemorySettingsStorage } from '../../../main/core/settings/settings-service.ts';

describe('create-core: which files a renderer may send', () => {
  it('refuses a file that was not staged, and lets a staged one through', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-sendable-'));
    const secret = path.join(dataDir, 'id_ed25519');
    writeFileSync(secret, 'PRIVATE KEY');
    const core = await createCore({ dataDir, log: silentLogger, settingsStorage: createMemorySettingsStorage() });
    try {
      const accountId = 'alice@example.org';
      for (const call of [
        () => core.handlers['transfer.sendFile']({ accountId, peer: 'bob@example.org', path: secret }),
        () => core.handlers['transfer.upload']({ accountId, path: secret }),
      ]) {
        await assert.rejects(call, (err: Error & { code?: string }) => err.code === 'not-allowed');
      }
      // The same bytes staged the way the renderer does it pass the check (and then fail only
      // because the account does not exist).
      const { stageId } = await core.handlers['transfer.stageBegin']({ name: 'notes.txt', size: 3 });
      await core.handlers['transfer.stageChunk']({ stageId, offset: 0, data: Buffer.from('abc').toString('base64') });
      const staged = await core.handlers['transfer.stageEnd']({ stageId });
      await assert.rejects(
        () => core.handlers['transfer.sendFile']({ accountId, peer: 'bob@example.org', path: staged.path }),
        (err: Error & { code?: string }) => err.code === 'not-found',
      );
    } finally {
      await core.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

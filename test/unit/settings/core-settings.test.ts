/** The core's settings wiring (create-core): commands, the 'settings.changed' event, the log level, app.openFolder. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createCore, type CoreOptions } from '../../../main/core/create-core.ts';
import { createLogger, silentLogger } from '../../../main/core/log.ts';
import { createMemorySettingsStorage } from '../../../main/core/settings/settings-service.ts';

async function withCore(
  options: Partial<CoreOptions>,
  run: (core: Awaited<ReturnType<typeof createCore>>, ctx: { dataDir: string; lines: string[] }) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-core-settings-'));
  const lines: string[] = [];
  const core = await createCore({
    dataDir,
    log: createLogger('debug', (line) => lines.push(line)),
    settingsStorage: createMemorySettingsStorage(),
    ...options,
  });
  try {
    await run(core, { dataDir, lines });
  } finally {
    await core.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('create-core settings', () => {
  it("announces every change to every renderer as 'settings.changed'", async () => {
    await withCore({}, async (core) => {
      const events: unknown[] = [];
      core.rpc.connect((frame) => {
        const parsed = JSON.parse(frame) as { kind: string; name: string; payload: unknown };
        if (parsed.kind === 'event' && parsed.name === 'settings.changed') events.push(parsed.payload);
      });
      const next = await core.handlers['settings.update']({ general: { theme: 'dark' } });
      assert.deepEqual(events, [next]);
      assert.deepEqual(await core.handlers['settings.get']({}), next);
      assert.equal(core.settings.get().general.theme, 'dark');
    });
  });

  it('moves the log level with the setting, live, when the host opts in', async () => {
    const levels: string[] = [];
    const log = { ...silentLogger, setLevel: (level: string) => levels.push(level) };
    await withCore({ followLogLevelSetting: true, log }, async (core) => {
      assert.deepEqual(levels, ['info']);
      await core.handlers['settings.update']({ advanced: { logLevel: 'debug' } });
      await core.handlers['settings.update']({ advanced: { logLevel: 'error' } });
      assert.deepEqual(levels, ['info', 'debug', 'error']);
    });
    // Without opting in, the host's level stays (the tests' debug logs, `--log-level`).
    levels.length = 0;
    await withCore({ log }, async (core) => {
      await core.handlers['settings.update']({ advanced: { logLevel: 'error' } });
      assert.deepEqual(levels, []);
    });
  });

  it('filters by the level it has now (log.ts setLevel)', () => {
    const lines: string[] = [];
    const log = createLogger('warn', (line) => lines.push(line));
    log.info('t', 'hidden');
    log.setLevel('debug');
    log.debug('t', 'shown');
    log.setLevel('error');
    log.warn('t', 'hidden too');
    log.error('t', 'shown too');
    assert.deepEqual(
      lines.map((l) => l.split('[t] ')[1]),
      ['shown', 'shown too'],
    );
    assert.equal(log.level, 'error');
  });

  it('opens the logs and data folders through the host, creating the logs folder', async () => {
    const opened: string[] = [];
    const openPath = (folder: string) => {
      opened.push(folder);
      return Promise.resolve();
    };
    await withCore({ openPath }, async (core, { dataDir }) => {
      await core.handlers['app.openFolder']({ folder: 'logs' });
      await core.handlers['app.openFolder']({ folder: 'data' });
      assert.deepEqual(opened, [path.join(dataDir, 'logs'), dataDir]);
      assert.ok(existsSync(path.join(dataDir, 'logs')));
    });
    await withCore({}, async (core) => {
      await assert.rejects(core.handlers['app.openFolder']({ folder: 'data' }), /cannot open folders/u);
    });
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Handlers } from '../../../preload/contract.ts';
import { createClient, type RpcError } from '../../../preload/rpc.ts';
import { defaultSettings, parseSettings, SETTINGS_VERSION, type Settings } from '../../../preload/settings.ts';
import { createRpcServer } from '../../../main/core/api/rpc-server.ts';
import { createLogger, silentLogger } from '../../../main/core/log.ts';
import {
  createJsonSettingsStorage,
  createMemorySettingsStorage,
  createSettingsService,
  migrateSettings,
} from '../../../main/core/settings/settings-service.ts';

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', (line) => lines.push(line)) };
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'parley-settings-'));
}

describe('settings/settings-service', () => {
  it('starts from the defaults when nothing is stored, without warnings', () => {
    const { lines, log } = recordingLog();
    const service = createSettingsService(createMemorySettingsStorage(), log);
    assert.deepEqual(service.get(), defaultSettings);
    assert.deepEqual(lines, []);
  });

  it('keeps valid stored values and replaces invalid ones by their defaults, with a warning each', () => {
    const { lines, log } = recordingLog();
    const stored = {
      version: 1,
      general: { language: 'zh-CN', theme: 'purple', startAtLogin: 'yes', closeToTray: false },
      notifications: 'loud',
      privacy: { sendChatStates: false, sendReadMarkers: null, notificationContent: 'sender' },
      files: { downloadsDir: 42, autoAcceptMaxBytes: -5, autoAcceptFromContacts: true },
      advanced: { logLevel: 'trace' },
      unknownSection: { x: 1 },
    };
    const service = createSettingsService(createMemorySettingsStorage(stored), log);
    const s = service.get();
    assert.equal(s.general.language, 'zh-CN');
    assert.equal(s.general.closeToTray, false);
    assert.equal(s.general.theme, 'system');
    assert.equal(s.general.startAtLogin, false);
    assert.deepEqual(s.notifications, defaultSettings.notifications);
    assert.equal(s.privacy.sendChatStates, false);
    assert.equal(s.privacy.sendReadMarkers, true);
    assert.equal(s.privacy.notificationContent, 'sender');
    assert.equal(s.files.downloadsDir, '');
    assert.equal(s.files.autoAcceptFromContacts, true);
    assert.equal(s.files.autoAcceptMaxBytes, defaultSettings.files.autoAcceptMaxBytes);
    assert.equal(s.advanced.logLevel, 'info');
    const warned = lines.filter((l) => l.includes('WARN')).join('\n');
    for (const field of [
      'general.theme',
      'general.startAtLogin',
      'notifications: not an object',
      'privacy.sendReadMarkers',
      'files.downloadsDir',
      'files.autoAcceptMaxBytes',
      'advanced.logLevel',
    ]) {
      assert.ok(warned.includes(field), `a warning for ${field}`);
    }
    assert.ok(!warned.includes('general.language'));
  });

  it('never crashes on what it cannot read: storage errors, non-objects, damaged files', () => {
    for (const stored of [null, 42, 'text', [1, 2], { general: [] }]) {
      const service = createSettingsService(createMemorySettingsStorage(stored), silentLogger);
      assert.deepEqual(service.get(), defaultSettings, JSON.stringify(stored));
    }
    const { lines, log } = recordingLog();
    const broken = {
      load: () => {
        throw new Error('disk on fire');
      },
      save: () => undefined,
    };
    assert.deepEqual(createSettingsService(broken, log).get(), defaultSettings);
    assert.ok(lines.some((l) => l.includes('could not be read')));

    const dir = tempDir();
    try {
      writeFileSync(path.join(dir, 'settings.json'), '{"general": {"theme": "dark"');
      const { lines: l2, log: log2 } = recordingLog();
      assert.deepEqual(createSettingsService(createJsonSettingsStorage(dir), log2).get(), defaultSettings);
      assert.ok(l2.some((l) => l.includes('WARN')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies a patch, saves it and tells listeners; an invalid patch changes nothing', () => {
    const storage = createMemorySettingsStorage();
    const service = createSettingsService(storage, silentLogger);
    const seen: Settings[] = [];
    const off = service.onChange((s) => seen.push(s));
    const next = service.update({ general: { theme: 'dark' }, privacy: { sendReadMarkers: false } });
    assert.equal(next.general.theme, 'dark');
    assert.equal(next.general.language, 'system');
    assert.equal(next.privacy.sendReadMarkers, false);
    assert.equal(next.privacy.sendChatStates, true);
    assert.deepEqual(storage.saved, next);
    assert.deepEqual(seen, [next]);

    for (const bad of [
      { general: { theme: 'purple' } },
      { general: { theme: 'light', nope: true } },
      { colours: {} },
      { files: { autoAcceptMaxBytes: -1 } },
      { advanced: { logLevel: 'trace' } },
    ]) {
      assert.throws(
        () => service.update(bad as never),
        (err: Error & { code?: string }) => err.code === 'bad-request',
      );
    }
    assert.deepEqual(service.get(), next);
    assert.deepEqual(storage.saved, next);
    assert.equal(seen.length, 1);
    off();
    service.update({ general: { theme: 'light' } });
    assert.equal(seen.length, 1);
  });

  it('keeps the old settings when saving fails', () => {
    const service = createSettingsService(
      {
        load: () => undefined,
        save: () => {
          throw new Error('read-only disk');
        },
      },
      silentLogger,
    );
    assert.throws(() => service.update({ general: { theme: 'dark' } }), /could not be saved/u);
    assert.equal(service.get().general.theme, 'system');
  });

  it('round-trips through the JSON file in the data folder, written whole', () => {
    const dir = tempDir();
    try {
      const first = createSettingsService(createJsonSettingsStorage(dir), silentLogger);
      for (const dir of ['/home/me/In', 'C:\\Users\\me\\In', 'D:/In', '\\\\server\\share', '']) {
        assert.equal(first.update({ files: { downloadsDir: dir } }).files.downloadsDir, dir);
      }
      first.update({
        general: { language: 'zh-CN' },
        files: { downloadsDir: '/home/me/Inbox', autoAcceptFromContacts: true },
      });
      const onDisk = JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8')) as Settings;
      assert.equal(onDisk.version, SETTINGS_VERSION);
      assert.deepEqual(parseSettings(onDisk).warnings, []);
      const second = createSettingsService(createJsonSettingsStorage(dir), silentLogger);
      assert.deepEqual(second.get(), first.get());
      assert.equal(second.get().general.language, 'zh-CN');
      assert.equal(second.get().files.downloadsDir, '/home/me/Inbox');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the migrations from an older version, one step at a time, and saves the result', () => {
    const storage = createMemorySettingsStorage({ version: 0, appearance: { dark: true } });
    const migrations = [
      {
        version: 1,
        up: (data: Record<string, unknown>) => {
          const appearance = data['appearance'] as { dark?: boolean } | undefined;
          return { general: { theme: appearance?.dark ? 'dark' : 'light' } };
        },
      },
    ];
    const service = createSettingsService(storage, silentLogger, { migrations });
    assert.equal(service.get().general.theme, 'dark');
    const saved = storage.saved;
    assert.ok(saved);
    assert.equal(saved.general.theme, 'dark');
    assert.equal(saved.version, SETTINGS_VERSION);
    // A newer layout is read as far as it matches and not written back.
    const newer = createMemorySettingsStorage({ version: SETTINGS_VERSION + 1, general: { theme: 'dark' } });
    assert.equal(createSettingsService(newer, silentLogger).get().general.theme, 'dark');
    assert.equal(newer.saved, undefined);
    assert.equal(migrateSettings({ version: SETTINGS_VERSION }, migrations, silentLogger).migrated, false);
  });
});

describe('settings over the contract (settings.get / settings.update)', () => {
  function setup() {
    const storage = createMemorySettingsStorage();
    const service = createSettingsService(storage, silentLogger);
    const handlers = {
      'settings.get': () => Promise.resolve(service.get()),
      'settings.update': (patch) => Promise.resolve(service.update(patch)),
    } as Partial<Handlers> as Handlers;
    const server = createRpcServer(handlers, silentLogger);
    let deliver: (frame: string) => void = () => undefined;
    const session = server.connect((frame) => {
      deliver(frame);
    });
    const client = createClient({
      send: (frame) => void session.receive(frame),
      onFrame: (listener) => {
        deliver = listener;
      },
    });
    return { storage, service, client };
  }

  it('rejects invalid input before anything changes', async () => {
    const { storage, service, client } = setup();
    const update = (input: unknown) => client.call('settings.update', input as never);
    for (const input of [
      null,
      'dark',
      { general: { theme: 'purple' } },
      { general: { theme: 'dark', extra: 1 } },
      { general: { language: 'fr' } },
      { privacy: { sendChatStates: 'no' } },
      { notifications: { mutedUntil: -1 } },
      { files: { downloadsDir: 'x'.repeat(5000) } },
      { files: { downloadsDir: 'relative/folder' } },
      { files: { downloadsDir: '/tmp/a\0b' } },
      { version: 2 },
      { general: { theme: 'dark' }, other: {} },
    ]) {
      await assert.rejects(update(input), (err: RpcError) => err.code === 'bad-request', JSON.stringify(input));
    }
    assert.equal(storage.saved, undefined);
    assert.deepEqual(service.get(), defaultSettings);
    assert.deepEqual(await client.call('settings.get', {}), defaultSettings);
  });

  it('applies a valid patch and returns the whole settings', async () => {
    const { storage, client } = setup();
    const next = await client.call('settings.update', { privacy: { sendChatStates: false } });
    assert.equal(next.privacy.sendChatStates, false);
    assert.equal(storage.saved?.privacy.sendChatStates, false);
    assert.deepEqual(await client.call('settings.get', {}), next);
  });
});

/**
 * The core's settings service (the port is settings-port.ts, the schema preload/settings.ts).
 *
 * Loading never fails: whatever the host's storage holds (nothing, an older version, a
 * newer one, damaged or hand-edited values) becomes complete settings. Older versions go
 * through `settingsMigrations` one step at a time; every value that is still missing or
 * invalid takes its default and is logged as a warning. A change is validated before
 * anything moves, saved, then announced to the listeners.
 *
 * Also here: the JSON-file storage the plain-Node hosts use (web host, tests, demo), in
 * the data folder, written atomically (Electron's is electron-store: main/shell/settings-store.ts).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  applySettingsPatch,
  parseSettings,
  SETTINGS_VERSION,
  SettingsPatch,
  type Settings,
} from '../../../preload/settings.ts';
import { CoreError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { SettingsService, SettingsStorage } from './settings-port.ts';

/** One step of the stored layout: turns data of `version - 1` into data of `version`. */
export interface SettingsMigration {
  version: number;
  up(data: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The steps from each older layout to the current one (SETTINGS_VERSION). Version 1 is the
 * first: nothing to migrate yet. A future version 2 appends `{ version: 2, up }` here.
 */
export const settingsMigrations: readonly SettingsMigration[] = [];

export interface SettingsServiceOptions {
  migrations?: readonly SettingsMigration[];
}

/**
 * Brings stored data up to the current layout. Data without a usable version is taken as
 * the current layout (and validated field by field afterwards); data from a newer Parley
 * is read as far as it matches, never written back blindly.
 */
export function migrateSettings(
  stored: unknown,
  migrations: readonly SettingsMigration[],
  log: Logger,
): { data: unknown; migrated: boolean } {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { data: stored, migrated: false };
  let data = stored as Record<string, unknown>;
  const version = data['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) return { data, migrated: false };
  if (version > SETTINGS_VERSION) {
    log.warn('settings', `stored settings are from a newer Parley (version ${String(version)}): reading what matches`);
    return { data, migrated: false };
  }
  let migrated = false;
  for (let v = version + 1; v <= SETTINGS_VERSION; v++) {
    const step = migrations.find((m) => m.version === v);
    if (!step) {
      log.warn('settings', `no migration to settings version ${String(v)}: reading what matches`);
      break;
    }
    data = { ...step.up(data), version: v };
    migrated = true;
  }
  return { data, migrated };
}

export function createSettingsService(
  storage: SettingsStorage,
  log: Logger,
  options: SettingsServiceOptions = {},
): SettingsService {
  const listeners = new Set<(settings: Settings) => void>();

  let stored: unknown;
  try {
    stored = storage.load();
  } catch (err) {
    log.warn('settings', 'the stored settings could not be read: using the defaults', err);
    stored = undefined;
  }
  let current: Settings;
  let repaired = false;
  try {
    const { data, migrated } = migrateSettings(stored, options.migrations ?? settingsMigrations, log);
    const { settings, warnings } = parseSettings(data);
    for (const warning of warnings) log.warn('settings', warning);
    current = settings;
    repaired = migrated;
  } catch (err) {
    log.warn('settings', 'the stored settings could not be migrated: using the defaults', err);
    current = parseSettings(undefined).settings;
  }
  if (repaired) {
    try {
      storage.save(current);
    } catch (err) {
      log.warn('settings', 'the migrated settings could not be saved', err);
    }
  }

  return {
    get: () => current,
    update(patch) {
      const parsed = SettingsPatch.safeParse(patch);
      if (!parsed.success) throw new CoreError('bad-request', 'These settings are not valid.');
      const next = applySettingsPatch(current, parsed.data);
      try {
        storage.save(next);
      } catch (err) {
        log.error('settings', 'the settings could not be saved', err);
        throw new CoreError('internal', 'The settings could not be saved.', { cause: err });
      }
      current = next;
      for (const listener of [...listeners]) {
        try {
          listener(current);
        } catch (err) {
          log.warn('settings', 'a settings listener failed', err);
        }
      }
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** Settings kept in memory only (hosts and tests without a data folder of their own). */
export function createMemorySettingsStorage(initial?: unknown): SettingsStorage & { saved: Settings | undefined } {
  const storage = {
    saved: undefined as Settings | undefined,
    load: () => storage.saved ?? initial,
    save(settings: Settings) {
      storage.saved = settings;
    },
  };
  return storage;
}

/**
 * `<dataDir>/settings.json`, for the plain-Node hosts. Nothing there reads as undefined;
 * a damaged file throws (the service then logs it and uses the defaults). Written to a
 * temporary file and renamed over, so a crash leaves either the old or the new settings.
 */
export function createJsonSettingsStorage(dataDir: string): SettingsStorage {
  const file = path.join(dataDir, 'settings.json');
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return JSON.parse(text) as unknown;
    },
    save(settings) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${String(process.pid)}.tmp`;
      writeFileSync(tmp, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}

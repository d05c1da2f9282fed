/**
 * The core's SettingsStorage on electron-store (`<userData>/settings.json`), validated with a
 * JSON schema generated from the zod schema. A file the schema refuses (hand-edited, from a
 * newer Parley) is read raw instead: the core's settings service repairs it field by field
 * and the next change writes it whole. Layout migrations by settings version live in the
 * core (settings-service.ts `settingsMigrations`), shared with the plain-Node hosts, and run
 * on every load (a no-op when the layout is current); electron-store's own `migrations` (by
 * app version) runs the same steps when the app is upgraded, so the file is upgraded before
 * its schema check. Neither can fail the start: the core falls back field by field.
 *
 * Also: Electron's spell checker follows the chosen language, and `openPath` for "Open logs/data folder".
 */
import { app, session, shell, type Session } from 'electron';
import Store from 'electron-store';
import { parseSettings, type Settings } from '../../preload/settings.ts';
import type { CoreOptions } from '../core/create-core.ts';
import type { Logger } from '../core/log.ts';
import type { SettingsStorage } from '../core/settings/settings-port.ts';
import { migrateSettings, settingsMigrations } from '../core/settings/settings-service.ts';
import { settingsStoreSchema, spellCheckLanguages } from './settings-schema.ts';

export function createElectronSettingsStorage(log: Logger): SettingsStorage {
  let store: Store;
  try {
    store = new Store({
      name: 'settings',
      schema: settingsStoreSchema(),
      projectVersion: app.getVersion(),
      migrations: {
        // Every app version: bring the stored layout up to this version's (a no-op when it is current).
        [`>=0.0.0`]: (s) => {
          const { data, migrated } = migrateSettings(s.store, settingsMigrations, log);
          if (migrated) s.store = data as Record<string, unknown>;
        },
      },
    });
  } catch (err) {
    log.warn('settings', 'the settings file does not match its schema: reading it unchecked', err);
    store = new Store({ name: 'settings' });
  }
  return {
    load: () => (store.size === 0 ? undefined : store.store),
    save(settings) {
      store.store = settings;
    },
  };
}

/**
 * What main/index.ts hands createCore for settings: the storage (the spell checker follows
 * the language it loads and saves), `openPath` (shell.openPath), the logs folder, and the
 * log level following the setting.
 * Call after app 'ready'.
 */
export function electronSettingsPorts(
  log: Logger,
): Pick<CoreOptions, 'settingsStorage' | 'openPath' | 'logsDir' | 'followLogLevelSetting'> {
  const storage = createElectronSettingsStorage(log);
  const spellCheck = spellCheckFollower(session.defaultSession, log);
  return {
    settingsStorage: {
      load() {
        const stored = storage.load();
        spellCheck(parseSettings(stored).settings.general.language);
        return stored;
      },
      save(settings) {
        storage.save(settings);
        spellCheck(settings.general.language);
      },
    },
    openPath: async (folder) => {
      const error = await shell.openPath(folder);
      if (error !== '') throw new Error(error);
    },
    logsDir: app.getPath('logs'),
    followLogLevelSetting: true,
  };
}

/** Sets the session's spell checker languages for a language setting (when they change). */
function spellCheckFollower(target: Session, log: Logger): (language: Settings['general']['language']) => void {
  let last = '';
  return (language) => {
    const languages = spellCheckLanguages(language, app.getLocale(), target.availableSpellCheckerLanguages);
    const key = languages.join(',');
    if (key === last || languages.length === 0) return;
    last = key;
    try {
      target.setSpellCheckerLanguages(languages);
    } catch (err) {
      log.warn('settings', 'could not set the spell checker languages', err);
    }
  };
}

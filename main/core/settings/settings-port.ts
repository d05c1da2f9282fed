/**
 * How the core reaches the user's settings (schema: preload/settings.ts).
 *
 * The host provides the storage (`SettingsStorage`: electron-store in Electron, a JSON
 * file in the data folder in plain Node); the core's settings service (settings-service.ts)
 * validates what was stored, applies changes and tells listeners. Everything in the core
 * that depends on a setting (attention/notifications, chat states, read markers, log level)
 * reads it through `SettingsService`, never from storage directly.
 */
import type { Settings, SettingsPatch } from '../../../preload/settings.ts';

/** The host's storage: raw, unvalidated data in, complete settings out. */
export interface SettingsStorage {
  /** What was stored (anything: it is validated by the service), or undefined when nothing was. */
  load(): unknown;
  save(settings: Settings): void;
}

export interface SettingsService {
  get(): Settings;
  /** Applies a validated patch, saves, notifies listeners; returns the new settings. */
  update(patch: SettingsPatch): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
}

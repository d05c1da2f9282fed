/**
 * The pure half of the shell's settings storage (settings-store.ts), apart so that tests
 * load it without Electron: the JSON schema electron-store validates the file with, made
 * from the zod schema (preload/settings.ts) so that it cannot drift, and the spell checker
 * languages for the chosen language.
 */
import * as z from 'zod';
import { Settings, type Settings as SettingsValue } from '../../preload/settings.ts';

/** electron-store's `schema` option: one JSON schema per top-level key (draft-07, which its validator speaks). */
export function settingsStoreSchema(): Record<string, Record<string, unknown>> {
  const schema = z.toJSONSchema(Settings, { target: 'draft-7' }) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  if (!schema.properties) throw new Error('the settings schema has no properties');
  return schema.properties;
}

/**
 * Electron's spell checker languages (hunspell on Windows and Linux) for the chosen language:
 * the language itself when the spell checker has it, else a regional variant of it, else
 * American English (there is no hunspell dictionary for Chinese). Empty when none is available.
 */
export function spellCheckLanguages(
  language: SettingsValue['general']['language'],
  systemLocale: string,
  available: readonly string[],
): string[] {
  const wanted = language === 'system' ? systemLocale : language;
  const lower = (s: string) => s.toLowerCase();
  const exact = available.find((a) => lower(a) === lower(wanted));
  if (exact !== undefined && !lower(wanted).startsWith('zh')) return [exact];
  const base = lower(wanted).split(/[-_]/u)[0] ?? '';
  const variants = base === 'zh' ? [] : available.filter((a) => lower(a).split(/[-_]/u)[0] === base);
  // The language's home variant first (de-DE, fr-FR; American English for "en").
  const home = base === 'en' ? 'en-us' : `${base}-${base}`;
  const regional = variants.find((a) => lower(a) === home) ?? variants[0];
  if (regional !== undefined) return [regional];
  const fallback = available.find((a) => lower(a) === 'en-us') ?? available.find((a) => lower(a).startsWith('en'));
  return fallback === undefined ? [] : [fallback];
}

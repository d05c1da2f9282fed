import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { defaultSettings } from '../../../preload/settings.ts';
import { settingsStoreSchema, spellCheckLanguages } from '../../../main/shell/settings-schema.ts';

describe('shell/settings-schema (electron-store JSON schema from the zod schema)', () => {
  const validate = new Ajv({ allErrors: true }).compile({
    type: 'object',
    properties: settingsStoreSchema(),
  });

  it('accepts the defaults and a changed copy', () => {
    assert.ok(validate(defaultSettings), JSON.stringify(validate.errors));
    const changed = {
      ...defaultSettings,
      general: { ...defaultSettings.general, theme: 'dark', language: 'zh-CN' },
      notifications: { ...defaultSettings.notifications, mutedUntil: 1_900_000_000_000 },
    };
    assert.ok(validate(changed), JSON.stringify(validate.errors));
  });

  it('refuses what the zod schema refuses', () => {
    const bad = [
      { ...defaultSettings, general: { ...defaultSettings.general, theme: 'purple' } },
      { ...defaultSettings, privacy: { ...defaultSettings.privacy, sendChatStates: 'yes' } },
      { ...defaultSettings, files: { ...defaultSettings.files, autoAcceptMaxBytes: -1 } },
      { ...defaultSettings, advanced: { logLevel: 'trace' } },
      { ...defaultSettings, general: { ...defaultSettings.general, extra: true } },
      { ...defaultSettings, version: 2 },
    ];
    for (const value of bad) assert.equal(validate(value), false, JSON.stringify(value));
  });
});

describe('shell/settings-schema spellCheckLanguages', () => {
  const hunspell = ['de-DE', 'en-AU', 'en-GB', 'en-US', 'fr-FR'];

  it('uses the chosen language, else the system locale, when the spell checker has it', () => {
    assert.deepEqual(spellCheckLanguages('en', 'de-DE', hunspell), ['en-US']);
    assert.deepEqual(spellCheckLanguages('en', 'de-DE', ['en-AU', 'en-GB']), ['en-AU']);
    assert.deepEqual(spellCheckLanguages('system', 'de-DE', hunspell), ['de-DE']);
    assert.deepEqual(spellCheckLanguages('system', 'en-GB', hunspell), ['en-GB']);
    assert.deepEqual(spellCheckLanguages('system', 'fr', hunspell), ['fr-FR']);
  });

  it('falls back to American English for Chinese and for languages without a dictionary', () => {
    assert.deepEqual(spellCheckLanguages('zh-CN', 'zh-CN', hunspell), ['en-US']);
    assert.deepEqual(spellCheckLanguages('system', 'zh-CN', [...hunspell, 'zh-CN']), ['en-US']);
    assert.deepEqual(spellCheckLanguages('system', 'ja-JP', hunspell), ['en-US']);
    assert.deepEqual(spellCheckLanguages('zh-CN', 'zh-CN', []), []);
  });
});

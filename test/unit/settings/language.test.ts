import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createI18n, pickLanguage, plural } from '../../../renderer/i18n/index.ts';

describe('renderer/i18n language choice (Settings > General > Language)', () => {
  it('follows the setting, "System" meaning the browser, and ?lang= over both', () => {
    assert.equal(pickLanguage(null, 'en-US', 'zh-CN'), 'zh-CN');
    assert.equal(pickLanguage(null, 'zh-TW', 'en'), 'en');
    assert.equal(pickLanguage(null, 'zh-Hans-CN', 'system'), 'zh-CN');
    assert.equal(pickLanguage(null, 'de-DE', 'system'), 'en');
    assert.equal(pickLanguage(null, undefined), 'en');
    assert.equal(pickLanguage('zh-CN', 'en-US', 'en'), 'zh-CN');
    assert.equal(pickLanguage('en', 'zh-CN', 'zh-CN'), 'en');
  });

  it('gives each language its own table', () => {
    assert.equal(createI18n('en').t.settingsTabGeneral, 'General');
    assert.equal(createI18n('zh-CN').t.settingsTabGeneral, '常规');
    assert.equal(createI18n('en').t.settingsTheme, 'Theme');
    assert.equal(createI18n('en').t.settingsLanguage, 'Language');
  });

  it('picks plural forms by the language rules', () => {
    const forms = { one: '{n} file', other: '{n} files' };
    assert.equal(plural('en', 1, forms), '1 file');
    assert.equal(plural('en', 2, forms), '2 files');
    assert.equal(plural('en', 1000, forms), '1,000 files');
    assert.equal(plural('zh-CN', 1, { other: '{n} 个文件' }), '1 个文件');
    assert.equal(plural('zh-CN', 1, forms), '1 files', 'Chinese has only "other"');
  });
});

/**
 * The translation tables at run time, beyond what the compiler checks: every key in every
 * language, the same kind of value (text or a function of the same arity), the same
 * placeholders, no empty text, no English left in the Chinese tables; plurals, dates and
 * relative stamps in both languages; a sentence for every contract error code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../preload/contract.ts';
import { LEGACY_FIELDS } from '../../../main/core/xmpp/register.ts';
import { fieldLabel, registerTables } from '../../../renderer/features/register/i18n.ts';
import { bounceText, coreErrorText, ERROR_SENTENCES } from '../../../renderer/i18n/errors.ts';
import { createI18n, languages } from '../../../renderer/i18n/index.ts';
import { untranslatedWords } from '../../support/untranslated.ts';

type Table = Readonly<Record<string, unknown>>;

/** Distinct numbers as arguments: each one is findable in the result when the text uses it. */
const ARGS = [41, 42, 43, 44, 45];

/** Which arguments a function's text shows (by position), or undefined for plain text. */
function placeholders(value: unknown): number[] | undefined {
  if (typeof value !== 'function') return undefined;
  const fn = value as (...args: unknown[]) => unknown;
  const args = ARGS.slice(0, fn.length);
  const out = fn(...args);
  assert.equal(typeof out, 'string');
  return args.flatMap((a, i) => (String(out).includes(String(a)) ? [i] : []));
}

/** A value as text (functions called with the placeholder numbers). */
function render(value: unknown): string {
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    return String(fn(...ARGS.slice(0, fn.length)));
  }
  return String(value);
}

/** Values that are the same in every language: placeholders of addresses, counters. */
const LANGUAGE_NEUTRAL = new Set(['appName', 'addressPlaceholder', 'serverPlaceholder', 'groupCount', 'reactionChip']);
/** Languages named in their own language, the same in every table (the language picker). */
const AUTONYMS = new Set(['English', '简体中文']);

function checkTables(name: string, tables: Readonly<Record<string, Table>>): void {
  const en: Table | undefined = tables['en'];
  if (en === undefined) throw new Error(`${name}: no English table`);
  const enKeys = Object.keys(en).sort();

  for (const [lang, table] of Object.entries(tables)) {
    describe(`${name}: ${lang}`, () => {
      it('has exactly the keys of the English table', () => {
        const keys = Object.keys(table).sort();
        assert.deepEqual(
          keys.filter((k) => !enKeys.includes(k)),
          [],
          'keys that English does not have',
        );
        assert.deepEqual(
          enKeys.filter((k) => !keys.includes(k)),
          [],
          'keys missing from this language',
        );
      });

      it('has the same kind of value, arity and placeholders for every key', () => {
        for (const key of enKeys) {
          const reference: unknown = en[key];
          const value: unknown = table[key];
          assert.equal(typeof value, typeof reference, `${key}: text in one language, a function in the other`);
          if (typeof reference === 'function' && typeof value === 'function') {
            assert.equal(value.length, reference.length, `${key}: a different number of arguments`);
          }
          assert.deepEqual(placeholders(value), placeholders(reference), `${key}: different placeholders`);
        }
      });

      it('has no empty text', () => {
        for (const key of enKeys) {
          if (key === 'draftLabel' || key === 'autoAway') continue;
          assert.notEqual(render(table[key]).trim(), '', `${key} is empty`);
        }
      });

      if (lang !== 'en') {
        it('leaves no English untranslated', () => {
          const left = enKeys.flatMap((key) => {
            const words = untranslatedWords(render(table[key]));
            return words.length === 0 ? [] : [`${key}: ${words.join(' ')}`];
          });
          assert.deepEqual(left, []);
        });

        it('translates every text that is not language-neutral', () => {
          const same = enKeys.filter(
            (key) =>
              !LANGUAGE_NEUTRAL.has(key) && !AUTONYMS.has(render(en[key])) && render(table[key]) === render(en[key]),
          );
          assert.deepEqual(same, []);
        });
      }
    });
  }
}

checkTables('renderer/i18n', languages);
checkTables('features/register/i18n', registerTables);

describe('the checks themselves', () => {
  it('finds English words but not addresses, hosts, brands or key names', () => {
    assert.deepEqual(untranslatedWords('登录 Parley 的 XMPP 账号 alice@example.org，按 Enter'), []);
    assert.deepEqual(untranslatedWords('连接 chat.example.org:5222 失败'), []);
    assert.deepEqual(untranslatedWords('SHA-256 指纹'), []);
    assert.deepEqual(untranslatedWords('指纹 47:E8:42:69:E1:E0:C6:CB:'), []);
    assert.deepEqual(untranslatedWords('关闭 Bob (Ctrl+W)，:thumbsup:', ['Bob']), []);
    assert.deepEqual(untranslatedWords('正在 Loading 消息'), ['Loading']);
    assert.deepEqual(untranslatedWords("Bob's 资料"), ["Bob's"]);
  });

  it('notices different placeholders', () => {
    assert.deepEqual(
      placeholders((a: string) => `x ${a}`),
      [0],
    );
    assert.deepEqual(
      placeholders((_a: string, b: string) => `x ${b}`),
      [1],
    );
    assert.equal(placeholders('text'), undefined);
  });
});

describe('plurals (Intl.PluralRules)', () => {
  const { en } = languages;
  const zh = languages['zh-CN'];

  it('says "1 message" but "5 messages" in English', () => {
    assert.equal(en.syncingHistory(1), 'Syncing history… 1 message');
    assert.equal(en.syncingHistory(5), 'Syncing history… 5 messages');
    assert.equal(en.accountCount(1), '1 account');
    assert.equal(en.accountCount(2), '2 accounts');
    assert.equal(en.contactsFound(1), '1 contact found');
    assert.equal(en.contactsFound(0), '0 contacts found');
    assert.equal(en.matchCount(1), '1 match');
    assert.equal(en.matchCount(12), '12 matches');
  });

  it('counts with a measure word in Chinese', () => {
    assert.equal(zh.syncingHistory(1), '正在同步历史记录… 1 条消息');
    assert.equal(zh.syncingHistory(5), '正在同步历史记录… 5 条消息');
    assert.equal(zh.unreadCount(3), '3 条未读');
    assert.equal(zh.accountCount(2), '2 个账号');
  });
});

describe('dates and relative stamps', () => {
  const now = new Date(2026, 5, 17, 15, 30).getTime(); // a Wednesday afternoon
  const earlier = new Date(2026, 5, 17, 9, 5).getTime();
  const yesterday = new Date(2026, 5, 16, 20, 0).getTime();
  const lastYear = new Date(2025, 0, 3, 8, 0).getTime();

  it('says today, yesterday and dates in English', () => {
    const i18n = createI18n('en');
    assert.equal(i18n.day(earlier, now), 'Today');
    assert.equal(i18n.day(yesterday, now), 'Yesterday');
    assert.equal(i18n.stamp(yesterday, now), 'Yesterday');
    assert.match(i18n.stamp(lastYear, now), /2025/u);
    assert.deepEqual(untranslatedWords(i18n.dateTime(lastYear)).length > 0, true, 'English month and weekday names');
  });

  it('says them in Chinese, with no English month or weekday names', () => {
    const i18n = createI18n('zh-CN');
    assert.equal(i18n.day(earlier, now), '今天');
    assert.equal(i18n.day(yesterday, now), '昨天');
    assert.equal(i18n.stamp(yesterday, now), '昨天');
    const long = i18n.day(lastYear, now);
    assert.match(long, /2025年1月3日/u);
    assert.match(i18n.stamp(lastYear, now), /2025年1月3日/u);
    for (const text of [long, i18n.dateTime(lastYear), i18n.time(earlier), i18n.stamp(earlier - 3 * 86_400_000, now)]) {
      assert.deepEqual(untranslatedWords(text), [], text);
    }
  });
});

describe('core errors in the user’s language', () => {
  it('has a sentence for every contract error code in every language', () => {
    for (const code of ErrorCode.options) {
      for (const [lang, table] of Object.entries(languages)) {
        const text = table[ERROR_SENTENCES[code]];
        assert.ok(text.length > 0, `${lang}: ${code}`);
      }
    }
  });

  it("shows the core's own sentence in English and the code's sentence in Chinese", () => {
    const error = { code: 'auth-failed', message: 'Wrong address or password.' } as const;
    assert.equal(coreErrorText(error, languages.en), 'Wrong address or password.');
    assert.equal(coreErrorText(error, languages['zh-CN']), '地址或密码错误。');
    const detailed = { code: 'connection-refused', message: 'Connection refused by 127.0.0.1:1.' } as const;
    assert.equal(coreErrorText(detailed, languages['zh-CN']), '服务器拒绝了连接。');
    assert.equal(coreErrorText({ code: 'timeout', message: '' }, languages.en), languages.en.errTimeout);
  });
});

describe('sign-up fields (XEP-0077) in the user’s language', () => {
  it('translates every field the core labels itself, and leaves the server’s own labels', () => {
    const zh = registerTables['zh-CN'];
    for (const [name, field] of Object.entries(LEGACY_FIELDS)) {
      if (field.hidden === true) continue;
      assert.equal(fieldLabel({ var: name, label: field.label }, registerTables.en), field.label, name);
      const shown = fieldLabel({ var: name, label: field.label }, zh);
      assert.notEqual(shown, field.label, `${name} is not translated`);
      assert.deepEqual(untranslatedWords(shown), [], name);
    }
    assert.equal(fieldLabel({ var: 'username', label: 'Pick a handle' }, zh), 'Pick a handle');
    assert.equal(fieldLabel({ var: 'x-custom', label: 'Username' }, zh), 'Username');
  });
});

describe('bounced messages in the user’s language', () => {
  it('keeps the core’s sentence in English and says the condition in Chinese', () => {
    const zh = languages['zh-CN'];
    const core = 'the recipient cannot receive messages (service-unavailable)';
    assert.equal(bounceText(core, languages.en), core);
    assert.equal(bounceText(core, zh), zh.bounceServiceUnavailable);
    assert.equal(bounceText('item-not-found', zh), zh.bounceItemNotFound);
    assert.equal(bounceText('forbidden: go away', zh), zh.bounceForbidden);
    assert.equal(bounceText('undefined-condition: something', zh), zh.bounceOther);
    assert.equal(bounceText('', zh), zh.bounceOther);
  });
});

/** The keymap (features/shortcuts) and the quick switcher's entries (features/quick-switcher). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterEntries, mergeEntries, typedAddress } from '../../../renderer/features/quick-switcher/entries.ts';
import { shortcutOf, type KeyLike } from '../../../renderer/features/shortcuts/keymap.ts';

const press = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('features/shortcuts keymap', () => {
  it('maps Ctrl and Cmd alike', () => {
    for (const mod of [{ ctrlKey: true }, { metaKey: true }]) {
      assert.deepEqual(shortcutOf(press('n', mod)), { kind: 'new-conversation' });
      assert.deepEqual(shortcutOf(press('k', mod)), { kind: 'quick-switcher' });
      assert.deepEqual(shortcutOf(press('f', mod)), { kind: 'search' });
      assert.deepEqual(shortcutOf(press('F', { ...mod, shiftKey: true })), { kind: 'search' });
      assert.deepEqual(shortcutOf(press('1', mod)), { kind: 'tab', index: 0 });
      assert.deepEqual(shortcutOf(press('9', mod)), { kind: 'tab', index: 8 });
    }
  });

  it('reads the physical key where the layout types another letter', () => {
    // A Russian layout: the K key types "л".
    assert.deepEqual(shortcutOf({ ...press('л', { ctrlKey: true }), code: 'KeyK' }), { kind: 'quick-switcher' });
    // Shift+1 types "!" on a US layout: the digit still counts, but Shift is not a tab shortcut.
    assert.equal(shortcutOf({ ...press('!', { ctrlKey: true, shiftKey: true }), code: 'Digit1' }), undefined);
  });

  it('ignores plain keys, Alt (AltGr) and Ctrl+Cmd together', () => {
    assert.equal(shortcutOf(press('n')), undefined);
    assert.equal(shortcutOf(press('k', { shiftKey: true })), undefined);
    assert.equal(shortcutOf(press('n', { ctrlKey: true, altKey: true })), undefined);
    assert.equal(shortcutOf(press('n', { ctrlKey: true, metaKey: true })), undefined);
    assert.equal(shortcutOf(press('0', { ctrlKey: true })), undefined);
    assert.equal(shortcutOf(press('Tab', { ctrlKey: true })), undefined, 'the tab strip handles Ctrl+Tab');
    assert.equal(shortcutOf(press('N', { ctrlKey: true, shiftKey: true })), undefined);
  });
});

describe('features/quick-switcher entries', () => {
  const key = (s: { accountId: string; peer: string }): string => `${s.accountId}\n${s.peer}`;
  const entries = mergeEntries(
    key,
    [
      { accountId: 'a1', peer: 'bob@example.org', name: 'bob@example.org' },
      { accountId: 'a2', peer: 'carol@example.net', name: 'Carol' },
    ],
    [
      { accountId: 'a1', peer: 'bob@example.org', name: 'Bob' },
      { accountId: 'a1', peer: 'zoe@example.org', name: 'Zoë' },
      { accountId: 'a2', peer: 'bob@example.org', name: 'Bob (work)' },
      { accountId: 'a1', peer: 'wang@example.cn', name: '王小明' },
    ],
  );

  it('lists conversations first, once per account and address, with the roster name', () => {
    assert.deepEqual(
      entries.map((e) => `${e.accountId}:${e.name}`),
      ['a1:Bob', 'a2:Carol', 'a1:Zoë', 'a2:Bob (work)', 'a1:王小明'],
    );
  });

  it('filters by name or address, ignoring case and accents', () => {
    assert.deepEqual(
      filterEntries(entries, 'BOB').map((e) => e.name),
      ['Bob', 'Bob (work)'],
    );
    assert.deepEqual(
      filterEntries(entries, 'zoe').map((e) => e.name),
      ['Zoë'],
    );
    assert.deepEqual(
      filterEntries(entries, 'example.net').map((e) => e.name),
      ['Carol'],
    );
    assert.deepEqual(
      filterEntries(entries, '小明').map((e) => e.peer),
      ['wang@example.cn'],
    );
    assert.equal(filterEntries(entries, '  ').length, entries.length);
    assert.equal(filterEntries(entries, '', 2).length, 2);
  });

  it('accepts a typed bare address and nothing else', () => {
    assert.equal(typedAddress(' Alice@Example.org '), 'alice@example.org');
    assert.equal(typedAddress('alice@localhost'), 'alice@localhost');
    for (const bad of [
      'alice',
      '@example.org',
      'alice@',
      'a@b@c',
      'alice@example.org/phone',
      'a b@example.org',
      'a@.org',
      'a@x..y',
      '<a>@x',
      `${'a'.repeat(2048)}@x`,
    ]) {
      assert.equal(typedAddress(bad), undefined, bad);
    }
  });
});

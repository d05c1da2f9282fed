import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Contact, Show } from '../../../preload/contract.ts';
import {
  buildRoster,
  comparePlain,
  createRosterBuilder,
  flattenRoster,
  foldForSearch,
  groupId,
  groupsAfterDrop,
  groupsOf,
  moveFocus,
  parseCollapsed,
  plainKey,
  ROW_HEIGHT,
  scrollToShow,
  searchText,
  serializeCollapsed,
  toggled,
  visibleRange,
  withPlainKeys,
  type FlattenOptions,
  type RosterAccountModel,
  type RosterRow,
  type RosterRows,
  type RowKind,
} from '../../../renderer/features/roster/roster-model.ts';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const compare = (a: string, b: string) => collator.compare(a, b);

const contact = (
  jid: string,
  name: string,
  show: Show = 'available',
  groups: string[] = [],
  accountId = 'a1',
): Contact => ({
  accountId,
  jid,
  name,
  subscription: 'both',
  groups,
  show,
});

const all = (rows: RosterRows): RosterRow[] => Array.from({ length: rows.count }, (_, i) => rows.row(i));

const flat = (rows: RosterRows) =>
  all(rows).map((r) => {
    switch (r.kind) {
      case 'account':
        return `# ${r.accountId}`;
      case 'group':
        return `${r.expanded ? 'v' : '>'} ${r.group.name || '(none)'} ${String(r.group.online)}/${String(r.group.members.length)}`;
      case 'contact':
        return `  ${r.entry.contact.name}`;
      case 'empty':
        return `  (empty ${r.accountId})`;
    }
  });

const options = (over: Partial<FlattenOptions> = {}): FlattenOptions => ({
  query: '',
  showOffline: true,
  collapsed: new Set(),
  headings: false,
  ...over,
});

describe('renderer/roster-model: grouping and sorting', () => {
  it('lists a contact in each of its groups, and contacts in none under "Ungrouped", last', () => {
    const model = buildRoster(
      [
        {
          accountId: 'a1',
          contacts: [
            contact('romeo@montague.lit', 'Romeo', 'available', ['Friends', 'Verona']),
            contact('nurse@capulet.lit', 'Nurse', 'away'),
            contact('juliet@capulet.lit', 'Juliet', 'chat', ['Verona']),
            contact('tybalt@capulet.lit', 'Tybalt', 'offline', [' Verona ', 'Verona', '']),
          ],
        },
      ],
      compare,
    );
    assert.deepEqual(flat(flattenRoster(model, options())), [
      'v Friends 1/1',
      '  Romeo',
      'v Verona 2/3',
      '  Juliet',
      '  Romeo',
      '  Tybalt',
      'v (none) 1/1',
      '  Nurse',
    ]);
    assert.equal(model[0]?.total, 4);
    assert.deepEqual(groupsOf({ groups: [' ', 'A', 'A ', 'B'] }), ['A', 'B']);
    assert.deepEqual(groupsOf({ groups: [] }), ['']);
  });

  it('sorts by presence (chat, available, away, xa, dnd, offline), then name, then address', () => {
    const shows: Show[] = ['offline', 'dnd', 'xa', 'away', 'available', 'chat'];
    const contacts = shows.map((show, i) => contact(`u${String(i)}@x.lit`, `Z ${show}`, show));
    contacts.push(contact('b@x.lit', 'Anna', 'away'), contact('a@x.lit', 'anna', 'away'));
    const [account] = buildRoster([{ accountId: 'a1', contacts }], compare);
    assert.deepEqual(
      account?.groups[0]?.sorted().map((e) => `${e.contact.show} ${e.contact.name} ${e.contact.jid}`),
      [
        'chat Z chat u5@x.lit',
        'available Z available u4@x.lit',
        'away anna a@x.lit', // same name to the collator: the address decides
        'away Anna b@x.lit',
        'away Z away u3@x.lit',
        'xa Z xa u2@x.lit',
        'dnd Z dnd u1@x.lit',
        'offline Z offline u0@x.lit',
      ],
    );
  });

  it('sorts names with the locale collator: numbers by value, accents beside their letter', () => {
    const names = ['User 10', 'Émile', 'user 2', 'Zoë', 'Eve', 'Ångström'];
    const [account] = buildRoster(
      [{ accountId: 'a1', contacts: names.map((n, i) => contact(`${String(i)}@x.lit`, n)) }],
      compare,
    );
    assert.deepEqual(
      account?.groups[0]?.sorted().map((e) => e.contact.name),
      ['Ångström', 'Émile', 'Eve', 'user 2', 'User 10', 'Zoë'],
    );
    // Group names too, with "Ungrouped" last whatever its language calls it.
    const groups = buildRoster(
      [
        {
          accountId: 'a1',
          contacts: [
            contact('1@x.lit', 'A', 'available', ['Team 10']),
            contact('2@x.lit', 'B', 'available', ['team 9']),
            contact('3@x.lit', 'C'),
            contact('4@x.lit', 'D', 'available', ['Ärzte']),
          ],
        },
      ],
      compare,
    )[0]?.groups.map((g) => g.name);
    assert.deepEqual(groups, ['Ärzte', 'team 9', 'Team 10', '']);
  });

  it('sorts a group only when one of its rows is asked for, and folds text only for a filter', () => {
    let calls = 0;
    const counting = (a: string, b: string) => {
      calls++;
      return compare(a, b);
    };
    const comparisons = (): number => calls;
    const build = createRosterBuilder(counting);
    const contacts = Array.from({ length: 200 }, (_, i) =>
      contact(`u${String(i)}@x.lit`, `Name-${String((i * 37) % 200)}`, i % 3 === 0 ? 'offline' : 'available', [
        `G-${String(i % 5)}`,
      ]),
    );
    // (Hyphens: names the collator orders, not the plain keys' shortcut.)
    const model = build([{ accountId: 'a1', contacts }]);
    assert.ok(comparisons() < 20, `${String(comparisons())} comparisons to build`); // the five group names
    calls = 0;
    const rows = flattenRoster(model, options());
    assert.equal(comparisons(), 0);
    assert.equal(rows.count, 5 + 200);
    rows.row(1); // G0's first contact: G0 (40 contacts) is sorted, and only it
    const sortedG0 = comparisons();
    assert.ok(sortedG0 > 40 && sortedG0 < 400, `${String(sortedG0)} comparisons`);
    calls = 0;
    rows.row(2);
    flattenRoster(model, options()).row(3);
    assert.equal(comparisons(), 0, 'sorted once per group');
    const g0 = (m: readonly RosterAccountModel[]) => {
      const g = m[0]?.groups[0];
      assert.ok(g !== undefined);
      return g;
    };
    assert.equal(g0(model).members[0]?.search, undefined);

    // The filter folds name and address once, and only then.
    flattenRoster(model, options({ query: 'name-1' }));
    const entry = g0(model).members.find((e) => e.contact.jid === 'u5@x.lit');
    assert.equal(entry?.search, 'name-185\nu5@x.lit');
    // A presence update: a new model, the moved contact in its new place.
    const moved = contacts.map((c) => (c.jid === 'u0@x.lit' ? { ...c, show: 'away' as const } : c));
    const again = build([{ accountId: 'a1', contacts: moved }]);
    const same = g0(again).members.find((e) => e.contact.jid === 'u5@x.lit');
    assert.ok(same !== undefined);
    assert.equal(searchText(same), 'name-185\nu5@x.lit');
    const sorted = g0(again).sorted();
    const u0 = sorted.findIndex((e) => e.contact.jid === 'u0@x.lit'); // was offline, now away
    assert.ok(u0 >= 0 && u0 < sorted.findIndex((e) => !e.online));
  });

  it('keeps accounts apart, in the order given, with a heading each', () => {
    const model = buildRoster(
      [
        { accountId: 'a2', contacts: [contact('x@y.lit', 'X', 'available', ['G'], 'a2')] },
        { accountId: 'a1', contacts: [] },
      ],
      compare,
    );
    assert.deepEqual(flat(flattenRoster(model, options({ headings: true }))), [
      '# a2',
      'v G 1/1',
      '  X',
      '# a1',
      '  (empty a1)',
    ]);
    assert.deepEqual(flat(flattenRoster(model, options({ headings: false }))), ['v G 1/1', '  X']);
    // While filtering, an account without matches has no heading.
    assert.deepEqual(flat(flattenRoster(model, options({ headings: true, query: 'x' }))), ['# a2', 'v G 1/1', '  X']);
  });
});

describe('renderer/roster-model: filter, offline contacts, collapsed groups', () => {
  const model = buildRoster(
    [
      {
        accountId: 'a1',
        contacts: [
          contact('zoe@example.org', 'Zoë Ångström', 'available', ['Work']),
          contact('wei@example.cn', '张伟', 'offline', ['同事']),
          contact('bob@builder.lit', 'Bob', 'offline', ['Work', 'Friends']),
          contact('carol@example.org', 'Carol', 'dnd', ['Friends']),
          contact('ｆｕｌｌ@example.org', 'Ｆｕｌｌ Ｗｉｄｔｈ', 'away'),
        ],
      },
    ],
    compare,
  );
  const names = (o: Partial<FlattenOptions>) =>
    all(flattenRoster(model, options(o))).flatMap((r) => (r.kind === 'contact' ? [r.entry.contact.name] : []));

  it('folds case, accents and width, and leaves Han characters as they are', () => {
    assert.equal(foldForSearch('Zoë ÅNGSTRÖM'), 'zoe angstrom');
    assert.equal(foldForSearch('Ｆｕｌｌ'), 'full');
    assert.equal(foldForSearch('张伟'), '张伟');
  });

  it('finds contacts by a part of the name or of the address, as typed', () => {
    assert.deepEqual(names({ query: 'angst' }), ['Zoë Ångström']);
    assert.deepEqual(names({ query: 'ZOE' }), ['Zoë Ångström']);
    assert.deepEqual(names({ query: 'ÅNG' }), ['Zoë Ångström']);
    assert.deepEqual(names({ query: '伟' }), ['张伟']);
    assert.deepEqual(names({ query: 'example.cn' }), ['张伟']);
    assert.deepEqual(names({ query: 'full' }), ['Ｆｕｌｌ Ｗｉｄｔｈ']);
    assert.deepEqual(names({ query: '  carol  ' }), ['Carol']);
    // In several groups: found in each.
    assert.deepEqual(names({ query: 'builder' }), ['Bob', 'Bob']);
    assert.deepEqual(names({ query: 'nobody' }), []);
  });

  it('counts what the filter found, each contact once', () => {
    const found = flattenRoster(model, options({ query: 'o' }));
    assert.equal(found.filtering, true);
    assert.equal(found.matches, 4); // Zoë, Bob (twice on screen), Carol, Ｆｕｌｌ (…@example.org)
    assert.equal(flattenRoster(model, options()).filtering, false);
  });

  it('hides offline contacts unless asked, but not those with unread messages, nor from a filter', () => {
    assert.deepEqual(names({ showOffline: false }), ['Carol', 'Zoë Ångström', 'Ｆｕｌｌ Ｗｉｄｔｈ']);
    const unreadOf = (c: Contact) => (c.jid === 'bob@builder.lit' ? 2 : 0);
    assert.deepEqual(names({ showOffline: false, unreadOf }), [
      'Carol',
      'Bob',
      'Zoë Ångström',
      'Bob',
      'Ｆｕｌｌ Ｗｉｄｔｈ',
    ]);
    assert.deepEqual(names({ showOffline: false, query: 'wei' }), ['张伟']);
    // A group with nobody to show is not shown; its header counts the whole group.
    const rows = flat(flattenRoster(model, options({ showOffline: false })));
    assert.ok(!rows.some((r) => r.includes('同事')));
    assert.ok(rows.includes('v Work 1/2'));
    const unreadRow = all(flattenRoster(model, options({ unreadOf }))).find(
      (r) => r.kind === 'contact' && r.unread > 0,
    );
    assert.equal(unreadRow?.kind === 'contact' ? unreadRow.unread : 0, 2);
  });

  it('collapses a group to its header, which still counts its contacts', () => {
    const rows = flattenRoster(model, options({ collapsed: new Set([groupId('a1', 'Friends')]) }));
    assert.deepEqual(flat(rows).slice(0, 2), ['> Friends 1/2', 'v Work 1/2']); // Carol (busy) is online
    const header = rows.row(0);
    assert.equal(header.kind === 'group' ? header.shown : -1, 2);
    // Positions within the group, for aria-posinset/setsize.
    const work = all(flattenRoster(model, options())).filter((r) => r.kind === 'contact' && r.group.name === 'Work');
    assert.deepEqual(
      work.map((r) => (r.kind === 'contact' ? [r.position, r.size] : [])),
      [
        [1, 2],
        [2, 2],
      ],
    );
  });

  it('gives every row a unique key, and finds rows by key and by contact', () => {
    const rows = flattenRoster(model, options({ headings: true }));
    const keys = all(rows).map((r) => r.key);
    assert.equal(new Set(keys).size, rows.count);
    keys.forEach((key, i) => {
      assert.equal(rows.indexOfKey(key), i);
    });
    assert.equal(rows.indexOfKey('c\u0000a1\u0000Work\u0000nobody@x.lit'), -1);
    assert.equal(rows.indexOfKey('g\u0000a1\u0000Nope'), -1);
    const bob = rows.indexOfContact('a1', 'bob@builder.lit');
    assert.equal(flat(rows)[bob], '  Bob');
    assert.equal(flat(rows)[bob - 2], 'v Friends 1/2'); // the first group holding him
    assert.equal(rows.indexOfContact('a1', 'nobody@x.lit'), -1);
    assert.equal(rows.indexOfContact('a2', 'bob@builder.lit'), -1);
    // In a collapsed group: not a row.
    const collapsed = flattenRoster(model, options({ collapsed: new Set([groupId('a1', 'Friends')]) }));
    const inWork = collapsed.indexOfContact('a1', 'bob@builder.lit');
    assert.deepEqual(flat(collapsed).slice(inWork - 2, inWork + 1), ['v Work 1/2', '  Zoë Ångström', '  Bob']);
  });

  it('stores collapsed groups as JSON, and reads anything else as none', () => {
    const set = toggled(toggled(new Set(['b']), 'a'), 'b');
    assert.deepEqual([...set], ['a']);
    assert.deepEqual(parseCollapsed(serializeCollapsed(new Set(['x\u0000y', 'a']))), new Set(['a', 'x\u0000y']));
    assert.deepEqual(parseCollapsed(null), new Set());
    assert.deepEqual(parseCollapsed('{'), new Set());
    assert.deepEqual(parseCollapsed('{"a":1}'), new Set());
    assert.deepEqual(parseCollapsed('["a",1,null]'), new Set(['a']));
  });
});

describe('renderer/roster-model: layout and keyboard', () => {
  /** Rows of given kinds (for the keyboard). */
  const kinds = (list: readonly RowKind[]) => ({ count: list.length, kind: (i: number) => list[i] ?? 'contact' });
  const rows = kinds(['account', 'group', 'contact', 'contact', 'empty', 'group', 'contact']);

  it('places fixed-height rows, and finds the row at a height', () => {
    const model = buildRoster(
      [
        { accountId: 'a1', contacts: [contact('a@x.lit', 'A', 'available', ['G']), contact('b@x.lit', 'B')] },
        { accountId: 'a2', contacts: [] },
      ],
      compare,
    );
    const laid = flattenRoster(model, options({ headings: true, collapsed: new Set() }));
    assert.deepEqual(flat(laid), ['# a1', 'v G 1/1', '  A', 'v (none) 1/1', '  B', '# a2', '  (empty a2)']);
    const { account, group, contact: c, empty } = ROW_HEIGHT;
    const second = account + group + c;
    const tops = [0, account, account + group, second, second + group, second + group + c];
    const lastTop = second + group + c + account;
    tops.push(lastTop);
    assert.deepEqual(
      Array.from({ length: laid.count + 1 }, (_, i) => laid.top(i)),
      [...tops, lastTop + empty],
    );
    assert.equal(laid.height, lastTop + empty);
    assert.deepEqual(
      Array.from({ length: laid.count }, (_, i) => laid.kind(i)),
      ['account', 'group', 'contact', 'group', 'contact', 'account', 'empty'],
    );
    tops.forEach((top, i) => {
      assert.equal(laid.indexAt(top), i);
      assert.equal(laid.indexAt(top + 1), i);
    });
    assert.equal(laid.indexAt(-5), 0);
    assert.equal(laid.indexAt(1e9), laid.count - 1);
    const none = flattenRoster([], options());
    assert.equal(none.count, 0);
    assert.equal(none.height, 0);
    assert.deepEqual(visibleRange(none, 0, 500, 100), { start: 0, end: 0 });
  });

  it('finds the rows in view, with the margin', () => {
    const contacts = Array.from({ length: 100 }, (_, i) => contact(`${String(i).padStart(3, '0')}@x.lit`, 'Same'));
    const laid = flattenRoster(buildRoster([{ accountId: 'a1', contacts }], compare), options());
    const { group, contact: c } = ROW_HEIGHT;
    assert.equal(laid.count, 101);
    assert.deepEqual(visibleRange(laid, 0, group + 2 * c, 0), { start: 0, end: 3 });
    assert.deepEqual(visibleRange(laid, 1, group + 2 * c, 0), { start: 0, end: 4 });
    assert.deepEqual(visibleRange(laid, group + 10 * c, 5 * c, c), { start: 10, end: 17 });
    assert.deepEqual(visibleRange(laid, laid.height, 500, 0), { start: 100, end: 101 });
    const fifty = laid.row(50);
    assert.equal(fifty.kind === 'contact' ? fifty.entry.contact.jid : '', '049@x.lit');
    assert.equal(laid.row(50), laid.row(50), 'the same row object');
  });

  it('scrolls as little as needed to show a row', () => {
    const tens = { top: (i: number) => i * 10 };
    assert.equal(scrollToShow(tens, 10, 105, 50), 100); // above: align its top
    assert.equal(scrollToShow(tens, 20, 100, 50), 160); // below: align its bottom
    assert.equal(scrollToShow(tens, 12, 100, 50), 100); // in view: stay
  });

  it('moves between group headers and contacts, skipping headings and notes', () => {
    assert.equal(moveFocus(rows, -1, 'ArrowDown'), 1);
    assert.equal(moveFocus(rows, 1, 'ArrowDown'), 2);
    assert.equal(moveFocus(rows, 3, 'ArrowDown'), 5);
    assert.equal(moveFocus(rows, 6, 'ArrowDown'), null);
    assert.equal(moveFocus(rows, 1, 'ArrowUp'), null);
    assert.equal(moveFocus(rows, 5, 'ArrowUp'), 3);
    assert.equal(moveFocus(rows, 3, 'Home'), 1);
    assert.equal(moveFocus(rows, 1, 'End'), 6);
    assert.equal(moveFocus(rows, 1, 'PageDown', 2), 3);
    assert.equal(moveFocus(rows, 1, 'PageDown', 10), 6);
    assert.equal(moveFocus(rows, 6, 'PageUp', 2), 3);
    assert.equal(moveFocus(rows, 6, 'PageUp', 10), 1);
    assert.equal(moveFocus(rows, 2, 'Enter'), null);
    assert.equal(moveFocus(kinds(['account', 'empty']), -1, 'Home'), null);
  });
});

describe('renderer/roster-model: groups after a drag and drop', () => {
  it('moves from one group to another, keeping the rest', () => {
    assert.deepEqual(groupsAfterDrop(['Friends', 'Work'], 'Friends', 'Family', false), ['Work', 'Family']);
    assert.deepEqual(groupsAfterDrop(['Friends'], 'Friends', 'Work', false), ['Work']);
    // Already in the target: the move only leaves the source.
    assert.deepEqual(groupsAfterDrop(['Friends', 'Work'], 'Friends', 'Work', false), ['Work']);
  });
  it('copies: adds the target, keeps the source', () => {
    assert.deepEqual(groupsAfterDrop(['Friends'], 'Friends', 'Work', true), ['Friends', 'Work']);
    assert.equal(groupsAfterDrop(['Friends', 'Work'], 'Friends', 'Work', true), undefined);
  });
  it('from and to "Ungrouped"', () => {
    assert.deepEqual(groupsAfterDrop([], '', 'Work', false), ['Work']);
    assert.deepEqual(groupsAfterDrop([], '', 'Work', true), ['Work']);
    assert.deepEqual(groupsAfterDrop(['Friends', 'Work'], 'Friends', '', false), []);
    assert.equal(groupsAfterDrop(['Friends'], 'Friends', '', true), undefined);
    assert.equal(groupsAfterDrop([' '], '', '', false), undefined);
  });
  it('the same group changes nothing; blanks and repeats are dropped', () => {
    assert.equal(groupsAfterDrop(['Friends'], 'Friends', 'Friends', false), undefined);
    assert.deepEqual(groupsAfterDrop([' Friends ', 'Friends', ''], 'Friends', 'Work', false), ['Work']);
  });
});

describe('renderer/roster-model: plain sort keys agree with the collator', () => {
  const collators = ['en', 'zh-CN'].map((lang) => new Intl.Collator(lang, { sensitivity: 'base', numeric: true }));
  const sign = (n: number): number => Math.sign(n);
  it('orders Latin names (accents, case, spaces) and numbered groups as the collator does', () => {
    const alphabet = ['a', 'b', 'e', 'é', 'E', 'z', 'Z', 'ö', ' ', '0', '1', '2', '9', '00', '10', 'ﬁ', 'Ｂ'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = Array.from({ length: 400 }, () =>
      Array.from({ length: 1 + Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
    );
    words.push(
      'Team 2',
      'Team 10',
      'Team 02',
      'Team',
      'Team 1 b',
      'Maria José',
      'Maria Jose',
      'Zoë Dubois',
      'Ana',
      'ana',
    );
    let compared = 0;
    for (const a of words)
      for (const b of words) {
        const ka = plainKey(a);
        const kb = plainKey(b);
        if (ka === null || kb === null) continue;
        compared++;
        for (const collator of collators)
          assert.equal(
            sign(comparePlain(ka, kb)),
            sign(collator.compare(a, b)),
            `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
          );
      }
    assert.ok(compared > 10_000);
  });
  it('leaves other scripts and punctuation to the collator', () => {
    for (const name of ['张伟', 'O’Brien', 'Jean-Luc', 'Søren', 'Paweł', 'straße']) assert.equal(plainKey(name), null);
    const calls: string[] = [];
    const compare = withPlainKeys((a, b) => {
      calls.push(`${a}|${b}`);
      return a.localeCompare(b);
    });
    assert.equal(sign(compare('Zoë', 'anna')), 1);
    assert.equal(sign(compare('张伟', 'anna')), 1);
    assert.deepEqual(calls, ['张伟|anna']);
  });
});

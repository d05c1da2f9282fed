import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreError } from '../../../main/core/errors.ts';
import { discoKey, type DiscoInfo } from '../../../main/core/xmpp/disco.ts';
import {
  buildSearchFormRequest,
  buildSearchSubmit,
  findSearchService,
  MAX_ROWS,
  parseSearchForm,
  parseSearchResults,
} from '../../../main/core/xmpp/directory.ts';
import { stanza } from '../../support/stanza.ts';

const info = (features: string[], identities: DiscoInfo['identities'] = []): DiscoInfo => ({
  identities,
  features,
  forms: [],
});

describe('xmpp/directory (XEP-0055; stanza fixtures: Prosody 0.12 has no module)', () => {
  it('finds the search services among the server items, user directories first', () => {
    const items = [
      { jid: 'conference.example.org' },
      { jid: 'vjud.example.org', name: 'vJUD' },
      { jid: 'search.example.org' },
      { jid: 'unanswered.example.org' },
    ];
    const infos = new Map([
      [discoKey('conference.example.org'), info(['http://jabber.org/protocol/muc', 'jabber:iq:search'])],
      [discoKey('vjud.example.org'), info(['jabber:iq:search'], [{ category: 'directory', type: 'user' }])],
      [
        discoKey('search.example.org'),
        info(['jabber:iq:search'], [{ category: 'directory', type: 'user', name: 'User Search\u202e' }]),
      ],
    ]);
    assert.deepEqual(findSearchService(items, infos), [
      { jid: 'vjud.example.org', name: 'vJUD' },
      { jid: 'search.example.org', name: 'User Search' },
      { jid: 'conference.example.org' },
    ]);
    assert.deepEqual(findSearchService(items, new Map()), []);
  });

  it('parses the legacy form (XEP-0055 §2)', () => {
    assert.equal(buildSearchFormRequest().toString(), `<query xmlns="jabber:iq:search"/>`);
    const form = parseSearchForm(
      stanza(`<query xmlns="jabber:iq:search">
        <instructions>Fill in one or more fields to search for any matching Jabber users.</instructions>
        <first/><last/><nick/><email/><password/>
      </query>`),
    );
    assert.deepEqual(form, {
      kind: 'legacy',
      instructions: 'Fill in one or more fields to search for any matching Jabber users.',
      fields: [
        { var: 'first', type: 'text-single', label: 'Given name', required: false },
        { var: 'last', type: 'text-single', label: 'Family name', required: false },
        { var: 'nick', type: 'text-single', label: 'Nickname', required: false },
        { var: 'email', type: 'text-single', label: 'Email', required: false },
      ],
    });
    assert.ok(form);
    assert.equal(
      buildSearchSubmit(form, { last: ' Capulet ', first: '', password: 'x' }).toString(),
      `<query xmlns="jabber:iq:search"><last>Capulet</last></query>`,
    );
    assert.throws(() => buildSearchSubmit(form, {}), CoreError);
    assert.throws(() => buildSearchSubmit(form, { nick: 'x'.repeat(5000) }), CoreError);
    assert.equal(parseSearchForm(stanza(`<query xmlns="jabber:iq:register"/>`)), undefined);
  });

  it('parses a data form (Openfire) and submits it with FORM_TYPE and the hidden fields', () => {
    const form = parseSearchForm(
      stanza(`<query xmlns="jabber:iq:search">
        <instructions>The server supports the data form search.</instructions>
        <x xmlns="jabber:x:data" type="form">
          <title>Advanced User Search</title>
          <instructions>Enter a search term.</instructions>
          <field var="FORM_TYPE" type="hidden"><value>jabber:iq:search</value></field>
          <field var="search" type="text-single" label="Search"><required/></field>
          <field var="Username" type="boolean" label="Username"><value>1</value></field>
          <field var="Email" type="boolean" label="Email"><value>1</value></field>
          <field var="token" type="hidden"><value>t0k</value></field>
        </x>
      </query>`),
    );
    assert.ok(form);
    assert.equal(form.kind, 'data-form');
    assert.equal(form.formType, 'jabber:iq:search');
    assert.equal(form.instructions, 'Enter a search term.');
    assert.deepEqual(
      form.fields.map((f) => f.var),
      ['search', 'Username', 'Email', 'token'],
    );
    const submit = buildSearchSubmit(form, { search: 'juliet', Email: '0', token: 'forged' });
    assert.equal(
      submit.toString(),
      '<query xmlns="jabber:iq:search"><x xmlns="jabber:x:data" type="submit">' +
        '<field var="FORM_TYPE" type="hidden"><value>jabber:iq:search</value></field>' +
        '<field var="search"><value>juliet</value></field>' +
        '<field var="Username"><value>1</value></field>' +
        '<field var="Email"><value>0</value></field>' +
        '<field var="token"><value>t0k</value></field>' +
        '</x></query>',
    );
  });

  it('parses legacy results into columns and rows with a JID each', () => {
    const results = parseSearchResults(
      stanza(`<query xmlns="jabber:iq:search">
        <item jid="Juliet@capulet.com"><first>Juliet</first><last>Capulet</last><nick>JuliC</nick><email>juliet@shakespeare.lit</email></item>
        <item jid="tybalt@shakespeare.lit"><first>Tybalt</first><last>Capulet</last><nick/></item>
        <item jid="capulet.com"><first>No user</first></item>
        <item><first>No JID</first></item>
      </query>`),
    );
    assert.deepEqual(results, {
      columns: [
        { var: 'first', label: 'Given name' },
        { var: 'last', label: 'Family name' },
        { var: 'nick', label: 'Nickname' },
        { var: 'email', label: 'Email' },
      ],
      rows: [
        {
          jid: 'juliet@capulet.com',
          values: { first: 'Juliet', last: 'Capulet', nick: 'JuliC', email: 'juliet@shakespeare.lit' },
        },
        { jid: 'tybalt@shakespeare.lit', values: { first: 'Tybalt', last: 'Capulet' } },
      ],
      truncated: true,
    });
    assert.deepEqual(parseSearchResults(stanza(`<query xmlns="jabber:iq:search"/>`)), {
      columns: [],
      rows: [],
      truncated: false,
    });
  });

  it('parses data-form results (reported fields and items)', () => {
    const results = parseSearchResults(
      stanza(`<query xmlns="jabber:iq:search">
        <x xmlns="jabber:x:data" type="result">
          <field var="FORM_TYPE" type="hidden"><value>jabber:iq:search</value></field>
          <reported>
            <field var="first" label="Given Name"/>
            <field var="last" label="Family Name"/>
            <field var="jid" label="Jabber ID" type="jid-single"/>
            <field var="x-gender" label="Gender"/>
          </reported>
          <item>
            <field var="first"><value>Benvolio</value></field>
            <field var="last"><value>Montague</value></field>
            <field var="jid"><value>benvolio@montague.net</value></field>
            <field var="x-gender"><value>male</value></field>
            <field var="unreported"><value>ignored</value></field>
          </item>
          <item>
            <field var="first"><value>Romeo</value></field>
            <field var="jid"><value>romeo@montague.net</value></field>
          </item>
        </x>
      </query>`),
    );
    assert.deepEqual(results, {
      columns: [
        { var: 'first', label: 'Given Name' },
        { var: 'last', label: 'Family Name' },
        { var: 'x-gender', label: 'Gender' },
      ],
      rows: [
        { jid: 'benvolio@montague.net', values: { first: 'Benvolio', last: 'Montague', 'x-gender': 'male' } },
        { jid: 'romeo@montague.net', values: { first: 'Romeo' } },
      ],
      truncated: false,
    });
  });

  it('finds the JID column by type when it is not called "jid" (Openfire)', () => {
    const results = parseSearchResults(
      stanza(`<query xmlns="jabber:iq:search"><x xmlns="jabber:x:data" type="result">
        <reported><field var="Name" label="Name"/><field var="JabberID" type="jid-single" label="JID"/></reported>
        <item><field var="Name"><value>Nurse</value></field><field var="JabberID"><value>nurse@capulet.com</value></field></item>
      </x></query>`),
    );
    assert.deepEqual(results?.rows, [{ jid: 'nurse@capulet.com', values: { Name: 'Nurse' } }]);
    assert.deepEqual(results.columns, [{ var: 'Name', label: 'Name' }]);
  });

  it('survives hostile results: no JID column, bad JIDs, prototype keys, control characters, too many rows', () => {
    const noJid = parseSearchResults(
      stanza(`<query xmlns="jabber:iq:search"><x xmlns="jabber:x:data" type="result">
        <reported><field var="name"/></reported><item><field var="name"><value>x</value></field></item>
      </x></query>`),
    );
    assert.deepEqual(noJid, { columns: [{ var: 'name', label: 'name' }], rows: [], truncated: true });

    const hostile = parseSearchResults(
      stanza(`<query xmlns="jabber:iq:search"><x xmlns="jabber:x:data" type="result">
        <reported><field var="jid"/><field var="__proto__" label="P"/><field var="note"/></reported>
        <item><field var="jid"><value>a@example.org</value></field><field var="__proto__"><value>polluted</value></field>
          <field var="note"><value>bad\u202etext</value><value>second line</value></field></item>
        <item><field var="jid"><value>@@bad</value></field></item>
      </x></query>`),
    );
    assert.ok(hostile);
    assert.equal(hostile.rows.length, 1);
    const row = hostile.rows[0];
    assert.ok(row);
    assert.equal(Object.getPrototypeOf(row.values), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(row.values, '__proto__')?.value, 'polluted');
    assert.equal(row.values['note'], 'badtext\nsecond line');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);

    const many = Array.from(
      { length: MAX_ROWS + 20 },
      (_, i) => `<item jid="u${String(i)}@example.org"><nick>n</nick></item>`,
    );
    const big = parseSearchResults(stanza(`<query xmlns="jabber:iq:search">${many.join('')}</query>`));
    assert.equal(big?.rows.length, MAX_ROWS);
    assert.equal(big.truncated, true);

    const manyItems = Array.from(
      { length: MAX_ROWS + 1 },
      (_, i) => `<item><field var="jid"><value>u${String(i)}@example.org</value></field></item>`,
    );
    const bigForm = parseSearchResults(
      stanza(
        `<query xmlns="jabber:iq:search"><x xmlns="jabber:x:data" type="result"><reported><field var="jid"/></reported>${manyItems.join('')}</x></query>`,
      ),
    );
    assert.equal(bigForm?.rows.length, MAX_ROWS);
    assert.equal(bigForm.truncated, true);
  });
});

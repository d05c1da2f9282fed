import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMamQuery, parseFin, parseMamResult, NS_MAM, NS_RSM } from '../../../main/core/xmpp/mam.ts';
import { stanza } from '../../support/stanza.ts';

const OWN = 'alice@example.org';

const result = (inner: string, attrs = `from="${OWN}"`, queryid = 'q1', id = 'arch-1') =>
  stanza(`<message ${attrs} to="${OWN}/parley.1" id="r1">
    <result xmlns="urn:xmpp:mam:2" queryid="${queryid}" id="${id}">
      <forwarded xmlns="urn:xmpp:forward:0">
        <delay xmlns="urn:xmpp:delay" stamp="2026-11-20T10:00:05Z"/>
        ${inner}
      </forwarded>
    </result>
  </message>`);

describe('xmpp/mam: XEP-0313 queries and results', () => {
  it('builds a forward page from an archive id, with the form type and RSM max', () => {
    const q = buildMamQuery({ queryId: 'q1', max: 50, after: 'abc' });
    assert.equal(q.attrs['xmlns'], NS_MAM);
    assert.equal(q.attrs['queryid'], 'q1');
    const form = q.getChild('x', 'jabber:x:data');
    assert.ok(form);
    assert.equal(form.attrs['type'], 'submit');
    const field = form.getChild('field');
    assert.ok(field);
    assert.equal(field.getChildText('value'), NS_MAM);
    const set = q.getChild('set', NS_RSM);
    assert.ok(set);
    assert.equal(set.getChildText('max'), '50');
    assert.equal(set.getChildText('after'), 'abc');
    assert.equal(set.getChild('before'), undefined);
  });

  it('asks for the newest page with an empty <before/>, from the beginning with no <after/>', () => {
    const newest = buildMamQuery({ queryId: 'q', max: 50, before: true });
    const before = newest.getChild('set', NS_RSM)?.getChild('before');
    assert.ok(before);
    assert.equal(before.text(), '');
    const fromStart = buildMamQuery({ queryId: 'q', max: 50, after: '' });
    assert.equal(fromStart.getChild('set', NS_RSM)?.getChild('after'), undefined);
    const withPeer = buildMamQuery({ queryId: 'q', max: 10, with: 'bob@example.org' });
    const fields = withPeer.getChild('x', 'jabber:x:data')?.getChildren('field') ?? [];
    assert.deepEqual(
      fields.map((f) => [String(f.attrs['var']), f.getChildText('value')]),
      [
        ['FORM_TYPE', NS_MAM],
        ['with', 'bob@example.org'],
      ],
    );
  });

  it('reads a result: query id, archive id, archive time and the forwarded message', () => {
    const r = parseMamResult(
      result('<message from="bob@example.org/phone" to="alice@example.org" type="chat"><body>hi</body></message>'),
      OWN,
    );
    assert.ok(r);
    assert.equal(r.queryId, 'q1');
    assert.equal(r.archiveId, 'arch-1');
    assert.equal(r.timestamp, Date.parse('2026-11-20T10:00:05Z'));
    assert.equal(r.message.getChildText('body'), 'hi');
  });

  it('accepts results only from our own account (or with no sender)', () => {
    const inner = '<message from="bob@example.org" type="chat"><body>x</body></message>';
    assert.ok(parseMamResult(result(inner, ''), OWN), 'no from: from our own server');
    assert.ok(parseMamResult(result(inner, 'from="Alice@example.org"'), OWN), 'case-insensitive');
    assert.equal(parseMamResult(result(inner, 'from="mallory@example.org"'), OWN), undefined);
    assert.equal(parseMamResult(result(inner, `from="${OWN}/other"`), OWN), undefined, 'a full JID is a client');
  });

  it('rejects results with missing or oversized ids, or without a forwarded message', () => {
    const inner = '<message from="bob@example.org" type="chat"><body>x</body></message>';
    assert.equal(parseMamResult(result(inner, `from="${OWN}"`, ''), OWN), undefined);
    assert.equal(parseMamResult(result(inner, `from="${OWN}"`, 'q', 'x'.repeat(300)), OWN), undefined);
    assert.equal(
      parseMamResult(
        stanza(`<message from="${OWN}"><result xmlns="urn:xmpp:mam:2" queryid="q" id="a"/></message>`),
        OWN,
      ),
      undefined,
    );
  });

  it('reads the end of a page: complete, first and last ids', () => {
    const fin = stanza(
      `<fin xmlns="urn:xmpp:mam:2"><set xmlns="${NS_RSM}"><first index="0">a</first><last>z</last><count>2</count></set></fin>`,
    );
    assert.deepEqual(parseFin(fin), { complete: false, first: 'a', last: 'z' });
    const done = stanza(
      `<fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="${NS_RSM}"><count>0</count></set></fin>`,
    );
    assert.deepEqual(parseFin(done), { complete: true, first: undefined, last: undefined });
    assert.equal(parseFin(undefined).complete, true, 'no <fin/>: nothing more to fetch');
  });
});

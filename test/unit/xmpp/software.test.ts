import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildIdle,
  buildLastAnswer,
  buildLastRequest,
  buildTimeAnswer,
  buildTimeRequest,
  buildVersionAnswer,
  buildVersionRequest,
  formatDateTime,
  formatTzo,
  lastActiveAt,
  parseDateTime,
  parseIdle,
  parseLast,
  parseTime,
  parseTzo,
  parseVersion,
} from '../../../main/core/xmpp/software.ts';
import { stanza } from '../../support/stanza.ts';

describe('xmpp/software: dates (XEP-0082)', () => {
  it('parses DateTimes with Z, offsets and fractions', () => {
    assert.equal(parseDateTime('1969-07-21T02:56:15Z'), Date.UTC(1969, 6, 21, 2, 56, 15));
    assert.equal(parseDateTime('1969-07-20T21:56:15-05:00'), Date.UTC(1969, 6, 21, 2, 56, 15));
    assert.equal(parseDateTime('2006-12-19T17:58:35.123Z'), Date.UTC(2006, 11, 19, 17, 58, 35, 123));
  });

  it('rejects anything else', () => {
    for (const bad of [
      '',
      '2006-12-19',
      '2006-12-19T17:58:35', // no time zone
      '2006-02-30T00:00:00Z',
      '2006-13-01T00:00:00Z',
      '2006-12-19T24:00:00Z',
      '2006-12-19T17:58:35+15:00',
      '0050-01-01T00:00:00Z',
      ' 2006-12-19T17:58:35Z',
      `2006-12-19T17:58:35.${'1'.repeat(40)}Z`,
    ])
      assert.equal(parseDateTime(bad), undefined, bad);
    assert.equal(parseDateTime(42), undefined);
  });

  it('formats time zones and UTC times', () => {
    assert.equal(formatTzo(-360), '-06:00');
    assert.equal(formatTzo(330), '+05:30');
    assert.equal(formatTzo(0), '+00:00');
    assert.equal(parseTzo('Z'), 0);
    assert.equal(parseTzo('-06:00'), -360);
    assert.equal(parseTzo('+5:30'), undefined);
    assert.equal(formatDateTime(Date.UTC(2006, 11, 19, 17, 58, 35, 999)), '2006-12-19T17:58:35Z');
  });
});

describe('xmpp/software: version (XEP-0092)', () => {
  it('answers as Parley, without the operating system unless asked to', () => {
    assert.equal(buildVersionRequest().toString(), `<query xmlns="jabber:iq:version"/>`);
    assert.equal(
      buildVersionAnswer('0.1.0').toString(),
      `<query xmlns="jabber:iq:version"><name>Parley</name><version>0.1.0</version></query>`,
    );
    assert.deepEqual(parseVersion(buildVersionAnswer('0.1.0', 'Linux')), {
      name: 'Parley',
      version: '0.1.0',
      os: 'Linux',
    });
  });

  it('parses answers, cleaning and bounding hostile text', () => {
    assert.deepEqual(
      parseVersion(
        stanza(
          `<query xmlns="jabber:iq:version"><name> Psi\u202e </name><version>${'9'.repeat(500)}</version><os></os></query>`,
        ),
      ),
      { name: 'Psi', version: '9'.repeat(256) },
    );
    assert.equal(parseVersion(stanza(`<query xmlns="jabber:iq:version"><version>1</version></query>`)), undefined);
    assert.equal(parseVersion(stanza(`<query xmlns="jabber:iq:last"><name>x</name></query>`)), undefined);
  });
});

describe('xmpp/software: entity time (XEP-0202)', () => {
  it('answers with tzo and utc', () => {
    assert.equal(buildTimeRequest().toString(), `<time xmlns="urn:xmpp:time"/>`);
    const now = Date.UTC(2006, 11, 19, 17, 58, 35);
    assert.equal(
      buildTimeAnswer(now, -360).toString(),
      `<time xmlns="urn:xmpp:time"><tzo>-06:00</tzo><utc>2006-12-19T17:58:35Z</utc></time>`,
    );
    assert.deepEqual(parseTime(buildTimeAnswer(now, -360)), { utc: now, offsetMinutes: -360 });
    // The machine's own offset by default.
    assert.ok(parseTime(buildTimeAnswer()));
  });

  it('rejects answers without a valid tzo and utc', () => {
    assert.equal(parseTime(stanza(`<time xmlns="urn:xmpp:time"><tzo>-06:00</tzo></time>`)), undefined);
    assert.equal(
      parseTime(stanza(`<time xmlns="urn:xmpp:time"><tzo>soon</tzo><utc>2006-12-19T17:58:35Z</utc></time>`)),
      undefined,
    );
    assert.equal(parseTime(stanza(`<time xmlns="urn:xmpp:time"><tzo>Z</tzo><utc>yesterday</utc></time>`)), undefined);
  });
});

describe('xmpp/software: last activity (XEP-0012)', () => {
  it('parses seconds and status', () => {
    assert.equal(buildLastRequest().toString(), `<query xmlns="jabber:iq:last"/>`);
    const last = parseLast(stanza(`<query xmlns="jabber:iq:last" seconds="903">Heading Home</query>`));
    assert.deepEqual(last, { seconds: 903, status: 'Heading Home' });
    assert.ok(last);
    assert.equal(lastActiveAt(last, 1_000_000), 1_000_000 - 903_000);
    assert.deepEqual(parseLast(stanza(`<query xmlns="jabber:iq:last" seconds="0"/>`)), { seconds: 0 });
  });

  it('rejects missing, negative, fractional and absurd seconds', () => {
    for (const s of ['', '-5', '1.5', '1e3', '99999999999', 'abc'])
      assert.equal(parseLast(stanza(`<query xmlns="jabber:iq:last" seconds="${s}"/>`)), undefined, s);
    assert.equal(parseLast(stanza(`<query xmlns="jabber:iq:last"/>`)), undefined);
  });

  it('answers with whole idle seconds, never negative', () => {
    assert.equal(buildLastAnswer(12.9).toString(), `<query xmlns="jabber:iq:last" seconds="12"/>`);
    assert.equal(buildLastAnswer(-3).attrs['seconds'], '0');
    assert.equal(buildLastAnswer(Number.NaN).attrs['seconds'], '0');
  });
});

describe('xmpp/software: idle in presence (XEP-0319)', () => {
  const now = Date.UTC(2026, 0, 31, 12, 0, 0);

  it('builds and parses <idle since/>', () => {
    const since = Date.UTC(1969, 6, 21, 2, 56, 15);
    assert.equal(buildIdle(since).toString(), `<idle xmlns="urn:xmpp:idle:1" since="1969-07-21T02:56:15Z"/>`);
    const presence = stanza(
      `<presence from="a@b/c"><idle xmlns="urn:xmpp:idle:1" since="1969-07-21T02:56:15Z"/></presence>`,
    );
    assert.equal(parseIdle(presence, now), since);
    assert.equal(parseIdle(buildIdle(now - 60_000), now), now - 60_000);
  });

  it('rejects invalid dates and times far in the future; a little skew counts as now', () => {
    const idle = (since: string) =>
      parseIdle(stanza(`<presence><idle xmlns="urn:xmpp:idle:1" since="${since}"/></presence>`), now);
    assert.equal(idle('last tuesday'), undefined);
    assert.equal(idle('2026-01-31T13:00:00Z'), undefined);
    assert.equal(idle('2026-01-31T12:01:00Z'), now);
    assert.equal(parseIdle(stanza(`<presence/>`), now), undefined);
  });
});

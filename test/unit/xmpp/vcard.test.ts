import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_AVATAR_BYTES } from '../../../main/core/xmpp/avatar.ts';
import {
  buildVcard,
  buildVcardGet,
  buildVcardSet,
  emptyVcard,
  MAX_DESCRIPTION,
  MAX_ENTRIES,
  MAX_FIELD,
  parseBirthday,
  parseVcard,
  parseVcardPhoto,
  type Vcard,
} from '../../../main/core/xmpp/vcard.ts';
import { stanza } from '../../support/stanza.ts';

/** A real 1×1 PNG. */
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG = Buffer.from(PNG_B64, 'base64');

const card = (inner: string) => stanza(`<vCard xmlns="vcard-temp">${inner}</vCard>`);
const photo = (inner: string) => stanza(`<PHOTO xmlns="vcard-temp">${inner}</PHOTO>`);

/** As Spark/Openfire write it: every slot present, most of them empty. */
const SPARK = `
  <N><FAMILY>Capulet</FAMILY><GIVEN>Juliet</GIVEN><MIDDLE/></N>
  <ORG><ORGNAME>House of Capulet</ORGNAME><ORGUNIT>Balcony</ORGUNIT></ORG>
  <FN>Juliet Capulet</FN>
  <URL>https://capulet.lit/juliet</URL>
  <TITLE>Heiress</TITLE>
  <NICKNAME>Jules</NICKNAME>
  <PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_B64.replace(/.{20}/gu, '$&\n')}</BINVAL></PHOTO>
  <EMAIL><HOME/><INTERNET/><PREF/><USERID>juliet@capulet.lit</USERID></EMAIL>
  <EMAIL><WORK/><INTERNET/><USERID/></EMAIL>
  <TEL><PAGER/><WORK/><NUMBER/></TEL>
  <TEL><CELL/><WORK/><NUMBER>+39 045 123</NUMBER></TEL>
  <TEL><VOICE/><HOME/><NUMBER>+39 045 456</NUMBER></TEL>
  <TEL><FAX/><HOME/><NUMBER/></TEL>
  <ADR><WORK/><PCODE/><REGION/><STREET/><CTRY/><LOCALITY/></ADR>
  <ADR><HOME/><PCODE>37121</PCODE><REGION>Veneto</REGION><STREET>Via Cappello 23</STREET><CTRY>Italy</CTRY><LOCALITY>Verona</LOCALITY></ADR>
  <JABBERID>juliet@capulet.lit</JABBERID>
  <BDAY>1997-09-15</BDAY>
  <DESC>Wherefore art thou
Romeo?</DESC>`;

describe('xmpp/vcard (XEP-0054)', () => {
  it('reads a Spark/Openfire card, skipping empty placeholders', () => {
    assert.deepEqual(parseVcard(card(SPARK)), {
      fullName: 'Juliet Capulet',
      nickname: 'Jules',
      givenName: 'Juliet',
      familyName: 'Capulet',
      organisation: { name: 'House of Capulet', unit: 'Balcony' },
      title: 'Heiress',
      birthday: '1997-09-15',
      url: 'https://capulet.lit/juliet',
      description: 'Wherefore art thou\nRomeo?',
      photo: { type: 'image/png', data: PNG },
      emails: [{ address: 'juliet@capulet.lit', kind: 'home' }],
      phones: [
        { number: '+39 045 123', kind: 'cell' },
        { number: '+39 045 456', kind: 'home' },
      ],
      addresses: [
        {
          street: 'Via Cappello 23',
          locality: 'Verona',
          region: 'Veneto',
          postcode: '37121',
          country: 'Italy',
          kind: 'home',
        },
      ],
    });
  });

  it('reads legacy and lowercase variants (Psi, old clients)', () => {
    const parsed = parseVcard(
      card(`
        <fn>Romeo</fn>
        <EMAIL>romeo@montague.lit</EMAIL>
        <EMAIL><INTERNET/>r@montague.lit</EMAIL>
        <TEL>555-1234</TEL>
        <TEL><VOICE/><NUMBER>555-9999</NUMBER></TEL>
        <ADR><EXTADD>Apt 2</EXTADD><STREET>Main St 1</STREET><COUNTRY>Verona</COUNTRY></ADR>
        <ORG>Montague Inc.</ORG>
        <BDAY>19960101</BDAY>`),
    );
    assert.deepEqual(parsed, {
      fullName: 'Romeo',
      organisation: { name: 'Montague Inc.' },
      birthday: '1996-01-01',
      emails: [{ address: 'romeo@montague.lit' }, { address: 'r@montague.lit' }],
      phones: [{ number: '555-1234' }, { number: '555-9999', kind: 'voice' }],
      addresses: [{ street: 'Main St 1, Apt 2', country: 'Verona' }],
    });
  });

  it('reads an empty card, and nothing from other elements', () => {
    assert.deepEqual(parseVcard(card('')), emptyVcard());
    assert.equal(parseVcard(undefined), undefined);
    assert.equal(parseVcard(stanza('<vCard xmlns="urn:ietf:params:xml:ns:vcard-4.0"/>')), undefined);
    assert.equal(parseVcard(stanza('<query xmlns="jabber:iq:roster"/>')), undefined);
  });

  it('normalises birthdays and drops impossible ones', () => {
    assert.equal(parseBirthday('1990-05-17'), '1990-05-17');
    assert.equal(parseBirthday('1990-05-17T00:00:00Z'), '1990-05-17');
    assert.equal(parseBirthday(' 20000229 '), '2000-02-29');
    assert.equal(parseBirthday('1900-02-29'), undefined);
    assert.equal(parseBirthday('1990-02-31'), undefined);
    assert.equal(parseBirthday('1990-13-01'), undefined);
    assert.equal(parseBirthday('--05-17'), undefined);
    assert.equal(parseBirthday('May 17th'), undefined);
    assert.equal(parseBirthday(undefined), undefined);
  });

  it('bounds every field and list, and strips control characters', () => {
    const many = (name: string, inner: (i: number) => string) =>
      Array.from({ length: 100 }, (_, i) => `<${name}>${inner(i)}</${name}>`).join('');
    const parsed = parseVcard(
      card(
        `<FN>${'x'.repeat(5000)}</FN><NICKNAME>Ro&#x202E;meo&#x85;\tthe&#xFEFF;  great</NICKNAME>` +
          `<DESC>${'d'.repeat(MAX_DESCRIPTION + 10)}</DESC>` +
          many('EMAIL', (i) => `<USERID>u${String(i)}@x</USERID>`) +
          many('TEL', (i) => `<NUMBER>${String(i)}</NUMBER>`) +
          many('ADR', (i) => `<LOCALITY>town ${String(i)}</LOCALITY>`) +
          '<EMAIL><USERID>not an email</USERID></EMAIL>',
      ),
    );
    assert.ok(parsed);
    assert.equal(parsed.fullName?.length, MAX_FIELD);
    assert.equal(parsed.nickname, 'Romeo the great');
    assert.equal(parsed.description?.length, MAX_DESCRIPTION);
    assert.equal(parsed.emails.length, MAX_ENTRIES);
    assert.equal(parsed.phones.length, MAX_ENTRIES);
    assert.equal(parsed.addresses.length, MAX_ENTRIES);
    assert.ok(parsed.emails.every((e) => !/\s/u.test(e.address)));
  });

  it('never splits an emoji when cutting a field', () => {
    const parsed = parseVcard(card(`<NICKNAME>${'a'.repeat(MAX_FIELD - 1)}😺😺</NICKNAME>`));
    assert.equal(parsed?.nickname, `${'a'.repeat(MAX_FIELD - 1)}😺`);
  });

  it('checks the photo by its bytes: oversized, bad base64 and disguised SVG are dropped, the card stays', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const withPhoto = (binval: string) =>
      parseVcard(card(`<FN>Juliet</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${binval}</BINVAL></PHOTO>`));
    const disguised = withPhoto(svg.toString('base64'));
    assert.equal(disguised?.fullName, 'Juliet');
    assert.equal(disguised.photo, undefined);
    assert.equal(withPhoto('%%%not base64%%%')?.photo, undefined);
    assert.equal(withPhoto('A'.repeat(Math.ceil(MAX_AVATAR_BYTES / 3) * 4 + 8))?.photo, undefined);

    assert.deepEqual(parseVcardPhoto(photo(`<TYPE>image/png</TYPE><BINVAL>${svg.toString('base64')}</BINVAL>`)), {
      ok: false,
      reason: 'type',
    });
    assert.deepEqual(parseVcardPhoto(photo('<BINVAL>@@@@</BINVAL>')), { ok: false, reason: 'encoding' });
    assert.deepEqual(parseVcardPhoto(photo('<EXTVAL>http://tracker.example/pixel.png</EXTVAL>')), {
      ok: false,
      reason: 'missing',
    });
    // The TYPE says GIF: the bytes say PNG, and the bytes win.
    assert.deepEqual(parseVcardPhoto(photo(`<TYPE>image/gif</TYPE><BINVAL>${PNG_B64}</BINVAL>`)), {
      ok: true,
      photo: { type: 'image/png', data: PNG },
    });
  });
});

describe('xmpp/vcard (XEP-0054): writing', () => {
  const full: Vcard = {
    fullName: 'Juliet Capulet',
    nickname: 'Jules',
    givenName: 'Juliet',
    familyName: 'Capulet',
    organisation: { name: 'House of Capulet', unit: 'Balcony' },
    title: 'Heiress',
    role: 'Lead',
    emails: [{ address: 'juliet@capulet.lit', kind: 'home' }, { address: 'j@capulet.lit' }],
    phones: [
      { number: '+39 1', kind: 'work' },
      { number: '+39 2', kind: 'cell' },
      { number: '+39 3', kind: 'fax' },
      { number: '+39 4' },
    ],
    addresses: [{ street: 'Via Cappello 23', locality: 'Verona', postcode: '37121', country: 'Italy', kind: 'home' }],
    birthday: '1997-09-15',
    url: 'https://capulet.lit/',
    description: 'Line one\nLine two',
    photo: { type: 'image/png', data: PNG },
  };

  it('builds the DTD element names', () => {
    assert.equal(
      buildVcard({
        fullName: 'Romeo <Montague> & co',
        emails: [{ address: 'romeo@montague.lit', kind: 'work' }],
        phones: [{ number: '555', kind: 'cell' }],
        addresses: [],
        birthday: '1996-01-01',
      }).toString(),
      '<vCard xmlns="vcard-temp"><FN>Romeo &lt;Montague&gt; &amp; co</FN><BDAY>1996-01-01</BDAY>' +
        '<TEL><CELL/><NUMBER>555</NUMBER></TEL>' +
        '<EMAIL><WORK/><INTERNET/><USERID>romeo@montague.lit</USERID></EMAIL></vCard>',
    );
  });

  it('reads back what it writes', () => {
    const built = stanza(buildVcardSet(full).toString());
    const parsed = parseVcard(built);
    // A phone without a kind is written as VOICE (the vCard default), and read back as such.
    assert.deepEqual(parsed, { ...full, phones: [...full.phones.slice(0, 3), { number: '+39 4', kind: 'voice' }] });
  });

  it('keeps what other clients wrote in our card, and replaces what it manages', () => {
    const previous = card(
      `<FN>Old name</FN><JABBERID>juliet@capulet.lit</JABBERID><NOTE>keep <b xmlns="x:y">me</b></NOTE>` +
        `<PHOTO><BINVAL>${PNG_B64}</BINVAL></PHOTO><X-CUSTOM a="1"/>`,
    );
    const built = buildVcardSet({ ...emptyVcard(), fullName: 'New name' }, previous).toString();
    assert.equal(
      built,
      '<vCard xmlns="vcard-temp"><FN>New name</FN><JABBERID>juliet@capulet.lit</JABBERID>' +
        '<NOTE>keep <b xmlns="x:y">me</b></NOTE><X-CUSTOM a="1"/></vCard>',
    );
    // The previous element is not changed by it.
    assert.equal(previous.getChildText('FN'), 'Old name');
  });

  it('asks for a card', () => {
    assert.equal(buildVcardGet().toString(), '<vCard xmlns="vcard-temp"/>');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSlotRequest, parseSlot, uploadLimit, usableUrl } from '../../../main/core/transfer/http-upload.ts';
import { stanza } from '../../support/stanza.ts';

describe('transfer/http-upload (XEP-0363)', () => {
  it('asks for a slot', () => {
    assert.equal(
      buildSlotRequest('très cool.jpg', 23456, 'image/jpeg').toString(),
      '<request xmlns="urn:xmpp:http:upload:0" filename="très cool.jpg" size="23456" content-type="image/jpeg"/>',
    );
  });

  it('parses a slot, keeping only the allowed headers without line breaks', () => {
    const slot = parseSlot(
      stanza(`<slot xmlns="urn:xmpp:http:upload:0">
        <put url="https://upload.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg">
          <header name="Authorization">Basic Base64String==</header>
          <header name="Cookie">foo=bar; user=romeo</header>
          <header name="X-Evil">1</header>
          <header name="Expires">a
Injected: yes</header>
        </put>
        <get url="https://download.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg"/>
      </slot>`),
    );
    assert.deepEqual(slot, {
      putUrl: 'https://upload.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg',
      getUrl: 'https://download.montague.tld/4a771ac1-f0b2-4a4a-9700-f2a26fa2bb67/tr%C3%A8s%20cool.jpg',
      headers: { Authorization: 'Basic Base64String==', Cookie: 'foo=bar; user=romeo' },
    });
    assert.equal(parseSlot(undefined), undefined);
    assert.equal(
      parseSlot(stanza(`<slot xmlns="urn:xmpp:http:upload:0"><put url="ftp://x/y"/><get url="https://x/y"/></slot>`)),
      undefined,
    );
  });

  it('uses https (plain http only on loopback, and only for tests); never credentials in the URL', () => {
    assert.ok(usableUrl('https://example.org/a'));
    assert.equal(usableUrl('http://127.0.0.1:5280/file_share/x'), undefined);
    assert.ok(usableUrl('http://127.0.0.1:5280/file_share/x', true));
    assert.ok(usableUrl('http://[::1]:80/x', true));
    assert.equal(usableUrl('http://example.org/a', true), undefined);
    assert.equal(usableUrl('https://user:pw@example.org/a'), undefined);
    assert.equal(usableUrl('javascript:alert(1)'), undefined);
    assert.equal(usableUrl('file:///etc/passwd'), undefined);
    assert.equal(usableUrl('not a url'), undefined);
  });

  it('reads the size limit from the service’s form', () => {
    const info = (value: string) => ({
      identities: [],
      features: [],
      forms: [{ formType: 'urn:xmpp:http:upload:0', fields: [{ var: 'max-file-size', values: [value] }] }],
    });
    assert.equal(uploadLimit(info('5242880')), 5242880);
    assert.equal(uploadLimit(info('-1')), undefined);
    assert.equal(uploadLimit({ identities: [], features: [], forms: [] }), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import StanzaError from '@xmpp/middleware/lib/StanzaError.js';
import type { Element } from '@xmpp/xml';
import { CoreError } from '../../../main/core/errors.ts';
import {
  bobToDataUri,
  buildRegistrationSubmit,
  changePassword,
  checkDeleteConfirmation,
  checkValues,
  deleteAccount,
  MAX_MEDIA_BYTES,
  parseRegistrationForm,
  parseStanzaError,
  registrationError,
  stanzaErrorToCore,
  visibleFields,
  withMedia,
  type IqSetter,
} from '../../../main/core/xmpp/register.ts';
import { stanza } from '../../support/stanza.ts';

/** A 4×2 PNG and its XEP-0231 content id. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAYAAAB/qH1jAAAAEElEQVR4nGNgYGD4j4ZRBQB7pgf5fzpslgAAAABJRU5ErkJggg==';
const CID = 'sha1+7f843eba428f0c50df8d3f648559af70e689c5d3@bob.xmpp.org';

const query = (iq: string): Element => {
  const q = stanza(iq).getChild('query', 'jabber:iq:register');
  assert.ok(q, 'fixture has a query');
  return q;
};

/** XEP-0077 Example 2: the legacy fields. */
const LEGACY = `<iq type='result' id='reg1'>
  <query xmlns='jabber:iq:register'>
    <instructions>
      Choose a username and password for use with this service.
      Please also provide your email address.
    </instructions>
    <username/>
    <password/>
    <email/>
  </query>
</iq>`;

/** XEP-0158 §4 ("Host Returns Registration and Challenge Fields to Entity"), with the image as a cid: and its data. */
const CAPTCHA = `<iq type='result' xml:lang='en' id='reg1'>
  <query xmlns='jabber:iq:register'>
    <x xmlns='jabber:x:data' type='form'>
      <field type='hidden' var='FORM_TYPE'>
        <value>urn:xmpp:captcha</value>
      </field>
      <field type='hidden' var='challenge'><value>F3A6292C</value></field>
      <field type='hidden' var='sid'><value>reg1</value></field>
      <field type='hidden' var='answers'><value>3</value></field>
      <field var='ocr' label='Enter the text you see'>
        <media xmlns='urn:xmpp:media-element' height='80' width='290'>
          <uri type='image/jpeg'>
            http://www.victim.com/challenges/ocr.jpeg?F3A6292C
          </uri>
          <uri type='image/png'>cid:${CID}</uri>
        </media>
      </field>
      <field label='93C7A' type='text-single' var='SHA-256'/>
      <field type='text-single' var='username'>
        <required/>
      </field>
      <field type='text-private' var='password'>
        <required/>
      </field>
    </x>
    <instructions>
      To register, visit http://www.victim.com/register.html
    </instructions>
    <x xmlns='jabber:x:oob'>
      <url>http://www.victim.com/register.html</url>
    </x>
    <data xmlns='urn:xmpp:bob' cid='${CID}' type='image/png' max-age='0'>${PNG}</data>
  </query>
</iq>`;

const bob = (type: string, body: string, cid = CID) =>
  stanza(`<data xmlns='urn:xmpp:bob' cid='${cid}' type='${type}'>${body}</data>`);

describe('xmpp/register (XEP-0077 in-band registration)', () => {
  it('parses the legacy fields with their instructions', () => {
    const form = parseRegistrationForm(query(LEGACY));
    assert.ok(form);
    assert.equal(form.kind, 'legacy');
    assert.equal(
      form.instructions,
      'Choose a username and password for use with this service.\n      Please also provide your email address.',
    );
    assert.deepEqual(form.fields, [
      { var: 'username', type: 'text-single', label: 'Username', required: true },
      { var: 'password', type: 'text-private', label: 'Password', required: true },
      { var: 'email', type: 'text-single', label: 'Email', required: false },
    ]);
    assert.equal(form.captcha, false);
  });

  it('builds the legacy submission (XEP-0077 Example 3)', () => {
    const form = parseRegistrationForm(query(LEGACY));
    assert.ok(form);
    const built = buildRegistrationSubmit(form, {
      username: 'bill',
      password: 'Calliope',
      email: 'bard@shakespeare.lit',
    });
    assert.equal(
      built.toString(),
      '<query xmlns="jabber:iq:register"><username>bill</username><password>Calliope</password><email>bard@shakespeare.lit</email></query>',
    );
  });

  it('echoes a legacy <key/> but never shows it', () => {
    const form = parseRegistrationForm(
      query(`<iq type='result'><query xmlns='jabber:iq:register'><username/><password/><key>abc123</key></query></iq>`),
    );
    assert.ok(form);
    assert.deepEqual(
      visibleFields(form).map((f) => f.var),
      ['username', 'password'],
    );
    assert.match(
      buildRegistrationSubmit(form, { username: 'u', password: 'p', key: 'forged' }).toString(),
      /<key>abc123<\/key>/u,
    );
  });

  it('prefers the data form, as Prosody sends both', () => {
    const form = parseRegistrationForm(
      query(`<iq type='result'><query xmlns='jabber:iq:register'>
        <instructions>Choose a username and password for use with this service.</instructions>
        <username/><password/>
        <x xmlns='jabber:x:data' type='form'>
          <title>Creating a new account</title>
          <instructions>Choose a username and password for use with this service.</instructions>
          <field var='FORM_TYPE' type='hidden'><value>jabber:iq:register</value></field>
          <field var='username' type='text-single' label='Username'><required/></field>
          <field var='password' type='text-private' label='Password'><required/></field>
        </x></query></iq>`),
    );
    assert.ok(form);
    assert.equal(form.kind, 'data-form');
    assert.equal(form.formType, 'jabber:iq:register');
    assert.deepEqual(
      form.fields.map((f) => [f.var, f.type, f.label, f.required]),
      [
        ['username', 'text-single', 'Username', true],
        ['password', 'text-private', 'Password', true],
      ],
    );
  });
});

describe('xmpp/register: CAPTCHA forms (XEP-0158) with bits of binary (XEP-0231)', () => {
  it('parses the XEP-0158 registration form and shows the image as a data: URI', () => {
    const form = parseRegistrationForm(query(CAPTCHA));
    assert.ok(form);
    assert.equal(form.kind, 'data-form');
    assert.equal(form.formType, 'urn:xmpp:captcha');
    assert.equal(form.captcha, true);
    assert.equal(form.url, 'http://www.victim.com/register.html');
    assert.equal(form.instructions, 'To register, visit http://www.victim.com/register.html');
    assert.deepEqual(form.pendingMedia, []);
    const visible = visibleFields(form);
    assert.deepEqual(
      visible.map((f) => [f.var, f.type, f.label, f.required]),
      [
        ['ocr', 'text-single', 'Enter the text you see', false],
        ['SHA-256', 'text-single', '93C7A', false],
        ['username', 'text-single', 'username', true],
        ['password', 'text-private', 'password', true],
      ],
    );
    assert.equal(visible[0]?.media, `data:image/png;base64,${PNG}`);
  });

  it('finds the image data next to the query too (in the same stanza)', () => {
    const iq = stanza(
      CAPTCHA.replace(/<data [^]*<\/data>/u, '').replace(
        '</iq>',
        `<data xmlns='urn:xmpp:bob' cid='${CID}' type='image/png'>${PNG}</data></iq>`,
      ),
    );
    const q = iq.getChild('query', 'jabber:iq:register');
    assert.ok(q);
    const form = parseRegistrationForm(q);
    assert.equal(form?.fields.find((f) => f.var === 'ocr')?.media, `data:image/png;base64,${PNG}`);
  });

  it('lists an image that is not in the stanza for fetching, then attaches it', () => {
    const form = parseRegistrationForm(query(CAPTCHA.replace(/<data [^]*<\/data>/u, '')));
    assert.ok(form);
    assert.deepEqual(form.pendingMedia, [{ var: 'ocr', cid: CID }]);
    assert.equal(form.fields.find((f) => f.var === 'ocr')?.media, undefined);
    const done = withMedia(form, 'ocr', bob('image/png', PNG));
    assert.deepEqual(done.pendingMedia, []);
    assert.equal(done.fields.find((f) => f.var === 'ocr')?.media, `data:image/png;base64,${PNG}`);
  });

  it('submits the data form as XEP-0158 shows: FORM_TYPE and hidden fields echoed, answers added', () => {
    const form = parseRegistrationForm(query(CAPTCHA));
    assert.ok(form);
    const values = { ocr: '7nHL3', username: 'bill', password: 'Calliope', challenge: 'forged', FORM_TYPE: 'x' };
    assert.equal(checkValues(form, values), undefined);
    const built = buildRegistrationSubmit(form, values);
    const x = built.getChild('x', 'jabber:x:data');
    assert.ok(x);
    assert.equal(x.attrs['type'], 'submit');
    const got = x
      .getChildren('field')
      .map((f) => [f.attrs['var'] as string, f.getChildren('value').map((v) => v.text())]);
    assert.deepEqual(got, [
      ['FORM_TYPE', ['urn:xmpp:captcha']],
      ['challenge', ['F3A6292C']],
      ['sid', ['reg1']],
      ['answers', ['3']],
      ['ocr', ['7nHL3']],
      ['username', ['bill']],
      ['password', ['Calliope']],
    ]);
  });

  it('checks required fields and list choices before sending', () => {
    const form = parseRegistrationForm(
      query(`<iq type='result'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>
        <field var='username' label='User'><required/></field>
        <field var='password' type='text-private'><required/></field>
        <field var='tos' type='boolean' label='I accept the terms'><required/></field>
        <field var='lang' type='list-single' label='Language'><option label='English'><value>en</value></option><option><value>zh</value></option></field>
        <field type='fixed'><value>Be nice.</value></field>
      </x></query></iq>`),
    );
    assert.ok(form);
    assert.equal(checkValues(form, { password: 'p' }), 'Fill in “User”.');
    assert.equal(checkValues(form, { username: ' ', password: 'p' }), 'Fill in “User”.');
    assert.equal(
      checkValues(form, { username: 'u', password: 'p', lang: 'fr' }),
      'Choose one of the offered values for “Language”.',
    );
    assert.equal(checkValues(form, { username: 'u', password: 'p', lang: 'zh', tos: 'true' }), undefined);
    const lang = form.fields.find((f) => f.var === 'lang');
    assert.deepEqual(lang?.options, [
      { label: 'English', value: 'en' },
      { label: 'zh', value: 'zh' },
    ]);
    assert.deepEqual(
      form.fields.find((f) => f.type === 'fixed'),
      {
        var: '#fixed-1',
        type: 'fixed',
        label: 'Be nice.',
        required: false,
        value: 'Be nice.',
      },
    );
    const built = buildRegistrationSubmit(form, { username: 'u', password: 'p', tos: 'true' }).toString();
    assert.match(built, /<field var="tos"><value>1<\/value><\/field>/u);
    assert.doesNotMatch(built, /Be nice|#fixed/u);
  });
});

describe('xmpp/register: hostile input', () => {
  it('rejects images over 64 KiB without decoding them', () => {
    const huge = Buffer.alloc(MAX_MEDIA_BYTES + 1, 0);
    Buffer.from(PNG, 'base64').copy(huge);
    assert.deepEqual(bobToDataUri(bob('image/png', huge.toString('base64'))), { ok: false, reason: 'size' });
    const exactly = Buffer.alloc(MAX_MEDIA_BYTES, 0);
    Buffer.from(PNG, 'base64').copy(exactly);
    assert.equal(bobToDataUri(bob('image/png', exactly.toString('base64'))).ok, true);
  });

  it('rejects media that is not a raster image, or not the image it claims to be', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString(
      'base64',
    );
    assert.deepEqual(bobToDataUri(bob('image/svg+xml', svg)), { ok: false, reason: 'type' });
    assert.deepEqual(bobToDataUri(bob('text/html', svg)), { ok: false, reason: 'type' });
    assert.deepEqual(bobToDataUri(bob('image/jpeg', PNG)), { ok: false, reason: 'content' });
    assert.deepEqual(bobToDataUri(bob('image/png', svg)), { ok: false, reason: 'content' });
    assert.deepEqual(bobToDataUri(bob('image/png', 'not base64!')), { ok: false, reason: 'encoding' });
    assert.deepEqual(bobToDataUri(bob('image/png', '')), { ok: false, reason: 'encoding' });
  });

  it('leaves a CAPTCHA with a bad image without media rather than failing', () => {
    const form = parseRegistrationForm(
      query(CAPTCHA.replace(`type='image/png' max-age='0'>${PNG}`, `type='text/html'>${PNG}`)),
    );
    const ocr = form?.fields.find((f) => f.var === 'ocr');
    assert.ok(ocr);
    assert.equal(ocr.media, undefined);
    assert.deepEqual(form?.pendingMedia, [], 'the data was there: not fetched again');
    // A cid for a type we do not render is not even looked up.
    const svgOnly = parseRegistrationForm(
      query(CAPTCHA.replace(`<uri type='image/png'>cid:`, `<uri type='image/svg+xml'>cid:`)),
    );
    assert.deepEqual(svgOnly?.pendingMedia, []);
  });

  it('keeps server text as plain, bounded text', () => {
    const form = parseRegistrationForm(
      query(`<iq type='result'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>
        <instructions>&lt;img src=x onerror=alert(1)&gt;\u0007\u202e</instructions>
        <field var='username' label='${'L'.repeat(2000)}'/>
        <field var='username' label='duplicate'/>
        <field label='no var'/>
        <field var='password' type='made-up'/>
      </x></query></iq>`),
    );
    assert.ok(form);
    assert.equal(form.instructions, '<img src=x onerror=alert(1)>');
    assert.deepEqual(
      form.fields.map((f) => [f.var, f.type, f.label.length]),
      [
        ['username', 'text-single', 500],
        ['password', 'text-single', 8],
      ],
    );
  });

  it('caps the number of fields', () => {
    const many = Array.from({ length: 500 }, (_, i) => `<field var='f${String(i)}'/>`).join('');
    const form = parseRegistrationForm(
      query(
        `<iq type='result'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>${many}</x></query></iq>`,
      ),
    );
    assert.equal(form?.fields.length, 100);
  });

  it('is not fooled by other elements', () => {
    assert.equal(parseRegistrationForm(stanza(`<query xmlns='jabber:iq:roster'/>`)), undefined);
    const form = parseRegistrationForm(
      query(
        `<iq type='result'><query xmlns='jabber:iq:register'><username xmlns='urn:other'/><password/><toString/></query></iq>`,
      ),
    );
    assert.deepEqual(
      form?.fields.map((f) => f.var),
      ['password'],
    );
  });
});

describe('xmpp/register: errors', () => {
  const fromIq = (xml: string) => {
    const info = parseStanzaError(stanza(xml));
    assert.ok(info);
    return stanzaErrorToCore(info, 'register');
  };

  it('conflict: "That address is taken." (XEP-0077 Example 5)', () => {
    const err = fromIq(`<iq type='error' id='reg2'>
      <query xmlns='jabber:iq:register'><username>bill</username><password>m1cro$oft</password></query>
      <error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    assert.equal(err.code, 'registration-conflict');
    assert.equal(err.message, 'That address is taken.');
  });

  it("not-acceptable carries the server's text (XEP-0077 Example 6, Prosody)", () => {
    const plain = fromIq(
      `<iq type='error' id='reg2'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
    );
    assert.equal(plain.code, 'not-acceptable');
    assert.match(plain.message, /did not accept/u);
    const texted =
      fromIq(`<iq type='error'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
      <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>The requested username is invalid.</text></error></iq>`);
    assert.equal(texted.message, 'The server did not accept this: The requested username is invalid.');
  });

  it('not-allowed, and the other conditions, in clear words', () => {
    const notAllowed = fromIq(
      `<iq type='error'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
    );
    assert.equal(notAllowed.code, 'not-allowed');
    assert.equal(notAllowed.message, 'This server does not allow creating accounts from Parley.');
    const cases: [string, string, RegExp][] = [
      ['service-unavailable', 'not-allowed', /does not offer creating accounts/u],
      ['forbidden', 'not-allowed', /refused/u],
      ['policy-violation', 'policy-violation', /limiting/u],
      ['resource-constraint', 'policy-violation', /limiting/u],
      ['bad-request', 'bad-request', /could not understand/u],
      ['internal-server-error', 'internal', /problem/u],
      ['undefined-condition', 'internal', /\(undefined-condition\)/u],
    ];
    for (const [condition, code, message] of cases) {
      const err = fromIq(
        `<iq type='error'><error type='cancel'><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
      );
      assert.equal(err.code, code, condition);
      assert.match(err.message, message, condition);
    }
  });

  it("maps xmpp.js's StanzaError, timeouts and lost connections", () => {
    const el = stanza(
      `<iq type='error'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
    ).getChild('error');
    assert.ok(el);
    assert.equal(registrationError(StanzaError.fromElement(el)).code, 'registration-conflict');
    const timeout = new Error('timeout');
    timeout.name = 'TimeoutError';
    assert.equal(registrationError(timeout).code, 'timeout');
    assert.equal(registrationError(new Error('socket closed')).code, 'network');
    const core = new CoreError('not-found', 'x');
    assert.equal(registrationError(core), core);
  });

  it('says when the server wants more than a new password (XEP-0077 Example 19)', () => {
    const iq = stanza(`<iq type='error' from='shakespeare.lit' id='change1'>
      <query xmlns='jabber:iq:register'>
        <x xmlns='jabber:x:data' type='form'>
          <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register:changepassword</value></field>
          <field type='text-single' var='username'><required/></field>
          <field type='text-private' var='old_password' label='Old Password'><required/></field>
          <field type='text-private' var='password' label='New Password'><required/></field>
        </x>
      </query>
      <error code='401' type='modify'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    const info = parseStanzaError(iq);
    assert.ok(info?.form);
    const err = stanzaErrorToCore(info, 'password');
    assert.equal(err.code, 'not-allowed');
    assert.match(err.message, /current password/u);
  });
});

describe('xmpp/register: password change and removal (XEP-0077 §3.2, §3.3)', () => {
  const recorder = (reply: () => Promise<Element | undefined> = () => Promise.resolve(undefined)) => {
    const sent: { element: string; to: string | undefined }[] = [];
    const stream: IqSetter = {
      iq: {
        set(element, to) {
          sent.push({ element: element.toString(), to });
          return reply();
        },
      },
    };
    return { sent, stream };
  };

  it('changes the password with <username/> and <password/> to the server', async () => {
    const { sent, stream } = recorder();
    await changePassword(stream, 'Bill@Shakespeare.lit', 'newpass');
    assert.deepEqual(sent, [
      {
        element: '<query xmlns="jabber:iq:register"><username>bill</username><password>newpass</password></query>',
        to: 'shakespeare.lit',
      },
    ]);
  });

  it('reports a refused change as a clear error', async () => {
    const el = stanza(
      `<iq type='error'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
    ).getChild('error');
    assert.ok(el);
    const { stream } = recorder(() => Promise.reject(StanzaError.fromElement(el)));
    await assert.rejects(changePassword(stream, 'bill@shakespeare.lit', 'x'), (err: unknown) => {
      assert.ok(err instanceof CoreError);
      assert.equal(err.code, 'not-allowed');
      assert.equal(err.message, 'This server does not allow changing the password from Parley.');
      return true;
    });
    await assert.rejects(changePassword(stream, 'bill@shakespeare.lit', ''), { code: 'bad-request' });
  });

  it('deletes only after the address is typed again, and sends <remove/>', async () => {
    const { sent, stream } = recorder();
    for (const wrong of ['', 'bill', 'bil@shakespeare.lit', 'bill@shakespeare.lit/x', 'bill@other.lit']) {
      await assert.rejects(deleteAccount(stream, 'bill@shakespeare.lit', wrong), { code: 'bad-request' }, wrong);
      assert.throws(() => {
        checkDeleteConfirmation('bill@shakespeare.lit', wrong);
      });
    }
    assert.deepEqual(sent, [], 'nothing sent on a wrong confirmation');
    await deleteAccount(stream, 'bill@shakespeare.lit', '  Bill@Shakespeare.lit ');
    assert.deepEqual(sent, [{ element: '<query xmlns="jabber:iq:register"><remove/></query>', to: 'shakespeare.lit' }]);
  });
});

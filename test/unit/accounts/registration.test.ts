import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import StanzaError from '@xmpp/middleware/lib/StanzaError.js';
import type { Element } from '@xmpp/xml';
import {
  createRegistrationService,
  type OpenRegistrationStream,
  type RegistrationStream,
} from '../../../main/core/accounts/registration.ts';
import { silentLogger } from '../../../main/core/log.ts';
import { stanza } from '../../support/stanza.ts';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAYAAAB/qH1jAAAAEElEQVR4nGNgYGD4j4ZRBQB7pgf5fzpslgAAAABJRU5ErkJggg==';
const CID = 'sha1+7f843eba428f0c50df8d3f648559af70e689c5d3@bob.xmpp.org';

const FORM = `<iq type='result'><query xmlns='jabber:iq:register'>
  <instructions>Pick a name.</instructions>
  <x xmlns='jabber:x:data' type='form'>
    <field type='hidden' var='FORM_TYPE'><value>urn:xmpp:captcha</value></field>
    <field type='hidden' var='challenge'><value>C1</value></field>
    <field var='ocr' label='Enter the text you see'>
      <media xmlns='urn:xmpp:media-element'><uri type='image/png'>cid:${CID}</uri></media>
    </field>
    <field var='username' label='User'><required/></field>
    <field var='password' type='text-private' label='Password'><required/></field>
  </x></query></iq>`;

const errorOf = (condition: string) => {
  const el = stanza(
    `<iq type='error'><error type='cancel'><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
  ).getChild('error');
  assert.ok(el);
  return StanzaError.fromElement(el);
};

/** A pre-authentication stream that answers like a server would, and records what it was sent. */
class FakeStream implements RegistrationStream {
  readonly entity = Object.assign(new EventEmitter(), { status: 'online' });
  readonly sent: string[] = [];
  closed = false;
  submitReplies: (() => Promise<Element | undefined>)[] = [];
  readonly formXml: string;
  constructor(formXml = FORM) {
    this.formXml = formXml;
  }
  readonly iq = {
    get: (element: Element): Promise<Element | undefined> => {
      this.sent.push(`get ${element.toString()}`);
      if (element.is('data', 'urn:xmpp:bob'))
        return Promise.resolve(stanza(`<data xmlns='urn:xmpp:bob' cid='${CID}' type='image/png'>${PNG}</data>`));
      return Promise.resolve(stanza(this.formXml).getChild('query', 'jabber:iq:register'));
    },
    set: (element: Element): Promise<Element | undefined> => {
      this.sent.push(`set ${element.toString()}`);
      return this.submitReplies.shift()?.() ?? Promise.resolve(undefined);
    },
  };
  close(): Promise<void> {
    this.closed = true;
    this.entity.emit('status', 'offline');
    return Promise.resolve();
  }
}

function setup(options: { ttl?: number; max?: number; form?: string } = {}) {
  const streams: FakeStream[] = [];
  const opened: Parameters<OpenRegistrationStream>[0][] = [];
  const service = createRegistrationService({
    log: silentLogger,
    ...(options.ttl ? { sessionTtlMs: options.ttl } : {}),
    ...(options.max ? { maxSessions: options.max } : {}),
    openStream: (o) => {
      opened.push(o);
      const s = new FakeStream(options.form);
      streams.push(s);
      return Promise.resolve(s);
    },
  });
  return { service, streams, opened };
}

const values = { username: 'Bill', password: 'Calliope', ocr: '7nHL3' };

describe('accounts/registration: XEP-0077 sessions', () => {
  it('fetches the form over a pre-auth stream, with the CAPTCHA image fetched by XEP-0231', async () => {
    const { service, streams, opened } = setup();
    const form = await service.fetchForm(' Example.ORG ', '127.0.0.1:5333');
    assert.deepEqual(opened, [{ service: 'xmpp://127.0.0.1:5333', domain: 'example.org', timeoutMs: 15_000 }]);
    assert.equal(form.domain, 'example.org');
    assert.equal(form.instructions, 'Pick a name.');
    assert.match(form.sessionId, /^[\w-]{20,}$/u);
    assert.deepEqual(
      form.fields.map((f) => f.var),
      ['ocr', 'username', 'password'],
      'hidden fields stay in the core',
    );
    assert.equal(form.fields[0]?.media, `data:image/png;base64,${PNG}`);
    const stream = streams[0];
    assert.ok(stream);
    assert.deepEqual(stream.sent, [
      'get <query xmlns="jabber:iq:register"/>',
      `get <data xmlns="urn:xmpp:bob" cid="${CID}"/>`,
    ]);
    await service.close();
    assert.equal(stream.closed, true);
  });

  it('submits, closes the stream and hands back the new credentials', async () => {
    const { service, streams } = setup();
    const form = await service.fetchForm('example.org');
    const result = await service.submit(form.sessionId, values);
    assert.deepEqual(result, { jid: 'bill@example.org', password: 'Calliope', server: '' });
    const stream = streams[0];
    assert.ok(stream);
    assert.equal(stream.closed, true);
    const submitted = stream.sent.at(-1) ?? '';
    assert.match(submitted, /^set <query xmlns="jabber:iq:register"><x xmlns="jabber:x:data" type="submit">/u);
    assert.match(submitted, /<field var="challenge"><value>C1<\/value><\/field>/u);
    assert.match(submitted, /<field var="username"><value>Bill<\/value><\/field>/u);
    await assert.rejects(service.submit(form.sessionId, values), { code: 'not-found' }, 'a session is used once');
  });

  it('keeps the session after a refusal so the user can correct it', async () => {
    const { service, streams } = setup();
    const form = await service.fetchForm('example.org');
    const stream = streams[0];
    assert.ok(stream);
    stream.submitReplies.push(() => Promise.reject(errorOf('conflict')));
    await assert.rejects(service.submit(form.sessionId, values), {
      code: 'registration-conflict',
      message: 'That address is taken.',
    });
    assert.equal(stream.closed, false);
    const result = await service.submit(form.sessionId, { ...values, username: 'bill2' });
    assert.equal(result.jid, 'bill2@example.org');
  });

  it('checks the answers before sending anything', async () => {
    const { service, streams } = setup();
    const form = await service.fetchForm('example.org');
    await assert.rejects(service.submit(form.sessionId, { password: 'x' }), {
      code: 'not-acceptable',
      message: 'Fill in “User”.',
    });
    await assert.rejects(service.submit(form.sessionId, { ...values, username: 'bill smith' }), {
      code: 'not-acceptable',
    });
    assert.equal(streams[0]?.sent.filter((s) => s.startsWith('set')).length, 0);
  });

  it('refuses a domain that is not one, without connecting', async () => {
    const { service, opened } = setup();
    for (const bad of ['bill@example.org', 'example.org/res', '', 'exa mple.org'])
      await assert.rejects(service.fetchForm(bad), { code: 'bad-request' }, bad);
    assert.equal(opened.length, 0);
  });

  it('says so when the server offers no usable form, and closes the stream', async () => {
    const { service, streams } = setup({
      form: `<iq type='result'><query xmlns='jabber:iq:register'><instructions>Use the web.</instructions>
        <x xmlns='jabber:x:oob'><url>https://example.org/signup</url></x></query></iq>`,
    });
    await assert.rejects(service.fetchForm('example.org'), {
      code: 'not-allowed',
      message:
        'example.org does not take sign-ups from apps like Parley. Sign up at https://example.org/signup instead.',
    });
    assert.equal(streams[0]?.closed, true);
  });

  it('expires an unused form, and ends a session whose stream dropped', async () => {
    const { service, streams } = setup({ ttl: 30 });
    const first = await service.fetchForm('example.org');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(streams[0]?.closed, true);
    await assert.rejects(service.submit(first.sessionId, values), { code: 'not-found' });

    const second = await service.fetchForm('example.org');
    streams[1]?.entity.emit('status', 'disconnect');
    await assert.rejects(service.submit(second.sessionId, values), { code: 'not-found' });
    await service.close();
  });

  it('cancels, and keeps at most a few sessions open', async () => {
    const { service, streams } = setup({ max: 2 });
    const a = await service.fetchForm('example.org');
    await service.cancel(a.sessionId);
    assert.equal(streams[0]?.closed, true);
    await service.cancel('no-such-session');
    await service.fetchForm('example.org');
    await service.fetchForm('example.org');
    await service.fetchForm('example.org');
    assert.deepEqual(
      streams.map((s) => s.closed),
      [true, true, false, false],
    );
    await service.close();
  });
});

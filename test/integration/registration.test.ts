/**
 * XEP-0077 against a real Prosody with registration on: create an account
 * in-band and sign in with it, a taken name, a server that does not allow
 * it, a password change, and deletion on the server (only with the right
 * confirmation). First through the registration service and the XEP
 * functions themselves, then through the core's handlers once they are wired.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { createRegistrationService, type RegistrationService } from '../../main/core/accounts/registration.ts';
import { silentLogger } from '../../main/core/log.ts';
import { createStream, type XmppStream } from '../../main/core/xmpp/entity.ts';
import { changePassword, deleteAccount } from '../../main/core/xmpp/register.ts';
import { CAPTCHA_ANSWER, startCaptchaServer } from '../support/captcha-server.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, type TestCore } from '../support/core.ts';

const DOMAIN = 'localhost';

/** A signed-in stream of our own (the XEP functions need one; the core's accounts have theirs). */
async function signedIn(server: ProsodyServer, username: string, password: string): Promise<XmppStream> {
  const stream = createStream({
    service: `xmpp://127.0.0.1:${String(server.c2sPort)}`,
    domain: DOMAIN,
    credentials: { username, password },
  });
  stream.entity.on('error', () => undefined);
  await stream.entity.start();
  return stream;
}

async function stop(stream: XmppStream): Promise<void> {
  await stream.entity.stop().catch(() => undefined);
}

/** Signs in through the core (a fresh core each time: no state carried over) and says how it went. */
async function canSignIn(server: ProsodyServer, jid: string, password: string): Promise<string> {
  const core = await startCore();
  try {
    const state = await core.core.handlers['account.signIn']({ jid, password, server: server.server });
    return state.status;
  } catch (err) {
    return (err as { code?: string }).code ?? 'failed';
  } finally {
    await core.shutdown();
  }
}

describe('core against Prosody: in-band registration (XEP-0077)', () => {
  let server: ProsodyServer;
  let service: RegistrationService;

  before(async () => {
    server = await startTestServer({
      allowRegistration: true,
      users: [
        { username: 'taken', password: 'taken-pw' },
        { username: 'changer', password: 'old-pw' },
        { username: 'leaver', password: 'leaver-pw' },
      ],
    });
    service = createRegistrationService({ log: silentLogger });
  });

  after(async () => {
    await service.close();
    await server.stop();
  });

  it('registers a new account with the server’s form, then signs in with it', async () => {
    const form = await service.fetchForm(DOMAIN, server.server);
    assert.equal(form.domain, DOMAIN);
    assert.deepEqual(
      form.fields.map((f) => [f.var, f.type, f.label, f.required]),
      [
        ['username', 'text-single', 'Username', true],
        ['password', 'text-private', 'Password', true],
      ],
    );
    assert.ok(form.instructions);
    const created = await service.submit(form.sessionId, { username: 'Newcomer', password: 'fresh-pw' });
    assert.deepEqual(created, { jid: 'newcomer@localhost', password: 'fresh-pw', server: server.server });
    assert.equal(await canSignIn(server, created.jid, created.password), 'online');
  });

  it('says “That address is taken.” for an existing name, and lets the user pick another', async () => {
    const form = await service.fetchForm(DOMAIN, server.server);
    await assert.rejects(service.submit(form.sessionId, { username: 'taken', password: 'whatever' }), {
      code: 'registration-conflict',
      message: 'That address is taken.',
    });
    assert.equal(await canSignIn(server, 'taken@localhost', 'taken-pw'), 'online', 'the existing account is untouched');
    const created = await service.submit(form.sessionId, { username: 'not-taken', password: 'pw' });
    assert.equal(created.jid, 'not-taken@localhost');
  });

  it('is refused clearly by a server that does not allow registration', async () => {
    const closed = await startTestServer();
    try {
      await assert.rejects(service.fetchForm(DOMAIN, closed.server), { code: 'not-allowed' });
    } finally {
      await closed.stop();
    }
  });

  it('changes the password: the new one signs in, the old one no longer does', async () => {
    const stream = await signedIn(server, 'changer', 'old-pw');
    try {
      await changePassword(stream, 'changer@localhost', 'new-pw');
    } finally {
      await stop(stream);
    }
    assert.equal(await canSignIn(server, 'changer@localhost', 'new-pw'), 'online');
    assert.equal(await canSignIn(server, 'changer@localhost', 'old-pw'), 'auth-failed');
  });

  it('deletes the account on the server only with the right confirmation', async () => {
    const stream = await signedIn(server, 'leaver', 'leaver-pw');
    try {
      await assert.rejects(deleteAccount(stream, 'leaver@localhost', 'leaver@localhos'), { code: 'bad-request' });
      assert.equal(await canSignIn(server, 'leaver@localhost', 'leaver-pw'), 'online', 'nothing changed');
      await deleteAccount(stream, 'leaver@localhost', 'leaver@localhost');
    } finally {
      await stop(stream);
    }
    assert.equal(await canSignIn(server, 'leaver@localhost', 'leaver-pw'), 'auth-failed');
  });
});

describe('core against Prosody: a CAPTCHA in the form (XEP-0158, XEP-0231)', () => {
  const service = createRegistrationService({ log: silentLogger });
  after(() => service.close());

  for (const inline of [true, false]) {
    it(`shows the image ${inline ? 'sent with the form' : 'fetched by its cid'}, refuses a wrong answer, takes the right one`, async () => {
      const server = await startCaptchaServer({ inline });
      try {
        const form = await service.fetchForm(DOMAIN, server.server);
        const ocr = form.fields.find((f) => f.var === 'ocr');
        assert.ok(ocr);
        assert.equal(ocr.label, 'Enter the text you see');
        assert.match(ocr.media ?? '', /^data:image\/png;base64,iVBORw0KGgo/u);
        assert.ok(!form.fields.some((f) => f.var === 'challenge'), 'the hidden challenge stays in the core');
        const answers = { username: 'robot-or-not', password: 'pw' };
        await assert.rejects(service.submit(form.sessionId, { ...answers, ocr: 'P4RL3Y' }), {
          code: 'not-acceptable',
          message: 'The server did not accept this: The CAPTCHA answer is wrong.',
        });
        const created = await service.submit(form.sessionId, { ...answers, ocr: CAPTCHA_ANSWER.toLowerCase() });
        assert.equal(created.jid, 'robot-or-not@localhost');
        assert.equal(await canSignIn(server, created.jid, 'pw'), 'online');
      } finally {
        await server.stop();
      }
    });
  }
});

describe('core handlers against Prosody: register.*, account.changePassword, account.deleteOnServer', () => {
  let server: ProsodyServer;
  let core: TestCore;

  before(async () => {
    server = await startTestServer({ allowRegistration: true, users: [{ username: 'taken', password: 'taken-pw' }] });
    core = await startCore();
  });

  after(async () => {
    await core.shutdown().catch(() => undefined);
    await server.stop();
  });

  it('register.fetchForm + register.submit: the account is added here and signed in', async () => {
    const { handlers } = core.core;
    const taken = await handlers['register.fetchForm']({ domain: DOMAIN, server: server.server });
    await assert.rejects(
      handlers['register.submit']({ sessionId: taken.sessionId, values: { username: 'taken', password: 'x' } }),
      { code: 'registration-conflict', message: 'That address is taken.' },
    );
    await handlers['register.cancel']({ sessionId: taken.sessionId });
    await assert.rejects(
      handlers['register.submit']({ sessionId: taken.sessionId, values: { username: 'late', password: 'x' } }),
      { code: 'not-found' },
      'a cancelled session is gone',
    );

    const form = await handlers['register.fetchForm']({ domain: DOMAIN, server: server.server });
    const state = await handlers['register.submit']({
      sessionId: form.sessionId,
      values: { username: 'handy', password: 'handy-pw' },
    });
    assert.equal(state.jid, 'handy@localhost');
    const online = await core.waitForEvent(
      'account.state',
      (s) => s.jid === 'handy@localhost' && s.status === 'online',
    );
    assert.equal(online.server, server.server);
    const { accounts } = await handlers['app.snapshot']({});
    assert.ok(accounts.some((a) => a.jid === 'handy@localhost'));
  });

  it('account.changePassword on the online account', async () => {
    const { handlers } = core.core;
    await server.register('pat', 'pat-old');
    await handlers['account.signIn']({ jid: 'pat@localhost', password: 'pat-old', server: server.server });
    const state = await handlers['account.changePassword']({ accountId: 'pat@localhost', newPassword: 'pat-new' });
    assert.equal(state.jid, 'pat@localhost');
    assert.equal(await canSignIn(server, 'pat@localhost', 'pat-new'), 'online');
    assert.equal(await canSignIn(server, 'pat@localhost', 'pat-old'), 'auth-failed');
  });

  it('account.deleteOnServer: a wrong confirmation changes nothing; the right one deletes it there and here', async () => {
    const { handlers } = core.core;
    await server.register('gone', 'gone-pw');
    await handlers['account.signIn']({ jid: 'gone@localhost', password: 'gone-pw', server: server.server });
    await assert.rejects(handlers['account.deleteOnServer']({ accountId: 'gone@localhost', confirmation: 'gone' }), {
      code: 'bad-request',
    });
    let { accounts } = await handlers['app.snapshot']({});
    assert.equal(accounts.find((a) => a.jid === 'gone@localhost')?.status, 'online', 'still there, still online');

    await handlers['account.deleteOnServer']({ accountId: 'gone@localhost', confirmation: 'Gone@localhost' });
    ({ accounts } = await handlers['app.snapshot']({}));
    assert.ok(!accounts.some((a) => a.jid === 'gone@localhost'), 'removed here too');
    await core.waitForEvent('account.removed', (e) => e.accountId === 'gone@localhost');
    assert.equal(await canSignIn(server, 'gone@localhost', 'gone-pw'), 'auth-failed');
  });
});

/**
 * Accounts and connections, end to end, against real Prosody servers:
 *  - every connection failure says what went wrong, in its own words, and is not retried;
 *  - a certificate nobody vouches for is shown and trusted only on the user's click; a
 *    pinned certificate that changes is refused with a warning, never trusted in one click;
 *  - two accounts at once, each conversation labelled with and answered from its account;
 *  - delivery states: queued while offline, then sent, delivered, read; failed, then retried.
 *
 *  - a resource conflict: another client binding our (random) resource, which a contact
 *    learns from our presence, takes the session over; Parley says so and does not fight.
 */
import { expect, test, type Page } from '@playwright/test';
import { client, xml } from '@xmpp/client';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startProsody, type ProsodyServer } from '../../../main/devserver/prosody.ts';
import { startTestServer } from '../../support/server.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { bodyOf, startPeer, type Peer } from '../../support/peer.ts';
import { hostKind, hostMissing, launchParley, type ParleyApp, skipWhereHostMissing } from '../host.ts';
import { AccountEditor, RemoveAccountDialog } from '../pages/accounts-dialog.ts';
import { SHA256_FINGERPRINT } from '../pages/certificate-panel.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';

const shots = path.resolve('test-results/screens');
const kind = hostKind;

const users = [
  { username: 'alice', password: 'alice-e2e-pw', name: 'Alice' },
  { username: 'carol', password: 'carol-e2e-pw', name: 'Carol' },
  { username: 'bob', password: 'bob-e2e-pw', name: 'Bob' },
  { username: 'dave', password: 'dave-e2e-pw', name: 'Dave' },
];

interface World {
  server: ProsodyServer;
  bob: Peer;
  dave: Peer;
  dirs: string[];
}
let world: World | undefined;
let app: ParleyApp | undefined;
/** The current app's data folder (a restart reuses it). */
let appDir = '';
/** Servers with their own CA (nothing trusts it): stopped after all. */
const strangers: ProsodyServer[] = [];
const proxies: FaultProxy[] = [];

function need(): World {
  if (!world) throw new Error('the test server did not start');
  return world;
}

async function freshApp(testInfo: { project: { name: string } }, browser: Parameters<typeof launchParley>[2]) {
  await app?.stop();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-accounts-'));
  need().dirs.push(dir);
  appDir = dir;
  app = await launchParley(kind(testInfo.project.name), dir, browser);
  return app;
}

/** What a message's item says about its delivery (the state word is part of its text). */
function messageItem(page: Page, text: string) {
  return new MainPage(page).message(text);
}

test.beforeAll(async ({}, testInfo) => {
  if (hostMissing(testInfo.project.name) !== undefined) return;
  const server = await startTestServer({ users, sharedGroup: 'Friends' });
  const bob = await startPeer(server, 'bob', 'bob-e2e-pw');
  const dave = await startPeer(server, 'dave', 'dave-e2e-pw');
  world = { server, bob, dave, dirs: [] };
});

test.beforeEach(({}, testInfo) => {
  skipWhereHostMissing(testInfo);
});

test.afterAll(async () => {
  await app?.stop();
  await Promise.allSettled([...strangers.map((s) => s.stop()), ...proxies.map((p) => p.stop())]);
  if (!world) return;
  await world.bob.stop();
  await world.dave.stop();
  await world.server.stop();
  await Promise.all(world.dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

test.describe('connection failures', () => {
  test.describe.configure({ mode: 'serial' });
  /** The form stays idle: no new attempt starts by itself, the message stays. */
  async function expectNoRetry(login: LoginPage, message: RegExp): Promise<void> {
    for (let i = 0; i < 6; i++) {
      await login.page.waitForTimeout(500);
      await expect(login.connecting).toHaveCount(0);
      await expect(login.alert).toContainText(message);
    }
    await expect(login.signIn).toBeEnabled();
  }

  test('a wrong password says so, once', async ({ browser }, testInfo) => {
    const { server } = need();
    const { page } = await freshApp(testInfo, browser);
    const login = new LoginPage(page);
    await expect(login.rememberPassword).not.toBeChecked();
    await expect(login.createAccount).toBeVisible();
    await page.screenshot({ path: path.join(shots, `accounts-login.png`) });
    await login.signInAs('alice@localhost', 'not-the-password', server.server);
    await expect(login.alert).toContainText(/wrong address or password/iu);
    await expectNoRetry(login, /wrong address or password/iu);
  });

  test('an unknown host says the name was not found', async () => {
    if (!app) throw new Error('app not started');
    const login = new LoginPage(app.page);
    await login.signInAs('alice@localhost', 'alice-e2e-pw', 'no-such-host.invalid');
    await expect(login.alert).toContainText(/no-such-host\.invalid.*not found/iu);
    await expectNoRetry(login, /no-such-host\.invalid/iu);
  });

  test('a refused port says nothing listens there', async () => {
    if (!app) throw new Error('app not started');
    const login = new LoginPage(app.page);
    await login.signInAs('alice@localhost', 'alice-e2e-pw', '127.0.0.1:1');
    await expect(login.alert).toContainText(/refused.*127\.0\.0\.1:1/iu);
    await expectNoRetry(login, /127\.0\.0\.1:1/iu);
  });
});

test.describe('a resource conflict', () => {
  test('another client taking over the session is explained, and not fought', async ({ browser }, testInfo) => {
    const { server, bob } = need();
    const { page } = await freshApp(testInfo, browser);
    await new LoginPage(page).signInAs('carol@localhost', 'carol-e2e-pw', server.server);
    await expect(new MainPage(page).contact('Bob')).toBeVisible();
    // Bob, a contact, sees Carol's full address (with Parley's random resource) in her presence.
    const presence = await bob.waitFor(
      (st) =>
        st.is('presence') && String(st.attrs['from']).startsWith('carol@localhost/') && st.attrs['type'] === undefined,
      10_000,
    );
    const resource = String(presence.attrs['from']).split('/')[1] ?? '';
    const intruder = client({
      service: `xmpp://${server.server}`,
      domain: 'localhost',
      username: 'carol',
      password: 'carol-e2e-pw',
      resource,
    });
    intruder.reconnect.stop();
    intruder.on('error', () => undefined);
    await intruder.start();
    try {
      const notice = page.getByRole('alert').filter({ hasText: /another client/iu });
      await expect(notice.first()).toBeVisible();
      await page.screenshot({ path: path.join(shots, 'accounts-conflict.png') });
      await page.waitForTimeout(3000);
      await expect(notice.first()).toBeVisible(); // no reconnect loop took over
    } finally {
      await intruder.stop().catch(() => undefined);
    }
  });
});

test.describe('creating an account', () => {
  test('"Create account" hands over to registration, and Cancel comes back', async ({ browser }, testInfo) => {
    const { page } = await freshApp(testInfo, browser);
    const login = new LoginPage(page);
    await login.createAccount.click();
    await expect(page.getByRole('heading', { name: /create account/iu })).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(login.signIn).toBeVisible();
  });
});

test.describe('a certificate nobody vouches for, at the first sign-in', () => {
  test('an untrusted certificate is shown, and trusted only on a click', async ({ browser }, testInfo) => {
    const { page } = await freshApp(testInfo, browser);
    // A server with its own CA, which nothing here trusts.
    const stranger = await startProsody({ users: [{ username: 'erin', password: 'erin-e2e-pw' }] });
    strangers.push(stranger);
    const login = new LoginPage(page);
    await login.signInAs('erin@localhost', 'erin-e2e-pw', stranger.server);

    const panel = login.certificate;
    await expect(panel.panel).toBeVisible();
    await expect(panel.panel).toContainText(/not trusted/iu);
    await expect(login.alert.first()).toContainText(/certificate/iu);
    const [fingerprint] = await panel.fingerprints();
    expect(fingerprint).toMatch(SHA256_FINGERPRINT);
    await expect(panel.detail('Issued to')).toContainText('localhost');
    await expect(panel.detail('Issued by')).toContainText('Parley throwaway CA');
    // Nothing was sent to it: the user has not decided yet.
    expect(await stranger.log()).not.toContain('Authenticated');
    await page.screenshot({ path: path.join(shots, `accounts-certificate-panel.png`) });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(shots, `accounts-certificate-panel-dark.png`) });
    await page.emulateMedia({ colorScheme: 'light' });

    await panel.trust.click();
    const main = new MainPage(page);
    await expect(main.accountStatus).toContainText('Online', { timeout: 15_000 });
    const accounts = await main.openAccounts();
    await expect(accounts.row('erin@localhost').item).toContainText('Online');
    await expect(accounts.row('erin@localhost').enabled).toBeChecked();
    await page.screenshot({ path: path.join(shots, `accounts-first-sign-in-trusted.png`) });
    testInfo.annotations.push({ type: 'pinned', description: fingerprint ?? '' });
    await page.keyboard.press('Escape');
    await expect(accounts.dialog).toBeHidden();
  });
});

test.describe('a certificate nobody vouches for, for a known account', () => {
  test.describe.configure({ mode: 'serial' });

  test('is shown in the Accounts list and trusted only on a click', async ({ browser }, testInfo) => {
    const { server } = need();
    const { page } = await freshApp(testInfo, browser);
    const login = new LoginPage(page);
    await login.signInAs('alice@localhost', 'alice-e2e-pw', server.server);
    const main = new MainPage(page);
    await expect(main.accountStatus).toContainText('Online');

    // Point the account at a server with its own CA, which nothing here trusts.
    const stranger = await startProsody({ users: [{ username: 'alice', password: 'alice-e2e-pw' }] });
    strangers.push(stranger);
    const accounts = await main.openAccounts();
    const row = accounts.row('alice@localhost');
    await row.edit.click();
    const editor = new AccountEditor(page, 'alice@localhost');
    await editor.server.fill(stranger.server);
    await editor.save.click();
    await expect(editor.dialog).toBeHidden();

    await expect(row.alert).toContainText(/not trusted/iu, { timeout: 15_000 });
    await expect(row.certificate.panel).toBeVisible();
    const [fingerprint] = await row.certificate.fingerprints();
    expect(fingerprint).toMatch(SHA256_FINGERPRINT);
    expect(await stranger.log()).not.toContain('Authenticated');
    await expect(row.reconnect).toHaveCount(0); // retrying cannot fix this: no retry offered
    await page.screenshot({ path: path.join(shots, `accounts-list-certificate.png`) });
    // The sidebar says so too, behind the dialog.
    await expect(main.notice('alice@localhost')).toContainText(/not trusted/iu);

    await row.certificate.trust.click();
    await expect(row.item).toContainText('Online', { timeout: 15_000 });
    await expect(row.certificate.panel).toHaveCount(0);
    await page.screenshot({ path: path.join(shots, `accounts-list.png`) });
    await page.keyboard.press('Escape');
    await expect(accounts.dialog).toBeHidden();
  });

  test('a pinned certificate that changed is refused with a warning, not trusted in one click', async () => {
    if (!app) throw new Error('app not started');
    const { page } = app;
    const pinned = strangers.at(-1);
    if (!pinned) throw new Error('the previous test did not pin a certificate');
    // The same address, now answered by another server with another certificate.
    await pinned.stop();
    const impostor = await startProsody({ users: [{ username: 'alice', password: 'alice-e2e-pw' }] });
    strangers.push(impostor);

    const dialog = await new MainPage(page).openAccounts();
    const row = dialog.row('alice@localhost');
    await row.edit.click();
    const editor = new AccountEditor(page, 'alice@localhost');
    await editor.server.fill(impostor.server);
    await editor.save.click();
    await expect(editor.dialog).toBeHidden();

    await expect(row.alert).toContainText(/changed/iu, { timeout: 15_000 });
    const panel = row.certificate;
    await expect(panel.panel).toContainText(/intercept/iu);
    await expect(panel.trust).toHaveCount(0); // no one-click trust
    const prints = await panel.fingerprints();
    expect(prints).toHaveLength(2); // the new one and the one trusted before
    expect(prints[0]).not.toEqual(prints[1]);
    expect(await impostor.log()).not.toContain('Authenticated');
    await page.screenshot({ path: path.join(shots, `accounts-certificate-changed.png`) });

    // The second step spells out the risk; cancelling it trusts nothing.
    await panel.trustNew.click();
    await expect(panel.confirm).toBeVisible();
    await expect(panel.confirm).toContainText(/administrator/iu);
    await page.screenshot({ path: path.join(shots, `accounts-certificate-changed-confirm.png`) });
    await page.keyboard.press('Escape');
    await expect(panel.confirm).toBeHidden();
    await expect(row.item).toContainText(/changed/iu);

    // Remove the account: the confirmation says local history goes too.
    await row.remove.click();
    const remove = new RemoveAccountDialog(page, 'alice@localhost');
    await expect(remove.dialog).toContainText(/history/iu);
    await remove.confirm.click();
    // The last account gone: back to the sign-in form.
    await expect(new LoginPage(page).signIn).toBeVisible();
  });
});

test.describe('two accounts at once', () => {
  test.describe.configure({ mode: 'serial' });
  test('each conversation is labelled with its account and answered from it', async ({ browser }, testInfo) => {
    const { server, bob, dave } = need();
    const { page } = await freshApp(testInfo, browser);
    const login = new LoginPage(page);
    await login.signInAs('alice@localhost', 'alice-e2e-pw', server.server);
    const main = new MainPage(page);
    await expect(main.contact('Bob')).toBeVisible();

    const accounts = await main.openAccounts();
    await accounts.addAccount.click();
    await login.signInAs('carol@localhost', 'carol-e2e-pw', server.server);
    await expect(main.contactOf('carol@localhost', 'Dave')).toBeVisible();
    await expect(main.contactOf('alice@localhost', 'Bob')).toBeVisible();
    await expect(main.accountStatus).toContainText('All online');

    await bob.sendChat('alice@localhost', 'Hello Alice, Bob here');
    await dave.sendChat('carol@localhost', 'Hello Carol, Dave here');
    await expect(main.conversationOf('alice@localhost', 'Bob')).toBeVisible();
    await expect(main.conversationOf('carol@localhost', 'Dave')).toBeVisible();
    // Most recent first.
    await expect(main.conversations.getByRole('listitem').first()).toHaveAccessibleName('Dave');

    await main.conversation('Bob').click();
    await expect(main.message('Hello Alice, Bob here')).toBeVisible();
    await main.sendMessage('Hi Bob, Alice answering');
    const toBob = await bob.waitFor((s) => bodyOf(s) === 'Hi Bob, Alice answering');
    expect(toBob.attrs['from']).toMatch(/^alice@localhost\//u);

    await main.conversation('Dave').click();
    await expect(main.message('Hello Carol, Dave here')).toBeVisible();
    await main.sendMessage('Hi Dave, Carol answering');
    const toDave = await dave.waitFor((s) => bodyOf(s) === 'Hi Dave, Carol answering');
    expect(toDave.attrs['from']).toMatch(/^carol@localhost\//u);
    await page.screenshot({ path: path.join(shots, `accounts-two-accounts.png`) });

    // A contact opens in the account it is listed under.
    await main.contactOf('carol@localhost', 'Bob').click();
    await main.sendMessage('Bob, this is Carol');
    const fromCarol = await bob.waitFor((s) => bodyOf(s) === 'Bob, this is Carol');
    expect(fromCarol.attrs['from']).toMatch(/^carol@localhost\//u);
    await expect(main.conversationOf('carol@localhost', 'Bob')).toBeVisible();
    await expect(main.conversationOf('alice@localhost', 'Bob')).toBeVisible();
  });

  test('a message written while offline is queued, then sent; receipts and errors show', async ({}, testInfo) => {
    if (!app) throw new Error('app not started');
    test.setTimeout(120_000);
    const { server, bob } = need();
    const { page } = app;
    const main = new MainPage(page);

    // A switched-off account keeps what was said, but the core will not queue for it.
    const accounts = await main.openAccounts();
    const alice = accounts.row('alice@localhost');
    await alice.enabled.uncheck();
    await expect(alice.item).toContainText('Disabled');
    await alice.enabled.check();
    await expect(alice.item).toContainText('Online', { timeout: 15_000 });

    // Offline for real: Alice's connection goes through a proxy that then goes dead.
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: server.c2sPort }, label: 'alice' });
    proxies.push(proxy);
    await alice.edit.click();
    const editor = new AccountEditor(page, 'alice@localhost');
    await editor.server.fill(proxy.server);
    await editor.save.click();
    await expect(alice.item).toContainText(`Server: ${proxy.server}`);
    await expect(alice.item).toContainText('Online', { timeout: 15_000 });
    await accounts.close.click();
    await expect(accounts.dialog).toBeHidden();
    proxy.pause();
    proxy.cutAll('rst');
    await expect(main.accountStatus).toContainText('1 of 2 online');
    await expect(main.notice('alice@localhost')).toBeVisible();

    await main.conversationOf('alice@localhost', 'Bob').click();
    await expect(main.composer).toBeEnabled();
    const queued = 'Written while offline';
    await main.sendMessage(queued);
    await expect(messageItem(page, queued)).toContainText('Queued');
    await page.screenshot({ path: path.join(shots, `accounts-queued.png`) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bob.received.some((s) => bodyOf(s) === queued)).toBe(false);

    // Back online (the attempt under way times out, the next one gets through): it goes out by itself.
    proxy.resume();
    const stanza = await bob.waitFor((s) => bodyOf(s) === queued, 60_000);
    expect(stanza.attrs['from']).toMatch(/^alice@localhost\//u);
    await expect(messageItem(page, queued)).toContainText(/Sent|Delivered|Read/u);

    // The plain peer sends no receipts by itself: Bob's side answers by hand, to the full
    // JID the message came from (a server drops an error addressed to a bare JID).
    const id = String(stanza.attrs['id']);
    const aliceFull = String(stanza.attrs['from']);
    const receipt = (of: string) =>
      xml('message', { to: aliceFull, type: 'chat' }, xml('received', { xmlns: 'urn:xmpp:receipts', id: of }));
    await bob.send(receipt(id));
    await expect(messageItem(page, queued)).toContainText('Delivered');
    await bob.send(
      xml('message', { to: aliceFull, type: 'chat' }, xml('displayed', { xmlns: 'urn:xmpp:chat-markers:0', id })),
    );
    await expect(messageItem(page, queued)).toContainText('Read');

    // A bounce: failed, with the reason, and "Retry".
    const doomed = 'This one bounces';
    await main.sendMessage(doomed);
    const second = await bob.waitFor((s) => bodyOf(s) === doomed);
    const delivered = 'And this one arrives';
    await main.sendMessage(delivered);
    const third = await bob.waitFor((s) => bodyOf(s) === delivered);
    await bob.send(receipt(String(third.attrs['id'])));
    await bob.send(
      xml(
        'message',
        { to: aliceFull, type: 'error', id: String(second.attrs['id']) },
        xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' })),
      ),
    );
    const failed = messageItem(page, doomed);
    await expect(failed).toContainText('Failed');
    await expect(failed).toContainText(/service-unavailable/u);
    await expect(messageItem(page, delivered)).toContainText('Delivered');
    await page.screenshot({ path: path.join(shots, `accounts-delivery-states.png`) });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(shots, `accounts-dark.png`) });
    await page.emulateMedia({ colorScheme: 'light' });

    const before = bob.received.filter((s) => bodyOf(s) === doomed).length;
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expect(failed).not.toContainText('Failed');
    await expect
      .poll(() => bob.received.filter((s) => bodyOf(s) === doomed).length, { timeout: 10_000 })
      .toBeGreaterThan(before);
    testInfo.annotations.push({ type: 'retried', description: doomed });
  });

  test('the accounts list in Chinese', async () => {
    if (!app) throw new Error('app not started');
    const { page } = app;
    // The token stays in sessionStorage: the page reloads with another language.
    await page.goto(new URL('/?lang=zh-CN', page.url()).href);
    await page.getByRole('button', { name: '账号', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '账号' });
    await expect(dialog.getByRole('list', { name: '账号' }).getByRole('listitem')).toHaveCount(2);
    await expect(dialog).toContainText('在线');
    await page.screenshot({ path: path.join(shots, `accounts-zh-CN.png`) });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.screenshot({ path: path.join(shots, `accounts-zh-CN-main.png`) });
  });

  test('after a restart without saved passwords, each account asks for its own', async ({ browser }, testInfo) => {
    if (!app) throw new Error('app not started');
    // The web host keeps passwords in memory only: a restart forgets them.
    await app.stop();
    app = await launchParley(kind(testInfo.project.name), appDir, browser);
    const { page } = app;
    const main = new MainPage(page);
    await expect(main.notice('alice@localhost')).toContainText('Enter the password to connect.');
    await expect(main.notice('carol@localhost')).toContainText('Enter the password to connect.');
    // History is there while signed out.
    await expect(main.conversationOf('carol@localhost', 'Dave')).toBeVisible();
    await page.screenshot({ path: path.join(shots, `accounts-sign-in-prompts.png`) });

    await main.notice('carol@localhost').getByRole('button', { name: 'Sign in' }).click();
    const login = new LoginPage(page);
    await expect(login.address).toHaveValue('carol@localhost');
    await login.password.fill('carol-e2e-pw');
    await login.signIn.click();
    await expect(main.notice('carol@localhost')).toHaveCount(0, { timeout: 15_000 });
    await expect(main.notice('alice@localhost')).toBeVisible();
    await expect(main.accountStatus).toContainText('1 of 2 online');
  });
});

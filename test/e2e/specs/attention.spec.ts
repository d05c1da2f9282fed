/**
 * Attention (issue 7), end to end: xmpp: links (XEP-0147) from a real peer's message are
 * checked by the core and always confirmed by the user; a conversation's notifications
 * can be muted from its menu.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { startTestServer } from '../../support/server.ts';
import { startPeer } from '../../support/peer.ts';
import { MainPage } from '../pages/main-page.ts';
import { aliceAndBob, serialSpec, shots, signInAlice } from '../setup.ts';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-attention-',
  start: async () => {
    const server = await startTestServer({ users: aliceAndBob, sharedGroup: 'Friends' });
    await server.register('carol', 'carol-e2e-pw');
    return { server, bob: await startPeer(server, 'bob', 'bob-e2e-pw') };
  },
  peers: (w) => [w.bob],
});

test('an xmpp: link in a message asks first, then opens the conversation with the message box filled', async ({
  browser,
}, testInfo) => {
  const { server, bob } = spec.world();
  const app = await spec.launch(browser, testInfo);
  const { page } = app;
  const main = await signInAlice(page, server);

  const link = 'xmpp:carol@localhost?message;body=Hello%20Carol%2C%20%3Cb%3Efrom%3C%2Fb%3E%20a%20link';
  await bob.sendChat('alice@localhost', `Say hi to Carol: ${link}`);
  await main.conversation('Bob').click();
  await page.getByRole('link', { name: link }).click();

  const dialog = page.getByRole('dialog', { name: 'Fill the message box for carol@localhost?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Hello Carol, <b>from</b> a link'); // text, never HTML
  await expect(dialog.locator('b')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-uri-confirm.png`) });
  // Nothing has happened yet: no conversation with Carol.
  await expect(main.tabs.getByRole('tab', { name: /carol@localhost/u })).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Fill the message box' }).click();
  await expect(dialog).toBeHidden();
  await expect(main.tabs.getByRole('tab', { name: /carol@localhost/u })).toBeVisible();
  await expect(main.composer).toHaveValue('Hello Carol, <b>from</b> a link');
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-uri-filled.png`) });
});

test('cancelling a link does nothing; ?roster prefills Add contact; ?join says rooms are not supported', async ({}, testInfo) => {
  const { bob } = spec.world();
  const { page } = spec.app();
  const main = new MainPage(page);
  await main.conversation('Bob').click();

  const open = 'xmpp:carol@localhost';
  await bob.sendChat('alice@localhost', `plain: ${open}`);
  await page.getByRole('link', { name: open, exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Open a conversation with carol@localhost?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();

  const roster = 'xmpp:dave@localhost?roster;name=Dave%20D;group=Work';
  await bob.sendChat('alice@localhost', `add: ${roster}`);
  await page.getByRole('link', { name: roster }).click();
  const ask = page.getByRole('dialog', { name: 'Add dave@localhost to your contacts?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Continue' }).click();
  const add = page.getByRole('dialog', { name: 'Add a contact' });
  await expect(add.getByLabel('Address')).toHaveValue('dave@localhost');
  await expect(add.getByLabel('Name')).toHaveValue('Dave D');
  await expect(add.getByLabel('Group', { exact: true })).toHaveValue('Work');
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-uri-add-contact.png`) });
  await add.getByRole('button', { name: 'Cancel' }).click();
  await expect(add).toBeHidden();

  const join = 'xmpp:tea@conference.localhost?join';
  await bob.sendChat('alice@localhost', `join: ${join}`);
  await page.getByRole('link', { name: join }).click();
  const rooms = page.getByRole('dialog', { name: 'Group chats are not supported yet' });
  await expect(rooms).toContainText('tea@conference.localhost');
  await rooms.getByRole('button', { name: 'OK' }).click();
  await expect(rooms).toBeHidden();
});

test('a conversation is muted and unmuted from its menu', async ({}, testInfo) => {
  const { page } = spec.app();
  const main = new MainPage(page);
  await main.conversation('Bob').click();
  const options = page.getByRole('button', { name: 'Conversation options' });
  await options.click();
  await page.getByRole('menuitem', { name: 'Mute notifications' }).click();
  const bell = page.getByRole('img', { name: 'Notifications muted' });
  await expect(bell).toBeVisible();
  await options.click();
  await expect(page.getByRole('menuitem', { name: 'Unmute notifications' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-conversation-muted-menu.png`) });
  await page.getByRole('menuitem', { name: 'Unmute notifications' }).click();
  await expect(bell).toHaveCount(0);
  await options.click();
  await expect(page.getByRole('menuitem', { name: 'Mute notifications' })).toBeVisible();
  await page.keyboard.press('Escape');
});

test('the confirmation in Chinese and in the dark theme', async ({}, testInfo) => {
  const { page } = spec.app();
  const url = new URL(page.url());
  url.searchParams.set('lang', 'zh-CN');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(url.toString());
  // Bob's conversation is still the open tab.
  await page.getByRole('link', { name: 'xmpp:carol@localhost?message;body=Hello%20Carol' }).first().click();
  const dialog = page.getByRole('dialog', { name: '为 carol@localhost 填写消息框？' });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-uri-confirm-zh-dark.png`) });
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toBeHidden();
});

/**
 * Keyboard only (issue 7): sign in and send with Tab, typing and Enter, no clicks; then the
 * shortcuts: Ctrl+N new conversation (a contact, or an address typed), Ctrl+K quick switcher
 * (arrows, Enter), Ctrl+1…9 to the nth tab, Ctrl+F search messages, Escape closes dialogs.
 * A visible focus ring on whatever the keyboard reaches.
 */
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { startTestServer } from '../../support/server.ts';
import { bodyOf, startPeer } from '../../support/peer.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';
import { aliceAndBob, e2eUser, serialSpec, shots } from '../setup.ts';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-keyboard-',
  start: async () => {
    const server = await startTestServer({
      users: [...aliceAndBob, e2eUser('carol', 'Carol'), e2eUser('dave')],
      sharedGroup: 'Friends',
    });
    return { server, bob: await startPeer(server, 'bob', 'bob-e2e-pw') };
  },
  peers: (w) => [w.bob],
});

/** The focused element draws a visible outline (the :focus-visible ring). */
async function expectFocusRing(page: Page): Promise<void> {
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) return null;
    const style = getComputedStyle(el);
    return { visible: el.matches(':focus-visible'), style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(ring).not.toBeNull();
  expect(ring?.visible).toBe(true);
  expect(ring?.style).not.toBe('none');
  expect(ring?.width ?? 0).toBeGreaterThan(0);
}

test('signs in and sends a message with the keyboard only', async ({ browser }, testInfo) => {
  const { server, bob } = spec.world();
  const app = await spec.launch(browser, testInfo);
  const { page } = app;
  const login = new LoginPage(page);

  // The address field has the focus from the start; Tab goes on through the form.
  await expect(login.address).toBeFocused();
  await page.keyboard.type('alice@localhost');
  await page.keyboard.press('Tab');
  await expect(login.password).toBeFocused();
  await page.keyboard.type('alice-e2e-pw');
  await page.keyboard.press('Tab');
  await expect(login.server).toBeFocused();
  await page.keyboard.type(server.server);
  await expectFocusRing(page);
  // On to "Remember password" and "Sign in": each shows its focus ring.
  await page.keyboard.press('Tab');
  await expect(login.rememberPassword).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(login.signIn).toBeFocused();
  await expectFocusRing(page);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-keyboard-login-focus.png`) });
  await page.keyboard.press('Enter');

  const main = new MainPage(page);
  await expect(main.contact('Bob')).toBeVisible();

  // Ctrl+N: "New conversation", pick Bob by typing part of his name.
  await page.keyboard.press('Control+n');
  const dialog = page.getByRole('dialog', { name: 'New conversation' });
  await expect(dialog).toBeVisible();
  const field = dialog.getByRole('combobox', { name: 'Contact or address' });
  await expect(field).toBeFocused();
  await page.keyboard.type('bob');
  await expect(dialog.getByRole('option', { name: /Bob/u, selected: true })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');

  // The composer has the focus: type and Enter sends.
  await expect(main.composer).toBeFocused();
  const text = 'Sent without touching the mouse';
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await expect(main.message(text)).toBeVisible();
  const received = await bob.waitFor((s) => bodyOf(s) === text);
  expect(received.attrs['from']).toMatch(/^alice@localhost\//u);
});

test('Ctrl+K switches, Ctrl+1…9 picks a tab, Ctrl+F searches, Escape closes', async ({}, testInfo) => {
  const { page } = spec.app();
  const main = new MainPage(page);

  // Ctrl+K: the quick switcher filters as you type; arrows move; Enter opens.
  await page.keyboard.press('Control+k');
  const switcher = page.getByRole('dialog', { name: 'Go to conversation' });
  await expect(switcher).toBeVisible();
  const combobox = switcher.getByRole('combobox', { name: 'Find a contact or conversation' });
  await expect(combobox).toBeFocused();
  const list = switcher.getByRole('listbox', { name: 'Matches' });
  await expect(list.getByRole('option', { name: /Bob/u })).toBeVisible();
  await expect(list.getByRole('option', { name: /Carol/u })).toBeVisible();
  await page.keyboard.type('o'); // Bob, Carol and dave@localhost: every address has an "o"
  await expect(list.getByRole('option')).toHaveCount(3);
  const first = list.getByRole('option').nth(0);
  const second = list.getByRole('option').nth(1);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(combobox).toHaveAttribute('aria-activedescendant', (await second.getAttribute('id')) ?? '');
  await page.keyboard.press('ArrowUp');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.type('car');
  await expect(list.getByRole('option')).toHaveCount(0);
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('car');
  await expect(list.getByRole('option')).toHaveCount(1);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-keyboard-quick-switcher.png`) });
  await page.keyboard.press('Enter');
  await expect(switcher).toBeHidden();
  await expect(main.tab('Carol')).toHaveAttribute('aria-selected', 'true');

  // Ctrl+1 / Ctrl+2: the first and second tab; Ctrl+9 with two tabs changes nothing.
  await page.keyboard.press('Control+1');
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+2');
  await expect(main.tab('Carol')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+9');
  await expect(main.tab('Carol')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+1');
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');

  // Escape closes the quick switcher without opening anything.
  await page.keyboard.press('Control+k');
  await expect(switcher).toBeVisible();
  await page.keyboard.type('carol');
  await page.keyboard.press('Escape');
  await expect(switcher).toBeHidden();
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');

  // Ctrl+N with an address that is not a contact (no such user: the conversation is local until a message goes): a conversation with it.
  await page.keyboard.press('Control+n');
  const newDialog = page.getByRole('dialog', { name: 'New conversation' });
  await page.keyboard.type('erin@localhost');
  await expect(newDialog.getByRole('option', { name: 'Start a conversation with erin@localhost' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.keyboard.press('Enter');
  await expect(newDialog).toBeHidden();
  await expect(main.tab('erin@localhost')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+3');
  await expect(main.tab('erin@localhost')).toHaveAttribute('aria-selected', 'true');

  // Ctrl+F: "Search messages" gets the focus, and finds what was sent.
  await page.keyboard.press('Control+f');
  const search = page.getByRole('searchbox', { name: 'Search messages' });
  await expect(search).toBeFocused();
  await page.keyboard.type('mouse');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem').filter({ hasText: 'Sent without touching the mouse' })).toBeVisible();
  // Away from the field and back with Ctrl+Shift+F.
  await page.keyboard.press('Control+1');
  await main.composer.focus();
  await page.keyboard.press('Control+Shift+F');
  await expect(search).toBeFocused();

  // Escape closes the Accounts dialog, reached with Tab alone from the search field.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  const accountsButton = main.accountsButton;
  for (let i = 0; i < 20 && !(await accountsButton.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Shift+Tab');
  }
  await expect(accountsButton).toBeFocused();
  await expectFocusRing(page);
  await page.keyboard.press('Enter');
  const accounts = page.getByRole('dialog', { name: 'Accounts' });
  await expect(accounts).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(accounts).toBeHidden();
  await expect(accountsButton).toBeFocused();

  // A menu from the keyboard: its focused item shows the ring; Escape closes it.
  await main.composer.focus();
  const options = page.getByRole('button', { name: 'Conversation options', exact: true });
  for (let i = 0; i < 20 && !(await options.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Shift+Tab');
  }
  await expect(options).toBeFocused();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Conversation options' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await expectFocusRing(page);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-keyboard-menu-focus.png`) });
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(options).toBeFocused();
});

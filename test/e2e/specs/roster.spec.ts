/**
 * The roster, end to end, through a real Prosody: a shared group (mod_groups) gives Alice
 * Bob, Carol and Dave in "Friends"; Alice's own roster adds Zoë in two groups and 张伟 in
 * none. Checks the groups (a contact in each of its groups, "Ungrouped"), the order (online
 * first), the filter by name, address and Chinese characters, collapsing a group by mouse
 * and keyboard, "Show offline contacts" (remembered, and a contact with unread messages
 * shows anyway), and takes screenshots in light, dark and Chinese. Then 300 more contacts:
 * the list keeps only what is in view in the page, and the keyboard focus survives
 * scrolling its row away.
 */
import { expect, test } from '@playwright/test';
import { xml } from '@xmpp/client';
import path from 'node:path';
import { startTestServer } from '../../support/server.ts';
import { startPeer } from '../../support/peer.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';
import { Roster } from '../pages/roster.ts';
import { addRosterItems, aliceAndBob, e2eUser, serialSpec, shots } from '../setup.ts';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-roster-',
  start: async () => {
    const server = await startTestServer({
      users: [...aliceAndBob, e2eUser('carol', 'Carol'), e2eUser('dave', 'Dave')],
      sharedGroup: 'Friends',
    });
    await addRosterItems(server, [
      { jid: 'zoe@localhost', name: 'Zoë Ångström', groups: ['Work', 'Book club'] },
      { jid: 'wei@localhost', name: '张伟', groups: [] },
    ]);
    const bob = await startPeer(server, 'bob', 'bob-e2e-pw');
    await bob.send(xml('presence', {}, xml('show', {}, 'away'), xml('status', {}, 'In a meeting until three')));
    return { server, bob };
  },
  peers: (w) => [w.bob],
});

test('groups, filter, collapse, offline contacts and unread counts', async ({ browser }, testInfo) => {
  const { server } = spec.world();
  const app = await spec.launch(browser, testInfo);
  const { page } = app;
  await new LoginPage(page).signInAs('alice@localhost', 'alice-e2e-pw', server.server);
  const main = new MainPage(page);
  const roster = new Roster(page);

  // Groups by name, "Ungrouped" last; a contact in two groups is in both.
  await expect(main.contact('Bob')).toBeVisible();
  await expect(roster.groupHeader('Friends')).toHaveAccessibleName('Friends, 1 of 3 online');
  await expect(roster.contacts.getByRole('button', { name: / online$/u })).toHaveText([
    /^Book club\s*\(0\/1\)$/u,
    /^Friends\s*\(1\/3\)$/u,
    /^Work\s*\(0\/1\)$/u,
    /^Ungrouped\s*\(0\/1\)$/u,
  ]);
  await expect(main.contact('Zoë Ångström')).toHaveCount(2);
  await expect(roster.group('Work').getByRole('listitem', { name: 'Zoë Ångström' })).toBeVisible();
  await expect(roster.group('Book club').getByRole('listitem', { name: 'Zoë Ångström' })).toBeVisible();
  await expect(roster.group('Ungrouped').getByRole('listitem', { name: '张伟' })).toBeVisible();
  // Online first (Bob is away, with a status), then by name.
  const friends = roster.group('Friends').getByRole('listitem');
  await expect(friends).toHaveCount(3);
  await expect(friends.nth(0)).toHaveAccessibleName('Bob');
  await expect(friends.nth(1)).toHaveAccessibleName('Carol');
  await expect(friends.nth(2)).toHaveAccessibleName('Dave');
  await expect(main.contact('Bob')).toContainText('In a meeting until three');
  await expect(main.contact('Bob')).toContainText('Away');
  await expect(roster.items()).toHaveCount(6);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-roster.png`) });

  // The filter: by name (accents and case aside), by address, in Chinese; Escape clears it.
  await roster.filter.fill('zoe');
  await expect(roster.items()).toHaveCount(2);
  await expect(main.contact('Zoë Ångström')).toHaveCount(2);
  await expect(roster.found).toHaveText('1 contact found');
  await roster.filter.fill('BOB@LOC');
  await expect(roster.items()).toHaveCount(1);
  await expect(main.contact('Bob')).toBeVisible();
  await roster.filter.fill('伟');
  await expect(roster.items()).toHaveCount(1);
  await expect(main.contact('张伟')).toBeVisible();
  await roster.filter.fill('localhost');
  await expect(roster.items()).toHaveCount(6);
  await expect(roster.found).toHaveText('5 contacts found');
  await roster.filter.fill('nobody-here');
  await expect(roster.items()).toHaveCount(0);
  await expect(roster.contacts.locator('..')).toContainText('No contacts match “nobody-here”.');
  await roster.filter.press('Escape');
  await expect(roster.filter).toHaveValue('');
  await expect(roster.items()).toHaveCount(6);

  // Collapse and expand a group with the mouse.
  await roster.groupHeader('Friends').click();
  await expect(roster.groupHeader('Friends')).toHaveAttribute('aria-expanded', 'false');
  await expect(main.contact('Bob')).toHaveCount(0);
  await expect(roster.items()).toHaveCount(3);
  await roster.groupHeader('Friends').click();
  await expect(roster.groupHeader('Friends')).toHaveAttribute('aria-expanded', 'true');
  await expect(main.contact('Bob')).toBeVisible();

  // The keyboard: one Tab stop, arrows across headers and contacts, Left/Right collapse, Enter opens.
  await roster.filter.focus();
  await page.keyboard.press('ArrowDown');
  await expect(roster.groupHeader('Book club')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(roster.group('Book club').getByRole('listitem', { name: 'Zoë Ångström' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(roster.groupHeader('Friends')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(roster.groupHeader('Friends')).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(roster.groupHeader('Friends')).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(main.contact('Bob')).toBeFocused();
  await page.keyboard.press('End');
  await expect(main.contact('张伟')).toBeFocused();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(main.contact('Bob')).toBeFocused();
  await expect(roster.contacts.locator('[tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tabpanel', { name: 'Bob' })).toBeVisible();

  // Dave writes, then goes offline: with offline contacts hidden, he still shows, with his unread count.
  const dave = await startPeer(server, 'dave', 'dave-e2e-pw');
  await dave.sendChat('alice@localhost', 'Dave here, while you were away', 'dave-1');
  // (The count itself is the conversations' business: here, that the contact carries it.)
  await expect(main.contact('Dave')).toContainText(/\d+ unread/u);
  await dave.stop();
  await expect(main.contact('Dave')).toContainText('Offline');
  await expect(roster.showOffline).toBeChecked();
  await roster.showOffline.uncheck();
  await expect(main.contact('Carol')).toHaveCount(0);
  await expect(main.contact('Zoë Ångström')).toHaveCount(0);
  await expect(main.contact('张伟')).toHaveCount(0);
  await expect(main.contact('Bob')).toBeVisible();
  await expect(main.contact('Dave')).toBeVisible();
  await expect(main.contact('Dave')).toHaveAccessibleDescription(/^\d+ unread, dave@localhost, Offline$/u);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-roster-online-only.png`) });
  // The filter still finds everyone.
  await roster.filter.fill('carol');
  await expect(main.contact('Carol')).toBeVisible();
  await roster.filter.fill('');

  // Both settings are remembered: "Show offline contacts" and a collapsed group.
  await roster.groupHeader('Friends').click();
  await expect(roster.groupHeader('Friends')).toHaveAttribute('aria-expanded', 'false');
  await page.reload();
  await expect(roster.groupHeader('Friends')).toHaveAttribute('aria-expanded', 'false');
  await expect(roster.showOffline).not.toBeChecked();
  await roster.groupHeader('Friends').click();
  await roster.showOffline.check();
  await expect(main.contact('Carol')).toBeVisible();
  await expect(roster.items()).toHaveCount(6);
});

test('looks right in light, dark and Chinese', async ({}, testInfo) => {
  const { page } = spec.app();
  const main = new MainPage(page);
  await expect(main.contact('Bob')).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-roster-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(new URL('/?lang=zh-CN', page.url()).href);
  await expect(page.getByRole('list', { name: '联系人' }).getByRole('listitem', { name: 'Bob' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: '筛选联系人' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: '显示离线联系人' })).toBeChecked();
  await expect(page.getByRole('button', { name: '未分组，1 人中 0 人在线' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-roster-zh.png`) });
});

test('a long roster keeps only what is in view, and the focus while its row is scrolled away', async ({}, testInfo) => {
  const { page } = spec.app();
  const main = new MainPage(page);
  const roster = new Roster(page);
  await page.goto(new URL('/?lang=en', page.url()).href); // (after the Chinese screenshot)
  await addRosterItems(
    spec.world().server,
    Array.from({ length: 300 }, (_, i) => ({
      jid: `bulk${String(i)}@localhost`,
      name: `Contact ${String(i).padStart(3, '0')}`,
      groups: [`Bulk ${String(i % 10)}`],
    })),
  );
  await expect(page.getByRole('heading', { name: /^Contacts/u })).toContainText('305');
  await expect(roster.groupHeader('Bulk 0')).toBeVisible();
  // Far below: not in the page until scrolled to.
  await expect(roster.groupHeader('Bulk 9')).toHaveCount(0);
  expect(await roster.items().count()).toBeLessThan(60);

  // End goes to the last contact (张伟, in "Ungrouped"), scrolling it into view.
  await roster.filter.focus();
  await page.keyboard.press('ArrowDown');
  await expect(roster.groupHeader('Book club')).toBeFocused();
  await page.keyboard.press('End');
  await expect(main.contact('张伟')).toBeFocused();
  await expect(main.contact('张伟')).toBeInViewport();
  await expect(roster.groupHeader('Book club')).toHaveCount(0);

  // Scrolled back to the top (as with the mouse wheel), the focused row stays, and focused.
  await roster.contacts.locator('..').evaluate((scroller) => {
    scroller.scrollTop = 0;
  });
  await expect(roster.groupHeader('Book club')).toBeInViewport();
  await expect(main.contact('张伟')).toBeFocused();
  await expect(main.contact('张伟')).not.toBeInViewport();
  await expect(roster.contacts.locator('[tabindex="0"]')).toHaveCount(1);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-roster-long.png`) });
  // Scrolled back down to it: the same, in view, still focused.
  const bottom = await roster.contacts.locator('..').evaluate((scroller) => {
    scroller.scrollTop = scroller.scrollHeight;
    return scroller.scrollTop;
  });
  await expect(main.contact('张伟')).toBeInViewport();
  await expect(main.contact('张伟')).toBeFocused();
  expect(await roster.contacts.locator('..').evaluate((scroller) => scroller.scrollTop)).toBe(bottom);
  await roster.contacts.locator('..').evaluate((scroller) => {
    scroller.scrollTop = 0;
  });
  await expect(main.contact('张伟')).not.toBeInViewport();
  // The next key carries on from it, and brings it back into view.
  await page.keyboard.press('ArrowUp');
  await expect(roster.groupHeader('Ungrouped')).toBeFocused();
  await expect(roster.groupHeader('Ungrouped')).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(roster.groupHeader('Book club')).toBeFocused();
});

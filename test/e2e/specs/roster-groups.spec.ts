/**
 * Roster groups end to end (RFC 6121 roster sets through a real Prosody): rename a group from
 * its heading (the pencil button, the context menu by mouse and by keyboard), which survives
 * a reload; drag contacts between groups with Playwright's dragTo (a move; with Ctrl held, a
 * copy; from "Ungrouped"). Screenshots of the group menu and the rename dialog in light,
 * dark and Chinese. And the "Invisible" status's tooltip on Prosody 0.12 (no XEP-0186).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { startTestServer } from '../../support/server.ts';
import { LoginPage } from '../pages/login-page.ts';
import { Roster } from '../pages/roster.ts';
import { addRosterItems, e2eUser, serialSpec, shots } from '../setup.ts';

const items = [
  { jid: 'zoe@localhost', name: 'Zoë', groups: ['Friends'] },
  { jid: 'yan@localhost', name: 'Yan', groups: ['Friends'] },
  { jid: 'wei@localhost', name: 'Wei', groups: ['Work'] },
  { jid: 'xavier@localhost', name: 'Xavier', groups: [] },
];

const spec = serialSpec({
  dataPrefix: 'parley-e2e-groups-',
  start: async () => {
    const server = await startTestServer({ users: [e2eUser('alice', 'Alice')] });
    // Alice's roster, set from another resource of hers (one item per roster set).
    await addRosterItems(server, items);
    return { server };
  },
});

/** The names listed in a group, in order. */
async function members(roster: Roster, group: string): Promise<string[]> {
  return roster
    .group(group)
    .getByRole('listitem')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

function contactIn(roster: Roster, group: string, name: string): Locator {
  return roster.group(group).getByRole('listitem', { name, exact: true });
}

function headerNames(page: Page): Locator {
  return new Roster(page).contacts.getByRole('button', { name: / online$/u });
}

test('renames a group from its heading; the new name survives a reload', async ({ browser }, testInfo) => {
  const { server } = spec.world();
  const app = await spec.launch(browser, testInfo);
  const { page } = app;
  await new LoginPage(page).signInAs('alice@localhost', 'alice-e2e-pw', server.server);
  const roster = new Roster(page);
  await expect(headerNames(page)).toHaveText([/^Friends/u, /^Work/u, /^Ungrouped/u]);
  // "Ungrouped" is no roster group: nothing to rename.
  await expect(roster.contacts.getByRole('button', { name: 'Rename group Ungrouped' })).toHaveCount(0);

  // The pencil button on the heading (shown on hover).
  await roster.groupHeader('Friends').hover();
  await roster.contacts.getByRole('button', { name: 'Rename group Friends', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename the group “Friends”' });
  const field = dialog.getByRole('textbox', { name: 'Group name' });
  await expect(field).toHaveValue('Friends');
  await expect(field).toBeFocused();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-rename-group.png`) });
  await field.fill('Family');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(headerNames(page)).toHaveText([/^Family/u, /^Work/u, /^Ungrouped/u]);
  expect(await members(roster, 'Family')).toEqual(['Yan', 'Zoë']);

  // The context menu, by mouse: right click on the heading.
  await roster.groupHeader('Work').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions for group Work' });
  await expect(menu.getByRole('menuitem', { name: 'Rename group…' })).toBeFocused();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-group-menu.png`) });
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(roster.groupHeader('Work')).toBeFocused();

  // By keyboard: Shift+F10 on the focused heading, Enter on "Rename group…".
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem', { name: 'Rename group…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const work = page.getByRole('dialog', { name: 'Rename the group “Work”' });
  await work.getByRole('textbox', { name: 'Group name' }).fill('Office');
  await page.keyboard.press('Enter');
  await expect(work).toHaveCount(0);
  await expect(headerNames(page)).toHaveText([/^Family/u, /^Office/u, /^Ungrouped/u]);

  // F2 on a heading opens the dialog at once; Escape leaves the name as it was.
  await roster.groupHeader('Office').focus();
  await page.keyboard.press('F2');
  const office = page.getByRole('dialog', { name: 'Rename the group “Office”' });
  await expect(office).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(office).toHaveCount(0);

  // The server has the new names: a reload lists them again.
  await page.reload();
  await expect(headerNames(page)).toHaveText([/^Family/u, /^Office/u, /^Ungrouped/u]);
  expect(await members(roster, 'Family')).toEqual(['Yan', 'Zoë']);
  expect(await members(roster, 'Office')).toEqual(['Wei']);
});

test('drags contacts between groups: move, copy with Ctrl, out of "Ungrouped"', async ({}, testInfo) => {
  const { page } = spec.app();
  const roster = new Roster(page);

  // A move: Zoë leaves Family for Office.
  await contactIn(roster, 'Family', 'Zoë').dragTo(roster.groupHeader('Office'));
  await expect(contactIn(roster, 'Office', 'Zoë')).toBeVisible();
  await expect(contactIn(roster, 'Family', 'Zoë')).toHaveCount(0);
  expect(await members(roster, 'Family')).toEqual(['Yan']);

  // A copy (Ctrl held): Wei stays in Office and joins Family.
  await page.keyboard.down('Control');
  await contactIn(roster, 'Office', 'Wei').dragTo(contactIn(roster, 'Family', 'Yan'));
  await page.keyboard.up('Control');
  await expect(contactIn(roster, 'Family', 'Wei')).toBeVisible();
  await expect(contactIn(roster, 'Office', 'Wei')).toBeVisible();

  // From "Ungrouped": Xavier moves into Family, and "Ungrouped" goes away.
  await contactIn(roster, 'Ungrouped', 'Xavier').dragTo(roster.groupHeader('Family'));
  await expect(contactIn(roster, 'Family', 'Xavier')).toBeVisible();
  await expect(headerNames(page)).toHaveText([/^Family/u, /^Office/u]);

  // Dropping on its own group changes nothing.
  await contactIn(roster, 'Family', 'Yan').dragTo(roster.groupHeader('Family'));
  expect(await members(roster, 'Family')).toEqual(['Wei', 'Xavier', 'Yan']);

  // By hand, with the target group marked while the contact is over it.
  const yan = await contactIn(roster, 'Family', 'Yan').boundingBox();
  const office = await roster.groupHeader('Office').boundingBox();
  if (yan === null || office === null) throw new Error('not laid out');
  await page.mouse.move(yan.x + yan.width / 2, yan.y + yan.height / 2);
  await page.mouse.down();
  await page.mouse.move(office.x + office.width / 2, office.y + office.height / 2, { steps: 5 });
  await expect(page.locator('.roster-group.drop-target')).toHaveCount(1);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-group-drop-target.png`) });
  await page.mouse.up();
  await expect(contactIn(roster, 'Office', 'Yan')).toBeVisible();
  await expect(page.locator('.roster-group.drop-target')).toHaveCount(0);

  // Stored by the server: after a reload, the same groups.
  await page.reload();
  await expect(headerNames(page)).toHaveText([/^Family/u, /^Office/u]);
  expect(await members(roster, 'Family')).toEqual(['Wei', 'Xavier']);
  expect(await members(roster, 'Office')).toEqual(['Wei', 'Yan', 'Zoë']);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-groups-after-drag.png`) });
});

test('the group menu and the rename dialog in dark and Chinese', async ({}, testInfo) => {
  const { page } = spec.app();
  const roster = new Roster(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await roster.groupHeader('Office').click({ button: 'right' });
  await expect(page.getByRole('menu', { name: 'Actions for group Office' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-group-menu-dark.png`) });
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(new URL('/?lang=zh-CN', page.url()).href);
  const heading = page.getByRole('button', { name: /^Office，/u });
  await heading.hover();
  await page.getByRole('button', { name: '重命名分组 Office', exact: true }).click();
  await expect(page.getByRole('dialog', { name: '重命名分组“Office”' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-rename-group-zh.png`) });
  await page.keyboard.press('Escape');
  await page.goto(new URL('/?lang=en', page.url()).href);
});

test('"Invisible" says it only appears offline on a server without XEP-0186', async () => {
  const { page } = spec.app();
  const status = page.getByRole('combobox', { name: 'Status', exact: true });
  const invisible = status.getByRole('option', { name: 'Invisible', exact: true });
  await expect(invisible).toHaveAttribute('title', /^Appear offline: your server offers no real invisibility/u);
  await status.selectOption({ label: 'Invisible' });
  await expect(status).toHaveAttribute('title', /^Appear offline/u);
  // Still signed in.
  await expect(page.locator('.account').getByRole('status')).toContainText('Online');
  await status.selectOption({ label: 'Available' });
  await expect(status).not.toHaveAttribute('title', /./u);
});

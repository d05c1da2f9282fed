/**
 * The settings window (issue 7: settings, themes, language), end to end against a real
 * Prosody: opened from the sign-in screen and from the main view; its sections are tabs
 * named "Accounts", "General", "Notifications", "Privacy", "Files", "Advanced" (arrow
 * keys move between them); "Theme" switches the whole page to dark and back, "Language"
 * to Chinese and back, live, without a reload; a privacy switch survives a reload.
 * Screenshots of the window in light and dark, English and Chinese go to test-results/screens.
 */
import { expect, test, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProsodyServer } from '../../../main/devserver/prosody.ts';
import { startTestServer } from '../../support/server.ts';
import { hostKind, hostMissing, launchParley, type ParleyApp, skipWhereHostMissing } from '../host.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';
import { SETTINGS_TABS, SettingsWindow } from '../pages/settings-window.ts';

const shots = path.resolve('test-results/screens');
const users = [{ username: 'alice', password: 'alice-e2e-pw', name: 'Alice' }];

let server: ProsodyServer | undefined;
let app: ParleyApp | undefined;
let dir = '';

/** The page's background as the browser paints it. */
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const WHITE = 'rgb(255, 255, 255)';
const DARK = 'rgb(21, 23, 26)';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({}, testInfo) => {
  if (hostMissing(testInfo.project.name) !== undefined) return;
  server = await startTestServer({ users });
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-settings-'));
});

test.beforeEach(({}, testInfo) => {
  skipWhereHostMissing(testInfo);
});

test.afterAll(async () => {
  await app?.stop();
  await server?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function need(): { server: ProsodyServer; app: ParleyApp } {
  if (!server || !app) throw new Error('not started');
  return { server, app };
}

test('the sign-in screen opens the settings window, with its six tabs', async ({ browser }, testInfo) => {
  app = await launchParley(hostKind(testInfo.project.name), dir, browser);
  const { page } = app;
  await expect(new LoginPage(page).signIn).toBeVisible();
  await SettingsWindow.opener(page).click();
  const settings = new SettingsWindow(page);
  await expect(settings.dialog).toBeVisible();
  await expect(settings.tablist.getByRole('tab')).toHaveText([...SETTINGS_TABS]);
  await expect(settings.tab('General')).toHaveAttribute('aria-selected', 'true');
  await expect(settings.language).toHaveValue('system');
  await expect(settings.theme).toHaveValue('system');
  await page.screenshot({ path: path.join(shots, 'settings-login.png') });
  await page.keyboard.press('Escape');
  await expect(settings.dialog).toBeHidden();
});

test('the main view opens it; arrow keys move between the tabs', async () => {
  const { server: s, app: a } = need();
  const { page } = a;
  await new LoginPage(page).signInAs('alice@localhost', 'alice-e2e-pw', s.server);
  const main = new MainPage(page);
  await expect(main.accountStatus).toContainText('Online');
  await SettingsWindow.opener(page).click();
  const settings = new SettingsWindow(page);
  await expect(settings.tab('General')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(settings.tab('Notifications')).toBeFocused();
  await expect(settings.tab('Notifications')).toHaveAttribute('aria-selected', 'true');
  await expect(settings.panel).toHaveAccessibleName('Notifications');
  await expect(settings.dialog.getByRole('checkbox', { name: 'Show notifications' })).toBeChecked();
  await settings.dialog.getByRole('button', { name: '1 hour' }).click();
  await expect(settings.panel.getByRole('status')).toContainText('Muted until');
  await page.screenshot({ path: path.join(shots, 'settings-notifications.png') });
  await settings.dialog.getByRole('button', { name: 'Unmute' }).click();
  await expect(settings.dialog.getByRole('button', { name: 'Until tomorrow' })).toBeVisible();
  await settings.tab('Notifications').focus();
  await page.keyboard.press('End');
  await expect(settings.tab('Advanced')).toBeFocused();
  await expect(settings.dialog.getByRole('combobox', { name: 'Log level' })).toHaveValue('info');
  await expect(settings.dialog.getByRole('button', { name: 'Open logs folder' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'settings-advanced.png') });
  // The web host only reports the folder; the core checked and created it.
  await settings.dialog.getByRole('button', { name: 'Open logs folder' }).click();
  await expect.poll(() => existsSync(path.join(dir, 'logs'))).toBe(true);
  await expect(settings.panel.getByRole('alert').filter({ hasText: /./u })).toHaveCount(0);
  await settings.tab('Advanced').focus();
  await page.keyboard.press('ArrowDown');
  await expect(settings.tab('Accounts')).toBeFocused();
  // The account list, embedded.
  await expect(settings.panel.getByRole('listitem', { name: 'alice@localhost' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'settings-accounts.png') });
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Home');
  await expect(settings.tab('Accounts')).toHaveAttribute('aria-selected', 'true');
  await settings.tab('Files').click();
  await expect(settings.dialog.getByRole('textbox', { name: 'Downloads folder' })).toHaveValue('');
  await expect(
    settings.dialog.getByRole('checkbox', { name: 'Accept files from contacts without asking' }),
  ).not.toBeChecked();
  const folder = settings.dialog.getByRole('textbox', { name: 'Downloads folder' });
  await folder.fill('Downloads');
  await expect(folder).toHaveAttribute('aria-invalid', 'true');
  await expect(settings.panel).toContainText('Enter a full path');
  await page.screenshot({ path: path.join(shots, 'settings-files.png') });
  await folder.fill('/tmp/parley-inbox');
  await folder.press('Enter');
  await expect(folder).toHaveAttribute('aria-invalid', 'false');
  await settings.tab('General').click();
  await settings.tab('Files').click();
  await expect(folder).toHaveValue('/tmp/parley-inbox');
  await folder.fill('');
  await folder.press('Enter');
  await settings.tab('Privacy').click();
  // The blocked list of the account, embedded.
  await expect(settings.panel.getByRole('button', { name: 'Block', exact: true })).toBeVisible();
  await settings.panel.getByRole('textbox', { name: 'Address to block' }).fill('mallory@localhost');
  await settings.panel.getByRole('button', { name: 'Block', exact: true }).click();
  const blocked = settings.panel.getByRole('list', { name: 'Blocked contacts' });
  await expect(blocked.getByRole('listitem')).toHaveText([/mallory@localhost/u]);
  await page.screenshot({ path: path.join(shots, 'settings-privacy.png') });
  await blocked.getByRole('button', { name: 'Unblock' }).click();
  await expect(blocked).toBeHidden();
});

test('Theme switches the whole page to dark and back, live', async () => {
  const { page } = need().app;
  const settings = new SettingsWindow(page);
  await settings.tab('General').click();
  expect(await background(page)).toBe(WHITE);
  await settings.theme.selectOption({ label: 'Dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => background(page)).toBe(DARK);
  await page.screenshot({ path: path.join(shots, 'settings-dark.png') });
  await settings.close.click();
  await page.screenshot({ path: path.join(shots, 'settings-main-dark.png') });
  await SettingsWindow.opener(page).click();
  await settings.theme.selectOption({ label: 'Light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => background(page)).toBe(WHITE);
  // "Light" holds even where the OS prefers dark; "System" then follows the OS.
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background(page)).toBe(WHITE);
  await settings.theme.selectOption({ label: 'System' });
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./u);
  await expect.poll(() => background(page)).toBe(DARK);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => background(page)).toBe(WHITE);
});

test('Language switches every string to Chinese and back, without a reload', async () => {
  const { page } = need().app;
  const settings = new SettingsWindow(page);
  // Marks this document: a reload would lose it.
  await page.evaluate(() => {
    (window as unknown as { parleyMark: number }).parleyMark = 1;
  });
  await settings.language.selectOption({ label: '简体中文' });
  const zh = new SettingsWindow(page, '设置');
  await expect(zh.dialog).toBeVisible();
  await expect(zh.tablist.getByRole('tab')).toHaveText(['账号', '常规', '通知', '隐私', '文件', '高级']);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const language = zh.dialog.getByRole('combobox', { name: '语言', exact: true });
  await expect(language).toHaveValue('zh-CN');
  await expect(zh.dialog.getByRole('combobox', { name: '主题', exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'settings-zh-CN.png') });
  await zh.dialog.getByRole('combobox', { name: '主题', exact: true }).selectOption({ label: '深色' });
  await page.screenshot({ path: path.join(shots, 'settings-zh-CN-dark.png') });
  await zh.dialog.getByRole('tab', { name: '隐私' }).click();
  await page.screenshot({ path: path.join(shots, 'settings-zh-CN-dark-privacy.png') });
  await zh.dialog.getByRole('tab', { name: '常规' }).click();
  await zh.dialog.getByRole('combobox', { name: '主题', exact: true }).selectOption({ label: '跟随系统' });
  // The main view behind it changed too.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: '账号', exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'settings-zh-CN-main.png') });
  await SettingsWindow.opener(page, '设置').click();
  await language.selectOption({ label: 'English' });
  await expect(settings.dialog).toBeVisible();
  await expect(settings.tablist.getByRole('tab')).toHaveText([...SETTINGS_TABS]);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await settings.language.selectOption({ label: 'System' });
  await expect(settings.language).toHaveValue('system');
  expect(await page.evaluate(() => (window as unknown as { parleyMark?: number }).parleyMark)).toBe(1);
});

test('a privacy switch is kept after a reload', async () => {
  const { page } = need().app;
  const settings = new SettingsWindow(page);
  await settings.tab('Privacy').click();
  await expect(settings.sendTyping).toBeChecked();
  await settings.sendTyping.uncheck();
  await expect(settings.sendTyping).not.toBeChecked();
  await expect(settings.sendReadMarkers).toBeChecked();
  await page.reload();
  await expect(new MainPage(page).accountStatus).toContainText('Online');
  await SettingsWindow.opener(page).click();
  await settings.tab('Privacy').click();
  await expect(settings.sendTyping).not.toBeChecked();
  await expect(settings.sendReadMarkers).toBeChecked();
  await settings.sendTyping.check();
  await expect(settings.sendTyping).toBeChecked();
});

/**
 * XEP-0077 end to end: "Create account" on the sign-in screen, the server's
 * own form, a taken name, then signed in; then the password changed and the
 * account deleted on the server from the account editor.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import type { ProsodyServer } from '../../../main/devserver/prosody.ts';
import { CAPTCHA_ANSWER, startCaptchaServer } from '../../support/captcha-server.ts';
import { startTestServer } from '../../support/server.ts';
import { startPeer } from '../../support/peer.ts';
import { LoginPage } from '../pages/login-page.ts';
import { AccountSecuritySection, RegisterPage } from '../pages/register-page.ts';
import { serialSpec, shots } from '../setup.ts';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-register-',
  start: async () => ({
    server: await startTestServer({
      allowRegistration: true,
      users: [{ username: 'taken', password: 'taken-pw' }],
    }),
  }),
});

/** Whether an independent client can sign in with these credentials. */
async function canSignIn(server: ProsodyServer, username: string, password: string): Promise<boolean> {
  try {
    const peer = await startPeer(server, username, password);
    await peer.stop();
    return true;
  } catch {
    return false;
  }
}

test('creates an account with the server’s form and signs in', async ({ browser }, testInfo) => {
  const { server } = spec.world();
  const app = await spec.launch(browser, testInfo);
  const { page } = app;
  await page.getByRole('button', { name: 'Create account' }).click();

  const register = new RegisterPage(page);
  await expect(register.heading).toBeVisible();
  await register.server.fill('localhost');
  await register.host.fill(server.server);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-register-server.png`) });
  await register.continue.click();
  await expect(register.field('Username')).toBeVisible();
  await expect(register.field('Password')).toBeVisible();

  // A taken name: said clearly, the form stays, the name can be changed.
  await register.field('Username').fill('taken');
  await register.field('Password').fill('newbie-e2e-pw');
  await register.register.click();
  await expect(register.alert).toContainText('That address is taken.');
  await expect(register.field('Username')).toBeFocused();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-register-taken.png`) });

  await register.field('Username').fill('newbie');
  await expect(page.getByText('Your address will be newbie@localhost')).toBeVisible();
  await register.register.click();

  // Signed in: the main view, with the new account online.
  await expect(register.heading).toBeHidden();
  await expect(page.getByRole('navigation')).toBeVisible();
  await expect(page.getByText('newbie@localhost').first()).toBeVisible();
  await expect(page.getByText('Online', { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-register-signed-in.png`) });
  expect(await canSignIn(server, 'newbie', 'newbie-e2e-pw')).toBe(true);
});

test('changes the password, then deletes the account on the server', async ({}, testInfo) => {
  const { server } = spec.world();
  const { page } = spec.app();
  await page.getByRole('button', { name: 'Accounts' }).click();
  const accounts = page.getByRole('dialog', { name: 'Accounts' });
  await accounts.getByRole('listitem', { name: 'newbie@localhost' }).getByRole('button', { name: 'Edit' }).click();

  const security = new AccountSecuritySection(page);
  await security.newPassword.fill('second-pw');
  await security.confirmPassword.fill('second-pw-typo');
  await security.changePassword.click();
  await expect(page.getByRole('alert').filter({ hasText: 'The two passwords do not match.' })).toBeVisible();
  await security.confirmPassword.fill('second-pw');
  await security.changePassword.click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-account-security.png`) });
  expect(await canSignIn(server, 'newbie', 'second-pw')).toBe(true);
  expect(await canSignIn(server, 'newbie', 'newbie-e2e-pw')).toBe(false);

  await security.deleteOpen.click();
  const confirm = page.getByRole('dialog', { name: 'Delete newbie@localhost on the server?' });
  await expect(confirm).toBeVisible();
  await security.confirmation.fill('newbie@localhost.org');
  await security.deleteAccount.click();
  await expect(confirm.getByRole('alert')).toContainText('Type newbie@localhost exactly to confirm.');
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-delete-confirm.png`) });
  expect(await canSignIn(server, 'newbie', 'second-pw')).toBe(true);

  await security.confirmation.fill('newbie@localhost');
  await security.deleteAccount.click();
  // The only account is gone: back to the sign-in screen.
  await expect(new LoginPage(page).signIn).toBeVisible();
  expect(await canSignIn(server, 'newbie', 'second-pw')).toBe(false);
});

test('shows the server’s CAPTCHA, and a fresh one after a wrong answer', async ({}, testInfo) => {
  const { page } = spec.app();
  const server = await startCaptchaServer();
  try {
    // The only account was deleted: the sign-in screen is up.
    await page.getByRole('button', { name: 'Create account' }).click();
    const register = new RegisterPage(page);
    await register.askServer('localhost', server.server);
    await expect(register.captcha).toBeVisible();
    expect(await register.captcha.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await register.field('Username').fill('human');
    await register.field('Password').fill('human-pw');
    await register.field('Enter the text you see').fill('P4RL3Y');
    await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-register-captcha.png`) });
    await register.register.click();

    await expect(register.alert).toContainText('The CAPTCHA answer is wrong.');
    await expect(page.getByRole('status').filter({ hasText: 'new CAPTCHA' })).toBeVisible();
    await expect(register.field('Enter the text you see')).toHaveValue('');
    await expect(register.field('Enter the text you see')).toBeFocused();
    await expect(register.field('Username')).toHaveValue('human');
    await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-register-captcha-wrong.png`) });

    await register.field('Enter the text you see').fill(CAPTCHA_ANSWER);
    await register.register.click();
    await expect(register.heading).toBeHidden();
    await expect(page.getByText('human@localhost').first()).toBeVisible();
    expect(await canSignIn(server, 'human', 'human-pw')).toBe(true);
  } finally {
    await server.stop();
  }
});

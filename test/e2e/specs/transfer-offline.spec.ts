/**
 * Transfers never hang (issue 6, jingle), end to end in two Parley windows against a real
 * Prosody: Alice offers Bob a file (Jingle); while the offer waits, Bob turns his account off.
 * Bob's offer is gone as failed (no Accept left) and Alice's transfer fails too (Bob's
 * resource went unavailable), both saying that one side went offline — in English and Chinese,
 * light and dark.
 */
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startUploadServer } from '../../support/server.ts';
import { hostKind, hostMissing, launchParley, type ParleyApp, skipWhereHostMissing } from '../host.ts';
import { AccountsDialog } from '../pages/accounts-dialog.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';

const shots = path.resolve('test-results/screens');
const GONE_EN = 'The transfer ended because one side went offline.';
const GONE_ZH = '由于一方已离线，传输已终止。';

test.describe.configure({ mode: 'serial' });

let server: Awaited<ReturnType<typeof startUploadServer>> | undefined;
const dirs: string[] = [];
const apps: ParleyApp[] = [];

test.beforeAll(async ({}, testInfo) => {
  if (hostMissing(testInfo.project.name) !== undefined) return;
  server = await startUploadServer({
    users: [
      { username: 'alice', password: 'alice-e2e-pw', name: 'Alice' },
      { username: 'bob', password: 'bob-e2e-pw', name: 'Bob' },
    ],
    sharedGroup: 'Friends',
  });
});

test.beforeEach(({}, testInfo) => {
  skipWhereHostMissing(testInfo);
});

test.afterAll(async () => {
  for (const app of apps) await app.stop();
  await server?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function open(kind: ReturnType<typeof hostKind>, browser: Parameters<typeof launchParley>[2], jid: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-offline-'));
  dirs.push(dir);
  const app = await launchParley(kind, dir, browser);
  apps.push(app);
  if (!server) throw new Error('the test server did not start');
  const user = jid.split('@')[0] ?? '';
  await new LoginPage(app.page).signInAs(jid, `${user}-e2e-pw`, server.server);
  return { app, main: new MainPage(app.page) };
}

/** Drops a file onto the open conversation, as a file manager would. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const chat = page.locator('section.chat');
  const dt = await page.evaluateHandle(
    ({ n, b64 }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], n));
      return transfer;
    },
    { n: name, b64: bytes.toString('base64') },
  );
  await chat.dispatchEvent('dragenter', { dataTransfer: dt });
  await chat.dispatchEvent('dragover', { dataTransfer: dt });
  await chat.dispatchEvent('drop', { dataTransfer: dt });
}

test('an offer pending when the receiver goes offline fails on both sides, saying why', async ({
  browser,
}, testInfo) => {
  const kind = hostKind(testInfo.project.name);
  const alice = await open(kind, browser, 'alice@localhost');
  const bob = await open(kind, browser, 'bob@localhost');
  await alice.main.contact('Bob').click();
  await expect(alice.app.page.locator('.chat-sub')).toContainText('Online');
  await bob.main.contact('Alice').click();

  await dropFile(alice.app.page, 'plans.bin', randomBytes(4096));
  const offer = bob.app.page
    .getByRole('list', { name: 'Files in this conversation' })
    .getByRole('listitem', { name: 'plans.bin' });
  await expect(offer.getByRole('button', { name: 'Accept' })).toBeVisible();

  // Bob turns his account off while the offer waits.
  const accounts: AccountsDialog = await bob.main.openAccounts();
  await accounts.row('bob@localhost').enabled.uncheck();
  await accounts.close.click();
  await expect(offer).toContainText(GONE_EN);
  await expect(offer.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await bob.app.page.screenshot({ path: path.join(shots, 'transfer-offline-receiver.png') });

  const sent = alice.app.page
    .getByRole('list', { name: 'Files in this conversation' })
    .getByRole('listitem', { name: 'plans.bin' });
  await expect(sent).toContainText(GONE_EN);
  await expect(sent.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await alice.app.page.screenshot({ path: path.join(shots, 'transfer-offline-sender.png') });
  await alice.app.page.emulateMedia({ colorScheme: 'dark' });
  await alice.app.page.screenshot({ path: path.join(shots, 'transfer-offline-sender-dark.png') });
  await alice.app.page.emulateMedia({ colorScheme: 'light' });

  const { page } = alice.app;
  await page.goto(new URL('/?lang=zh-CN', page.url()).href);
  await page.getByRole('button', { name: '传输' }).click();
  const list = page.getByRole('dialog', { name: '文件传输' }).getByRole('list', { name: '文件传输' });
  await expect(list.getByRole('listitem', { name: 'plans.bin' })).toContainText(GONE_ZH);
  await page.screenshot({ path: path.join(shots, 'transfer-offline-zh-CN.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'transfer-offline-zh-CN-dark.png') });
});

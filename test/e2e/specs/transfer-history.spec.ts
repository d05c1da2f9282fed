/**
 * Transfer history (issue 6), end to end: a file uploaded to an offline contact (XEP-0363,
 * https) is still listed in the transfers view after Parley restarts, with its state and
 * method, in English and Chinese, light and dark; the shared link's file bubble, downloaded
 * before the restart, still finds its saved file ("Saved as", "Show in folder"); "Clear
 * finished" empties the list, and it stays empty after the next restart.
 */
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startUploadServer } from '../../support/server.ts';
import { MainPage } from '../pages/main-page.ts';
import { aliceAndBob, serialSpec, shots, signInAlice } from '../setup.ts';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-transfer-history-',
  start: async () => ({ server: await startUploadServer({ users: aliceAndBob, sharedGroup: 'Friends' }) }),
});

/** The transfers view's list (opening the dialog). */
async function transfersList(page: Page, title = 'Transfers', button = 'Transfers') {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: title });
  return { dialog, list: dialog.getByRole('list', { name: title }) };
}

test('finished transfers are listed after a restart until "Clear finished"', async ({ browser }, testInfo) => {
  const app = await spec.launch(browser, testInfo);
  const main = await signInAlice(app.page, spec.world().server);
  await main.contact('Bob').click();
  await expect(app.page.locator('.chat-sub')).toContainText('Offline');
  await app.page
    .getByLabel('Files to send')
    .setInputFiles({ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: randomBytes(20 * 1024) });
  const bubble = main.messages.getByRole('group', { name: 'File minutes.pdf' });
  await expect(bubble).toBeVisible();
  // Saved here too (her own link): a download of the shared file.
  await bubble.getByRole('button', { name: 'Download' }).click();
  await expect(bubble).toContainText('Saved as minutes.pdf');

  // Restart: the upload is history now.
  const again = await spec.restart(browser, testInfo);
  const page = again.page;
  const main2 = new MainPage(page);
  await expect(main2.contact('Bob')).toBeVisible();
  await main2.conversation('Bob').click();
  const bubble2 = main2.messages.getByRole('group', { name: 'File minutes.pdf' });
  await expect(bubble2).toContainText('Saved as minutes.pdf');
  await expect(bubble2.getByRole('button', { name: 'Download' })).toHaveCount(0);
  await bubble2.getByRole('button', { name: 'Show in folder' }).click();
  await expect(bubble2.getByRole('alert')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'transfer-history-bubble.png') });
  const { dialog, list } = await transfersList(page);
  await expect(list.getByRole('listitem', { name: 'minutes.pdf' })).toHaveCount(2); // the upload and the download
  const item = list.getByRole('listitem', { name: 'minutes.pdf' }).filter({ hasText: 'To upload.localhost' });
  await expect(item).toContainText('Completed');
  await expect(item).toContainText('HTTP upload');
  await expect(item).toContainText('application/pdf');
  await expect(item.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await page.screenshot({ path: path.join(shots, 'transfer-history.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'transfer-history-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // In Chinese (same core, the page reloaded).
  await page.goto(new URL('/?lang=zh-CN', page.url()).href);
  const zh = await transfersList(page, '文件传输', '传输');
  await expect(zh.list.getByRole('listitem', { name: 'minutes.pdf' }).first()).toContainText('已完成');
  await expect(zh.dialog.getByRole('button', { name: '清除已完成' })).toBeEnabled();
  await page.screenshot({ path: path.join(shots, 'transfer-history-zh-CN.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'transfer-history-zh-CN-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');

  await page.goto(new URL('/?lang=en', page.url()).href);
  const en = await transfersList(page);
  await en.dialog.getByRole('button', { name: 'Clear finished' }).click();
  await expect(en.dialog.getByText('No file transfers yet.')).toBeVisible();
  await expect(en.dialog.getByRole('button', { name: 'Clear finished' })).toBeDisabled();
  await page.screenshot({ path: path.join(shots, 'transfer-history-cleared.png') });
  await page.keyboard.press('Escape');
  // The download is forgotten: the bubble offers "Download" again.
  const main3 = new MainPage(page);
  await main3.conversation('Bob').click();
  await expect(
    main3.messages.getByRole('group', { name: 'File minutes.pdf' }).getByRole('button', { name: 'Download' }),
  ).toBeVisible();

  const third = await spec.restart(browser, testInfo);
  const cleared = await transfersList(third.page);
  await expect(cleared.dialog.getByText('No file transfers yet.')).toBeVisible();
});

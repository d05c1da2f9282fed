/**
 * File transfer (issue 6), end to end in two Parley windows (two web hosts, each with its own
 * core and data folder) against a real Prosody with HTTP upload (https): Alice drops a file
 * onto her conversation with Bob (a DataTransfer built in the page), Bob sees the offer with
 * Accept / Decline, accepts, Alice's progressbar reaches 100 and Bob's downloads folder holds
 * the same bytes (sha-256). Then a file chosen with "Send file" is declined, an offer is
 * cancelled while it waits, and once Bob is offline a pasted file is uploaded (XEP-0363) and its
 * link sent as a file message.
 */
import { expect, test, type Page } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gradientPng } from '../../support/png.ts';
import { startUploadServer } from '../../support/server.ts';
import { hostKind, hostMissing, launchParley, type ParleyApp, skipWhereHostMissing } from '../host.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';

const shots = path.resolve('test-results/screens');

test.describe.configure({ mode: 'serial' });

interface World {
  server: Awaited<ReturnType<typeof startUploadServer>>;
  aliceDir: string;
  bobDir: string;
}
let world: World | undefined;
let alice: ParleyApp | undefined;
let bob: ParleyApp | undefined;

function need(): World {
  if (!world) throw new Error('the test server did not start');
  return world;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Drags a file onto the open conversation and drops it, as a file manager would. */
async function dropFile(page: Page, name: string, bytes: Buffer, screenshot?: string): Promise<void> {
  const chat = page.locator('section.chat');
  const dt = await page.evaluateHandle(
    ({ n, b64 }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], n, { type: 'application/octet-stream' }));
      return transfer;
    },
    { n: name, b64: bytes.toString('base64') },
  );
  await chat.dispatchEvent('dragenter', { dataTransfer: dt });
  await chat.dispatchEvent('dragover', { dataTransfer: dt });
  await expect(page.getByText(/Drop files to send them to/u)).toBeVisible();
  if (screenshot !== undefined) await page.screenshot({ path: path.join(shots, screenshot) });
  await chat.dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByText(/Drop files to send them to/u)).toBeHidden();
}

async function signIn(page: Page, jid: string, password: string, server: string): Promise<MainPage> {
  await new LoginPage(page).signInAs(jid, password, server);
  return new MainPage(page);
}

test.beforeAll(async ({}, testInfo) => {
  if (hostMissing(testInfo.project.name) !== undefined) return;
  const server = await startUploadServer({
    users: [
      { username: 'alice', password: 'alice-e2e-pw', name: 'Alice' },
      { username: 'bob', password: 'bob-e2e-pw', name: 'Bob' },
    ],
    sharedGroup: 'Friends',
  });
  world = {
    server,
    aliceDir: await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-alice-')),
    bobDir: await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-bob-')),
  };
});

test.beforeEach(({}, testInfo) => {
  skipWhereHostMissing(testInfo);
});

test.afterAll(async () => {
  await alice?.stop();
  await bob?.stop();
  if (!world) return;
  await world.server.stop();
  await rm(world.aliceDir, { recursive: true, force: true });
  await rm(world.bobDir, { recursive: true, force: true });
});

test('a dropped file is offered, accepted, and arrives whole', async ({ browser }, testInfo) => {
  const w = need();
  const kind = hostKind(testInfo.project.name);
  alice = await launchParley(kind, w.aliceDir, browser);
  bob = await launchParley(kind, w.bobDir, browser);
  const a = await signIn(alice.page, 'alice@localhost', 'alice-e2e-pw', w.server.server);
  const b = await signIn(bob.page, 'bob@localhost', 'bob-e2e-pw', w.server.server);
  await expect(a.contact('Bob')).toBeVisible();
  await expect(b.contact('Alice')).toBeVisible();

  await a.contact('Bob').click();
  await expect(alice.page.locator('.chat-sub')).toContainText('Online');
  await expect(alice.page.getByRole('button', { name: 'Send file' })).toBeVisible();
  await b.contact('Alice').click();

  // Several chunks of staging (128 KiB each), then a direct transfer.
  const bytes = randomBytes(300 * 1024 + 17);
  await dropFile(alice.page, 'holiday photos.bin', bytes, 'transfers-drop-overlay.png');

  // Bob: the offer, in the conversation, with who, what and how big.
  const files = bob.page.getByRole('list', { name: 'Files in this conversation' });
  const offer = files.getByRole('listitem', { name: 'holiday photos.bin' });
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('alice@localhost wants to send you a file');
  await expect(offer).toContainText('300 KB');
  await expect(offer.getByRole('button', { name: 'Decline' })).toBeVisible();
  await bob.page.screenshot({ path: path.join(shots, 'transfers-offer.png') });
  await offer.getByRole('button', { name: 'Accept' }).click();

  // Alice: the transfers view shows it completed, with the method used.
  await alice.page.getByRole('button', { name: 'Transfers' }).click();
  const list = alice.page.getByRole('dialog', { name: 'Transfers' }).getByRole('list', { name: 'Transfers' });
  const sent = list.getByRole('listitem', { name: 'holiday photos.bin' });
  await expect(sent.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(sent).toContainText('Completed');
  await expect(sent).toContainText(/direct|via server proxy|in-band/u);
  await expect(sent.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await alice.page.screenshot({ path: path.join(shots, 'transfers-view.png') });
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await alice.page.screenshot({ path: path.join(shots, 'transfers-view-dark.png') });
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await alice.page.keyboard.press('Escape');

  // Bob: completed, saved under its name, byte for byte.
  await expect(offer.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  const received = await readFile(path.join(w.bobDir, 'downloads', 'holiday photos.bin'));
  expect(sha256(received)).toBe(sha256(bytes));
  await bob.page.screenshot({ path: path.join(shots, 'transfers-received.png') });
});

test('a received image shows an inline preview, made from the saved file', async () => {
  if (!alice || !bob) throw new Error('apps not started');
  const png = gradientPng(200, 120);
  await dropFile(alice.page, 'sunset.png', png);
  const files = bob.page.getByRole('list', { name: 'Files in this conversation' });
  const offer = files.getByRole('listitem', { name: 'sunset.png' });
  await expect(offer.getByRole('button', { name: 'Accept' })).toBeVisible();
  await expect(offer.getByAltText('sunset.png')).toHaveCount(0); // nothing before it is saved
  await offer.getByRole('button', { name: 'Accept' }).click();
  const preview = offer.getByAltText('sunset.png');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(200);
  expect(await preview.getAttribute('src')).toMatch(/^data:image\/png;base64,/u);
  await offer.getByRole('button', { name: 'Open sunset.png' }).click();
  await expect(offer.getByRole('alert')).toHaveCount(0);
  await offer.scrollIntoViewIfNeeded();
  await bob.page.screenshot({ path: path.join(shots, 'transfers-image-preview.png') });
  await bob.page.emulateMedia({ colorScheme: 'dark' });
  await bob.page.screenshot({ path: path.join(shots, 'transfers-image-preview-dark.png') });
  await bob.page.emulateMedia({ colorScheme: 'light' });
});

test('a file chosen with "Send file" can be declined', async () => {
  if (!alice || !bob) throw new Error('apps not started');
  const input = alice.page.getByLabel('Files to send');
  await input.setInputFiles({ name: 'budget.txt', mimeType: 'text/plain', buffer: Buffer.from('not for you\n') });

  await bob.page.getByRole('button', { name: 'Transfers' }).click();
  const dialog = bob.page.getByRole('dialog', { name: 'Transfers' });
  const offer = dialog.getByRole('list', { name: 'Transfers' }).getByRole('listitem', { name: 'budget.txt' });
  await expect(offer).toContainText('alice@localhost');
  await expect(offer).toContainText('12 B');
  await bob.page.screenshot({ path: path.join(shots, 'transfers-view-offer.png') });
  await offer.getByRole('button', { name: 'Decline' }).click();
  await expect(offer).toContainText('Failed');
  await bob.page.keyboard.press('Escape');

  const files = alice.page.getByRole('list', { name: 'Files in this conversation' });
  const declined = files.getByRole('listitem', { name: 'budget.txt' });
  await expect(declined).toContainText('The file was declined.');
  await alice.page.screenshot({ path: path.join(shots, 'transfers-declined.png') });
});

test('an offer waiting for an answer can be cancelled; the other side is told', async () => {
  if (!alice || !bob) throw new Error('apps not started');
  await dropFile(alice.page, 'draft.odt', randomBytes(2048));
  const waiting = alice.page
    .getByRole('list', { name: 'Files in this conversation' })
    .getByRole('listitem', { name: 'draft.odt' });
  await expect(waiting).toContainText('Waiting for the other side');
  const offer = bob.page
    .getByRole('list', { name: 'Files in this conversation' })
    .getByRole('listitem', { name: 'draft.odt' });
  await expect(offer.getByRole('button', { name: 'Accept' })).toBeVisible();
  await alice.page.screenshot({ path: path.join(shots, 'transfers-waiting.png') });

  await waiting.getByRole('button', { name: 'Cancel' }).click();
  await expect(waiting).toContainText('The transfer was cancelled.');
  await expect(waiting.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(offer).toContainText('Failed');
  await expect(offer.getByRole('button', { name: 'Accept' })).toHaveCount(0);
});

test('to an offline contact, a file is uploaded and its link sent', async () => {
  if (!alice || !bob) throw new Error('apps not started');
  const stopping = bob;
  bob = undefined;
  await stopping.stop();
  await expect(alice.page.locator('.chat-sub')).toContainText('Offline');

  // Pasted into the composer, as from a file manager's "Copy".
  const bytes = randomBytes(40 * 1024);
  await alice.page.getByRole('textbox', { name: 'Message' }).evaluate((el, b64) => {
    const transfer = new DataTransfer();
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([data], 'minutes.pdf', { type: 'application/pdf' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, bytes.toString('base64'));
  const a = new MainPage(alice.page);
  const file = a.messages.getByRole('group', { name: 'File minutes.pdf' });
  await expect(file).toBeVisible();
  await alice.page.screenshot({ path: path.join(shots, 'transfers-uploaded.png') });
  await alice.page.getByRole('button', { name: 'Transfers' }).click();
  const uploaded = alice.page
    .getByRole('dialog', { name: 'Transfers' })
    .getByRole('list', { name: 'Transfers' })
    .getByRole('listitem', { name: 'minutes.pdf' });
  await expect(uploaded).toContainText('To bob@localhost');
  await expect(uploaded).toContainText('HTTP upload');
  await expect(uploaded).toContainText('the contact is offline');
  await expect(uploaded.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await alice.page.screenshot({ path: path.join(shots, 'transfers-uploaded-view.png') });
  await alice.page.keyboard.press('Escape');
});

test('the transfers view in Chinese, light and dark', async () => {
  if (!alice) throw new Error('app not started');
  const { page } = alice;
  await page.goto(new URL('/?lang=zh-CN', page.url()).href);
  await page.getByRole('button', { name: '传输' }).click();
  const list = page.getByRole('dialog', { name: '文件传输' }).getByRole('list', { name: '文件传输' });
  await expect(list.getByRole('listitem', { name: 'holiday photos.bin' })).toContainText('已完成');
  await expect(list.getByRole('listitem', { name: 'budget.txt' })).toContainText('文件被拒绝了。');
  await page.screenshot({ path: path.join(shots, 'transfers-view-zh-CN.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'transfers-view-zh-CN-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

/**
 * The foundation, end to end: sign in, roster, a message each way with a
 * real peer through a real Prosody, and the archive after a restart.
 */
import { expect, test } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProsodyServer } from '../../../main/devserver/prosody.ts';
import { startTestServer } from '../../support/server.ts';
import { bodyOf, startPeer, type Peer } from '../../support/peer.ts';
import { hostKind, hostMissing, launchParley, type ParleyApp, skipWhereHostMissing } from '../host.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';

const shots = path.resolve('test-results/screens');

test.describe.configure({ mode: 'serial' });

interface World {
  server: ProsodyServer;
  bob: Peer;
  dataDir: string;
}
let world: World | undefined;
let app: ParleyApp | undefined;

function need(): World {
  if (!world) throw new Error('the test server did not start');
  return world;
}

test.beforeAll(async ({}, testInfo) => {
  if (hostMissing(testInfo.project.name) !== undefined) return;
  const server = await startTestServer({
    users: [
      { username: 'alice', password: 'alice-e2e-pw', name: 'Alice' },
      { username: 'bob', password: 'bob-e2e-pw', name: 'Bob' },
    ],
    sharedGroup: 'Friends',
  });
  const bob = await startPeer(server, 'bob', 'bob-e2e-pw');
  world = { server, bob, dataDir: await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-')) };
});

test.beforeEach(({}, testInfo) => {
  skipWhereHostMissing(testInfo);
});

test.afterAll(async () => {
  await app?.stop();
  if (!world) return;
  await world.bob.stop();
  await world.server.stop();
  await rm(world.dataDir, { recursive: true, force: true });
});

const kind = hostKind;

test('a wrong password says so and stays on the sign-in form', async ({ browser }, testInfo) => {
  const { server, dataDir } = need();
  app = await launchParley(kind(testInfo.project.name), dataDir, browser);
  const login = new LoginPage(app.page);
  await expect(login.signIn).toBeVisible();
  await app.page.screenshot({ path: path.join(shots, `${testInfo.project.name}-login.png`) });
  await login.signInAs('alice@localhost', 'not-the-password', server.server);
  await expect(login.alert).toContainText(/wrong address or password/iu);
  await expect(login.signIn).toBeEnabled();
});

test('signs in, receives, replies, and finds both again after a restart', async ({ browser }, testInfo) => {
  if (!app) throw new Error('app not started');
  const { server, bob, dataDir } = need();
  const { page } = app;
  const login = new LoginPage(page);
  await login.signInAs('alice@localhost', 'alice-e2e-pw', server.server);

  const main = new MainPage(page);
  await expect(main.contact('Bob')).toBeVisible();
  await expect(main.contact('Bob')).toContainText('bob@localhost');

  const hostile = 'Hello Alice <b>not bold</b> <img src=x onerror=alert(1)>';
  await bob.sendChat('alice@localhost', hostile);
  await expect(main.conversation('Bob')).toBeVisible();
  await main.conversation('Bob').click();
  await expect(main.message(hostile)).toBeVisible();
  await expect(main.messages.locator('b, img')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-conversation.png`) });

  const reply = 'Hi Bob, got it!';
  await main.sendMessage(reply);
  await expect(main.message(reply)).toBeVisible();
  await expect(main.composer).toHaveValue('');
  const received = await bob.waitFor((s) => bodyOf(s) === reply);
  expect(received.attrs['from']).toMatch(/^alice@localhost\//u);
  const texts = await main.messages.getByRole('listitem').allInnerTexts();
  expect(texts.findIndex((t) => t.includes(hostile))).toBeLessThan(texts.findIndex((t) => t.includes(reply)));

  // Restart the core on the same data folder: both messages come back from the archive.
  await app.stop();
  app = await launchParley(kind(testInfo.project.name), dataDir, browser);
  const again = new MainPage(app.page);
  await expect(again.conversation('Bob')).toBeVisible();
  await again.conversation('Bob').click();
  await expect(again.message(hostile)).toBeVisible();
  await expect(again.message(reply)).toBeVisible();
  await app.page.screenshot({ path: path.join(shots, `${testInfo.project.name}-after-restart.png`) });
});

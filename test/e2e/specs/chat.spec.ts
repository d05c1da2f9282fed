/**
 * The foundation, end to end: sign in, roster, a message each way with a
 * real peer through a real Prosody, and the archive after a restart.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { startTestServer } from '../../support/server.ts';
import { bodyOf, startPeer } from '../../support/peer.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';
import { aliceAndBob, serialSpec, shots, signInAlice } from '../setup.ts';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-',
  start: async () => {
    const server = await startTestServer({ users: aliceAndBob, sharedGroup: 'Friends' });
    return { server, bob: await startPeer(server, 'bob', 'bob-e2e-pw') };
  },
  peers: (w) => [w.bob],
});

test('a wrong password says so and stays on the sign-in form', async ({ browser }, testInfo) => {
  const { server } = spec.world();
  const app = await spec.launch(browser, testInfo);
  const login = new LoginPage(app.page);
  await expect(login.signIn).toBeVisible();
  await app.page.screenshot({ path: path.join(shots, `${testInfo.project.name}-login.png`) });
  await login.signInAs('alice@localhost', 'not-the-password', server.server);
  await expect(login.alert).toContainText(/wrong address or password/iu);
  await expect(login.signIn).toBeEnabled();
});

test('signs in, receives, replies, and finds both again after a restart', async ({ browser }, testInfo) => {
  const { server, bob } = spec.world();
  const { page } = spec.app();
  const main = await signInAlice(page, server);
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
  const app = await spec.restart(browser, testInfo);
  const again = new MainPage(app.page);
  await expect(again.conversation('Bob')).toBeVisible();
  await again.conversation('Bob').click();
  await expect(again.message(hostile)).toBeVisible();
  await expect(again.message(reply)).toBeVisible();
  await app.page.screenshot({ path: path.join(shots, `${testInfo.project.name}-after-restart.png`) });
});

/**
 * Attention (issue 7), end to end in the web host: a burst of messages from a real peer in a
 * conversation that is not shown gives one notification intent updated in place (the web
 * host's NotifierPort reports them with --test-hooks), and clicking it (as the OS would: the
 * host calls core.attention.openTarget) opens that conversation in the window.
 * The Electron project skips this: its notifications are the OS's.
 */
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { NotificationIntent } from '../../../main/core/attention/ports.ts';
import type { ProsodyServer } from '../../../main/devserver/prosody.ts';
import { startTestServer } from '../../support/server.ts';
import { startPeer, type Peer } from '../../support/peer.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';

const shots = path.resolve('test-results/screens');

test.describe.configure({ mode: 'serial' });

let server: ProsodyServer | undefined;
let bob: Peer | undefined;
let dataDir: string | undefined;
let host: ChildProcess | undefined;
const intents: NotificationIntent[] = [];

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'web', 'the web host’s test hooks stand in for the OS notifications');
});

test.afterAll(async () => {
  if (host) {
    const exited = new Promise((resolve) => host?.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
  await bob?.stop();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startHost(dir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [path.resolve('main/web/cli.ts'), '--port', '0', '--data-dir', dir, '--log-level', 'warn', '--test-hooks'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  host = child;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('web host did not print its URL'));
    }, 15_000);
    child.once('exit', (code) => {
      reject(new Error(`web host exited (${String(code)})`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = /^Parley web UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/u.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
      const intent = /^Parley notification: (\{.*\})$/u.exec(line)?.[1];
      if (intent) intents.push(JSON.parse(intent) as NotificationIntent);
    });
  });
}

test('a burst from a peer is one notification; clicking it opens the conversation at the message', async ({
  browser,
}, testInfo) => {
  server = await startTestServer({
    users: [
      { username: 'alice', password: 'alice-e2e-pw', name: 'Alice' },
      { username: 'bob', password: 'bob-e2e-pw', name: 'Bob' },
    ],
    sharedGroup: 'Friends',
  });
  bob = await startPeer(server, 'bob', 'bob-e2e-pw');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-notify-'));
  const url = await startHost(dataDir);
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(url);
  await new LoginPage(page).signInAs('alice@localhost', 'alice-e2e-pw', server.server);
  const main = new MainPage(page);
  await expect(main.contact('Bob')).toBeVisible();

  for (let i = 1; i <= 10; i += 1) await bob.sendChat('alice@localhost', `burst ${String(i)}`);
  await expect(main.conversation('Bob')).toContainText('burst 10');
  await expect.poll(() => intents.at(-1)?.count).toBe(10);
  const tag = 'message:alice@localhost:bob@localhost';
  expect(intents.filter((n) => n.tag === tag)).toHaveLength(10);
  expect(intents.filter((n) => n.tag === tag && !n.replace)).toHaveLength(1);
  expect(intents.filter((n) => n.sound)).toHaveLength(1);
  const latest = intents.at(-1);
  expect(latest?.title).toBe('Bob (10)');
  await expect(main.tabs.getByRole('tab')).toHaveCount(0);

  // The OS reports a click: the host hands the target to the core, the renderer opens it.
  host?.stdin?.write(`open-target ${JSON.stringify(latest?.target)}\n`);
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');
  // At the start of the burst, to read on from there.
  await expect(main.messages.getByText('burst 1', { exact: true })).toBeInViewport();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-notification-opened.png`) });
  await context.close();
});

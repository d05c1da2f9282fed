/**
 * What the serial end-to-end specs share: a throwaway Prosody with its users and peers, a data
 * folder, the Parley app under test (started in the project's host, stopped after the spec),
 * signing Alice in, and her own roster items.
 */
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { xml } from '@xmpp/client';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startPeer } from '../support/peer.ts';
import { hostKind, hostMissing, launchParley, type ParleyApp, skipWhereHostMissing } from './host.ts';
import { LoginPage } from './pages/login-page.ts';
import { MainPage } from './pages/main-page.ts';

/** Where the specs write the screenshots to look at. */
export const shots = path.resolve('test-results/screens');

/** A test user: `<username>-e2e-pw` is the password. */
export function e2eUser(username: string, name?: string): { username: string; password: string; name?: string } {
  return { username, password: `${username}-e2e-pw`, ...(name === undefined ? {} : { name }) };
}

/** Alice and Bob, the users most specs start with. */
export const aliceAndBob = [e2eUser('alice', 'Alice'), e2eUser('bob', 'Bob')];

interface Stoppable {
  stop(): Promise<unknown>;
}

export interface SerialSpec<W> {
  /** What `start` made, with the data folder (throws when the test server did not start). */
  world(): W & { dataDir: string };
  /** The app launched last (throws when none is). */
  app(): ParleyApp;
  /** Launches Parley on the data folder in the project's host; the spec's end stops it. */
  launch(browser: Browser, testInfo: TestInfo): Promise<ParleyApp>;
  /** Stops the app and launches it again on the same data folder. */
  restart(browser: Browser, testInfo: TestInfo): Promise<ParleyApp>;
}

/**
 * Makes the calling spec file serial and registers its hooks: `start` once before all tests
 * (not where the project's host cannot run: each test then skips, saying why), a fresh data
 * folder named `dataPrefix…`; after all, the app, then `peers` (in order), then the server
 * stop and the folder goes.
 */
export function serialSpec<W extends { server: Stoppable }>(options: {
  dataPrefix: string;
  start: () => Promise<W>;
  peers?: (world: W) => readonly Stoppable[];
}): SerialSpec<W> {
  let world: (W & { dataDir: string }) | undefined;
  let app: ParleyApp | undefined;

  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async ({}, testInfo) => {
    if (hostMissing(testInfo.project.name) !== undefined) return;
    const made = await options.start();
    world = { ...made, dataDir: await mkdtemp(path.join(os.tmpdir(), options.dataPrefix)) };
  });

  test.beforeEach(({}, testInfo) => {
    skipWhereHostMissing(testInfo);
  });

  test.afterAll(async () => {
    await app?.stop();
    if (!world) return;
    for (const peer of options.peers?.(world) ?? []) await peer.stop();
    await world.server.stop();
    await rm(world.dataDir, { recursive: true, force: true });
  });

  const spec: SerialSpec<W> = {
    world() {
      if (!world) throw new Error('the test server did not start');
      return world;
    },
    app() {
      if (!app) throw new Error('app not started');
      return app;
    },
    async launch(browser, testInfo) {
      app = await launchParley(hostKind(testInfo.project.name), spec.world().dataDir, browser);
      return app;
    },
    async restart(browser, testInfo) {
      await spec.app().stop();
      return spec.launch(browser, testInfo);
    },
  };
  return spec;
}

/** Signs Alice in (her test password) and waits until `contact` shows in her roster. */
export async function signInAlice(page: Page, server: { server: string }, contact = 'Bob'): Promise<MainPage> {
  await new LoginPage(page).signInAs('alice@localhost', 'alice-e2e-pw', server.server);
  const main = new MainPage(page);
  await expect(main.contact(contact)).toBeVisible();
  return main;
}

export interface RosterItem {
  jid: string;
  name: string;
  groups: readonly string[];
}

/** Roster items of Alice's own (beside any shared group): roster sets from another resource of hers. */
export async function addRosterItems(server: ProsodyServer, items: readonly RosterItem[]): Promise<void> {
  const alice = await startPeer(server, 'alice', 'alice-e2e-pw');
  try {
    // One item per roster set (RFC 6121 §2.3.2).
    for (const [i, { jid, name, groups }] of items.entries()) {
      const id = `roster-${String(i)}`;
      await alice.send(
        xml(
          'iq',
          { type: 'set', id },
          xml(
            'query',
            { xmlns: 'jabber:iq:roster' },
            xml('item', { jid, name }, ...groups.map((g) => xml('group', {}, g))),
          ),
        ),
      );
      const result = await alice.waitFor((s) => s.is('iq') && s.attrs['id'] === id);
      if (result.attrs['type'] !== 'result') throw new Error(`roster set refused: ${result.toString()}`);
    }
  } finally {
    await alice.stop();
  }
}

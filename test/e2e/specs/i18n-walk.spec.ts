/**
 * Every screen in Simplified Chinese, with nothing left in English (issue 7): the walk
 * visits the sign-in form (and its error), registration (both steps), the main view with
 * contacts and a conversation with messages, a message's actions and reaction picker, the
 * emoji picker, search with results, add contact, a contact's menu and profile, my profile,
 * blocked contacts, the directory and gateways, the conversation menu and its delete
 * confirmation, a subscription notice, the accounts dialog and account editor, the quick
 * switcher and new conversation, the settings window, and the certificate panel. On each it collects the visible
 * text and the accessible names (aria-label, title, placeholder, alt) and fails on any
 * Latin-letter word that is not an address, a host, a brand or protocol name, a key name
 * (test/support/untranslated.ts) or the fixture's own content (names, group). In every
 * language, each visible control must have an accessible name.
 *
 * The same walk runs in English and in both colour schemes for the screenshots
 * (test-results/screens/<project>-i18n-<lang>-<scheme>-<screen>.png).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startProsody, type ProsodyServer } from '../../../main/devserver/prosody.ts';
import { registerTables } from '../../../renderer/features/register/i18n.ts';
import { languages, type Language } from '../../../renderer/i18n/index.ts';
import { startTestServer } from '../../support/server.ts';
import { startPeer, type Peer } from '../../support/peer.ts';
import { untranslatedWords } from '../../support/untranslated.ts';
import { hostKind, hostMissing, launchParley, type ParleyApp, skipWhereHostMissing } from '../host.ts';

const shots = path.resolve('test-results/screens');

test.describe.configure({ mode: 'serial' });

interface World {
  server: ProsodyServer;
  /** A server with its own CA, which nothing here trusts: the certificate panel. */
  stranger: ProsodyServer;
  bob: Peer;
}
let world: World | undefined;
let app: ParleyApp | undefined;
let dataDir: string | undefined;

function need(): World {
  if (!world) throw new Error('the test server did not start');
  return world;
}

/**
 * The fixture's own words: display names, the shared group, the domain, and Bob's resource
 * ("peer", his client's device name): user content, not Parley's text.
 */
const FIXTURE_WORDS = ['Alice', 'Bob', 'Carol', 'Friends', 'localhost', 'peer'];

/**
 * Text that is not Parley's: what a server wrote in its own language (a sign-up form's
 * instructions, its own labels and choices), marked data-server-text where it is shown.
 */
const FOREIGN = ['[data-server-text]'];

test.beforeAll(async ({}, testInfo) => {
  if (hostMissing(testInfo.project.name) !== undefined) return;
  const server = await startTestServer({
    allowRegistration: true,
    users: [
      { username: 'alice', password: 'alice-e2e-pw', name: 'Alice' },
      { username: 'bob', password: 'bob-e2e-pw', name: 'Bob' },
      { username: 'carol', password: 'carol-e2e-pw', name: 'Carol' },
    ],
    sharedGroup: 'Friends',
  });
  const bob = await startPeer(server, 'bob', 'bob-e2e-pw');
  const stranger = await startProsody({ users: [{ username: 'erin', password: 'erin-e2e-pw' }] });
  world = { server, stranger, bob };
});

test.beforeEach(({}, testInfo) => {
  skipWhereHostMissing(testInfo);
});

test.afterEach(async () => {
  await app?.stop();
  app = undefined;
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

test.afterAll(async () => {
  if (!world) return;
  await world.bob.stop();
  await world.server.stop();
  await world.stranger.stop();
});

interface Found {
  where: string;
  text: string;
}

/** Visible text and accessible names on the page (the top layer's dialogs included). */
function collect(page: Page, foreign: readonly string[]): Promise<Found[]> {
  return page.evaluate((foreignSelectors) => {
    const out: { where: string; text: string }[] = [];
    const describe = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e !== null && parts.length < 3; e = e.parentElement) {
        const cls = typeof e.className === 'string' && e.className !== '' ? `.${e.className.split(' ')[0] ?? ''}` : '';
        parts.unshift(`${e.tagName.toLowerCase()}${cls}`);
      }
      return parts.join(' > ');
    };
    const skipped = (el: Element): boolean =>
      el.closest('[aria-hidden="true"], [hidden], script, style, noscript') !== null ||
      foreignSelectors.some((sel) => el.closest(sel) !== null);
    const visible = (el: Element): boolean => {
      // Options of a visible <select> count: they show when it opens.
      const owner = el.closest('select') ?? el;
      return owner.checkVisibility({ visibilityProperty: true });
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = (node.nodeValue ?? '').trim();
      if (el === null || text === '' || skipped(el) || !visible(el)) continue;
      out.push({ where: describe(el), text });
    }
    for (const el of document.body.querySelectorAll('*')) {
      if (skipped(el) || !visible(el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription']) {
        const value = el.getAttribute(attr);
        if (value !== null && value.trim() !== '') out.push({ where: `${describe(el)}[${attr}]`, text: value });
      }
      if (el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type) && el.value !== '') {
        out.push({ where: `${describe(el)}[value]`, text: el.value });
      }
    }
    out.push({ where: 'document.title', text: document.title });
    return out;
  }, foreign);
}

/** Visible controls a screen reader could not name (no label, no text, no aria-label…). */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const CONTROLS =
      'button, input:not([type="hidden"]), select, textarea, a[href], [role="button"], [role="tab"], [role="menuitem"], [role="option"], [role="combobox"], [role="checkbox"], [role="switch"], [role="link"], [role="searchbox"], [tabindex]:not([tabindex="-1"])';
    const text = (el: Element | null): string => (el?.textContent ?? '').trim();
    const nameOf = (el: Element): string => {
      const label = el.getAttribute('aria-label')?.trim();
      if (label) return label;
      const by = el.getAttribute('aria-labelledby');
      if (by) {
        const named = by
          .split(/\s+/u)
          .map((id) => text(document.getElementById(id)))
          .join(' ')
          .trim();
        if (named) return named;
      }
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        const fromLabels = [...(el.labels ?? [])]
          .map((l) => text(l))
          .join(' ')
          .trim();
        if (fromLabels) return fromLabels;
        if (el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type)) return el.value;
      } else {
        const own = text(el) || [...el.querySelectorAll('img[alt]')].map((i) => i.getAttribute('alt') ?? '').join(' ');
        if (own.trim()) return own.trim();
      }
      return (el.getAttribute('title') ?? el.getAttribute('placeholder') ?? '').trim();
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll(CONTROLS)) {
      if (el.closest('[aria-hidden="true"], [inert]') !== null || !el.checkVisibility({ visibilityProperty: true }))
        continue;
      if (nameOf(el) === '') out.push(el.outerHTML.slice(0, 160));
    }
    return out;
  });
}

interface Walk {
  page: Page;
  lang: Language;
  scheme: 'light' | 'dark';
  project: string;
  /** Screens looked at, in order. */
  seen: string[];
}

/** Screenshots the screen, and in Chinese fails on any English left on it. */
async function screen(walk: Walk, name: string, extraForeign: readonly string[] = []): Promise<void> {
  const { page, lang, scheme, project } = walk;
  walk.seen.push(name);
  await page.screenshot({ path: path.join(shots, `${project}-i18n-${lang}-${scheme}-${name}.png`) });
  expect(await unnamedControls(page), `controls without an accessible name on the ${name} screen`).toEqual([]);
  if (lang === 'en') return;
  const found = await collect(page, [...FOREIGN, ...extraForeign]);
  const english = found.flatMap(({ where, text }) => {
    const words = untranslatedWords(text, FIXTURE_WORDS);
    return words.length === 0 ? [] : [`${where}: “${text}” (${words.join(', ')})`];
  });
  expect(english, `English on the ${name} screen`).toEqual([]);
}

/** Closes the top dialog with Escape and waits until it is gone. */
async function escape(page: Page, dialog: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

const variants: { lang: Language; scheme: 'light' | 'dark' }[] = [
  { lang: 'zh-CN', scheme: 'light' },
  { lang: 'zh-CN', scheme: 'dark' },
  { lang: 'en', scheme: 'light' },
  { lang: 'en', scheme: 'dark' },
];

for (const [round, { lang, scheme }] of variants.entries()) {
  test(`walks every screen in ${lang} (${scheme})`, async ({ browser }, testInfo) => {
    test.setTimeout(180_000);
    const { server, stranger, bob } = need();
    const t = languages[lang];
    const r = registerTables[lang];
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-i18n-'));
    app = await launchParley(hostKind(testInfo.project.name), dataDir, browser);
    const { page } = app;
    const crashes: string[] = [];
    page.on('pageerror', (err) => {
      crashes.push(err.message);
      console.log(`[${lang} ${scheme}] page error: ${err.stack ?? err.message}`);
    });
    const url = new URL(page.url());
    url.searchParams.set('lang', lang);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(url.toString());
    const walk: Walk = { page, lang, scheme, project: testInfo.project.name, seen: [] };
    await expect(page.locator('html')).toHaveAttribute('lang', lang);

    // Sign-in form, then a wrong password: the core's error in the user's language.
    const address = page.getByRole('textbox', { name: t.address, exact: true });
    await expect(address).toBeVisible();
    await screen(walk, 'login');
    await address.fill('alice@localhost');
    await page.getByLabel(t.password, { exact: true }).fill('not-the-password');
    await page.getByRole('textbox', { name: t.server, exact: true }).fill(server.server);
    await page.getByRole('button', { name: t.signIn, exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: t.errAuthFailed })).toBeVisible();
    await screen(walk, 'login-error');

    // Registration: the server step, then the server's form.
    await page.getByRole('button', { name: t.createAccount, exact: true }).click();
    await expect(page.getByRole('heading', { name: r.title })).toBeVisible();
    await screen(walk, 'register');
    await page.getByRole('textbox', { name: r.server, exact: true }).fill('localhost');
    await page.getByRole('textbox', { name: r.host, exact: true }).fill(server.server);
    await page.getByRole('button', { name: r.continue, exact: true }).click();
    await expect(page.getByRole('button', { name: r.register, exact: true })).toBeVisible();
    await screen(walk, 'register-form');
    await page.getByRole('button', { name: r.cancel, exact: true }).click();
    const back = page.getByRole('button', { name: r.back, exact: true });
    if (await back.isVisible()) await back.click();

    // Sign in for real.
    await expect(address).toBeVisible();
    await address.fill('alice@localhost');
    await page.getByLabel(t.password, { exact: true }).fill('alice-e2e-pw');
    await page.getByRole('textbox', { name: t.server, exact: true }).fill(server.server);
    await page.getByRole('button', { name: t.signIn, exact: true }).click();
    const contacts = page.getByRole('list', { name: t.contacts, exact: true });
    await expect(contacts.getByRole('listitem', { name: 'Bob', exact: true })).toBeVisible();
    await screen(walk, 'main');

    // A conversation with messages both ways.
    // Numbered per round: the server's archive brings earlier rounds' messages back too.
    const incoming = `你好 Alice！这是第 ${String(round + 1)} 条测试消息。`;
    const reply = `收到，谢谢 Bob！（${String(round + 1)}）`;
    await bob.sendChat('alice@localhost', incoming);
    await expect(page.getByRole('list', { name: t.conversations, exact: true }).getByText(incoming)).toBeVisible();
    await contacts.getByRole('listitem', { name: 'Bob', exact: true }).click();
    const messages = page.getByRole('list', { name: t.messages, exact: true });
    await expect(messages.getByRole('listitem').filter({ hasText: incoming }).last()).toBeVisible();
    const composer = page.getByRole('textbox', { name: t.message, exact: true });
    await composer.fill(reply);
    await composer.press('Enter');
    const mine = messages.getByRole('listitem').filter({ hasText: reply });
    await expect(mine).toBeVisible();
    await screen(walk, 'conversation');

    // A message's actions, and the reaction picker.
    await mine.hover();
    await expect(mine.getByRole('button', { name: t.reply, exact: true })).toBeVisible();
    await screen(walk, 'message-actions');
    await mine.getByRole('button', { name: t.react, exact: true }).click();
    const reactions = page.getByRole('dialog', { name: t.reactionPicker });
    await expect(reactions).toBeVisible();
    await screen(walk, 'reaction-picker');
    await escape(page, reactions);
    await mine.hover();
    await mine.getByRole('button', { name: t.deleteForEveryone, exact: true }).click();
    const retract = page.getByRole('dialog', { name: t.deleteTitle });
    await expect(retract).toBeVisible();
    await screen(walk, 'delete-message');
    await escape(page, retract);

    // The composer's emoji picker.
    await page.getByRole('button', { name: t.emoji, exact: true }).click();
    const emoji = page.getByRole('dialog', { name: t.emojiPicker });
    await expect(emoji).toBeVisible();
    await screen(walk, 'emoji-picker');
    await escape(page, emoji);

    // Search with results.
    await page.getByRole('button', { name: t.searchToggle, exact: true }).click();
    await page.getByRole('searchbox', { name: t.searchMessages }).fill('测试');
    await expect(page.getByRole('list', { name: t.searchResults }).getByRole('listitem').first()).toBeVisible();
    await screen(walk, 'search');
    await page.getByRole('button', { name: t.searchToggle, exact: true }).click();

    // Add contact.
    await page.getByRole('button', { name: t.addContact, exact: true }).click();
    const add = page.getByRole('dialog', { name: t.addContactTitle });
    await expect(add).toBeVisible();
    await screen(walk, 'add-contact');
    // An outgoing request: its notice waits under the action bar.
    const erin = `erin${String(round + 1)}@localhost`;
    await add.getByLabel(t.contactAddress, { exact: true }).fill(erin);
    await add.getByRole('button', { name: t.add, exact: true }).click();
    await expect(add).toBeHidden();
    await expect(page.getByText(t.waitingFor(erin))).toBeVisible();
    await screen(walk, 'subscription-notice');

    // The contact's menu and profile.
    await page
      .getByRole('button', { name: t.contactActions('Bob'), exact: true })
      .first()
      .click();
    await expect(page.getByRole('menu', { name: t.contactActions('Bob') })).toBeVisible();
    await screen(walk, 'contact-menu');
    await page.getByRole('menuitem', { name: t.viewProfile, exact: true }).click();
    const profile = page.getByRole('dialog', { name: t.profileTitle('Bob') });
    await expect(profile).toBeVisible();
    await expect(profile.getByText(t.profileLoading)).toBeHidden();
    await screen(walk, 'profile');
    await escape(page, profile);
    await page
      .getByRole('button', { name: t.contactActions('Bob'), exact: true })
      .first()
      .click();
    await page.getByRole('menuitem', { name: t.rename, exact: true }).click();
    const rename = page.getByRole('dialog', { name: t.renameTitle('Bob') });
    await expect(rename).toBeVisible();
    await screen(walk, 'rename-contact');
    await escape(page, rename);

    // The "More" choices: my profile, blocked contacts, directory, gateways.
    const more = page.getByRole('combobox', { name: t.more, exact: true });
    const dialogs: [value: string, title: string, name: string][] = [
      ['profile', t.myProfile, 'own-profile'],
      ['blocked', t.blockedTitle, 'blocked'],
      ['directory', t.directoryTitle, 'directory'],
      ['gateways', t.gatewaysTitle, 'gateways'],
    ];
    for (const [value, title, name] of dialogs) {
      await more.selectOption(value);
      const dialog = page.getByRole('dialog', { name: title });
      await expect(dialog).toBeVisible();
      await expect(dialog.getByText(t.loading)).toBeHidden();
      await expect(dialog.getByText(t.profileLoading)).toBeHidden();
      await screen(walk, name);
      await escape(page, dialog);
    }

    // The conversation's menu and the delete confirmation.
    await page.getByRole('button', { name: t.conversationOptions, exact: true }).click();
    await expect(page.getByRole('menu', { name: t.conversationOptions })).toBeVisible();
    await screen(walk, 'conversation-menu');
    await page.getByRole('menuitem', { name: t.deleteHistory, exact: true }).click();
    const confirm = page.getByRole('dialog', { name: t.deleteHistoryTitle('Bob') });
    await expect(confirm).toBeVisible();
    await screen(walk, 'delete-history');
    await escape(page, confirm);

    // Quick switcher and new conversation.
    await page.keyboard.press('Control+k');
    const switcher = page.getByRole('dialog', { name: t.quickSwitcher });
    await expect(switcher).toBeVisible();
    await screen(walk, 'quick-switcher');
    await escape(page, switcher);
    await page.keyboard.press('Control+n');
    const fresh = page.getByRole('dialog', { name: t.newConversation });
    await page.keyboard.type('frank@localhost');
    await expect(fresh.getByRole('option', { name: t.newConversationWith('frank@localhost') })).toBeVisible();
    await screen(walk, 'new-conversation');
    await escape(page, fresh);

    // Accounts and the account editor.
    await page.getByRole('button', { name: t.accounts, exact: true }).click();
    const accounts = page.getByRole('dialog', { name: t.accounts });
    await expect(accounts).toBeVisible();
    await screen(walk, 'accounts');
    await accounts.getByRole('button', { name: t.edit, exact: true }).click();
    const editor = page.getByRole('dialog', { name: t.editAccountTitle('alice@localhost') });
    await expect(editor).toBeVisible();
    await screen(walk, 'account-editor');
    await editor.getByRole('button', { name: r.deleteOpen, exact: true }).click();
    const deleteOnServer = page.getByRole('dialog', { name: r.deleteTitle('alice@localhost') });
    await expect(deleteOnServer).toBeVisible();
    await screen(walk, 'delete-account-on-server');
    await escape(page, deleteOnServer);
    await escape(page, editor);
    await accounts.getByRole('button', { name: t.remove, exact: true }).click();
    const removeAccount = page.getByRole('dialog', { name: t.removeAccountTitle('alice@localhost') });
    await expect(removeAccount).toBeVisible();
    await screen(walk, 'remove-account');
    await escape(page, removeAccount);
    await escape(page, accounts);

    // The settings window, with each of its sections.
    await page.getByRole('button', { name: t.settings, exact: true }).first().click();
    const settings = page.getByRole('dialog', { name: t.settings });
    await expect(settings).toBeVisible();
    const sections = settings.getByRole('tab');
    const count = await sections.count();
    expect(count).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < count; i++) {
      await sections.nth(i).click();
      await screen(walk, `settings-${String(i + 1)}`);
    }
    await escape(page, settings);

    // Another account, on a server whose certificate nothing vouches for: the certificate panel.
    await page.getByRole('button', { name: t.accounts, exact: true }).click();
    await page.getByRole('button', { name: t.addAccount, exact: true }).click();
    await address.fill('erin@localhost');
    await page.getByLabel(t.password, { exact: true }).fill('erin-e2e-pw');
    await page.getByRole('textbox', { name: t.server, exact: true }).fill(stranger.server);
    await page.getByRole('button', { name: t.signIn, exact: true }).click();
    await expect(page.getByRole('button', { name: t.trustCertificate, exact: true })).toBeVisible();
    await screen(walk, 'certificate');

    expect(walk.seen.length).toBeGreaterThanOrEqual(31);
    expect(crashes).toEqual([]);
  });
}

/**
 * Conversations, end to end, with plain @xmpp/client peers through a real Prosody:
 *  - tabs open, close (button, Ctrl+W), cycle (Ctrl+Tab) and come back after a restart,
 *    with each conversation's draft;
 *  - unread counts, "New messages" at the first unread message, read marks (XEP-0333
 *    "displayed") only for what was scrolled into view;
 *  - reply (XEP-0461), reactions (XEP-0444), correction with the Up arrow (XEP-0308) and
 *    its history, "Delete for everyone" (XEP-0424), each checked on the peer's side, and
 *    the same arriving from the peer;
 *  - chat states (XEP-0085) both ways, delivery states as text;
 *  - a long conversation stays virtualized and pages back to its beginning.
 */
import { expect, test, type Page } from '@playwright/test';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestServer } from '../../support/server.ts';
import { bodyOf, startPeer } from '../../support/peer.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';
import { aliceAndBob, e2eUser, serialSpec, shots, signInAlice } from '../setup.ts';

const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
const NS_MARKERS = 'urn:xmpp:chat-markers:0';
const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_REPLY = 'urn:xmpp:reply:0';
const NS_REACTIONS = 'urn:xmpp:reactions:0';
const NS_CORRECT = 'urn:xmpp:message-correct:0';
const NS_RETRACT = 'urn:xmpp:message-retract:1';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-conversations-',
  start: async () => {
    const server = await startTestServer({
      users: [...aliceAndBob, e2eUser('carol', 'Carol'), e2eUser('dave', 'Dave')],
      sharedGroup: 'Friends',
    });
    const bob = await startPeer(server, 'bob', 'bob-e2e-pw');
    const carol = await startPeer(server, 'carol', 'carol-e2e-pw');
    return { server, bob, carol };
  },
  peers: (w) => [w.bob, w.carol],
});

/** A chat message from a peer, with a chosen id (what corrections, reactions and markers refer to). */
const chat = (to: string, id: string, body: string, ...extras: Element[]) =>
  xml('message', { type: 'chat', to, id }, xml('body', {}, body), ...extras);

const child = (s: Element, name: string, ns: string): Element | undefined => s.getChild(name, ns) ?? undefined;

const signIn = (page: Page): Promise<MainPage> => signInAlice(page, spec.world().server);

test('tabs open, close and cycle; they and their drafts come back after a restart', async ({ browser }, testInfo) => {
  let app = await spec.launch(browser, testInfo);
  const main = await signIn(app.page);
  const { page } = app;

  // Opening a contact adds a tab and selects it.
  await main.contact('Bob').click();
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');
  await main.contact('Carol').click();
  await main.contact('Dave').click();
  await expect(main.tabs.getByRole('tab')).toHaveCount(3);
  await expect(main.tab('Dave')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Dave' })).toBeVisible();

  // A draft per conversation, kept while switching tabs.
  await main.tab('Carol').click();
  await main.composer.fill('A thought for Carol, half written');
  await main.tab('Bob').click();
  await expect(main.composer).toHaveValue('');
  await expect(main.conversation('Carol')).toContainText('Draft: A thought for Carol, half written');
  await main.tab('Carol').click();
  await expect(main.composer).toHaveValue('A thought for Carol, half written');

  // Ctrl+Tab / Ctrl+Shift+Tab go round; "Close Dave" and Ctrl+W close.
  await page.keyboard.press('Control+Tab');
  await expect(main.tab('Dave')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+Tab');
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+Shift+Tab');
  await expect(main.tab('Dave')).toHaveAttribute('aria-selected', 'true');
  await main.closeTab('Dave').click();
  await expect(main.tab('Dave')).toHaveCount(0);
  await main.contact('Dave').click();
  await expect(main.tab('Dave')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+w');
  await expect(main.tab('Dave')).toHaveCount(0);
  await expect(main.tabs.getByRole('tab')).toHaveCount(2);
  await page.screenshot({ path: path.join(shots, 'conversations-tabs.png') });

  // A restart: the two tabs come back, and so does Carol's draft.
  await main.tab('Bob').click(); // Carol's composer closes: its draft is saved now
  app = await spec.restart(browser, testInfo);
  const again = new MainPage(app.page);
  await expect(again.tabs.getByRole('tab')).toHaveCount(2);
  await expect(again.tab('Bob')).toBeVisible();
  await expect(again.tab('Carol')).toBeVisible();
  await again.tab('Carol').click();
  await expect(again.composer).toHaveValue('A thought for Carol, half written');

  // Sign in again (the web host keeps passwords in memory only).
  await again.notice('alice@localhost').getByRole('button', { name: 'Sign in' }).click();
  const login = new LoginPage(app.page);
  await login.password.fill('alice-e2e-pw');
  await login.signIn.click();
  await expect(again.notice('alice@localhost')).toHaveCount(0, { timeout: 15_000 });
});

test('unread messages: counts, "New messages" where they start, read marks only once seen', async () => {
  const { page } = spec.app();
  const { bob } = spec.world();
  const main = new MainPage(page);

  // Something already read in Bob's conversation.
  await main.tab('Bob').click();
  await bob.send(chat('alice@localhost', 'early', 'Hi Alice, this one you have read'));
  await expect(main.message('this one you have read')).toBeVisible();
  await bob.waitFor((s) => child(s, 'displayed', NS_MARKERS)?.attrs['id'] === 'early');

  // Thirty more while Alice looks at Carol's conversation.
  await main.tab('Carol').click();
  for (let i = 1; i <= 30; i++) await bob.send(chat('alice@localhost', `u${String(i)}`, `Unread number ${String(i)}`));
  await expect(main.conversation('Bob')).toHaveAccessibleDescription('30 unread');
  await expect(main.tab('Bob')).toHaveAccessibleDescription('30 unread');
  await expect(page.getByRole('heading', { name: /Conversations/u })).toContainText('30 unread');
  await page.screenshot({ path: path.join(shots, 'conversations-unread.png') });

  // Opening it shows "New messages" above the first unread one, in view; the newest is below.
  await main.tab('Bob').click();
  await expect(main.unreadSeparator).toBeInViewport();
  await expect(main.message('Unread number 1').first()).toBeInViewport();
  await expect(main.message('Unread number 30')).not.toBeInViewport();
  await page.screenshot({ path: path.join(shots, 'conversations-new-messages.png') });
  // Only what was seen is marked: never the newest yet.
  const markedUpTo = () =>
    bob.received
      .map((s) => String(child(s, 'displayed', NS_MARKERS)?.attrs['id'] ?? ''))
      .filter((id) => id !== 'early' && id !== '');
  await expect.poll(() => markedUpTo().length).toBeGreaterThan(0);
  expect(markedUpTo()).not.toContain('u30');

  // Scrolled to the end: all read, the contact told about the newest.
  await page.getByRole('button', { name: 'Jump to the latest message' }).click();
  await expect(main.message('Unread number 30')).toBeInViewport();
  await bob.waitFor((s) => child(s, 'displayed', NS_MARKERS)?.attrs['id'] === 'u30');
  await expect(main.conversation('Bob')).not.toHaveAccessibleDescription(/unread/u);
  await expect(main.tab('Bob')).not.toHaveAccessibleDescription(/unread/u);
  await expect(page.getByRole('heading', { name: /Conversations/u })).not.toContainText('unread');
});

test('reply, react, edit (Up arrow) and delete for everyone reach the contact, and come back', async () => {
  const { page } = spec.app();
  const { bob } = spec.world();
  const main = new MainPage(page);
  await main.tab('Bob').click();

  // Reply: the quote above the composer, then above the message; the contact gets XEP-0461.
  await main.messageAction('Unread number 30', 'Reply');
  await expect(page.locator('.composer')).toContainText('Replying to Bob');
  await main.composer.fill('Answering number thirty');
  await main.composer.press('Enter');
  const reply = await bob.waitFor((s) => bodyOf(s)?.endsWith('Answering number thirty') === true);
  expect(child(reply, 'reply', NS_REPLY)?.attrs['id']).toBe('u30');
  const replyItem = main.message('Answering number thirty');
  await expect(replyItem.getByRole('button', { name: 'In reply to Bob: Unread number 30' })).toBeVisible();
  await expect(page.locator('.composer')).not.toContainText('Replying to');

  // React from the picker, then take it back with the chip.
  await main.messageAction('Unread number 29', 'React');
  await page.getByRole('dialog', { name: 'Choose a reaction' }).getByRole('button', { name: 'thumbsup' }).click();
  const chip = main.message('Unread number 29').getByRole('button', { name: '👍 1' });
  await expect(chip).toHaveAttribute('aria-pressed', 'true');
  const reacted = await bob.waitFor((s) => child(s, 'reactions', NS_REACTIONS)?.attrs['id'] === 'u29');
  expect(child(reacted, 'reactions', NS_REACTIONS)?.getChildText('reaction')).toBe('👍');
  await page.screenshot({ path: path.join(shots, 'conversations-reply-react.png') });
  const before = bob.received.length;
  await chip.click();
  await expect(chip).toHaveCount(0);
  await bob.waitFor(
    (s) =>
      bob.received.indexOf(s) >= before &&
      child(s, 'reactions', NS_REACTIONS)?.attrs['id'] === 'u29' &&
      child(s, 'reactions', NS_REACTIONS)?.getChildren('reaction').length === 0,
  );

  // The contact reacts to our reply.
  const replyId = String(reply.attrs['id']);
  await bob.send(
    xml(
      'message',
      { type: 'chat', to: 'alice@localhost', id: 'r1' },
      xml('reactions', { xmlns: NS_REACTIONS, id: replyId }, xml('reaction', {}, '❤️')),
    ),
  );
  await expect(replyItem.getByRole('button', { name: '❤️ 1' })).toHaveAttribute('aria-pressed', 'false');

  // Up arrow in the empty composer edits the newest own message; Escape cancels.
  await main.composer.click();
  await main.composer.press('ArrowUp');
  await expect(page.locator('.composer')).toContainText('Editing message');
  await expect(main.composer).toHaveValue('Answering number thirty');
  await main.composer.press('Escape');
  await expect(page.locator('.composer')).not.toContainText('Editing message');
  await expect(main.composer).toHaveValue('');
  await main.composer.press('ArrowUp');
  await main.composer.fill('Answering number thirty, corrected');
  await main.composer.press('Enter');
  const correction = await bob.waitFor((s) => child(s, 'replace', NS_CORRECT) !== undefined);
  expect(child(correction, 'replace', NS_CORRECT)?.attrs['id']).toBe(replyId);
  expect(bodyOf(correction)).toBe('Answering number thirty, corrected');
  const corrected = main.message('Answering number thirty, corrected');
  await corrected.getByRole('button', { name: 'edited' }).click();
  const history = page.getByRole('dialog', { name: 'Edit history' });
  await expect(history).toContainText('Answering number thirty, corrected');
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history).toContainText(/Until /u);
  await page.screenshot({ path: path.join(shots, 'conversations-edit-history.png') });
  await page.keyboard.press('Escape');
  await expect(history).toBeHidden();

  // "Delete for everyone" asks first, then leaves a tombstone; the contact gets XEP-0424.
  await main.sendMessage('A message to take back');
  const doomed = await bob.waitFor((s) => bodyOf(s) === 'A message to take back');
  await main.messageAction('A message to take back', 'Delete for everyone');
  const confirm = page.getByRole('dialog', { name: 'Delete this message for everyone?' });
  await expect(confirm).toContainText('A message to take back');
  await page.screenshot({ path: path.join(shots, 'conversations-delete-confirm.png') });
  await confirm.getByRole('button', { name: 'Delete for everyone' }).click();
  await expect(confirm).toBeHidden();
  const retraction = await bob.waitFor((s) => child(s, 'retract', NS_RETRACT) !== undefined);
  expect(child(retraction, 'retract', NS_RETRACT)?.attrs['id']).toBe(String(doomed.attrs['id']));
  await expect(main.messages).toContainText('This message was deleted');
  await expect(main.messages).not.toContainText('A message to take back');

  // Only the newest own message offers "Edit"; others only "Delete for everyone".
  const older = main.message('Answering number thirty, corrected');
  await older.hover();
  await expect(older.getByRole('button', { name: 'Edit', exact: true })).toBeVisible();
  await main.sendMessage('The newest one now');
  await older.hover();
  await expect(older.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
  await expect(older.getByRole('button', { name: 'Delete for everyone' })).toBeVisible();

  // The same from the contact: a correction and a retraction.
  await bob.send(
    xml(
      'message',
      { type: 'chat', to: 'alice@localhost', id: 'fix28' },
      xml('body', {}, 'Unread number 28, fixed'),
      xml('replace', { xmlns: NS_CORRECT, id: 'u28' }),
    ),
  );
  const fixed = main.message('Unread number 28, fixed');
  await expect(fixed.getByRole('button', { name: 'edited' })).toBeVisible();
  await bob.send(
    xml(
      'message',
      { type: 'chat', to: 'alice@localhost', id: 'gone27' },
      xml('retract', { xmlns: NS_RETRACT, id: 'u27' }),
      xml('body', {}, 'This person attempted to retract a previous message, but it is unsupported by your client.'),
    ),
  );
  await expect(main.message('Unread number 27')).toHaveCount(0);
  await expect(main.messages.getByText('This message was deleted')).toHaveCount(2);

  // The keyboard's context menu offers the same actions.
  await fixed.focus();
  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: 'Message actions' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Reply', 'React']);
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(fixed).toBeFocused();
  // The list is one Tab stop; arrows move between messages.
  await page.keyboard.press('ArrowDown');
  await expect(main.message('Unread number 29')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(fixed).toBeFocused();
});

test('chat states both ways; delivery states as text', async () => {
  const { page } = spec.app();
  const { bob } = spec.world();
  const main = new MainPage(page);
  await main.tab('Bob').click();

  const state = (name: string) =>
    xml('message', { type: 'chat', to: 'alice@localhost' }, xml(name, { xmlns: NS_CHATSTATES }));
  await bob.send(state('composing'));
  await expect(main.typing).toHaveText('Bob is typing…');
  await page.screenshot({ path: path.join(shots, 'conversations-typing.png') });
  await bob.send(state('paused'));
  await expect(main.typing).toHaveText('Bob paused typing');
  await bob.send(state('active'));
  await expect(main.typing).toHaveCount(0);

  // Bob uses chat states, so ours reach him: composing, then active when the text is cleared.
  const from = bob.received.length;
  const after = (name: string) => (s: Element) =>
    bob.received.indexOf(s) >= from && child(s, name, NS_CHATSTATES) !== undefined;
  await main.composer.pressSequentially('Typing to Bob');
  await bob.waitFor(after('composing'));
  await bob.waitFor(after('paused'), 10_000);
  await main.composer.fill('');
  await bob.waitFor(after('active'));

  // Delivery: sent, then delivered (a receipt), then read (a marker).
  await main.sendMessage('Tell me when you read this');
  const sent = await bob.waitFor((s) => bodyOf(s) === 'Tell me when you read this');
  const item = main.message('Tell me when you read this');
  await expect(item).toContainText(/Sent/u);
  const to = String(sent.attrs['from']);
  const id = String(sent.attrs['id']);
  await bob.send(xml('message', { to, type: 'chat' }, xml('received', { xmlns: NS_RECEIPTS, id })));
  await expect(item.getByText('Delivered', { exact: true })).toBeAttached();
  await bob.send(xml('message', { to, type: 'chat' }, xml('displayed', { xmlns: NS_MARKERS, id })));
  await expect(item.getByText('Read', { exact: true })).toBeAttached();
});

test('a long conversation keeps only what is in view in the page and pages back to its beginning', async () => {
  test.setTimeout(120_000);
  const { page } = spec.app();
  const { carol } = spec.world();
  const main = new MainPage(page);
  await main.tab('Carol').click();
  const total = 400;
  for (let i = 1; i <= total; i++) {
    await carol.send(
      chat(
        'alice@localhost',
        `c${String(i)}`,
        `Carol's message ${String(i)}${i % 7 === 0 ? '\nwith a second line' : ''}`,
      ),
    );
  }
  await expect(main.message(`Carol's message ${String(total)}`)).toBeVisible({ timeout: 30_000 });
  // Read while they streamed in (the read mark is not postponed by a steady stream).
  await expect(main.conversation('Carol')).not.toHaveAccessibleDescription(/unread/u);
  const rendered = await main.messages.getByRole('listitem').count();
  expect(rendered).toBeLessThan(80);

  // Scroll up to the beginning: older pages come in and the view never jumps back down.
  const scroller = page.locator('.messages');
  await expect(async () => {
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect(main.messages.getByText("Carol's message 1", { exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText('This is the beginning of the conversation.')).toBeVisible();
  expect(await main.messages.getByRole('listitem').count()).toBeLessThan(80);

  // The composer's draft for Carol is still there after all that.
  await expect(main.composer).toHaveValue('A thought for Carol, half written');
});

test('screenshots: dark and Chinese', async () => {
  const { page } = spec.app();
  const main = new MainPage(page);
  await main.tab('Bob').click();
  await page.emulateMedia({ colorScheme: 'dark' });
  await main.message('Answering number thirty, corrected').hover();
  await page.screenshot({ path: path.join(shots, 'conversations-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // The token stays in sessionStorage: the page reloads in Chinese.
  await page.goto(new URL('/?lang=zh-CN', page.url()).href);
  const tablist = page.getByRole('tablist', { name: '已打开的会话' });
  await expect(tablist.getByRole('tab')).toHaveCount(2);
  await tablist.getByRole('tab', { name: 'Bob' }).click();
  await expect(page.getByRole('list', { name: '消息' })).toContainText('此消息已删除');
  await page.getByRole('list', { name: '消息' }).getByRole('listitem').last().hover();
  await page.screenshot({ path: path.join(shots, 'conversations-zh-CN.png') });
});

test('search finds English and Chinese text as you type, and opens the conversation at the message', async () => {
  const { page } = spec.app();
  const { bob } = spec.world();
  // Back in English (the previous test left the page in Chinese).
  await page.goto(new URL('/?lang=en', page.url()).href);
  const main = new MainPage(page);
  await expect(main.conversation('Bob')).toBeVisible();
  await bob.send(chat('alice@localhost', 'zh-1', '我们明天去北京开会'));
  await expect(main.conversation('Bob')).toContainText('北京');

  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const field = page.getByRole('searchbox', { name: 'Search messages' }).or(page.getByLabel('Search messages'));
  await expect(field.first()).toBeFocused();
  const results = page.getByRole('list', { name: 'Search results' });
  await field.first().fill('北京');
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results.locator('mark')).toHaveText(['北京']);
  await field.first().fill('京北');
  await expect(results.getByRole('listitem')).toHaveCount(0);

  // An older message: the conversation opens scrolled to it.
  await field.first().fill('Unread number 3');
  const hit = results.getByRole('listitem').filter({ hasText: 'Unread number 3' }).first();
  await expect(hit).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'search-results.png') });
  await hit.click();
  await expect(main.tab('Bob')).toHaveAttribute('aria-selected', 'true');
  await expect(main.message('Unread number 3').first()).toBeInViewport();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(results).toHaveCount(0);
});

test('a conversation exports as text and JSON, and its local history can be deleted', async () => {
  const { page } = spec.app();
  const { carol } = spec.world();
  const main = new MainPage(page);
  await main.contact('Carol').click();
  await carol.send(chat('alice@localhost', 'c-export', 'Carol says hello <b>not bold</b>'));
  await expect(main.message('Carol says hello')).toBeVisible();
  const options = page.getByRole('button', { name: 'Conversation options' });

  await options.click();
  const [text] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Export as text' }).click(),
  ]);
  expect(text.suggestedFilename()).toBe('carol@localhost.txt');
  const plain = await readFile(await text.path(), 'utf8');
  expect(plain).toMatch(/^Conversation between alice@localhost and Carol <carol@localhost>/u);
  expect(plain).toContain('] Carol: Carol says hello <b>not bold</b>');

  await options.click();
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Export as JSON' }).click(),
  ]);
  expect(json.suggestedFilename()).toBe('carol@localhost.json');
  const parsed = JSON.parse(await readFile(await json.path(), 'utf8')) as {
    peer: string;
    messages: { from: string; body: string }[];
  };
  expect(parsed.peer).toBe('carol@localhost');
  expect(parsed.messages).toContainEqual(
    expect.objectContaining({ from: 'carol@localhost', body: 'Carol says hello <b>not bold</b>' }),
  );

  // Deleting asks first; then the conversation, its tab and its messages are gone here.
  await options.click();
  await page.getByRole('menuitem', { name: 'Delete history' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the history with Carol?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Delete history' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(main.tab('Carol')).toHaveCount(0);
  await expect(main.conversation('Carol')).toHaveCount(0);
  await main.contact('Carol').click();
  await expect(main.message('Carol says hello')).toHaveCount(0);
});

test('more unread messages than a first page holds: it opens at the first unread one and pages down to the newest', async () => {
  test.setTimeout(180_000);
  const { page } = spec.app();
  const { server } = spec.world();
  const main = new MainPage(page);
  const dave = await startPeer(server, 'dave', 'dave-e2e-pw');
  try {
    // One message read at once: the read mark is past it.
    await main.contact('Dave').click();
    await dave.send(chat('alice@localhost', 'd0', 'Dave checks in, read at once'));
    await expect(main.message('Dave checks in, read at once')).toBeVisible();
    await dave.waitFor((s) => child(s, 'displayed', NS_MARKERS)?.attrs['id'] === 'd0');

    // Six hundred more while Alice looks at Bob's conversation: more than the newest page reaches.
    await main.contact('Bob').click();
    const total = 600;
    for (let i = 1; i <= total; i++)
      await dave.send(chat('alice@localhost', `d${String(i)}`, `Dave's note #${String(i)}.`));
    await expect(main.conversation('Dave')).toHaveAccessibleDescription(`${String(total)} unread`, { timeout: 60_000 });

    // Opening it: "New messages" in view with the first unread one below it, the read one above.
    await main.tab('Dave').click();
    await expect(main.unreadSeparator).toBeInViewport();
    await expect(main.message("Dave's note #1.")).toBeInViewport();
    await expect(main.message('Dave checks in, read at once')).toHaveCount(1);
    await expect(main.message(`Dave's note #${String(total)}.`)).toHaveCount(0);
    await page.screenshot({ path: path.join(shots, 'conversations-many-unread.png') });

    // Scrolling down brings the newer pages (the first one ends at the 100th unread message).
    const scroller = page.locator('.messages');
    await expect(async () => {
      await scroller.evaluate((el) => {
        el.scrollTop += 1500;
      });
      await expect(main.message("Dave's note #150.")).toHaveCount(1, { timeout: 500 });
    }).toPass({ timeout: 30_000 });
    expect(await main.messages.getByRole('listitem').count()).toBeLessThan(80);
    await expect(main.message(`Dave's note #${String(total)}.`)).toHaveCount(0);

    // "Jump to the latest message": the newest, read, and the contact told.
    await page.getByRole('button', { name: 'Jump to the latest message' }).click();
    await expect(main.message(`Dave's note #${String(total)}.`)).toBeInViewport();
    await dave.waitFor((s) => child(s, 'displayed', NS_MARKERS)?.attrs['id'] === `d${String(total)}`, 15_000);
    await expect(main.conversation('Dave')).not.toHaveAccessibleDescription(/unread/u);
  } finally {
    await dave.stop();
  }
  await main.closeTab('Dave').click();
  await expect(main.tab('Dave')).toHaveCount(0);
});

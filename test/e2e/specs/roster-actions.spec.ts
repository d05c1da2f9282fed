/**
 * The roster issue end to end: add a contact (the other side accepts, and its presence
 * shows), answer its request with "Accept", change our status (the peer sees it), and a
 * contact's profile shows its vCard. The peer is a plain @xmpp/client on a real Prosody.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { xml } from '@xmpp/client';
import { startTestServer } from '../../support/server.ts';
import { startPeer } from '../../support/peer.ts';
import { LoginPage } from '../pages/login-page.ts';
import { MainPage } from '../pages/main-page.ts';
import { RosterActionsPage } from '../pages/roster-actions.ts';
import { aliceAndBob, serialSpec, shots } from '../setup.ts';

const A = 'alice@localhost';
const B = 'bob@localhost';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-roster-',
  start: async () => {
    const server = await startTestServer({ users: aliceAndBob });
    const bob = await startPeer(server, 'bob', 'bob-e2e-pw');
    // Bob's card, for his profile.
    await bob.send(
      xml(
        'iq',
        { type: 'set', id: 'vcard-1' },
        xml('vCard', { xmlns: 'vcard-temp' }, xml('FN', {}, 'Bob Builder'), xml('NICKNAME', {}, 'bobby')),
      ),
    );
    await bob.waitFor((s) => s.is('iq') && s.attrs['id'] === 'vcard-1');
    return { server, bob };
  },
  peers: (w) => [w.bob],
});

test('adds a contact who accepts; accepts theirs; status and profile', async ({ browser }, testInfo) => {
  const { server, bob } = spec.world();
  const app = await spec.launch(browser, testInfo);
  const { page } = app;
  await new LoginPage(page).signInAs(A, 'alice-e2e-pw', server.server);
  const main = new MainPage(page);
  const actions = new RosterActionsPage(page);
  await expect(actions.addContact).toBeEnabled();

  // Add Bob: he gets the request, accepts, and asks back.
  await actions.add(B, 'Bob', 'Friends');
  await expect(actions.dialog).toHaveCount(0);
  await bob.waitFor((s) => s.is('presence') && s.attrs['type'] === 'subscribe' && s.attrs['from'] === A);
  await expect(main.contact('Bob')).toBeVisible();
  await bob.send(xml('presence', { to: A, type: 'subscribed' }));
  await bob.send(xml('presence', { to: A, type: 'subscribe' }));

  // His request shows with Accept and Deny; accepting lets him see us.
  const request = actions.request(B);
  await expect(request.getByRole('button', { name: 'Deny', exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-subscription-request.png`) });
  await request.getByRole('button', { name: 'Accept', exact: true }).click();
  await expect(request).toHaveCount(0);
  // Bob now sees Alice's presence, with Parley's caps (the server sends it on the approval).
  await bob.waitFor(
    (s) => s.is('presence') && String(s.attrs['from']).startsWith(`${A}/`) && s.attrs['type'] === undefined,
    10_000,
  );

  // Bob's presence shows in the list.
  await bob.send(xml('presence', {}));
  await expect(main.contact('Bob')).toContainText('Online');

  // Our status: Bob sees "away" with the message.
  await actions.statusMessage.fill('At lunch');
  await actions.status.selectOption({ label: 'Away' });
  const away = await bob.waitFor(
    (s) =>
      s.is('presence') &&
      String(s.attrs['from']).startsWith(`${A}/`) &&
      s.getChildText('show') === 'away' &&
      s.getChildText('status') === 'At lunch',
    10_000,
  );
  expect(away.getChild('c', 'http://jabber.org/protocol/caps')).toBeTruthy();

  // Bob's profile: open his conversation, then his actions → View profile.
  await main.contact('Bob').click();
  await actions.contactActions('Bob').click();
  await actions.menuItem('View profile').click();
  const profile = page.getByRole('dialog', { name: 'Profile of Bob' });
  await expect(profile).toContainText('Bob Builder');
  await expect(profile).toContainText('bobby');
  await page.screenshot({ path: path.join(shots, `${testInfo.project.name}-profile.png`) });
  await profile.getByRole('button', { name: 'Close' }).first().click();
  await expect(profile).toHaveCount(0);

  // The contact menu offers the actions.
  await actions.contactActions('Bob').click();
  for (const name of ['Rename', 'Remove', 'Block', 'View profile']) await expect(actions.menuItem(name)).toBeVisible();
  await page.keyboard.press('Escape');

  // The same menu as a context menu on the contact in the roster: right click, or Shift+F10.
  await main.contact('Bob').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: /Bob/u });
  for (const name of ['Rename', 'Remove', 'Block', 'View profile'])
    await expect(menu.getByRole('menuitem', { name, exact: true })).toBeVisible();
  await menu.getByRole('menuitem', { name: 'View profile', exact: true }).click();
  const again = page.getByRole('dialog', { name: 'Profile of Bob' });
  await expect(again).toContainText('Bob Builder');
  await again.getByRole('button', { name: 'Close' }).first().click();
  await main.contact('Bob').focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem', { name: 'View profile', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
});

/**
 * A common cast of the integration tests with an independent peer: a throwaway Prosody with
 * "alice" (a Parley core, signed in, its archive catch-up over) and "sli" (slixmpp), both in
 * one shared roster group, each seeing the other available.
 */
import type { CoreOptions } from '../../main/core/create-core.ts';
import { startTestServer } from './server.ts';
import { startCore, tempDir } from './core.ts';
import { startSlixmpp } from './slixmpp.ts';

export const ALICE = 'alice@localhost';
export const SLI = 'sli@localhost';

export async function startAliceAndSlixmpp(dirPrefix: string, options: Partial<CoreOptions>) {
  const server = await startTestServer({
    users: [
      { username: 'alice', password: 'alice-pw', name: 'Alice' },
      { username: 'sli', password: 'sli-pw', name: 'Slixmpp' },
    ],
    sharedGroup: 'Team',
  });
  const alice = await startCore(await tempDir(dirPrefix), options, true);
  const synced = alice.waitForNext('archive.sync', (e) => e.accountId === ALICE && !e.running, 20_000);
  await alice.core.handlers['account.signIn']({ jid: ALICE, password: 'alice-pw', server: server.server });
  await synced;
  const sli = startSlixmpp(server, SLI, 'sli-pw', undefined, { echo: false });
  await sli.waitForLine((l) => l === 'READY');
  await alice.waitForEvent('roster.updated', (e) => e.contacts.some((c) => c.jid === SLI && c.show === 'available'));
  return { server, alice, sli };
}

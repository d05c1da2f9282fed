/** Interoperability with an independent implementation: slixmpp on the other end. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from '../support/server.ts';
import { startCore, type TestCore } from '../support/core.ts';
import { startSlixmpp, type SlixmppPeer } from '../support/slixmpp.ts';

describe('core with a slixmpp peer through Prosody', () => {
  let server: ProsodyServer;
  let alice: TestCore;
  let peer: SlixmppPeer;

  before(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'a-pw', name: 'Alice' },
        { username: 'sli', password: 's-pw', name: 'Slixmpp' },
      ],
      sharedGroup: 'Interop',
    });
    alice = await startCore();
    await alice.core.handlers['account.signIn']({ jid: 'alice@localhost', password: 'a-pw', server: server.server });
    peer = startSlixmpp(server, 'sli@localhost', 's-pw', 'alice@localhost');
    await peer.waitForLine((l) => l === 'READY');
  });

  after(async () => {
    peer.stop();
    await alice.shutdown();
    await server.stop();
  });

  it('receives what slixmpp sends', async () => {
    const m = await alice.waitForEvent(
      'message.added',
      (e) => e.peer === 'sli@localhost' && e.direction === 'in',
      10_000,
    );
    assert.equal(m.body, 'hello from slixmpp');
  });

  it('sends what slixmpp receives, and gets its answer', async () => {
    await alice.core.handlers['message.send']({
      accountId: 'alice@localhost',
      to: 'sli@localhost',
      body: 'ping from Parley\nsecond line',
    });
    await peer.waitForLine((l) => l === 'RECV alice@localhost ping from Parley\\nsecond line');
    const echo = await alice.waitForEvent('message.added', (e) => e.body.startsWith('echo: '));
    assert.equal(echo.body, 'echo: ping from Parley\nsecond line');
  });

  it('shows slixmpp as online in the roster', async () => {
    await alice.waitForEvent('roster.updated', (e) =>
      e.contacts.some((c) => c.jid === 'sli@localhost' && c.show === 'available'),
    );
  });
});

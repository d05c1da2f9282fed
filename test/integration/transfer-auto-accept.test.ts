/**
 * Auto-accept from contacts (issue 7's Files settings, for issue 6's transfers) against a real
 * Prosody with mod_proxy65: with `files.autoAcceptFromContacts` on, a small file from a
 * subscribed contact is saved without anyone pressing Accept, over XEP-0096 and over Jingle;
 * a file above `files.autoAcceptMaxBytes`, and any file from a stranger, waits for the user.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTransferServer } from '../support/server.ts';
import { tempDir, type TestCore } from '../support/core.ts';
import { fileOf, online, settled, signInTransferCore as signIn, type TransferServer } from '../support/transfer.ts';

const LIMIT = 64 * 1024;

/** The full JID a core is online as (from its log). */
function fullJid(core: TestCore, bare: string): string {
  const line = core.logs.findLast((l) => l.includes(`online as ${bare}/`));
  const jid = /online as (\S+)/u.exec(line ?? '')?.[1];
  assert.ok(jid, 'the core logs its full JID');
  return jid;
}

describe('transfer: auto-accept from contacts (issue 7 Files settings) against Prosody', () => {
  let server: TransferServer;
  let bob: TestCore; // the receiver, auto-accept on
  let alice: TestCore; // a contact, XEP-0096
  let carol: TestCore; // a contact, Jingle
  let mallory: TestCore; // not in anyone's roster
  let work: string;
  const cleanup: (() => Promise<void>)[] = [];

  before(async () => {
    server = await startTransferServer({
      users: ['alice', 'bob', 'carol'].map((u) => ({ username: u, password: 'pw' })),
      sharedGroup: 'Transfers', // mod_groups: subscription 'both' among them
    });
    cleanup.push(() => server.stop());
    await server.register('mallory', 'pw'); // outside the shared group: a stranger
    work = await tempDir('parley-auto-accept-files-');
    bob = await signIn(server, 'bob');
    cleanup.push(() => bob.shutdown());
    alice = await signIn(server, 'alice', { jingle: false, directHosts: () => ['127.0.0.1'] });
    cleanup.push(() => alice.shutdown());
    carol = await signIn(server, 'carol', { directHosts: () => ['127.0.0.1'] });
    cleanup.push(() => carol.shutdown());
    mallory = await signIn(server, 'mallory', { jingle: false, directHosts: () => ['127.0.0.1'] });
    cleanup.push(() => mallory.shutdown());
    for (const c of [alice, carol]) await online(c, 'bob@localhost');
    await bob.waitForEvent(
      'roster.updated',
      (e) => e.contacts.some((x) => x.jid === 'alice@localhost' && x.subscription === 'both'),
      15_000,
    );
    const settings = await bob.core.handlers['settings.update']({
      files: { autoAcceptFromContacts: true, autoAcceptMaxBytes: LIMIT },
    });
    assert.equal(settings.files.autoAcceptFromContacts, true);
  });

  after(async () => {
    for (const stop of cleanup.reverse()) await stop();
  });

  /** Sends `bytes` as `name` from `from` to `peer`; resolves with bob's view of the offer. */
  async function offer(from: TestCore, fromJid: string, bytes: Buffer, name: string, peer = 'bob@localhost') {
    const file = await fileOf(work, bytes, name);
    const offered = bob.waitForNext('transfer.updated', (t) => t.direction === 'in' && t.name === name, 15_000);
    const out = await from.core.handlers['transfer.sendFile']({ accountId: fromJid, peer, path: file });
    return { out, incoming: await offered };
  }

  /** A small file from a contact arrives on its own: no transfer.accept call anywhere. */
  async function arrivesUnasked(from: TestCore, fromJid: string, name: string) {
    // (The core logs each offer it accepts without asking.)
    const bytes = randomBytes(10 * 1024 + 7);
    const { out, incoming } = await offer(from, fromJid, bytes, name);
    const [sent, got] = await Promise.all([settled(from, out.id), settled(bob, incoming.id)]);
    assert.equal(sent.state, 'completed', sent.error);
    assert.equal(got.state, 'completed', got.error);
    assert.ok(got.path);
    assert.equal(path.basename(got.path), name);
    assert.deepEqual(await readFile(got.path), bytes);
    assert.ok(bob.logs.some((l) => l.includes(`accepting ${name} from ${fromJid}/`)));
    return { sent, got };
  }

  it('saves a small file from a contact without being asked (XEP-0096)', async () => {
    const { sent } = await arrivesUnasked(alice, 'alice@localhost', 'auto-si.bin');
    assert.equal(sent.protocol, 'si');
  });

  it('saves a small file from a contact without being asked (Jingle)', async () => {
    const { sent } = await arrivesUnasked(carol, 'carol@localhost', 'auto-jingle.bin');
    assert.equal(sent.protocol, 'jingle');
  });

  it('leaves a file above the limit, and a stranger’s file, offered until the user answers', async () => {
    const big = await offer(alice, 'alice@localhost', randomBytes(LIMIT + 1), 'too-big.bin');
    assert.equal(big.incoming.state, 'offered');
    const strange = await offer(
      mallory,
      'mallory@localhost',
      randomBytes(1000),
      'stranger.bin',
      fullJid(bob, 'bob@localhost'),
    );
    assert.equal(strange.incoming.state, 'offered');
    // A later small file from the same contact goes through on its own: the policy has answered
    // the earlier offers by then (each is decided as soon as its own size check passes).
    await arrivesUnasked(alice, 'alice@localhost', 'after.bin');
    const { transfers } = await bob.core.handlers['transfers.list']({ accountId: 'bob@localhost' });
    for (const id of [big.incoming.id, strange.incoming.id])
      assert.equal(transfers.find((t) => t.id === id)?.state, 'offered');
    assert.ok(!bob.logs.some((l) => /accepting (too-big|stranger)\.bin/u.test(l)));
    // The user's own Accept still works for it.
    await bob.core.handlers['transfer.accept']({ accountId: 'bob@localhost', id: big.incoming.id });
    assert.equal((await settled(bob, big.incoming.id)).state, 'completed');
    await bob.core.handlers['transfer.decline']({ accountId: 'bob@localhost', id: strange.incoming.id });
    assert.equal((await settled(mallory, strange.out.id)).reason, 'declined');
  });
});

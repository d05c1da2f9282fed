/** Auto-accept from contacts (issue 7, Files settings): the policy, and the transfer service acting on it. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { defaultSettings } from '../../../preload/settings.ts';
import type { Subscription } from '../../../main/core/archive/repos/contacts.ts';
import { autoAcceptPolicy, shouldAutoAccept, type AutoAcceptPolicy } from '../../../main/core/transfer/auto-accept.ts';
import { NS_IBB, NS_SI, buildOffer } from '../../../main/core/transfer/si.ts';
import { stanza } from '../../support/stanza.ts';
import { scriptedTransferService } from './harness.ts';

const MiB = 1024 * 1024;
const on = { autoAcceptFromContacts: true, autoAcceptMaxBytes: 10 * MiB };

function policyWith(
  files: { autoAcceptFromContacts: boolean; autoAcceptMaxBytes: number } | undefined,
  roster: Record<string, Subscription>,
  blocked: string[] = [],
) {
  const asked: string[] = [];
  const policy = autoAcceptPolicy({
    settings: () => files,
    subscription: (bare) => {
      asked.push(bare);
      return roster[bare];
    },
    isBlocked: (jid) => blocked.includes(jid),
  });
  return { policy, asked };
}

describe('transfer/auto-accept (issue 7: auto-accept files from contacts)', () => {
  it('is off by default: nothing is accepted, and the roster is not even consulted', () => {
    assert.equal(defaultSettings.files.autoAcceptFromContacts, false);
    const { policy, asked } = policyWith(defaultSettings.files, { 'romeo@montague.lit': 'both' });
    assert.equal(policy('romeo@montague.lit', 1), false);
    assert.deepEqual(asked, []);
    assert.equal(policyWith(undefined, { 'romeo@montague.lit': 'both' }).policy('romeo@montague.lit', 1), false);
  });

  it('accepts from a contact whose presence we receive (both, to), never from a stranger', () => {
    const { policy } = policyWith(on, {
      'romeo@montague.lit': 'both',
      'mercutio@verona.lit': 'to',
      'tybalt@capulet.lit': 'from', // they see us, we never asked for them
      'paris@verona.lit': 'none',
    });
    assert.equal(policy('romeo@montague.lit', 1000), true);
    assert.equal(policy('Romeo@Montague.lit', 1000), true, 'the JID is compared normalised');
    assert.equal(policy('mercutio@verona.lit', 1000), true);
    assert.equal(policy('tybalt@capulet.lit', 1000), false);
    assert.equal(policy('paris@verona.lit', 1000), false);
    assert.equal(policy('iago@evil.lit', 1000), false, 'not in the roster');
    assert.equal(policy('montague.lit', 1000), false, 'a server is no contact');
    assert.equal(policy('romeo@montague.lit/orchard', 1000), false, 'a bare JID is expected');
    assert.equal(policy('not a jid', 1000), false);
  });

  it('accepts up to the size limit, inclusive, and nothing above it or of no valid size', () => {
    const { policy } = policyWith(on, { 'romeo@montague.lit': 'both' });
    assert.equal(policy('romeo@montague.lit', 0), true);
    assert.equal(policy('romeo@montague.lit', 10 * MiB), true);
    assert.equal(policy('romeo@montague.lit', 10 * MiB + 1), false);
    assert.equal(policy('romeo@montague.lit', -1), false);
    assert.equal(policy('romeo@montague.lit', Number.NaN), false);
    assert.equal(policy('romeo@montague.lit', 1.5), false);
    const zero = policyWith({ autoAcceptFromContacts: true, autoAcceptMaxBytes: 0 }, { 'romeo@montague.lit': 'both' });
    assert.equal(zero.policy('romeo@montague.lit', 0), true);
    assert.equal(zero.policy('romeo@montague.lit', 1), false);
  });

  it('never accepts from a blocked contact', () => {
    const { policy } = policyWith(on, { 'romeo@montague.lit': 'both' }, ['romeo@montague.lit']);
    assert.equal(policy('romeo@montague.lit', 1), false);
    assert.equal(
      shouldAutoAccept({ settings: on, subscription: 'both', blocked: true, size: 1 }),
      false,
      'the pure decision too',
    );
    assert.equal(shouldAutoAccept({ settings: on, subscription: 'both', blocked: false, size: 1 }), true);
  });

  it('reads the settings at each offer: turning it off applies to the next one', () => {
    let files = { ...on };
    const policy = autoAcceptPolicy({
      settings: () => files,
      subscription: () => 'both',
      isBlocked: () => false,
    });
    assert.equal(policy('romeo@montague.lit', 1), true);
    files = { ...on, autoAcceptFromContacts: false };
    assert.equal(policy('romeo@montague.lit', 1), false);
    files = { ...on, autoAcceptMaxBytes: 0 };
    assert.equal(policy('romeo@montague.lit', 1), false);
  });
});

// ── the transfer service with a policy (XEP-0096 offers, a scripted stream) ─────────────────

async function setup(autoAccept: AutoAcceptPolicy) {
  const { dir, service, events, iq } = await scriptedTransferService('parley-auto-accept-', {
    ibbMaxBlockSize: 8,
    autoAccept,
  });
  const offer = (sid: string, size: number, name = 'photo.png') =>
    iq(
      NS_SI,
      'si',
      stanza(
        buildOffer({
          sid,
          name,
          size,
          hashes: [{ algo: 'sha-256', value: createHash('sha256').update('x').digest('base64') }],
          methods: [NS_IBB],
        }).toString(),
      ),
    );
  return { dir, service, events, offer };
}

describe('transfer/transfer-service with an auto-accept policy', () => {
  it('answers an allowed offer with Accept by itself, once the size checks passed', async () => {
    const asked: [string, number][] = [];
    const { dir, events, offer } = await setup((peer, size) => {
      asked.push([peer, size]);
      return true;
    });
    // The offer's IQ is answered with the chosen method without anyone calling accept().
    const answer = await offer('a1', 1234);
    assert.match(answer.toString(), /<value>http:\/\/jabber.org\/protocol\/ibb<\/value>/u);
    assert.deepEqual(asked, [['romeo@montague.lit', 1234]], 'asked with the bare JID and the announced size');
    assert.deepEqual(
      events.map((t) => t.state),
      ['offered', 'waiting'],
    );
    assert.equal((await readdir(dir)).length, 1, 'the temporary file of an accepted transfer');
  });

  it('leaves an offer the policy refuses waiting for the user, with nothing on disk', async () => {
    const { promise: wasAsked, resolve: asked } = Promise.withResolvers<undefined>();
    const { dir, service, events, offer } = await setup(() => {
      asked(undefined);
      return false;
    });
    let answered = false;
    const answer = offer('a2', 1234).then((reply) => {
      answered = true;
      return reply;
    });
    await wasAsked;
    await new Promise((resolve) => setImmediate(resolve));
    const offered = events.at(-1);
    assert.equal(offered?.state, 'offered');
    assert.equal(events.length, 1);
    assert.equal(answered, false, 'the sender has no answer yet');
    assert.deepEqual(await readdir(dir), []);
    service.decline(offered.id);
    assert.match((await answer).toString(), /forbidden/u);
  });
});

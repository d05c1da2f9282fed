import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { migrate } from '../../../main/core/archive/migrations/index.ts';
import { createBlocklistRepo } from '../../../main/core/archive/repos/blocklist.ts';
import { createContactRepo } from '../../../main/core/archive/repos/contacts.ts';
import { createOwnStatusRepo } from '../../../main/core/archive/repos/own-status.ts';
import { createRosterStateRepo } from '../../../main/core/archive/repos/roster-state.ts';
import { createSubscriptionRequestRepo } from '../../../main/core/archive/repos/subscription-requests.ts';
import { PresenceService } from '../../../main/core/accounts/presence-service.ts';
import type { ServiceContext } from '../../../main/core/accounts/service-context.ts';
import { AvatarCache } from '../../../main/core/avatars/avatar-cache.ts';
import { silentLogger } from '../../../main/core/log.ts';
import { createMemoryCapsCache } from '../../../main/core/xmpp/caps-cache.ts';
import { parleyCaps } from '../../../main/core/xmpp/disco.ts';
import type { XmppStream } from '../../../main/core/xmpp/entity.ts';
import { PresenceBook } from '../../../main/core/xmpp/presence.ts';
import { parseIdle } from '../../../main/core/xmpp/software.ts';

function setup(idle: { seconds: number }) {
  const db = new Database(':memory:');
  migrate(db);
  const sent: Element[] = [];
  const handlers = new Map<string, (ctx: { stanza: Element; element: Element }) => unknown>();
  const stream = {
    entity: {
      send: (el: Element) => {
        sent.push(el);
        return Promise.resolve();
      },
    },
    onIq: (
      type: string,
      ns: string,
      name: string,
      handler: (ctx: { stanza: Element; element: Element }) => unknown,
    ) => {
      handlers.set(`${type} ${ns} ${name}`, handler);
    },
  } as unknown as XmppStream;
  const events: { name: string; payload: unknown }[] = [];
  let now = 1_800_000_000_000;
  const ctx: ServiceContext = {
    id: 'alice@example.org',
    repos: {
      contacts: createContactRepo(db),
      rosterState: createRosterStateRepo(db),
      subscriptions: createSubscriptionRequestRepo(db),
      blocklist: createBlocklistRepo(db),
      ownStatus: createOwnStatusRepo(db),
    },
    log: silentLogger,
    caps: createMemoryCapsCache(),
    avatars: new AvatarCache('/nonexistent'),
    now: () => now,
    emit: (name, payload) => {
      events.push({ name, payload });
    },
    stream: () => stream,
    online: () => stream,
    contactsChanged: () => undefined,
    forgetPresence: () => undefined,
  };
  const service = new PresenceService(ctx, new PresenceBook(), () => idle.seconds, {
    awayAfterS: 300,
    xaAfterS: 1200,
    pollMs: 5,
  });
  return {
    service,
    sent,
    events,
    handlers,
    stream,
    ctx,
    advance(ms: number) {
      now += ms;
    },
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('accounts/presence-service (RFC 6121 own presence, XEP-0115, XEP-0319, XEP-0012)', () => {
  it('builds our presence with show, status, priority, caps and the XEP-0153 element', async () => {
    const { service } = setup({ seconds: 0 });
    let p = service.build();
    assert.equal(p.getChild('show'), undefined);
    assert.equal(p.getChildText('priority'), '1');
    assert.equal(p.getChild('c', 'http://jabber.org/protocol/caps')?.attrs['ver'], parleyCaps().ver);
    assert.ok(p.getChild('x', 'vcard-temp:x:update'));
    await service.set('dnd', '  in a   meeting ');
    p = service.build();
    assert.equal(p.getChildText('show'), 'dnd');
    assert.equal(p.getChildText('status'), 'in a meeting');
    await service.set('offline', undefined);
    assert.equal(service.build().attrs['type'], 'unavailable');
    assert.deepEqual(service.own.recent, [{ show: 'dnd', status: 'in a meeting' }]);
  });

  it('goes away, then extended away when idle, with the idle time; back on return; never over dnd', async () => {
    const idle = { seconds: 0 };
    const { service, sent, events } = setup(idle);
    service.announced = true;
    service.start();
    try {
      idle.seconds = 301;
      await wait(30);
      assert.equal(service.own.show, 'away');
      assert.equal(service.own.auto, true);
      const away = sent.at(-1);
      assert.ok(away);
      assert.equal(away.getChildText('show'), 'away');
      assert.notEqual(parseIdle(away, Date.now() + 1e13), undefined, 'XEP-0319 idle in the presence');
      idle.seconds = 1300;
      await wait(30);
      assert.equal(sent.at(-1)?.getChildText('show'), 'xa');
      idle.seconds = 2;
      await wait(30);
      assert.equal(service.own.show, 'available');
      assert.equal(sent.at(-1)?.getChild('show'), undefined);
      assert.equal(sent.at(-1)?.getChild('idle', 'urn:xmpp:idle:1'), undefined);
      assert.ok(events.filter((e) => e.name === 'presence.own').length >= 3);
      await service.set('dnd', 'busy');
      const count = sent.length;
      idle.seconds = 5000;
      await wait(30);
      assert.equal(service.own.show, 'dnd');
      assert.equal(sent.length, count);
    } finally {
      service.stop();
    }
  });

  it('answers disco#info for our caps node, item-not-found for others; last activity only to contacts', () => {
    const { service, handlers, stream, ctx } = setup({ seconds: 42 });
    service.wire(stream);
    const disco = handlers.get('get http://jabber.org/protocol/disco#info query');
    assert.ok(disco);
    const node = `${parleyCaps().node}#${parleyCaps().ver}`;
    const ok = disco({ stanza: xml('iq'), element: xml('query', { node }) }) as Element;
    assert.equal(ok.attrs['node'], node);
    const unknown = disco({ stanza: xml('iq'), element: xml('query', { node: 'x' }) }) as Element;
    assert.ok(unknown.is('error') && unknown.getChild('item-not-found'));
    const last = handlers.get('get jabber:iq:last query');
    assert.ok(last);
    const stranger = last({ stanza: xml('iq', { from: 'eve@example.org/x' }), element: xml('query') }) as Element;
    assert.ok(stranger.is('error') && stranger.getChild('forbidden'));
    ctx.repos.contacts.upsert(ctx.id, { jid: 'bob@example.org', subscription: 'both', groups: [] });
    const friend = last({ stanza: xml('iq', { from: 'bob@example.org/x' }), element: xml('query') }) as Element;
    assert.equal(friend.attrs['seconds'], '42');
  });

  it('restores the status chosen last (with or without a message) when the account is made again', async () => {
    const { service, ctx } = setup({ seconds: 0 });
    await service.set('dnd', 'deep work');
    let again = new PresenceService(ctx, new PresenceBook());
    assert.equal(again.own.show, 'dnd');
    assert.equal(again.own.status, 'deep work');
    assert.equal(again.build().getChildText('show'), 'dnd');
    assert.equal(again.build().getChildText('status'), 'deep work');
    await service.set('xa', undefined);
    again = new PresenceService(ctx, new PresenceBook());
    assert.equal(again.own.show, 'xa');
    assert.equal(again.own.status, undefined);
    // A status without a message is not offered among the recent ones.
    assert.deepEqual(again.own.recent, [{ show: 'dnd', status: 'deep work' }]);
    await service.set('offline', undefined);
    assert.equal(new PresenceService(ctx, new PresenceBook()).own.show, 'offline');
  });

  it('Invisible with XEP-0186: the command, then a presence the server shows nobody; visible again', async () => {
    const { service, sent, stream } = setup({ seconds: 0 });
    const iqs: Element[] = [];
    Object.assign(stream, {
      iq: {
        get: (el: Element, to: string) => {
          iqs.push(el);
          assert.equal(to, 'example.org');
          return Promise.resolve(
            xml(
              'query',
              { xmlns: 'http://jabber.org/protocol/disco#info' },
              xml('identity', { category: 'server', type: 'im' }),
              xml('feature', { var: 'urn:xmpp:invisible:0' }),
            ),
          );
        },
        set: (el: Element) => {
          iqs.push(el);
          return Promise.resolve(undefined);
        },
      },
    });
    await service.set('offline', 'not here');
    // Chosen before the session: the command goes before the first presence.
    await service.announce(stream);
    assert.deepEqual(
      iqs.map((e) => e.name),
      ['query', 'invisible'],
    );
    assert.equal(iqs[1]?.attrs['xmlns'], 'urn:xmpp:invisible:0');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.attrs['type'], undefined, 'available to our server');
    assert.equal(service.own.invisibility, 'invisible');
    await service.set('away', 'back soon');
    assert.equal(iqs[2]?.name, 'visible');
    assert.equal(sent.at(-1)?.getChildText('show'), 'away');
    await service.set('offline', undefined);
    assert.equal(iqs[3]?.name, 'invisible');
    assert.equal(iqs.filter((e) => e.name === 'query').length, 1, 'the server is asked once a session');
  });

  it('appears offline without XEP-0186: no presence at first, one unavailable after being seen', async () => {
    const { service, sent, stream } = setup({ seconds: 0 });
    const sets: Element[] = [];
    Object.assign(stream, {
      iq: {
        get: () => Promise.resolve(xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })),
        set: (el: Element) => {
          sets.push(el);
          return Promise.resolve(undefined);
        },
      },
    });
    await service.set('offline', undefined);
    await service.announce(stream);
    assert.equal(sent.length, 0, 'signed in, but no presence at all');
    assert.equal(service.own.invisibility, 'appear-offline');
    await service.set('available', undefined);
    assert.equal(sent.at(-1)?.attrs['type'], undefined);
    await service.set('offline', undefined);
    assert.equal(sent.at(-1)?.attrs['type'], 'unavailable');
    const count = sent.length;
    await service.resend(); // e.g. a new photo hash: nothing to tell anyone while offline
    assert.equal(sent.length, count);
    assert.deepEqual(sets, [], 'no XEP-0186 command to a server without it');
  });
});

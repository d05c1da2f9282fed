/**
 * Roster management and presence subscriptions for one account (RFC 6121 §2.3–2.5, §3),
 * with the requests that wait for an answer kept in the archive (both ways) so that they
 * survive a restart. The roster itself (load, versioning, pushes) stays in account.ts; this
 * sends the changes and answers, and the server's pushes bring them back.
 */
import type { Element } from '@xmpp/xml';
import type { SubscriptionRequest } from '../../../preload/contract.ts';
import { CoreError } from '../errors.ts';
import { parse } from '../xmpp/jid.ts';
import {
  buildRosterRemove,
  buildRosterSet,
  buildSubscribe,
  buildSubscribed,
  buildUnsubscribe,
  buildUnsubscribed,
  normalizeGroups,
  type SubscriptionPresence,
} from '../xmpp/roster-ops.ts';
import { NS_ROSTER } from '../xmpp/roster.ts';
import { queryError, type ServiceContext } from './service-context.ts';

export type SubscriptionAction = 'approve' | 'deny' | 'cancel' | 'revoke' | 'request';

export class RosterService {
  readonly #ctx: ServiceContext;
  /** Our own nickname (XEP-0172) for requests we send. */
  ownNick: () => string | undefined = () => undefined;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  requests(): SubscriptionRequest[] {
    const { id, repos } = this.#ctx;
    return repos.subscriptions.list(id).map((r) => ({ accountId: id, ...r }));
  }

  /** We wait for this contact's answer to our request. */
  pending(jid: string): boolean {
    return this.#ctx.repos.subscriptions.get(this.#ctx.id, jid, 'out') !== undefined;
  }

  #changed(jids: string[]): void {
    this.#ctx.emit('subscriptions.updated', { accountId: this.#ctx.id, requests: this.requests() });
    this.#ctx.contactsChanged(jids);
  }

  async #rosterSet(query: Element, what: string): Promise<void> {
    const stream = this.#ctx.online(what);
    try {
      await stream.iq.set(query);
    } catch (err) {
      throw queryError(err, what);
    }
  }

  async add(jid: string, name: string | undefined, groups: readonly string[] | undefined, message?: string) {
    const bare = bareOrThrow(jid);
    if (bare === this.#ctx.id) throw new CoreError('bad-request', 'You cannot add yourself as a contact.');
    await this.#rosterSet(
      buildRosterSet({ jid: bare, name, groups: normalizeGroups(groups ?? []) }),
      'Adding the contact',
    );
    const item = this.#ctx.repos.contacts.get(this.#ctx.id, bare);
    if (item?.subscription !== 'to' && item?.subscription !== 'both') await this.#subscribe(bare, message);
    // Someone who asked us first and whom we add now: let them see us too.
    if (this.#ctx.repos.subscriptions.get(this.#ctx.id, bare, 'in')) await this.answer(bare, 'approve');
  }

  async update(jid: string, name: string | undefined, groups: readonly string[] | undefined): Promise<void> {
    const bare = bareOrThrow(jid);
    const item = this.#ctx.repos.contacts.get(this.#ctx.id, bare);
    if (!item) throw new CoreError('not-found', `${bare} is not in your contacts.`);
    await this.#rosterSet(
      buildRosterSet({ jid: bare, name: name ?? item.name, groups: groups ? normalizeGroups(groups) : item.groups }),
      'Changing the contact',
    );
  }

  async renameGroup(from: string, to: string): Promise<number> {
    const target = to.trim();
    if (!target) throw new CoreError('bad-request', 'A group needs a name.');
    const members = this.#ctx.repos.contacts.list(this.#ctx.id).filter((c) => c.groups.includes(from));
    for (const item of members) {
      const groups = item.groups.map((g) => (g === from ? target : g));
      await this.#rosterSet(buildRosterSet({ jid: item.jid, name: item.name, groups }), 'Renaming the group');
    }
    return members.length;
  }

  async remove(jid: string): Promise<void> {
    const bare = bareOrThrow(jid, true);
    await this.#rosterSet(buildRosterRemove(bare), 'Removing the contact');
    const { subscriptions } = this.#ctx.repos;
    const a = subscriptions.remove(this.#ctx.id, bare, 'in');
    const b = subscriptions.remove(this.#ctx.id, bare, 'out');
    if (a || b) this.#changed([]);
  }

  async #subscribe(bare: string, message?: string): Promise<void> {
    const stream = this.#ctx.online('Asking for the presence');
    const nick = this.ownNick();
    await stream.entity.send(
      buildSubscribe(bare, { ...(message ? { status: message } : {}), ...(nick ? { nick } : {}) }),
    );
    this.#ctx.repos.subscriptions.put(this.#ctx.id, {
      jid: bare,
      direction: 'out',
      ...(message ? { message } : {}),
      at: this.#ctx.now(),
    });
    this.#changed([bare]);
  }

  async answer(jid: string, action: SubscriptionAction): Promise<void> {
    const bare = bareOrThrow(jid, true);
    const { id, repos } = this.#ctx;
    const stream = this.#ctx.online('Answering');
    const item = repos.contacts.get(id, bare);
    switch (action) {
      case 'approve': {
        await stream.entity.send(buildSubscribed(bare));
        repos.subscriptions.remove(id, bare, 'in');
        // Accepting also asks for their presence, unless we see it already or asked.
        const seeing = item?.subscription === 'to' || item?.subscription === 'both';
        if (!seeing && !this.pending(bare)) await this.#subscribe(bare);
        break;
      }
      case 'deny':
      case 'revoke':
        await stream.entity.send(buildUnsubscribed(bare));
        repos.subscriptions.remove(id, bare, 'in');
        break;
      case 'cancel':
        await stream.entity.send(buildUnsubscribe(bare));
        repos.subscriptions.remove(id, bare, 'out');
        break;
      case 'request':
        await this.#subscribe(bare);
        break;
    }
    this.#changed([bare]);
  }

  /** An incoming subscription presence (already checked: not from a blocked sender). */
  onSubscription(sub: SubscriptionPresence): void {
    const { id, repos, log } = this.#ctx;
    const bare = sub.from;
    if (bare === id) return;
    switch (sub.kind) {
      case 'subscribe': {
        if (!bare.includes('@')) {
          // XEP-0100 §4.1.1: a gateway we registered with (the caller checked) asks to see
          // us after the registration: approve, and subscribe back.
          log.info('roster', `${id}: approving the subscription of gateway ${bare}`);
          void this.answer(bare, 'approve').catch((err: unknown) => {
            log.warn('roster', `${id}: could not approve gateway ${bare}`, err);
          });
          return;
        }
        repos.subscriptions.put(id, {
          jid: bare,
          direction: 'in',
          ...(sub.nick ? { nick: sub.nick } : {}),
          ...(sub.status ? { message: sub.status } : {}),
          at: this.#ctx.now(),
        });
        log.info('roster', `${id}: subscription request from ${bare}`);
        break;
      }
      case 'subscribed':
      case 'unsubscribed':
        // Our request was answered (either way): nothing waits any more.
        repos.subscriptions.remove(id, bare, 'out');
        break;
      case 'unsubscribe':
        repos.subscriptions.remove(id, bare, 'in');
        break;
    }
    this.#changed([bare]);
  }

  /**
   * Keeps the outgoing requests in step with the roster (RFC 6121 `ask='subscribe'`): items
   * of a roster result or push. Returns the JIDs whose pending state changed.
   */
  syncAsk(query: Element): string[] {
    if (!query.is('query', NS_ROSTER)) return [];
    const { id, repos } = this.#ctx;
    const changed: string[] = [];
    for (const el of query.getChildren('item')) {
      const jid = parse(el.attrs['jid'])?.bare;
      if (!jid) continue;
      const sub: unknown = el.attrs['subscription'];
      const ask = el.attrs['ask'] === 'subscribe';
      if (ask && !this.pending(jid)) {
        repos.subscriptions.put(id, { jid, direction: 'out', at: this.#ctx.now() });
        changed.push(jid);
      } else if (!ask && this.pending(jid) && (sub === 'to' || sub === 'both' || sub === 'remove' || sub === 'none')) {
        repos.subscriptions.remove(id, jid, 'out');
        changed.push(jid);
      }
      if (sub === 'remove' && repos.subscriptions.remove(id, jid, 'in')) changed.push(jid);
    }
    if (changed.length > 0) this.#ctx.emit('subscriptions.updated', { accountId: id, requests: this.requests() });
    return changed;
  }
}

/** A user's bare JID; with `allowDomain`, also a bare domain (a gateway's own entry). */
function bareOrThrow(jid: string, allowDomain = false): string {
  const parsed = parse(jid.trim());
  if (!parsed || (!parsed.local && !allowDomain) || parsed.resource)
    throw new CoreError('bad-request', `"${jid.slice(0, 100)}" is not a valid address.`);
  return parsed.bare;
}

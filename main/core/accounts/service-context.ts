/**
 * What an Account lends the services it delegates to (roster-service.ts, presence-service.ts,
 * profile-service.ts): its identity, its repositories, its event sink and its stream. The
 * services hold no connection state of their own beyond caches; the Account stays the one
 * owner of the connection.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { EventName, EventPayload } from '../../../preload/contract.ts';
import type { BlocklistRepo } from '../archive/repos/blocklist.ts';
import type { ContactRepo } from '../archive/repos/contacts.ts';
import type { OwnStatusRepo } from '../archive/repos/own-status.ts';
import type { RosterStateRepo } from '../archive/repos/roster-state.ts';
import type { SubscriptionRequestRepo } from '../archive/repos/subscription-requests.ts';
import type { AvatarCache } from '../avatars/avatar-cache.ts';
import { CoreError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { CapsCache } from '../xmpp/caps-cache.ts';
import type { XmppStream } from '../xmpp/entity.ts';

export interface RosterProfileRepos {
  contacts: ContactRepo;
  rosterState: RosterStateRepo;
  subscriptions: SubscriptionRequestRepo;
  blocklist: BlocklistRepo;
  ownStatus: OwnStatusRepo;
}

export interface ServiceContext {
  readonly id: string;
  readonly repos: RosterProfileRepos;
  readonly log: Logger;
  readonly caps: CapsCache;
  readonly avatars: AvatarCache;
  now(): number;
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void;
  /** The stream while online, else undefined. */
  stream(): XmppStream | undefined;
  /** The stream while online, else CoreError('not-connected'). */
  online(what: string): XmppStream;
  /** Emits roster.updated for these contacts (those in the roster). */
  contactsChanged(jids: Iterable<string>): void;
  /** Forgets a contact's presence (every resource), e.g. when it is blocked. */
  forgetPresence(bare: string): void;
}

/** How long a question to another entity may take before we give up on it. */
export const QUERY_TIMEOUT_MS = 10_000;

export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/** An `<error/>` for an IQ handler's answer (xmpp.js replies with it as an error). */
export function stanzaError(type: 'cancel' | 'modify', condition: string): Element {
  return xml('error', { type }, xml(condition, { xmlns: NS_STANZAS }));
}

export function stanzaCondition(err: unknown): string | undefined {
  const e = err as { name?: unknown; condition?: unknown } | null;
  return e?.name === 'StanzaError' && typeof e.condition === 'string' ? e.condition : undefined;
}

/** A failed request to the server or a contact, as a sentence the user can read. */
export function queryError(err: unknown, what: string): CoreError {
  if (err instanceof CoreError) return err;
  const condition = stanzaCondition(err);
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || (err as { code?: unknown } | null)?.code === 'ECONNRESET')
    return new CoreError('no-answer', `${what}: no answer.`, { cause: err });
  if (condition === 'item-not-found' || condition === 'recipient-unavailable')
    return new CoreError('not-found', `${what}: not found.`, { cause: err });
  if (condition === 'service-unavailable' || condition === 'feature-not-implemented')
    return new CoreError('not-supported', `${what}: not supported here.`, { cause: err });
  if (condition === 'not-allowed' || condition === 'forbidden' || condition === 'not-authorized')
    return new CoreError('not-allowed', `${what}: not allowed.`, { cause: err });
  if (condition === 'conflict') return new CoreError('registration-conflict', `${what}: conflict.`, { cause: err });
  if (condition === 'not-acceptable' || condition === 'bad-request')
    return new CoreError('not-acceptable', `${what}: the server refused it (${condition}).`, { cause: err });
  if (condition) return new CoreError('internal', `${what} failed (${condition}).`, { cause: err });
  return new CoreError('internal', `${what} failed.`, { cause: err });
}

/**
 * File transfer (issues 6 and 7, the Files settings): which incoming offers are accepted
 * without asking. Off by default; when `files.autoAcceptFromContacts` is on, an offer is
 * accepted only from a roster contact whose presence we are subscribed to (subscription
 * 'both' or 'to': a contact we asked for and who agreed, not a stranger who merely added us),
 * who is not blocked, for an announced size within `files.autoAcceptMaxBytes`. The free disk
 * space is the transfer service's own check (the same as for a manual Accept). Everything
 * else waits for the user.
 */
import type { Settings } from '../../../preload/settings.ts';
import type { Subscription } from '../archive/repos/contacts.ts';
import { parse } from '../xmpp/jid.ts';

/** Whether to accept, without asking, an offer of `size` bytes from `peerBareJid`. */
export type AutoAcceptPolicy = (peerBareJid: string, size: number) => boolean;

type AutoAcceptSettings = Pick<Settings['files'], 'autoAcceptFromContacts' | 'autoAcceptMaxBytes'>;

export interface AutoAcceptFacts {
  /** The Files settings now (read at each offer: a change applies to the next one). */
  settings: AutoAcceptSettings | undefined;
  /** The peer's roster subscription, undefined when it is not in the roster. */
  subscription: Subscription | undefined;
  /** The peer is on our blocklist (XEP-0191). */
  blocked: boolean;
  /** The announced size in bytes. */
  size: number;
}

/** The decision itself, pure. */
export function shouldAutoAccept(facts: AutoAcceptFacts): boolean {
  const s = facts.settings;
  if (s?.autoAcceptFromContacts !== true) return false;
  if (facts.blocked) return false;
  if (facts.subscription !== 'both' && facts.subscription !== 'to') return false;
  if (!Number.isSafeInteger(facts.size) || facts.size < 0) return false;
  if (!Number.isSafeInteger(s.autoAcceptMaxBytes) || s.autoAcceptMaxBytes < 0) return false;
  return facts.size <= s.autoAcceptMaxBytes;
}

/** What an account lends the policy: its settings, its cached roster and its blocklist. */
export interface AutoAcceptSources {
  settings: () => AutoAcceptSettings | undefined;
  subscription: (bareJid: string) => Subscription | undefined;
  isBlocked: (jid: string) => boolean;
}

/** The policy of one account, for `TransferOptions.autoAccept`. */
export function autoAcceptPolicy(sources: AutoAcceptSources): AutoAcceptPolicy {
  return (peer, size) => {
    const settings = sources.settings();
    // Nothing else is looked up while the setting is off (the default).
    if (settings?.autoAcceptFromContacts !== true) return false;
    const jid = parse(peer);
    if (!jid?.local || jid.resource) return false;
    return shouldAutoAccept({
      settings,
      subscription: sources.subscription(jid.bare),
      blocked: sources.isBlocked(jid.bare),
      size,
    });
  };
}

/**
 * xmpp: URIs (RFC 5122, XEP-0147 query actions), pure: a link from a message, the OS
 * (protocol handler) or a second launch becomes a request the user is asked to confirm,
 * or a reason it was refused. Nothing here acts.
 *
 * Accepted: `xmpp:` + a percent-encoded JID (any resource is dropped: Parley talks to
 * bare JIDs) + optionally `?action;key=value;...` with the actions `message` (`body`),
 * `subscribe`, `roster` (`name`, `group`) and `join`. An unknown action is treated as a
 * plain "open" (XEP-0147: a client ignores actions it does not know), an unknown key is
 * ignored. Refused: the authority form (`xmpp://me@host/you@host`: it names the account
 * to act as, which Parley does not let a link choose), control characters, bad percent
 * escapes, over-long input, and anything that is not a valid JID (domains checked as IDNs).
 */
import { domainToASCII } from 'node:url';
import type { UriRequest } from '../../preload/contract.ts';
import { parse } from './xmpp/jid.ts';

/** Generous for a JID (3071) and a message body (≈ 4000 characters percent-encoded). */
export const MAX_URI_LENGTH = 8192;
const MAX_BODY = 64 * 1024;

export type UriParse = { ok: true; request: UriRequest } | { ok: false; reason: string };

const ACTIONS = new Set(['message', 'subscribe', 'roster', 'join']);
/** C0, DEL and C1 controls, and bidirectional overrides that could disguise an address. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

function decode(part: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/u.test(part)) return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined; // an escape that is not UTF-8
  }
}

const refuse = (reason: string): UriParse => ({ ok: false, reason });

/** Parses an xmpp: URI into what it asks for, or says why it is refused. */
export function parseXmppUri(input: unknown): UriParse {
  if (typeof input !== 'string') return refuse('not text');
  if (input.length > MAX_URI_LENGTH) return refuse('too long');
  if (CONTROL.test(input)) return refuse('control characters');
  const text = input.trim();
  if (!/^xmpp:/iu.test(text)) return refuse('not an xmpp: link');
  let rest = text.slice('xmpp:'.length);
  if (rest.startsWith('//')) return refuse('a link may not choose the account to use (xmpp://…)');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash); // the fragment says nothing to us
  const q = rest.indexOf('?');
  const rawPath = q >= 0 ? rest.slice(0, q) : rest;
  const rawQuery = q >= 0 ? rest.slice(q + 1) : undefined;

  const path = decode(rawPath);
  if (path === undefined) return refuse('a bad percent escape in the address');
  if (CONTROL.test(path) || /\s/u.test(path)) return refuse('spaces or control characters in the address');
  const jid = checkJid(path);
  if (typeof jid !== 'string') return jid;

  if (rawQuery === undefined || rawQuery === '') return { ok: true, request: { action: 'open', jid } };
  const [rawAction = '', ...pairs] = rawQuery.split(';');
  const action = decode(rawAction);
  if (action === undefined) return refuse('a bad percent escape in the action');
  const params = new Map<string, string>();
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq >= 0 ? pair.slice(0, eq) : pair);
    const value = decode(eq >= 0 ? pair.slice(eq + 1) : '');
    if (key === undefined || value === undefined) return refuse('a bad percent escape in the parameters');
    if (key !== 'body' && CONTROL.test(value)) return refuse('control characters in the parameters');
    if (!params.has(key)) params.set(key, value); // the first of a repeated key counts
  }
  if (!ACTIONS.has(action)) return { ok: true, request: { action: 'open', jid } };
  switch (action) {
    case 'message': {
      const body = params.get('body');
      if (body !== undefined && body.length > MAX_BODY) return refuse('the message is too long');
      // Tabs and line breaks are text in a body; other control characters are not.
      // eslint-disable-next-line no-control-regex -- see above
      if (body !== undefined && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u.test(body))
        return refuse('control characters in the message');
      return { ok: true, request: { action: 'message', jid, ...(body ? { body } : {}) } };
    }
    case 'roster': {
      const name = params.get('name')?.trim();
      const group = params.get('group')?.trim();
      if ((name?.length ?? 0) > 1024 || (group?.length ?? 0) > 1000) return refuse('a name or group is too long');
      return {
        ok: true,
        request: { action: 'roster', jid, ...(name ? { name } : {}), ...(group ? { group } : {}) },
      };
    }
    case 'subscribe':
      return { ok: true, request: { action: 'subscribe', jid } };
    default:
      return { ok: true, request: { action: 'join', jid } };
  }
}

/** The bare JID of a decoded path (domain checked as an IDN), or why not. */
function checkJid(path: string): string | UriParse {
  if (path === '') return refuse('no address');
  const slash = path.indexOf('/');
  const bareText = slash >= 0 ? path.slice(0, slash) : path;
  const at = bareText.lastIndexOf('@');
  const local = at >= 0 ? bareText.slice(0, at) : '';
  const domain = at >= 0 ? bareText.slice(at + 1) : bareText;
  if (at < 0) return refuse('not a contact address (name@server)');
  if (local === '') return refuse('an empty name before @');
  if (local.length > 1023) return refuse('the name is too long');
  // RFC 7622 forbids these in a localpart (the contract's address check agrees).
  if (/["&'/:<>@]/u.test(local)) return refuse('not a valid address');
  if (domain === '' || domain.length > 1023) return refuse('no valid server name');
  if (/^\[.*\]$/u.test(domain) || /^[\d.]+$/u.test(domain)) {
    // An IP literal: valid in a JID, but not something a link should route a user to blindly.
    return refuse('an IP address instead of a server name');
  }
  const ascii = domainToASCII(domain);
  if (ascii === '' || !/^[a-z0-9.-]+$/u.test(ascii) || ascii.startsWith('.') || ascii.includes('..'))
    return refuse('no valid server name');
  const parsed = parse(`${local}@${domain}`);
  if (!parsed) return refuse('not a valid address');
  return parsed.bare;
}

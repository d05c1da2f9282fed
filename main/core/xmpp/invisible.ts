/**
 * XEP-0186 Invisible Command: a session that is signed in and receives messages while its
 * contacts see it as offline. The server advertises `urn:xmpp:invisible:0` (or the later
 * `urn:xmpp:invisible:1`, with its `probe` attribute) in its disco#info; the command is an
 * IQ-set to our own server (no `to`). A server without it (Prosody 0.12 has no module for
 * it) leaves only "appear offline": no available presence at all.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { hasFeature, type DiscoInfo } from './disco.ts';

export const NS_INVISIBLE_0 = 'urn:xmpp:invisible:0';
export const NS_INVISIBLE_1 = 'urn:xmpp:invisible:1';
export type InvisibleNamespace = typeof NS_INVISIBLE_0 | typeof NS_INVISIBLE_1;

/** The XEP-0186 version the server's disco#info offers (the later one first), if any. */
export function invisibleNamespace(info: Pick<DiscoInfo, 'features'> | undefined): InvisibleNamespace | undefined {
  if (info === undefined) return undefined;
  if (hasFeature(info, NS_INVISIBLE_1)) return NS_INVISIBLE_1;
  if (hasFeature(info, NS_INVISIBLE_0)) return NS_INVISIBLE_0;
  return undefined;
}

/**
 * The IQ payload that makes this session invisible. Version 1 says whether the server should
 * still probe our contacts' presence (we want to see them: `probe='true'`).
 */
export function buildInvisible(ns: InvisibleNamespace, probe = true): Element {
  return ns === NS_INVISIBLE_1
    ? xml('invisible', { xmlns: ns, probe: probe ? 'true' : 'false' })
    : xml('invisible', { xmlns: ns });
}

/** The IQ payload that makes this session visible again. */
export function buildVisible(ns: InvisibleNamespace): Element {
  return xml('visible', { xmlns: ns });
}

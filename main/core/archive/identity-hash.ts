/**
 * Message identity as integers (migration 0017): the archive de-duplicates by (account, peer,
 * direction, sender key) and by (account, archive stanza-id), and finds messages by them. Unique
 * indexes on those TEXT keys (two UUIDs, two JIDs) cost a large, random B-tree position each per
 * insert; these 53-bit hashes index the same identities in a fraction of the space. A hash is
 * only where to look: every lookup and every duplicate check also compares the text, so two
 * identities that share a hash (about one pair in 10^15 for a million messages) stay two
 * messages.
 *
 * The values are stored: these functions must never change (a new hash needs a migration).
 */

const SEPARATOR = 0;

/** Mixes UTF-16 code units into two 32-bit lanes (cyrb53's round, multiply-xorshift). */
function mix(h: [number, number], value: string): void {
  let h1 = h[0];
  let h2 = h[1];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ SEPARATOR, 2654435761);
  h2 = Math.imul(h2 ^ SEPARATOR, 1597334677);
  h[0] = h1;
  h[1] = h2;
}

/** The lanes' final avalanche, as a non-negative safe integer (53 bits). */
function finish(h: [number, number]): number {
  let h1 = h[0];
  let h2 = h[1];
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The sender identity's hash: (account, peer, sender key); both directions share it. */
export function identityHash(account: string, peer: string, senderKey: string): number {
  const h: [number, number] = [0x6a09e667, 0xbb67ae85];
  mix(h, account);
  mix(h, peer);
  mix(h, senderKey);
  return finish(h);
}

/** The archive id's hash: (account, stanza-id by our account). */
export function stanzaHash(account: string, stanzaId: string): number {
  const h: [number, number] = [0x3c6ef372, 0xa54ff53a];
  mix(h, account);
  mix(h, stanzaId);
  return finish(h);
}

/** SQL names of the same functions (registered by migration 0017 for the rows stored before it). */
export const IDENTITY_HASH_FUNCTION = 'parley_identity_hash';
export const STANZA_HASH_FUNCTION = 'parley_stanza_hash';

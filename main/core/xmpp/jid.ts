/** JID helpers: parsing, normalisation (case-folded bare JIDs) and validation. */
import parseJid from '@xmpp/jid';

export interface ParsedJid {
  local: string;
  domain: string;
  resource: string;
  bare: string;
}

/** Parses a JID and returns its parts, or undefined when it is not a valid JID. */
export function parse(value: unknown): ParsedJid | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 3071) return undefined;
  try {
    const j = parseJid(value);
    const local = j.getLocal().toLowerCase();
    const domain = j.getDomain().toLowerCase().replace(/\.$/u, '');
    const bareInput = value.split('/', 1)[0] ?? '';
    if (bareInput.includes('@') && !local) return undefined; // "@domain": an empty localpart
    if (!domain || domain.length > 1023 || /[\s<>"'&@/\\]/u.test(domain) || /[\s<>"'&/@:]/u.test(local))
      return undefined;
    return { local, domain, resource: j.getResource(), bare: local ? `${local}@${domain}` : domain };
  } catch {
    return undefined;
  }
}

export function bareOf(value: unknown): string | undefined {
  return parse(value)?.bare;
}

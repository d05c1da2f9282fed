/**
 * Which links the core lets a host open outside the app (`app.openExternal`):
 * http(s) in the browser and mailto: in the mail client, nothing else. The
 * renderer only offers such links, but the check lives here, where a
 * compromised renderer cannot skip it. The core never opens anything itself:
 * the host's `openExternal` port does (Electron's shell.openExternal).
 */
import { CoreError } from './errors.ts';

/** Opens a URL outside the app; given by the host. */
export type OpenExternal = (url: string) => Promise<void>;

const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/** The normalized URL to hand to the host, or a 'bad-request' CoreError saying why not. */
export function checkExternalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CoreError('bad-request', 'This link is not a valid address.');
  }
  const scheme = parsed.protocol;
  if (scheme === 'xmpp:') throw new CoreError('bad-request', 'Parley cannot open xmpp: links yet.');
  if (!ALLOWED.has(scheme)) {
    throw new CoreError(
      'bad-request',
      `Parley only opens web (http, https) and e-mail (mailto) links, not ${scheme.slice(0, 40)} links.`,
    );
  }
  if ((scheme === 'http:' || scheme === 'https:') && parsed.hostname === '') {
    throw new CoreError('bad-request', 'This link has no host.');
  }
  return parsed.href;
}

/** The `app.openExternal` handler: checks the URL, then asks the host's port (when there is one). */
export async function openExternally(url: string, port: OpenExternal | undefined): Promise<Record<string, never>> {
  const target = checkExternalUrl(url);
  if (port === undefined) throw new CoreError('internal', 'This version of Parley cannot open links outside the app.');
  try {
    await port(target);
  } catch (err) {
    throw new CoreError('internal', 'The link could not be opened.', { cause: err });
  }
  return {};
}

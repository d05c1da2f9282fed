/**
 * The privileged app:// scheme: serves the built renderer (dist/renderer) and
 * nothing else, with a CSP header on every response. Using a custom scheme
 * rather than file:// keeps the page in an origin of its own, with no access to
 * the rest of the disk.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import type { Logger } from '../core/log.ts';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, contentTypeOf, resolveAppFile } from './app-origin.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY },
  });
}

/** Serves files below `root` on app://parley/. Call once the app is ready. */
export function serveRenderer(root: string, log: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = resolveAppFile(root, request.url);
    if (file === null) {
      log.warn('shell', `refused app:// request ${request.url.slice(0, 200)}`);
      return plain(404, 'not found');
    }
    const body = await readFile(file).catch(() => null); // missing, a folder, unreadable
    if (body === null) return plain(404, 'not found');
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': contentTypeOf(file),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

/**
 * App-wide hardening, after Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security). The window's own
 * webPreferences are in window.ts, the CSP in app-origin.ts, the IPC sender
 * checks in ipc.ts, the fuses in electron-builder.yml.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../core/log.ts';
import { isExternalWebUrl } from './app-origin.ts';

/** Hands an http(s) URL to the system browser; anything else (file:, smb:, custom schemes) is dropped. */
function openExternally(url: string, log: Logger): void {
  if (!isExternalWebUrl(url)) {
    log.warn('shell', `refused to open ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(url).catch((err: unknown) => {
    log.warn('shell', 'could not open a link in the browser', err);
  });
}

/** Every webContents ever created: no webviews, no navigation, no new windows. */
function guard(contents: WebContents, log: Logger): void {
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  // The app is a single page: a link click or location change leaves it only
  // towards the system browser.
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openExternally(event.url, log);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, log);
    return { action: 'deny' };
  });
}

/** Must run before the app is ready. */
export function hardenApp(log: Logger): void {
  // Sandbox every renderer, whatever its webPreferences say.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => {
    guard(contents, log);
  });
}

/**
 * The renderer needs no web permission (notifications, media, clipboard
 * reads, ... go through the core and the shell), so every request and check is
 * refused.
 */
export function denyPermissions(session: Session, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.debug('shell', `denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

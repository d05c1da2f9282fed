/**
 * main/shell is deliberately thin: it adapts Electron (window, app:// protocol,
 * IPC, hardening) to the core and holds no application logic. Everything a
 * user can do lives in main/core behind the contract, where it is tested in
 * plain Node; what remains here is small enough that reading it is its review.
 *
 * This file: the one hardened BrowserWindow.
 */
import { app, BrowserWindow } from 'electron';
import type { Logger } from '../core/log.ts';
import { APP_ENTRY } from './app-origin.ts';
import { DEFAULT_SIZE, MIN_SIZE, type WindowState } from './desktop-pure.ts';

/** `state`: the restored bounds (already fitted to the displays); `show: false` starts hidden (to the tray). */
export function createMainWindow(
  preload: string,
  log: Logger,
  options: { state?: WindowState | undefined; show?: boolean } = {},
): BrowserWindow {
  const bounds = options.state?.bounds ?? DEFAULT_SIZE;
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Parley',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => {
    if (options.show === false) return;
    if (options.state?.maximized === true) win.maximize();
    win.show();
  });
  win.loadURL(APP_ENTRY).catch((err: unknown) => {
    log.error('shell', `could not load ${APP_ENTRY}`, err);
  });
  return win;
}

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

export function createMainWindow(preload: string, log: Logger): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 740,
    minWidth: 640,
    minHeight: 420,
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
    win.show();
  });
  win.loadURL(APP_ENTRY).catch((err: unknown) => {
    log.error('shell', `could not load ${APP_ENTRY}`, err);
  });
  return win;
}

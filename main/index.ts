/**
 * Electron entry (bundled to dist/main/index.mjs): lifecycle only. It wires the
 * shell (main/shell: window, app:// protocol, IPC, hardening) to the core
 * (main/core, plain Node) and owns start-up and a clean quit.
 */
import path from 'node:path';
import { app, dialog, powerMonitor, session, shell, type BrowserWindow } from 'electron';
import { createCore, type Core } from './core/create-core.ts';
import { createLogger } from './core/log.ts';
import { demoSignIn } from './devserver/demo-sign-in.ts';
import { createIpcAdapter } from './shell/ipc.ts';
import { createKeychainSecretStore } from './shell/secrets.ts';
import { watchSystem } from './shell/system.ts';
import { registerAppScheme, serveRenderer } from './shell/protocol.ts';
import { denyPermissions, hardenApp } from './shell/security.ts';
import { createMainWindow } from './shell/window.ts';

const SHUTDOWN_TIMEOUT_MS = 5000;

const log = createLogger(app.isPackaged ? 'info' : 'debug');

// Another data folder (tests, a second profile). Set before the
// single-instance lock, which lives in that folder.
const dataDirOverride = process.env['PARLEY_DATA_DIR'];
if (dataDirOverride !== undefined && dataDirOverride !== '') {
  app.setPath('userData', path.resolve(dataDirOverride));
}

if (app.requestSingleInstanceLock()) {
  registerAppScheme();
  hardenApp(log);
  if (process.platform === 'win32') app.setAppUserModelId('org.parley.Parley');
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  start().catch((err: unknown) => {
    log.error('app', 'start-up failed', err);
    dialog.showErrorBox('Parley could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
} else {
  // Another Parley runs on this data folder: it gets 'second-instance' and shows itself.
  app.quit();
}

async function start(): Promise<void> {
  await app.whenReady();
  denyPermissions(session.defaultSession, log);
  serveRenderer(path.join(app.getAppPath(), 'dist', 'renderer'), log);

  const dataDir = app.getPath('userData');
  const secrets = await createKeychainSecretStore(dataDir, log);
  // The core checks the URL (http, https, mailto only) before it calls this.
  const core = await createCore({
    dataDir,
    log,
    secrets,
    openExternal: (url) => shell.openExternal(url),
    idleSeconds: () => powerMonitor.getSystemIdleTime(),
  });
  const unwatch = watchSystem(() => {
    core.wake();
  });
  const ipc = createIpcAdapter(core.rpc, log);
  void demoSignIn(core, process.env['PARLEY_DEMO_SIGN_IN'], log);
  holdQuitUntil(async () => {
    unwatch();
    ipc.dispose();
    await stopWithin(core, SHUTDOWN_TIMEOUT_MS);
  });

  const preload = path.join(app.getAppPath(), 'dist', 'preload', 'index.cjs');
  let win: BrowserWindow | null = null;
  const openWindow = (): void => {
    const created = createMainWindow(preload, log);
    ipc.attach(created.webContents);
    created.on('closed', () => {
      win = null;
    });
    win = created;
  };

  app.on('second-instance', () => {
    if (win === null) {
      openWindow();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  app.on('activate', () => {
    if (win === null) openWindow();
  });
  openWindow();
}

/** On the first quit request, run `task` (errors logged), then quit for real. */
function holdQuitUntil(task: () => Promise<void>): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    task()
      .catch((err: unknown) => {
        log.error('app', 'shutdown failed', err);
      })
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  });
}

async function stopWithin(core: Core, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the core did not shut down within ${String(ms)} ms`));
    }, ms);
  });
  try {
    await Promise.race([core.shutdown(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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
import { electronSettingsPorts } from './shell/settings-store.ts';
import { watchSystem } from './shell/system.ts';
import { registerAppScheme, serveRenderer } from './shell/protocol.ts';
import { denyPermissions, hardenApp } from './shell/security.ts';
import { createMainWindow } from './shell/window.ts';
import { xmppUriFromArgv } from './shell/desktop-pure.ts';
import { createElectronNotifier } from './shell/notifier.ts';
import { createElectronTray } from './shell/tray.ts';
import { loadWindowState, trackWindowState } from './shell/window-state.ts';

const SHUTDOWN_TIMEOUT_MS = 5000;

const log = createLogger(app.isPackaged ? 'info' : 'debug');
/** xmpp: links that arrived before the core was up (macOS 'open-url' at launch), and who takes them once it is. */
const earlyLinks: string[] = [];
let handLink: ((uri: string) => void) | undefined;

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
  // xmpp: links (XEP-0147): the OS opens them with us (electron-builder.yml `protocols`).
  if (app.isPackaged) app.setAsDefaultProtocolClient('xmpp');
  // macOS hands links over as events, possibly before 'ready': kept until the core runs.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (handLink) handLink(url);
    else earlyLinks.push(url);
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
  let win: BrowserWindow | null = null;
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true; // the window closes for real now, not to the tray
  });
  // Attention (issue 7): the core decides; these only translate (main/shell/notifier.ts, tray.ts).
  // eslint-disable-next-line prefer-const -- assigned once the core exists
  let attention: Core['attention'] | undefined;
  const showWindow = (): void => {
    if (win === null) {
      openWindow(true);
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  const notifier = createElectronNotifier((target) => {
    attention?.openTarget(target);
  }, log);
  const tray = createElectronTray(
    (action) => {
      attention?.trayAction(action).catch((err: unknown) => {
        log.warn('shell', `tray action ${action} failed`, err);
      });
    },
    () => win,
  );
  // The core checks the URL (http, https, mailto only) before it calls this.
  const core = await createCore({
    dataDir,
    log,
    secrets,
    openExternal: (url) => shell.openExternal(url),
    idleSeconds: () => powerMonitor.getSystemIdleTime(),
    ...electronSettingsPorts(log),
    notifier,
    tray,
    desktop: {
      showWindow,
      quit: () => {
        app.quit();
      },
    },
    systemLocale: () => app.getLocale(),
    downloadsDir: () => app.getPath('downloads'),
    openFile: async (file) => {
      const error = await shell.openPath(file);
      if (error) throw new Error(error);
    },
    showItemInFolder: (file) => {
      shell.showItemInFolder(file);
    },
  });
  attention = core.attention;
  const handUri = (argv: readonly string[]): void => {
    const uri = xmppUriFromArgv(argv);
    if (uri === undefined) return;
    try {
      core.attention.openUri(uri);
    } catch (err) {
      log.info('shell', 'refused an xmpp: link', err);
    }
  };
  handLink = (url) => {
    handUri(['', url]);
  };
  // Start at login (packaged builds only: a development run would register Electron itself).
  let loginItem: boolean | undefined;
  const applyLoginItem = (startAtLogin: boolean): void => {
    if (!app.isPackaged || loginItem === startAtLogin) return;
    loginItem = startAtLogin;
    app.setLoginItemSettings({ openAtLogin: startAtLogin, args: ['--hidden'] });
  };
  applyLoginItem(core.settings.get().general.startAtLogin);
  core.settings.onChange((s) => {
    applyLoginItem(s.general.startAtLogin);
  });
  const unwatch = watchSystem(() => {
    core.wake();
  });
  const ipc = createIpcAdapter(core.rpc, log);
  void demoSignIn(core, process.env['PARLEY_DEMO_SIGN_IN'], log);
  holdQuitUntil(async () => {
    unwatch();
    ipc.dispose();
    tray.destroy();
    await stopWithin(core, SHUTDOWN_TIMEOUT_MS);
  });

  const preload = path.join(app.getAppPath(), 'dist', 'preload', 'index.cjs');
  function openWindow(show: boolean): void {
    const created = createMainWindow(preload, log, { state: loadWindowState(dataDir), show });
    ipc.attach(created.webContents);
    trackWindowState(created, dataDir, log);
    created.on('close', (event) => {
      // Close to the tray (Settings > General), with a first-time hint from the core.
      if (quitting || core.attention.closeRequested() === 'quit') return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      win = null;
    });
    win = created;
  }

  app.on('second-instance', (_event, argv) => {
    showWindow();
    handUri(argv);
  });
  app.on('activate', () => {
    showWindow();
  });
  // Started at login with "Start minimised": only the tray until the user opens the window.
  const settings = core.settings.get().general;
  const atLogin = process.argv.includes('--hidden') || app.getLoginItemSettings().wasOpenedAtLogin;
  openWindow(!(settings.startMinimized && atLogin));
  handUri(process.argv);
  for (const url of earlyLinks.splice(0)) handLink(url);
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

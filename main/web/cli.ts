/**
 * `npm run web -- [--port N] [--data-dir DIR] [--log-level L]`
 * Runs the core in Node and serves the renderer on 127.0.0.1; prints one line:
 *   Parley web UI: http://127.0.0.1:PORT/?token=TOKEN
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core/create-core.ts';
import { createLogger, isLevel } from '../core/log.ts';
import { createJsonSettingsStorage } from '../core/settings/settings-service.ts';
import { createWebLinkOpener } from './open-external.ts';
import { createWebAttention, exposeToParent } from './attention.ts';
import { defaultDataDir, rendererDir } from './paths.ts';
import { startWebHost } from './server.ts';

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      /** End-to-end tests: notification intents on stdout, clicks on stdin (attention.ts). */
      'test-hooks': { type: 'boolean', default: false },
      /** Without it, the log level setting (Settings > Advanced) applies. */
      'log-level': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: expected 0..65535, got ${values.port}`);
  const level = values['log-level'];
  if (level !== undefined && !isLevel(level)) throw new Error('--log-level: expected one of debug, info, warn, error');
  if (!existsSync(path.join(rendererDir, 'index.html')))
    throw new Error(`the renderer is not built (${rendererDir}): run \`npm run build\` first`);

  const log = createLogger(level ?? 'warn');
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  // Links and folders are reported, not opened: see open-external.ts. Notifications and the
  // tray are logged (attention.ts).
  const attention = createWebAttention(log);
  const core = await createCore({
    dataDir,
    log,
    notifier: attention.notifier,
    tray: attention.tray,
    openExternal: createWebLinkOpener().openExternal,
    settingsStorage: createJsonSettingsStorage(dataDir),
    followLogLevelSetting: level === undefined,
    // End-to-end tests only: HTTP upload may also use plain http to a loopback test server.
    ...(values['test-hooks'] ? { insecureHttpForTests: true } : {}),
    openPath: (folder) => {
      process.stdout.write(`Parley web: would open the folder ${folder}\n`);
      return Promise.resolve();
    },
    // A web page cannot open files on the user's machine: say what Electron would do.
    openFile: (file) => {
      process.stdout.write(`Parley web: would open the file ${file}\n`);
      return Promise.resolve();
    },
    showItemInFolder: (file) => {
      process.stdout.write(`Parley web: would show the file ${file}\n`);
    },
  });
  const host = await startWebHost({
    rpc: core.rpc,
    staticDir: rendererDir,
    token: randomBytes(24).toString('base64url'),
    port,
    log,
  });
  if (values['test-hooks'])
    exposeToParent(
      attention,
      (target) => {
        core.attention.openTarget(target);
      },
      log,
    );
  process.stdout.write(`Parley web UI: ${host.url}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await host.close();
      await core.shutdown();
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`parley web: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

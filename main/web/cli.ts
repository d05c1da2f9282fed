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
import { createLogger, type Level } from '../core/log.ts';
import { createWebLinkOpener } from './open-external.ts';
import { defaultDataDir, rendererDir } from './paths.ts';
import { startWebHost } from './server.ts';

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      'log-level': { type: 'string', default: 'warn' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: expected 0..65535, got ${values.port}`);
  const level = values['log-level'];
  if (!LEVELS.has(level)) throw new Error(`--log-level: expected one of ${[...LEVELS].join(', ')}`);
  if (!existsSync(path.join(rendererDir, 'index.html')))
    throw new Error(`the renderer is not built (${rendererDir}): run \`npm run build\` first`);

  const log = createLogger(level as Level);
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  // Links are reported, not opened: see open-external.ts.
  const core = await createCore({ dataDir, log, openExternal: createWebLinkOpener().openExternal });
  const host = await startWebHost({
    rpc: core.rpc,
    staticDir: rendererDir,
    token: randomBytes(24).toString('base64url'),
    port,
    log,
  });
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

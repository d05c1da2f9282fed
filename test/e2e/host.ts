/**
 * Starts Parley for an end-to-end test, on a given data folder, in either host:
 * the web host (Node core + Chromium over WebSocket) or Electron (where installed).
 */
import { _electron, test, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, ELECTRON_MISSING } from '../../main/devserver/electron-binary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ParleyApp {
  page: Page;
  stop(): Promise<void>;
}

export type HostKind = 'web' | 'electron';

/** The host a Playwright project drives. */
export const hostKind = (project: string): HostKind => (project === 'electron' ? 'electron' : 'web');

async function startWebHost(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, 'main/web/cli.ts'), '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('web host did not print its URL'));
    }, 15_000);
    child.once('exit', (code) => {
      reject(new Error(`web host exited (${String(code)})`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^Parley web UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/u.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { url, child };
}

export async function launchParley(kind: HostKind, dataDir: string, browser: Browser | undefined): Promise<ParleyApp> {
  if (kind === 'electron') {
    const executablePath = electronBinary();
    if (!executablePath) throw new Error('no Electron binary');
    const app: ElectronApplication = await _electron.launch({
      executablePath,
      args: [root],
      env: { ...process.env, PARLEY_DATA_DIR: dataDir },
    });
    const page = await app.firstWindow();
    return { page, stop: () => app.close() };
  }
  if (!browser) throw new Error('no browser');
  const { url, child } = await startWebHost(dataDir);
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(url);
  return {
    page,
    async stop() {
      await context.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Why `project` cannot run on this machine, or undefined when it can. */
export function hostMissing(project: string): string | undefined {
  return project === 'electron' && !electronBinary() ? ELECTRON_MISSING : undefined;
}

const announced = new Set<string>();

/** In a beforeEach: skips the test, saying why (printed once per spec file), where its host cannot run. */
export function skipWhereHostMissing(testInfo: { project: { name: string }; file: string }): void {
  const reason = hostMissing(testInfo.project.name);
  if (reason !== undefined && !announced.has(testInfo.file)) {
    announced.add(testInfo.file);
    console.log(
      `[${testInfo.project.name}] skipping ${path.basename(testInfo.file)}: ${reason}. It runs in Chromium through the web host instead.`,
    );
  }
  test.skip(reason !== undefined, reason);
}

/**
 * End-to-end tests: one spec set, two hosts.
 *   web       Debian's Chromium (or Playwright's) against the web host, over the WebSocket transport
 *   electron  the packaged renderer in Electron, over Electron IPC (skips, saying why, where no binary)
 */
import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

const chromium = process.env['PARLEY_CHROMIUM'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'test/e2e/specs',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'web', use: { browserName: 'chromium', viewport: { width: 1100, height: 720 } } },
    { name: 'electron' },
  ],
});

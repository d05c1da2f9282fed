/**
 * Runs a command with a throwaway test CA trusted through NODE_EXTRA_CA_CERTS
 * (which Node reads only at process start, so the CA must exist first).
 * Prosody instances started by the tests sign their certificates with it.
 *   node test/support/with-test-ca.ts -- <command> [args...]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeCa } from '../../main/devserver/prosody.ts';
import { extraCaBundle } from '../../main/devserver/trust.ts';

const sep = process.argv.indexOf('--');
const [cmd, ...args] = process.argv.slice(sep + 1);
if (sep < 0 || !cmd) {
  console.error('usage: node test/support/with-test-ca.ts -- <command> [args...]');
  process.exit(2);
}
const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-ca-'));
const ca = await makeCa(dir);
const child = spawn(cmd, args, {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_EXTRA_CA_CERTS: extraCaBundle(dir, ca.certFile),
    PARLEY_TEST_CA_CERT: ca.certFile,
    PARLEY_TEST_CA_KEY: ca.keyFile,
  },
});
const code = await new Promise<number>((resolve) =>
  child.on('exit', (c, signal) => {
    resolve(c ?? (signal ? 1 : 0));
  }),
);
await rm(dir, { recursive: true, force: true });
process.exit(code);

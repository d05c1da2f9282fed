/**
 * `npm run demo`: try Parley with no account at all.
 * Starts a throwaway Prosody on 127.0.0.1 with a demo account and a demo
 * contact (Alice, answered by this process), signs the demo account in and
 * opens Parley: the Electron app where its binary is installed, else the
 * web UI (its URL printed). Ctrl+C stops everything and deletes it all.
 */
import { client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/create-core.ts';
import { createLogger } from '../core/log.ts';
import { rendererDir, repoRoot } from '../web/paths.ts';
import { startWebHost } from '../web/server.ts';
import { electronBinary, ELECTRON_MISSING } from './electron-binary.ts';
import { extraCaBundle } from './trust.ts';
import { makeCa, PROSODY_INSTALL_HINT, prosodyInstalled, startProsody, type ProsodyServer } from './prosody.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Node trusts extra CAs only from process start: make the CA, then run again with it trusted. */
async function relaunchTrustingCa(): Promise<never> {
  const caDir = await mkdtemp(path.join(os.tmpdir(), 'parley-demo-ca-'));
  const ca = await makeCa(caDir);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: extraCaBundle(caDir, ca.certFile),
      PARLEY_DEMO_CA_CERT: ca.certFile,
      PARLEY_DEMO_CA_KEY: ca.keyFile,
    },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (c) => {
      resolve(c ?? 0);
    }),
  );
  await rm(caDir, { recursive: true, force: true });
  process.exit(code);
}

/** Alice, the demo contact: answers every message. */
async function startDemoContact(server: ProsodyServer, password: string): Promise<() => Promise<void>> {
  const alice = client({
    service: `xmpp://127.0.0.1:${String(server.c2sPort)}`,
    domain: server.domain,
    username: 'alice',
    password,
    resource: 'demo',
  });
  alice.reconnect.stop();
  alice.on('error', () => undefined);
  alice.on('stanza', (stanza: Element) => {
    if (!stanza.is('message') || stanza.attrs['type'] === 'error') return;
    const body = stanza.getChildText('body');
    const from = stanza.attrs['from'] as string | undefined;
    if (!body || !from) return;
    const reply = `You said “${body.slice(0, 500)}”. I am Alice, a demo contact answering from \`npm run demo\`.`;
    setTimeout(() => {
      void alice.send(
        xml(
          'message',
          { to: from.split('/')[0], type: 'chat', id: randomBytes(8).toString('hex') },
          xml('body', {}, reply),
        ),
      );
    }, 600);
  });
  await alice.start();
  await alice.send(xml('presence', {}, xml('status', {}, 'Here to answer your messages')));
  return async () => {
    await alice.stop().catch(() => undefined);
  };
}

async function main(): Promise<void> {
  if (!prosodyInstalled()) {
    say(PROSODY_INSTALL_HINT);
    process.exit(1);
  }
  const caCert = process.env['PARLEY_DEMO_CA_CERT'];
  const caKey = process.env['PARLEY_DEMO_CA_KEY'];
  if (!caCert || !caKey) await relaunchTrustingCa();

  // Ctrl+C reaches this process twice (directly and forwarded by the relaunching parent): the
  // first one stops the demo, the others must not cut its cleanup short.
  const stopRequested = new Promise<void>((resolve) => {
    process.on('SIGINT', () => {
      resolve();
    });
    process.on('SIGTERM', () => {
      resolve();
    });
  });

  const demoPassword = randomBytes(12).toString('base64url');
  const alicePassword = randomBytes(12).toString('base64url');
  say('Starting a throwaway Prosody on 127.0.0.1 …');
  const server = await startProsody({
    ca: { certFile: caCert ?? '', keyFile: caKey ?? '' },
    users: [
      { username: 'demo', password: demoPassword, name: 'You (demo)' },
      { username: 'alice', password: alicePassword, name: 'Alice' },
    ],
    sharedGroup: 'Demo',
  });
  const stopContact = await startDemoContact(server, alicePassword);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-demo-data-'));
  const cleanups: (() => Promise<void>)[] = [
    stopContact,
    () => server.stop(),
    () => rm(dataDir, { recursive: true, force: true }),
  ];
  const cleanup = async () => {
    for (const step of cleanups) await step().catch(() => undefined);
  };

  say(`Demo server: ${server.server}, account demo@localhost, contact alice@localhost (answers messages).`);
  const electron = electronBinary();
  if (electron) {
    // Handed to the app once, through a file only we can read, then deleted by the app.
    const signInFile = path.join(dataDir, 'demo-sign-in.json');
    await writeFile(
      signInFile,
      JSON.stringify({
        jid: 'demo@localhost',
        password: demoPassword,
        server: server.server,
        contact: 'alice@localhost',
      }),
      { mode: 0o600 },
    );
    say('Opening Parley …');
    const app = spawn(electron, [repoRoot], {
      stdio: 'inherit',
      env: { ...process.env, PARLEY_DATA_DIR: path.join(dataDir, 'app'), PARLEY_DEMO_SIGN_IN: signInFile },
    });
    const exited = new Promise((resolve) => app.on('exit', resolve));
    void stopRequested.then(() => app.kill('SIGTERM'));
    await exited;
    await cleanup();
    return;
  }

  say(`${ELECTRON_MISSING}: Parley runs as a web app instead.`);
  const log = createLogger('warn');
  const core = await createCore({ dataDir, log });
  await core.handlers['account.signIn']({ jid: 'demo@localhost', password: demoPassword, server: server.server });
  await core.handlers['conversation.open']({ accountId: 'demo@localhost', peer: 'alice@localhost' });
  const port = Number(process.env['PARLEY_DEMO_PORT'] ?? 0);
  const host = await startWebHost({
    rpc: core.rpc,
    staticDir: rendererDir,
    token: randomBytes(24).toString('base64url'),
    port,
    log,
  });
  cleanups.unshift(
    () => host.close(),
    () => core.shutdown(),
  );
  say(`Parley web UI: ${host.url}`);
  say('Open that address in your browser. Press Ctrl+C to stop the demo (everything it made is deleted).');
  await stopRequested;
  say('Stopping the demo …');
  await cleanup();
}

main().catch((err: unknown) => {
  process.stderr.write(`parley demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/**
 * A throwaway Prosody for the demo and the tests: its own folder, its own
 * CA and certificate, free ports on 127.0.0.1, started and stopped by us.
 * Never the system service, never a fake server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProsodyUser {
  username: string;
  password: string;
  /** Display name for the shared roster group (mod_groups). */
  name?: string;
}

export interface ProsodyOptions {
  domain?: string;
  users?: ProsodyUser[];
  /** Put every user in one shared roster group (mod_groups), so they see each other. */
  sharedGroup?: string;
  /** A PEM CA (cert + key) to sign the server certificate; made fresh when absent. */
  ca?: { certFile: string; keyFile: string };
  /** Keep the folder after stop (for debugging). */
  keep?: boolean;
  /** Let clients create accounts in-band (XEP-0077 `allow_registration`); password change and deletion work either way. */
  allowRegistration?: boolean;
  /** More modules to enable (e.g. "csi_simple"). */
  modules?: string[];
  extraConfig?: string;
}

export interface ProsodyServer {
  domain: string;
  host: string;
  c2sPort: number;
  directTlsPort: number;
  dir: string;
  caFile: string;
  /** "127.0.0.1:PORT" as typed into Parley's Server field. */
  server: string;
  jid(username: string): string;
  register(username: string, password: string): Promise<void>;
  log(): Promise<string>;
  /** Stops the server (as a shutdown would) and starts it again: same ports, same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function prosodyInstalled(): boolean {
  return ['/usr/bin/prosody', '/usr/local/bin/prosody', '/opt/homebrew/bin/prosody'].some((p) => existsSync(p));
}

export const PROSODY_INSTALL_HINT = [
  'Prosody (an XMPP server) is needed for the local demo server. Install it with:',
  '  Debian/Ubuntu:  sudo apt-get install prosody',
  '  Fedora:         sudo dnf install prosody',
  '  macOS:          brew install prosody',
  '  Windows:        no native package; use WSL (then the Debian command) or your own server.',
].join('\n');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A throwaway certificate authority (EC P-256), valid 30 days. */
export async function makeCa(dir: string): Promise<{ certFile: string; keyFile: string }> {
  await mkdir(dir, { recursive: true });
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca.key');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '30',
    '-subj',
    '/CN=Parley throwaway CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { certFile, keyFile };
}

async function makeServerCert(dir: string, domain: string, ca: { certFile: string; keyFile: string }) {
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  await run('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    csr,
    '-subj',
    `/CN=${domain}`,
  ]);
  await writeFile(
    ext,
    `subjectAltName=DNS:${domain},DNS:*.${domain},IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '30',
    '-extfile',
    ext,
  ]);
  return { key, cert };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Prosody refuses to run as root: drop to its own user (as root) or run as ourselves. */
function asProsodyUser(argv: string[]): [string, string[]] {
  return isRoot()
    ? ['setpriv', ['--reuid=prosody', '--regid=prosody', '--init-groups', '--', ...argv]]
    : [argv[0] ?? 'prosody', argv.slice(1)];
}

const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for our inputs

export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyServer> {
  if (!prosodyInstalled()) throw new Error(PROSODY_INSTALL_HINT);
  const domain = options.domain ?? 'localhost';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-prosody-'));
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const ca = options.ca ?? (await makeCa(path.join(dir, 'ca')));
  const { key, cert } = await makeServerCert(dir, domain, ca);
  const [c2sPort, directTlsPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const logFile = path.join(dir, 'prosody.log');
  const configFile = path.join(dir, 'prosody.cfg.lua');

  const users = options.users ?? [];
  if (options.sharedGroup) {
    const lines = [
      `[${options.sharedGroup}]`,
      ...users.map((u) => `${u.username}@${domain}${u.name ? `=${u.name}` : ''}`),
    ];
    await writeFile(path.join(dir, 'groups.txt'), lines.join('\n') + '\n');
  }

  await writeFile(
    configFile,
    `-- throwaway Prosody for Parley (demo/tests)
pidfile = ${lua(path.join(dir, 'prosody.pid'))}
data_path = ${lua(dataDir)}
log = { { levels = { min = "info" }, to = "file", filename = ${lua(logFile)} } }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${String(c2sPort)} }
c2s_direct_tls_ports = { ${String(directTlsPort)} }
s2s_ports = { }
http_ports = { ${String(httpPort)} }
http_interfaces = { "127.0.0.1" }
https_ports = { }
http_host = "127.0.0.1"
admin_socket = ${lua(path.join(dir, 'admin.sock'))}
modules_enabled = {
  "roster"; "saslauth"; "tls"; "disco"; "carbons"; "pep"; "private"; "blocklist";
  "vcard4"; "vcard_legacy"; "version"; "uptime"; "time"; "ping"; "mam"; "smacks";
  "offline"; "register"; ${options.sharedGroup ? '"groups";' : ''} ${(options.modules ?? []).map((m) => `${lua(m)};`).join(' ')}
}
allow_registration = ${options.allowRegistration ? 'true' : 'false'}
modules_disabled = { "s2s"; "dialback"; "s2s_auth_certs"; "limits" }
${options.sharedGroup ? `groups_file = ${lua(path.join(dir, 'groups.txt'))}` : ''}
c2s_require_encryption = true
allow_unencrypted_plain_auth = false
authentication = "internal_hashed"
default_iteration_count = 4096
storage = "internal"
archive_expires_after = "never"
default_archive_policy = true
ssl = { certificate = ${lua(cert)}; key = ${lua(key)}; }
${options.extraConfig ?? ''}
VirtualHost ${lua(domain)}
  ssl = { certificate = ${lua(cert)}; key = ${lua(key)}; }
`,
  );

  if (isRoot()) await run('chown', ['-R', 'prosody:prosody', dir]);
  else await chmod(dir, 0o700);

  const register = async (username: string, password: string) => {
    await run('prosodyctl', ['--config', configFile, 'register', username, domain, password]);
  };
  for (const u of users) await register(u.username, u.password);

  const [cmd, args] = asProsodyUser(['prosody', '--config', configFile, '-F']);
  let output = '';
  const launch = () => {
    const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const state = { child, exited: false };
    child.on('exit', () => (state.exited = true));
    return state;
  };
  let proc = launch();

  const halt = async () => {
    const { child } = proc;
    if (!proc.exited) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (proc.exited) resolve();
      });
    }
  };
  // Stop it with us, whatever happens (and forget that once it is stopped: a test process
  // starts many servers one after another).
  const killWithUs = (): void => {
    if (!proc.exited) proc.child.kill('SIGKILL');
  };
  process.once('exit', killWithUs);
  const stop = async () => {
    await halt();
    process.removeListener('exit', killWithUs);
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  };

  // Wait until both client ports accept connections.
  const waitListening = async () => {
    const deadline = Date.now() + 10_000;
    for (const port of [c2sPort, directTlsPort]) {
      for (;;) {
        if (proc.exited)
          throw new Error(`prosody exited early:\n${output}\n${await readFile(logFile, 'utf8').catch(() => '')}`);
        if (await canConnect(port)) break;
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`prosody did not start listening on ${String(port)}:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await waitListening();

  return {
    domain,
    host: '127.0.0.1',
    c2sPort,
    directTlsPort,
    dir,
    caFile: ca.certFile,
    server: `127.0.0.1:${String(c2sPort)}`,
    jid: (username) => `${username}@${domain}`,
    register,
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async restart() {
      await halt();
      proc = launch();
      await waitListening();
    },
    stop,
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

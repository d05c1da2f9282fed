/** Runs the slixmpp peer (test/support/slixmpp_peer.py) and reads its event lines. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'slixmpp_peer.py');
/** Debian's python sees python3-slixmpp; a pyenv python first on PATH would not. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface SlixmppPeer {
  lines: string[];
  /** The first line (from the start) that matches. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** One command for the peer (see slixmpp_peer.py: SEND, CORRECT, RETRACT, REACT, REPLY, STATE, DISPLAYED, RAW; files: SENDFILE, ACCEPT, HUGEOFFER). */
  send(command: string): void;
  stop(): void;
}

export interface SlixmppOptions {
  /** Answer every chat message with "echo: <body>" (default true). */
  echo?: boolean;
}

export function startSlixmpp(
  server: ProsodyServer,
  jid: string,
  password: string,
  greet?: string,
  options: SlixmppOptions = {},
): SlixmppPeer {
  const child = spawn(
    SYSTEM_PYTHON,
    [
      script,
      jid,
      password,
      '127.0.0.1',
      String(server.c2sPort),
      server.caFile,
      ...(greet ? [greet] : []),
      ...(options.echo === false ? ['--no-echo'] : []),
    ],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.stdin.on('error', () => undefined); // the peer may be gone already
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters) w();
  });
  return {
    lines,
    waitForLine(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(predicate);
          if (hit !== undefined) {
            waiters.delete(check);
            resolve(hit);
          }
        };
        waiters.add(check);
        check();
        setTimeout(() => {
          if (waiters.delete(check))
            reject(
              new Error(
                `slixmpp: no matching line within ${String(timeoutMs)} ms; got ${JSON.stringify(lines)}; stderr: ${stderr.slice(-2000)}`,
              ),
            );
        }, timeoutMs).unref();
      });
    },
    send(command) {
      if (command.includes('\n')) throw new Error('one command per line (write \\n inside bodies)');
      child.stdin.write(command + '\n');
    },
    stop() {
      child.stdin.end();
      child.kill('SIGTERM');
    },
  };
}

/** The web host: loopback only, the token required, the contract enforced over WebSocket. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../main/web/server.ts';
import { startCore, type TestCore } from '../support/core.ts';
import { silentLogger } from '../../main/core/log.ts';

const TOKEN = 'test-token-0123456789';

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${String(res.statusCode)}`));
    });
  });
}

function call(
  ws: WebSocket,
  id: number,
  name: string,
  input: unknown,
): Promise<{ ok: boolean; output?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '{}') as {
        kind: string;
        id: number;
        ok: boolean;
      };
      if (frame.kind === 'result' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ kind: 'call', id, name, input }));
  });
}

describe('web host (WebSocket transport of the contract)', () => {
  let core: TestCore;
  let host: WebHost;
  let staticDir: string;

  before(async () => {
    core = await startCore();
    staticDir = await mkdtemp(path.join(os.tmpdir(), 'parley-static-'));
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Parley</title>');
    host = await startWebHost({ rpc: core.core.rpc, staticDir, token: TOKEN, log: silentLogger });
  });

  after(async () => {
    await host.close();
    await core.shutdown();
    await rm(staticDir, { recursive: true, force: true });
  });

  it('serves the renderer as UTF-8 HTML with a strict CSP, and nothing outside it', async () => {
    const res = await fetch(`http://127.0.0.1:${String(host.port)}/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/u);
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/nope.js']) {
      assert.equal((await fetch(`http://127.0.0.1:${String(host.port)}${p}`)).status, 404, p);
    }
  });

  it('answers only on 127.0.0.1 and for its own Host header', async () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/u);
    // A DNS-rebinding page would reach us under its own host name.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(
          { host: '127.0.0.1', port: host.port, path: '/', headers: { Host: `evil.example:${String(host.port)}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        )
        .on('error', reject);
    });
    assert.equal(status, 421);
  });

  it('refuses WebSocket connections without the token, with a wrong one, or from another origin', async () => {
    const base = `ws://127.0.0.1:${String(host.port)}/ws`;
    await assert.rejects(open(base), /401/u);
    await assert.rejects(open(`${base}?token=wrong`), /401/u);
    await assert.rejects(open(`${base}?token=${TOKEN}`, { Origin: 'http://evil.example' }), /401/u);
  });

  it('carries valid calls and rejects unknown or invalid ones', async () => {
    const ws = await open(`ws://127.0.0.1:${String(host.port)}/ws?token=${TOKEN}`, {
      Origin: `http://127.0.0.1:${String(host.port)}`,
    });
    try {
      const ok = await call(ws, 1, 'app.snapshot', {});
      assert.deepEqual(ok, { kind: 'result', id: 1, ok: true, output: { accounts: [] } });
      assert.equal((await call(ws, 2, 'shell.exec', { cmd: 'rm -rf /' })).error?.code, 'unknown-command');
      assert.equal(
        (await call(ws, 3, 'message.send', { accountId: 'a@b', to: '<script>', body: 'x' })).error?.code,
        'bad-request',
      );
      assert.equal((await call(ws, 4, 'app.snapshot', {})).ok, true, 'still serving');
    } finally {
      ws.close();
    }
  });
});

/**
 * The web host: serves the renderer and carries the contract over a
 * WebSocket, on 127.0.0.1 only. A WebSocket is accepted only with the
 * per-run token, from our own origin, for our own Host (no DNS rebinding).
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME } from '../../preload/rpc.ts';
import type { RpcServer } from '../core/api/rpc-server.ts';
import type { Logger } from '../core/log.ts';

export interface WebHostOptions {
  rpc: RpcServer;
  staticDir: string;
  token: string;
  port?: number;
  log: Logger;
}

export interface WebHost {
  port: number;
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src ws://127.0.0.1:${String(port)} ws://localhost:${String(port)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { rpc, staticDir, token, log } = options;
  const root = path.resolve(staticDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${String(port)}`, `localhost:${String(port)}`]);

  const server = http.createServer((req, res) => {
    void (async () => {
      const headers = securityHeaders(port);
      if (!allowedHosts().has(req.headers.host ?? '')) {
        res.writeHead(421, headers).end('misdirected request');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, headers).end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
      } catch {
        res.writeHead(400, headers).end();
        return;
      }
      const file = path.resolve(root, '.' + rel);
      if (!file.startsWith(root + path.sep) || rel.includes('\0')) {
        res.writeHead(404, headers).end();
        return;
      }
      try {
        const info = await stat(file);
        if (!info.isFile()) throw new Error('not a file');
        res.writeHead(200, {
          ...headers,
          'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      } catch {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      }
    })();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const okOrigin = origin === undefined || [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (
      url.pathname !== '/ws' ||
      !allowedHosts().has(req.headers.host ?? '') ||
      !okOrigin ||
      !sameToken(url.searchParams.get('token'), token)
    ) {
      log.warn('web', `refused a WebSocket connection (${url.pathname}, origin ${String(origin)})`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const session = rpc.connect((frame) => {
        if (ws.readyState === ws.OPEN) ws.send(frame);
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8');
        void session.receive(text);
      });
      ws.on('close', () => {
        session.close();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    url: `http://127.0.0.1:${String(port)}/?token=${token}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

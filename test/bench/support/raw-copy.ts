/**
 * The reference of the `transfer-direct` benchmark: a raw Node TCP copy of a file (file →
 * socket → file, with stream.pipeline and Node's default buffer sizes, no hashing), sender and
 * receiver each in a process of its own, as the two Parley cores are.
 *
 *   node raw-copy.ts recv FILE         listens on 127.0.0.1; prints {"ev":"port","port","rss"}, then
 *                                      {"ev":"done","bytes","peak"} once FILE is written and closed
 *                                      (peak: the highest RSS sampled, every 20 ms, since "port")
 *   node raw-copy.ts send PORT FILE    connects on the line "go" on stdin, sends FILE, prints
 *                                      {"ev":"sent","rss","peak","cpu0"} (RSS when started, highest since;
 *                                      CPU time at "go"), exits
 * Every line carries "cpu", the process's CPU time so far in µs.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';

const [mode, a, b] = process.argv.slice(2);
/** Every line carries `cpu`: this process's CPU time so far (user + system), in microseconds. */
const emit = (line: Record<string, unknown>) => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...line, cpu: user + system })}\n`);
};

if (mode === 'recv' && a) {
  const file = a;
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const server = net.createServer((socket) => {
    server.close();
    pipeline(socket, createWriteStream(file))
      .then(() => stat(file))
      .then((s) => {
        clearInterval(sampler);
        emit({ ev: 'done', bytes: s.size, peak: Math.max(peak, process.memoryUsage.rss()) });
      })
      .catch((err: unknown) => {
        clearInterval(sampler);
        emit({ ev: 'error', message: String(err) });
      });
  });
  server.listen({ host: '127.0.0.1', port: 0 }, () => {
    const address = server.address();
    const rss = process.memoryUsage.rss();
    peak = rss; // growth is measured from here
    emit({ ev: 'port', port: typeof address === 'object' && address ? address.port : 0, rss });
  });
} else if (mode === 'send' && a && b) {
  const port = Number(a);
  const file = b;
  const lines = createInterface({ input: process.stdin });
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  lines.once('line', () => {
    lines.close();
    const { user, system } = process.cpuUsage();
    const cpu0 = user + system;
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    socket.once('connect', () => {
      pipeline(createReadStream(file), socket)
        .then(() => {
          emit({ ev: 'sent', rss: base, peak: Math.max(peak, process.memoryUsage.rss()), cpu0 });
        })
        .catch((err: unknown) => {
          emit({ ev: 'error', message: String(err) });
          process.exitCode = 1;
        })
        .finally(() => {
          clearInterval(sampler);
        });
    });
  });
} else {
  throw new Error('usage: raw-copy.ts recv FILE | send PORT FILE');
}

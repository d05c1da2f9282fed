/** Sending a file over a socket with reused buffers (file-source.ts), against a loopback listener. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { READ_BYTES, SocketClosedError, sendFileOver } from '../../../main/core/transfer/file-source.ts';
import { tempDir } from './harness.ts';

/** A listener on 127.0.0.1 that collects what one connection sends (or closes it after `closeAfter` bytes). */
async function receiver(closeAfter = Infinity) {
  let got: Buffer[] = [];
  let bytes = 0;
  const done = Promise.withResolvers<Buffer>();
  const server = net.createServer((socket) => {
    server.close();
    socket.on('data', (chunk: Buffer) => {
      got.push(chunk);
      bytes += chunk.length;
      if (bytes >= closeAfter) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      done.resolve(Buffer.concat(got));
      got = [];
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return { socket, received: done.promise };
}

describe('transfer/file-source (a file over a SOCKS5 socket, buffers reused)', () => {
  it('sends every byte in order, reads in 1 MiB pieces, and ends the socket', async () => {
    const dir = await tempDir('parley-file-source-');
    const data = randomBytes(3 * READ_BYTES + 54_321);
    const file = path.join(dir, 'f.bin');
    await writeFile(file, data);
    const { socket, received } = await receiver();
    const pieces: number[] = [];
    await sendFileOver(socket, file, data.length, (piece) => pieces.push(piece.length));
    assert.deepEqual(pieces, [READ_BYTES, READ_BYTES, READ_BYTES, 54_321]);
    assert.ok((await received).equals(data));
  });

  it('sends no more than the announced size, and stops early when the file is shorter', async () => {
    const dir = await tempDir('parley-file-source-');
    const data = randomBytes(10_000);
    const file = path.join(dir, 'g.bin');
    await writeFile(file, data);
    const a = await receiver();
    await sendFileOver(a.socket, file, 4000, () => undefined);
    assert.ok((await a.received).equals(data.subarray(0, 4000)));
    const b = await receiver();
    let counted = 0;
    await sendFileOver(b.socket, file, 20_000, (piece) => (counted += piece.length));
    assert.equal(counted, 10_000, 'the caller sees the short count');
    assert.ok((await b.received).equals(data));
  });

  it('fails when the other side closes the connection before the end', async () => {
    const dir = await tempDir('parley-file-source-');
    const file = path.join(dir, 'h.bin');
    await writeFile(file, randomBytes(16 * READ_BYTES));
    const { socket } = await receiver(READ_BYTES);
    await assert.rejects(
      sendFileOver(socket, file, 16 * READ_BYTES, () => undefined),
      (err: unknown) =>
        err instanceof SocketClosedError ||
        ['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED'].includes(String((err as { code?: unknown }).code)),
    );
  });

  it('stops when aborted', async () => {
    const dir = await tempDir('parley-file-source-');
    const file = path.join(dir, 'i.bin');
    await writeFile(file, randomBytes(4 * READ_BYTES));
    const { socket } = await receiver();
    const abort = new AbortController();
    abort.abort(new Error('cancelled here'));
    await assert.rejects(
      sendFileOver(socket, file, 4 * READ_BYTES, () => undefined, abort.signal),
      /cancelled here/u,
    );
    socket.destroy();
  });
});

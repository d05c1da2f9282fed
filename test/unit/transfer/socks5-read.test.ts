/**
 * Client SOCKS5 sockets read in Node's `onread` mode into one reused buffer (socks5.ts
 * readChunks): bytes that came with the streamhost's reply reach the consumer first, in order;
 * a consumer that returns false pauses the socket until it resumes it; a consumer that only
 * listens for 'data' still gets copies.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { connectStreamhost, readChunks } from '../../../main/core/transfer/socks5.ts';

const DST = 'b'.repeat(40);

/** A streamhost that answers for DST and writes `payload` in the same write as its reply. */
async function streamhost(payload: Buffer): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    let greeted = false;
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (!greeted && buf.length >= 3) {
        greeted = true;
        buf = buf.subarray(3);
        s.write(Buffer.from([5, 0]));
      }
      const need = 5 + DST.length + 2;
      if (greeted && buf.length >= need) {
        const reply = Buffer.concat([Buffer.from([5, 0, 0, 3, DST.length]), Buffer.from(DST), Buffer.from([0, 0])]);
        s.end(Buffer.concat([reply, payload]));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => server.close(),
  };
}

describe('transfer/socks5 reading into a reused buffer', () => {
  it('hands over the bytes that came with the reply first, then the rest, in order', async () => {
    const payload = randomBytes(3 * 1024 * 1024 + 17);
    const host = await streamhost(payload);
    try {
      const socket = await connectStreamhost('127.0.0.1', host.port, DST, 2000);
      const parts: Buffer[] = [];
      let paused = 0;
      const ended = new Promise<void>((resolve) => socket.once('end', resolve));
      readChunks(socket, (chunk) => {
        // The chunk is the socket's reused buffer: keep a copy.
        parts.push(Buffer.from(chunk));
        if (parts.length % 5 === 0) {
          paused++;
          setImmediate(() => socket.resume());
          return false;
        }
        return true;
      });
      await ended;
      assert.ok(paused > 0, 'the consumer paused the socket at least once');
      assert.ok(Buffer.concat(parts).equals(payload), 'every byte, in order, none twice');
    } finally {
      host.close();
    }
  });

  it("still emits copies as 'data' for a consumer that only listens", async () => {
    const payload = randomBytes(700_000);
    const host = await streamhost(payload);
    try {
      const socket = await connectStreamhost('127.0.0.1', host.port, DST, 2000);
      // Late listeners miss nothing: the bytes wait until the socket is resumed.
      const parts: Buffer[] = [];
      socket.on('data', (c: Buffer) => parts.push(c));
      const ended = new Promise<void>((resolve) => socket.once('end', resolve));
      socket.resume();
      await ended;
      const joined = Buffer.concat(parts);
      // The bytes that came with the reply are held for readChunks; 'data' gets what follows.
      assert.ok(payload.subarray(payload.length - joined.length).equals(joined));
      assert.ok(joined.length > 0);
    } finally {
      host.close();
    }
  });
});

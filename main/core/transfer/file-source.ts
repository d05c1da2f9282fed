/**
 * Sending a file's bytes over a socket (XEP-0065 bytestreams) with a few large buffers that are
 * reused once the socket has handed them to the kernel: no new buffer per read, so a transfer
 * of any size leaves V8 no garbage to collect (a Parley core has a large heap, and each major
 * collection costs it more than a small process), and at most `BUFFERS × READ_BYTES` are in
 * flight (backpressure: the next read waits for a buffer back).
 */
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/** One read from the file, one write to the socket. */
export const READ_BYTES = 1024 * 1024;
const BUFFERS = 3;

/** The socket closed or failed before every byte was written (`code` as Node's streams say it). */
export class SocketClosedError extends Error {
  override name = 'SocketClosedError';
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * Writes `size` bytes of `filePath` (from its start) to `socket`, then ends it and resolves once
 * all is written. `onRead` sees each piece as it is read (counting, progress). Fewer bytes in
 * the file than `size` end early (the caller compares the count); more are not sent.
 */
export async function sendFileOver(
  socket: Writable,
  filePath: string,
  size: number,
  onRead: (piece: Buffer) => void,
  signal?: AbortSignal,
): Promise<void> {
  const handle = await open(filePath, 'r');
  const free: Buffer[] = [];
  for (let i = 0; i < BUFFERS; i++) free.push(Buffer.allocUnsafeSlow(READ_BYTES));
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onClose = () => {
    failure ??= new SocketClosedError('The connection closed before the whole file was sent.');
    wakeUp();
  };
  const onError = (err: Error) => {
    failure ??= err;
    wakeUp();
  };
  socket.once('close', onClose);
  socket.on('error', onError);
  signal?.addEventListener('abort', wakeUp);
  /** Resolves at the next buffer back, failure or abort. */
  const next = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const check = () => {
    signal?.throwIfAborted();
    if (failure) throw failure;
  };
  try {
    let sent = 0;
    while (sent < size) {
      check();
      const buffer = free.pop();
      if (!buffer) {
        await next();
        continue;
      }
      const { bytesRead } = await handle.read(buffer, 0, Math.min(READ_BYTES, size - sent), null);
      check();
      if (bytesRead === 0) {
        free.push(buffer);
        break;
      }
      sent += bytesRead;
      const piece = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      onRead(piece);
      socket.write(piece, (err) => {
        if (err) failure ??= err;
        free.push(buffer); // written to the kernel (or failed): reusable
        wakeUp();
      });
    }
    while (free.length < BUFFERS) {
      check();
      await next();
    }
    check();
    // Everything is with the kernel: the other side may close as soon as it has it all.
    socket.off('close', onClose);
    if (!socket.destroyed)
      await new Promise<void>((resolve) => {
        socket.once('close', resolve);
        socket.end(() => {
          socket.off('close', resolve);
          resolve();
        });
      });
  } finally {
    signal?.removeEventListener('abort', wakeUp);
    socket.off('close', onClose);
    socket.off('error', onError);
    await handle.close();
  }
}

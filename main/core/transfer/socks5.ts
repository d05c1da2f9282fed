/**
 * The SOCKS5 part of XEP-0065 (RFC 1928, as XEP-0065 profiles it: no authentication, CONNECT,
 * domain-name address = the 40-character destination hash, port 0).
 *
 * - `connectStreamhost` is the client side (the receiver, or the initiator at a proxy): it
 *   checks that the streamhost answers with the hash we asked for.
 * - `DirectStreamhost` is the initiator's own streamhost: a listener that accepts only the
 *   exact destination hash of the offer it was made for, and stops listening after use.
 */
import net from 'node:net';
import os from 'node:os';

const VERSION = 5;
const CMD_CONNECT = 1;
const ATYP_DOMAIN = 3;
/** A greeting plus a request is tiny: anything longer before the handshake ends is hostile. */
const MAX_HANDSHAKE = 600;
/** Connections with the right hash kept until the receiver says which it uses. */
const MAX_ACCEPTED = 8;

export class Socks5Error extends Error {
  override name = 'Socks5Error';
}

/** Bytes a client socket reads at a time into its one reused buffer (see `readChunks`). */
const READ_BUFFER_BYTES = 256 * 1024;

/**
 * Where a client socket's bytes go. Client sockets (`connectStreamhost`) read in Node's
 * `onread` mode into one reused buffer, so that a transfer allocates (and the GC collects) no
 * buffer per read: half the receiving CPU at hundreds of MiB/s. A chunk handed to `sink` is valid
 * only during the call. Without a sink (nobody called `readChunks`), each chunk is copied and
 * emitted as a 'data' event, as a socket in the usual mode does.
 */
interface Reader {
  /** Until the handshake ends: the SOCKS5 answer's parser. */
  handshake: ((chunk: Buffer) => void) | undefined;
  sink: ((chunk: Buffer) => boolean) | undefined;
  /** Bytes that came after the handshake's answer, before a consumer attached (copied). */
  early: Buffer[];
}
const readers = new WeakMap<net.Socket, Reader>();

/**
 * Hands `socket`'s incoming bytes to `onChunk` as they arrive, in order; returning false pauses
 * the socket (call `socket.resume()` to go on). A chunk is valid only during the call (it is the
 * socket's reused read buffer for a `connectStreamhost` socket): copy what must outlive it.
 * Also resumes the socket.
 */
export function readChunks(socket: net.Socket, onChunk: (chunk: Buffer) => boolean): void {
  const reader = readers.get(socket);
  if (!reader) {
    socket.on('data', (chunk: Buffer) => {
      if (!onChunk(chunk)) socket.pause();
    });
    socket.resume();
    return;
  }
  reader.sink = onChunk;
  const early = reader.early;
  reader.early = [];
  for (const chunk of early)
    if (!onChunk(chunk)) {
      socket.pause();
      return;
    }
  socket.resume();
}

function request(dst: string, cmd = CMD_CONNECT): Buffer {
  const addr = Buffer.from(dst, 'ascii');
  return Buffer.concat([Buffer.from([VERSION, cmd, 0, ATYP_DOMAIN, addr.length]), addr, Buffer.from([0, 0])]);
}

/** A reply (or request) with a domain address: [ver, code, rsv, 3, len, addr…, portHi, portLo]. */
function parseAddressed(buf: Buffer): { code: number; addr: string; length: number } | 'short' | 'bad' {
  if (buf.length < 5) return 'short';
  if (buf[0] !== VERSION || buf[3] !== ATYP_DOMAIN) return 'bad';
  const len = buf[4] ?? 0;
  if (buf.length < 5 + len + 2) return 'short';
  return { code: buf[1] ?? 255, addr: buf.subarray(5, 5 + len).toString('latin1'), length: 5 + len + 2 };
}

/**
 * Connects to a streamhost and asks for `dst`; resolves with the socket ready for data (any
 * bytes that came with the reply are pushed back), rejects on timeout, refusal or a reply for
 * another hash.
 */
export function connectStreamhost(
  host: string,
  port: number,
  dst: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const reader: Reader = { handshake: undefined, sink: undefined, early: [] };
    const socket = net.connect({
      host,
      port,
      onread: {
        buffer: Buffer.allocUnsafeSlow(READ_BUFFER_BYTES),
        callback: (n: number, buffer: Uint8Array): boolean => {
          const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, n);
          if (reader.handshake) reader.handshake(chunk);
          else if (reader.sink) return reader.sink(chunk);
          else if (socket.listenerCount('data') > 0) socket.emit('data', Buffer.from(chunk));
          else reader.early.push(Buffer.from(chunk));
          return true;
        },
      },
    });
    readers.set(socket, reader);
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'reply' = 'greeting';
    const fail = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => {
      fail(new Socks5Error(`${host}:${String(port)}: no SOCKS5 answer within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    const onAbort = () => {
      fail(new Socks5Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort);
    const onError = (err: Error) => {
      fail(err);
    };
    const onClose = () => {
      fail(new Socks5Error(`${host}:${String(port)}: closed during the SOCKS5 handshake`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reader.handshake = undefined;
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 'greeting') {
        if (buf.length < 2) return;
        if (buf[0] !== VERSION || buf[1] !== 0) {
          fail(new Socks5Error('the streamhost refused the SOCKS5 greeting'));
          return;
        }
        buf = buf.subarray(2);
        stage = 'reply';
        socket.write(request(dst));
      }
      const reply = parseAddressed(buf);
      if (reply === 'short') {
        // (A complete reply is at most 262 bytes: what follows it is data, not the answer.)
        if (buf.length > MAX_HANDSHAKE) fail(new Socks5Error('oversized SOCKS5 answer'));
        return;
      }
      if (reply === 'bad') {
        fail(new Socks5Error('malformed SOCKS5 reply'));
        return;
      }
      if (reply.code !== 0) {
        fail(new Socks5Error(`the streamhost refused the connection (SOCKS5 code ${String(reply.code)})`));
        return;
      }
      if (reply.addr !== dst) {
        fail(new Socks5Error('the streamhost answered for another destination hash'));
        return;
      }
      cleanup();
      socket.pause(); // no data may flow before its consumer is attached (readChunks)
      const rest = buf.subarray(reply.length);
      if (rest.length > 0) reader.early.push(Buffer.from(rest));
      resolve(socket);
    };
    reader.handshake = onData;
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('connect', () => {
      socket.write(Buffer.from([VERSION, 1, 0])); // one method: no authentication
    });
  });
}

/** Addresses to announce for a listener on every interface: external ones first, loopback last. */
export function localAddresses(includeLoopback: boolean): string[] {
  const external: string[] = [];
  const loopback: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && a.scopeid) continue; // link-local needs a zone: not portable in a stanza
      (a.internal ? loopback : external).push(a.address);
    }
  }
  const v4first = (x: string[]) => [...x.filter((a) => net.isIPv4(a)), ...x.filter((a) => net.isIPv6(a))];
  return [...v4first(external), ...(includeLoopback ? v4first(loopback) : [])];
}

/**
 * Our own streamhost for one offer: listens on every address (or `bindHost`), accepts SOCKS5
 * connections asking for exactly `dst` and refuses every other (SOCKS5 "connection not
 * allowed"). Some receivers try all announced addresses at once (slixmpp) and then use the
 * first in the announced order that worked: `choose` keeps that one, closes the rest and stops
 * listening. `socket` resolves with the first accepted connection.
 */
export class DirectStreamhost {
  readonly #server: net.Server;
  readonly #dst: string;
  readonly #accepted: net.Socket[] = [];
  #chosen: net.Socket | undefined;
  #resolve!: (s: net.Socket) => void;
  #reject!: (err: Error) => void;
  readonly socket: Promise<net.Socket>;
  readonly #pending = new Set<net.Socket>();

  private constructor(dst: string) {
    this.#dst = dst;
    this.socket = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.socket.catch(() => undefined);
    this.#server = net.createServer((s) => {
      this.#handle(s);
    });
    this.#server.maxConnections = 16;
  }

  static async listen(dst: string, bindHost?: string): Promise<DirectStreamhost> {
    const host = new DirectStreamhost(dst);
    await new Promise<void>((resolve, reject) => {
      host.#server.once('error', reject);
      host.#server.listen({ port: 0, ...(bindHost ? { host: bindHost } : {}) }, () => {
        host.#server.off('error', reject);
        resolve();
      });
    });
    return host;
  }

  get port(): number {
    const a = this.#server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  #handle(s: net.Socket): void {
    if (this.#chosen || this.#accepted.length >= MAX_ACCEPTED) {
      s.destroy();
      return;
    }
    this.#pending.add(s);
    s.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'request' = 'greeting';
    const timer = setTimeout(() => s.destroy(), 30_000);
    const done = () => {
      clearTimeout(timer);
      this.#pending.delete(s);
      s.off('data', onData);
    };
    s.on('error', () => {
      done();
    });
    s.on('close', done);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > MAX_HANDSHAKE) {
        done();
        s.destroy();
        return;
      }
      if (stage === 'greeting') {
        if (buf.length < 2) return;
        const n = buf[1] ?? 0;
        if (buf[0] !== VERSION) {
          done();
          s.destroy();
          return;
        }
        if (buf.length < 2 + n) return;
        const methods = buf.subarray(2, 2 + n);
        buf = buf.subarray(2 + n);
        if (!methods.includes(0)) {
          s.end(Buffer.from([VERSION, 0xff]));
          done();
          return;
        }
        s.write(Buffer.from([VERSION, 0]));
        stage = 'request';
      }
      const req = parseAddressed(buf);
      if (req === 'short') return;
      if (req === 'bad' || req.code !== CMD_CONNECT || req.addr !== this.#dst || this.#chosen) {
        // Not the offer we made: "connection not allowed by ruleset".
        s.end(Buffer.from([VERSION, 2, 0, ATYP_DOMAIN, 0, 0, 0]));
        done();
        return;
      }
      done();
      s.pause(); // no data may flow before its consumer is attached
      this.#accepted.push(s);
      s.write(
        Buffer.concat([
          Buffer.from([VERSION, 0, 0, ATYP_DOMAIN, 40]),
          Buffer.from(this.#dst, 'ascii'),
          Buffer.from([0, 0]),
        ]),
      );
      const rest = buf.subarray(req.length);
      if (rest.length > 0) s.unshift(rest);
      this.#resolve(s);
    };
    s.on('data', onData);
  }

  /**
   * The receiver named our streamhost: the accepted connection to the earliest of `announced`
   * (by the local address it reached); the others are closed and the listener stops.
   */
  choose(announced: readonly string[]): net.Socket | undefined {
    const rank = (sock: net.Socket) => {
      const local = (sock.localAddress ?? '').replace(/^::ffff:/u, '');
      const i = announced.indexOf(local);
      return i < 0 ? announced.length : i;
    };
    const alive = this.#accepted.filter((sock) => !sock.destroyed);
    alive.sort((a, b) => rank(a) - rank(b));
    this.#chosen = alive[0];
    for (const sock of alive.slice(1)) sock.destroy();
    this.#server.close();
    return this.#chosen;
  }

  /** Stops listening and closes what was not chosen (and the chosen one too with `destroyChosen`). */
  close(destroyChosen = false): void {
    this.#server.close();
    for (const sock of this.#pending) sock.destroy();
    this.#pending.clear();
    for (const sock of this.#accepted) if (sock !== this.#chosen || destroyChosen) sock.destroy();
    if (this.#accepted.length === 0) this.#reject(new Socks5Error('the streamhost closed'));
  }
}

/**
 * A TCP fault proxy for tests and benchmarks: listens on 127.0.0.1 and forwards every
 * connection to one loopback target (a Prosody c2s port), and can break them on purpose:
 *
 * - cutAll(): destroys every live connection now (both ends, FIN or RST);
 * - randomCuts({ bytes, ms }): while enabled, each connection (live or new) is destroyed
 *   after a random number of forwarded bytes (counted both ways, cut mid-chunk) or a random
 *   time, whichever comes first; the choices come from a seeded PRNG (the seed is printed
 *   and can be given back), so a run's cut points can be reproduced;
 * - pause(): a blackhole, a silently dead path: live connections stop forwarding and
 *   discard what they get (they stay dead: their byte streams now have holes), new ones are
 *   accepted and never forwarded; neither end is told anything. resume() lets new
 *   connections through again;
 * - stop(): closes everything.
 *
 * Loopback only (it listens on 127.0.0.1 and refuses a non-loopback target) and bounded in
 * time: it stops itself after `lifetimeMs` (default 15 min), and its timers never keep the
 * process alive.
 */
import net from 'node:net';

export interface FaultProxyOptions {
  /** The loopback address to forward to. */
  target: { host: string; port: number };
  /** PRNG seed for random cuts (default: random, see `seed`). */
  seed?: number;
  /** A name for log lines ("A", "bob"...). */
  label?: string;
  /** Where log lines go (default: nowhere). */
  log?: (line: string) => void;
  /** The proxy stops itself after this long (default 15 minutes). */
  lifetimeMs?: number;
}

export interface RandomCutOptions {
  /** Cut after a number of forwarded bytes (both directions together) drawn in [min, max]. */
  bytes?: readonly [number, number];
  /** Cut after a time in milliseconds drawn in [min, max]. */
  ms?: readonly [number, number];
  /** Probability that a cut is an RST rather than a FIN (default 0.5). */
  resetRatio?: number;
}

export interface FaultProxyStats {
  /** Connections accepted so far. */
  accepted: number;
  /** Connections open now (dead ones included). */
  live: number;
  /** Connections destroyed by cutAll(). */
  cutsAll: number;
  /** Connections destroyed by the random-cut mode. */
  cutsRandom: number;
  /** Connections made dead by pause(). */
  blackholed: number;
  /** Bytes forwarded client -> target and target -> client. */
  bytesUp: number;
  bytesDown: number;
  /** Connections the target refused or dropped before they were established. */
  upstreamFailures: number;
}

export interface FaultProxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** "127.0.0.1:PORT", as typed into Parley's Server field. */
  readonly server: string;
  /** The PRNG seed in use (print it: giving it back reproduces the random choices). */
  readonly seed: number;
  readonly stats: Readonly<FaultProxyStats>;
  /** Destroys every live connection; returns how many. */
  cutAll(how?: 'fin' | 'rst'): number;
  /** Starts (options) or stops (false) cutting connections at random points. */
  randomCuts(options: RandomCutOptions | false): void;
  /** Blackholes live and new connections (a silently dead path). */
  pause(): void;
  /** New connections are forwarded again (blackholed ones stay dead). */
  resume(): void;
  readonly paused: boolean;
  stop(): Promise<void>;
}

/** mulberry32: a small, fast, seedable PRNG; plenty for picking cut points. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh 32-bit seed, or the one in an environment variable when set (decimal or 0x hex). */
export function seedFrom(envValue: string | undefined): number {
  if (envValue !== undefined && envValue.trim() !== '') {
    const n = Number(envValue.trim());
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`bad seed "${envValue}"`);
    return n;
  }
  return Math.floor(Math.random() * 0x100000000);
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

interface Link {
  id: number;
  client: net.Socket;
  upstream: net.Socket | undefined;
  bytes: number;
  /** Cut once `bytes` reaches this (random-cut mode). */
  byteLimit: number | undefined;
  timer: NodeJS.Timeout | undefined;
  dead: boolean;
  closed: boolean;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { target } = options;
  if (!isLoopback(target.host)) throw new Error(`fault proxy: target ${target.host} is not a loopback address`);
  const seed = options.seed ?? seedFrom(undefined);
  const random = seededRandom(seed);
  const label = options.label ?? 'proxy';
  const log = (line: string) => options.log?.(`[fault-proxy ${label}] ${line}`);
  const links = new Set<Link>();
  const stats: FaultProxyStats = {
    accepted: 0,
    live: 0,
    cutsAll: 0,
    cutsRandom: 0,
    blackholed: 0,
    bytesUp: 0,
    bytesDown: 0,
    upstreamFailures: 0,
  };
  let cutMode: RandomCutOptions | false = false;
  let paused = false;
  let stopped = false;
  let nextId = 1;

  const draw = ([min, max]: readonly [number, number]) => Math.floor(min + random() * (max - min + 1));

  const close = (link: Link, how: 'fin' | 'rst') => {
    if (link.closed) return;
    link.closed = true;
    clearTimeout(link.timer);
    links.delete(link);
    stats.live = links.size;
    for (const socket of [link.client, link.upstream]) {
      if (!socket || socket.destroyed) continue;
      if (how === 'rst' && typeof socket.resetAndDestroy === 'function' && socket.readyState !== 'opening')
        socket.resetAndDestroy();
      else socket.destroy();
    }
  };

  const randomCut = (link: Link, why: string) => {
    if (link.closed) return;
    const how = random() < (cutMode ? (cutMode.resetRatio ?? 0.5) : 0.5) ? 'rst' : 'fin';
    stats.cutsRandom += 1;
    log(`#${String(link.id)}: random cut (${how}) after ${String(link.bytes)} bytes, ${why}`);
    close(link, how);
  };

  /** Gives a link its random limits (or removes them when the mode is off). */
  const arm = (link: Link) => {
    clearTimeout(link.timer);
    link.timer = undefined;
    link.byteLimit = undefined;
    if (!cutMode || link.dead || link.closed) return;
    if (cutMode.bytes) link.byteLimit = link.bytes + draw(cutMode.bytes);
    if (cutMode.ms) {
      const ms = draw(cutMode.ms);
      link.timer = setTimeout(() => {
        randomCut(link, `${String(ms)} ms`);
      }, ms);
      link.timer.unref();
    }
  };

  const blackhole = (link: Link) => {
    if (link.dead || link.closed) return;
    link.dead = true;
    clearTimeout(link.timer);
    link.byteLimit = undefined;
    stats.blackholed += 1;
    // Keep reading (so that neither end sees back-pressure) and drop everything.
    link.client.resume();
    link.upstream?.resume();
  };

  /** Forwards a chunk from one end to the other, honouring a random byte limit and back-pressure. */
  const forward = (link: Link, from: net.Socket, to: net.Socket, chunk: Buffer, up: boolean) => {
    if (link.closed || link.dead) return;
    let data = chunk;
    let cut = false;
    if (link.byteLimit !== undefined && link.bytes + data.length >= link.byteLimit) {
      data = data.subarray(0, Math.max(0, link.byteLimit - link.bytes));
      cut = true;
    }
    link.bytes += data.length;
    if (up) stats.bytesUp += data.length;
    else stats.bytesDown += data.length;
    if (data.length > 0 && !to.write(data) && !cut) {
      from.pause();
      to.once('drain', () => {
        if (!link.dead && !link.closed) from.resume();
      });
    }
    if (cut) {
      // Let the partial chunk reach the socket buffer first: a cut mid-stanza, mid-TLS-record.
      setImmediate(() => {
        randomCut(link, 'byte limit');
      });
    }
  };

  const server = net.createServer((client) => {
    if (stopped) {
      client.destroy();
      return;
    }
    const link: Link = {
      id: nextId++,
      client,
      upstream: undefined,
      bytes: 0,
      byteLimit: undefined,
      timer: undefined,
      dead: false,
      closed: false,
    };
    stats.accepted += 1;
    links.add(link);
    stats.live = links.size;
    client.on('error', () => undefined);
    client.on('close', () => {
      // A dead path tells the far end nothing; it is closed by cutAll()/stop().
      if (!link.dead) close(link, 'fin');
    });
    if (paused) {
      log(`#${String(link.id)}: accepted into the blackhole`);
      blackhole(link);
      client.on('data', () => undefined);
      return;
    }
    client.pause();
    const upstream = net.connect({ host: target.host, port: target.port });
    link.upstream = upstream;
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.on('error', () => undefined);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      if (link.closed || link.dead) return;
      client.resume();
    });
    upstream.on('close', () => {
      if (!connected) stats.upstreamFailures += 1;
      if (!link.dead) close(link, 'fin');
    });
    client.on('data', (chunk: Buffer) => {
      forward(link, client, upstream, chunk, true);
    });
    upstream.on('data', (chunk: Buffer) => {
      forward(link, upstream, client, chunk, false);
    });
    arm(link);
  });
  server.on('error', (err) => {
    log(`listener error: ${err.message}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  log(`listening on 127.0.0.1:${String(port)} -> ${target.host}:${String(target.port)}, seed ${String(seed)}`);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(lifetime);
    for (const link of [...links]) close(link, 'fin');
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  };
  const lifetimeMs = options.lifetimeMs ?? 15 * 60_000;
  const lifetime = setTimeout(() => {
    log(`lifetime of ${String(lifetimeMs)} ms reached: stopping`);
    void stop();
  }, lifetimeMs);
  lifetime.unref();

  return {
    host: '127.0.0.1',
    port,
    server: `127.0.0.1:${String(port)}`,
    seed,
    stats,
    get paused() {
      return paused;
    },
    cutAll(how = 'fin') {
      const all = [...links];
      for (const link of all) close(link, how);
      stats.cutsAll += all.length;
      if (all.length > 0) log(`cut all: ${String(all.length)} connection(s) (${how})`);
      return all.length;
    },
    randomCuts(mode) {
      if (mode && !mode.bytes && !mode.ms) throw new Error('randomCuts: give bytes and/or ms bounds');
      for (const [min, max] of [mode && mode.bytes, mode && mode.ms].filter((b): b is readonly [number, number] =>
        Array.isArray(b),
      )) {
        if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min))
          throw new Error(`randomCuts: bad bounds [${String(min)}, ${String(max)}]`);
      }
      cutMode = mode;
      log(mode ? `random cuts on: ${JSON.stringify(mode)}` : 'random cuts off');
      for (const link of links) arm(link);
    },
    pause() {
      paused = true;
      for (const link of links) blackhole(link);
      log('paused (blackhole)');
    },
    resume() {
      paused = false;
      log('resumed (new connections are forwarded)');
    },
    stop,
  };
}

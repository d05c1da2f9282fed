/**
 * Picks the one transport for this page and exposes it as a FramePort.
 *
 *  - Electron: the preload exposes `window.parley` = { send, onFrame }.
 *  - Browser (web host, tests): a WebSocket to `/ws?token=…` on this origin.
 *    The token arrives once in the page URL; it is kept in sessionStorage
 *    (so a reload works) and removed from the visible URL.
 *
 * The WebSocket transport survives reconnects: the FramePort object stays
 * the same, every (re)opened socket feeds the same frame listeners, and each
 * successful open bumps `epoch` so that data hooks re-fetch their state.
 */
import type { FramePort } from '../../preload/rpc.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    readonly parley?: FramePort;
  }
}

export type LinkStatus =
  /** `retrying`: an earlier attempt failed (the page shows the disconnected notice meanwhile). */
  | { kind: 'connecting'; epoch: number; retrying: boolean }
  | { kind: 'open'; epoch: number }
  | { kind: 'closed'; epoch: number; retryAt: number };

export interface Transport {
  readonly port: FramePort;
  readonly kind: 'electron' | 'websocket';
  status(): LinkStatus;
  onStatus(listener: (status: LinkStatus) => void): () => void;
  /** Reconnect now (no-op unless closed). */
  retry(): void;
}

const TOKEN_KEY = 'parley.token';

/** Reads `?token=` once, keeps it for reloads, and hides it from the address bar. */
export function takeToken(): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // storage disabled: the token still works for this page's lifetime
    }
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function electronTransport(port: FramePort): Transport {
  const status: LinkStatus = { kind: 'open', epoch: 1 };
  const nothing = (): undefined => undefined;
  return { port, kind: 'electron', status: () => status, onStatus: () => nothing, retry: nothing };
}

function webSocketTransport(token: string | null): Transport {
  const frameListeners = new Set<(frame: string) => void>();
  const statusListeners = new Set<(status: LinkStatus) => void>();
  let socket: WebSocket | null = null;
  let status: LinkStatus = { kind: 'connecting', epoch: 0, retrying: false };
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setStatus = (next: LinkStatus): void => {
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const open = (): void => {
    clearTimeout(timer);
    setStatus({ kind: 'connecting', epoch: status.epoch, retrying: failures > 0 });
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(`${scheme}://${location.host}/ws${query}`);
    socket = ws;
    ws.onopen = () => {
      failures = 0;
      setStatus({ kind: 'open', epoch: status.epoch + 1 });
    };
    ws.onmessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      for (const listener of frameListeners) listener(event.data);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Back off 1 s, 2 s, 4 s … up to 30 s; the user can always retry at once.
      const delay = Math.min(30_000, 1000 * 2 ** failures++);
      setStatus({ kind: 'closed', epoch: status.epoch, retryAt: Date.now() + delay });
      timer = setTimeout(open, delay);
    };
  };

  open();

  return {
    kind: 'websocket',
    port: {
      send(frame) {
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
      },
      onFrame(listener) {
        frameListeners.add(listener);
      },
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    retry() {
      if (status.kind === 'closed') open();
    },
  };
}

export function createTransport(): Transport {
  const bridge = window.parley;
  if (bridge !== undefined) return electronTransport(bridge);
  return webSocketTransport(takeToken());
}

/**
 * The shell's pure helpers for the desktop integration (issue 7), without Electron so that
 * they are unit-tested in Node (test/unit/shell/desktop-pure.test.ts): where the window
 * goes on the displays there are now, the stored window state, the tray icon's pixels, and
 * an xmpp: link in a second launch's command line.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1100, height: 740 } as const;
export const MIN_SIZE = { width: 640, height: 420 } as const;
/** At least this much of the window's title bar must be on a display to count as visible. */
const MIN_VISIBLE = 64;

function intersection(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The saved bounds if they are still usable on these displays (their work areas), else the
 * bounds moved and shrunk onto the display they overlap most (or the first one): a window
 * saved on a monitor that is gone comes back where it can be seen.
 */
export function fitToDisplays(bounds: Rect, displays: readonly Rect[]): Rect {
  const first = displays[0];
  if (!first) return bounds;
  const width = Math.max(MIN_SIZE.width, Math.round(bounds.width));
  const height = Math.max(MIN_SIZE.height, Math.round(bounds.height));
  const wanted = { x: Math.round(bounds.x), y: Math.round(bounds.y), width, height };
  // The title bar (the top strip) must be reachable on some display.
  const titleBar = { x: wanted.x, y: wanted.y, width: wanted.width, height: Math.min(32, wanted.height) };
  const visible = displays.some((d) => {
    const w = Math.min(titleBar.x + titleBar.width, d.x + d.width) - Math.max(titleBar.x, d.x);
    return w >= MIN_VISIBLE && titleBar.y >= d.y && titleBar.y < d.y + d.height - 16;
  });
  const fits = (d: Rect) => wanted.width <= d.width && wanted.height <= d.height;
  if (visible && displays.some((d) => intersection(wanted, d) > 0 && fits(d))) return wanted;
  let target = first;
  let best = 0;
  for (const d of displays) {
    const area = intersection(wanted, d);
    if (area > best) {
      best = area;
      target = d;
    }
  }
  const w = Math.min(wanted.width, target.width);
  const h = Math.min(wanted.height, target.height);
  const x = Math.min(Math.max(wanted.x, target.x), target.x + target.width - w);
  const y = Math.min(Math.max(wanted.y, target.y), target.y + target.height - h);
  return { x, y, width: w, height: h };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/** A stored window state, checked (anything else: undefined, and the window opens at its default size). */
export function parseWindowState(stored: unknown): WindowState | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { bounds, maximized } = stored as { bounds?: unknown; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null) return undefined;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (!isNum(x) || !isNum(y) || !isNum(width) || !isNum(height) || width <= 0 || height <= 0) return undefined;
  return { bounds: { x, y, width, height }, maximized: maximized === true };
}

/** The first xmpp: link in a command line (a second launch, or the OS opening a link), if any. */
export function xmppUriFromArgv(argv: readonly string[]): string | undefined {
  // Only arguments after the executable (and, unpackaged, the app path); never an option's value.
  return argv.slice(1).find((a) => /^xmpp:/iu.test(a) && a.length <= 8192);
}

export type TrayPresence = 'chat' | 'available' | 'away' | 'xa' | 'dnd' | 'offline';

const COLOURS: Record<TrayPresence, [number, number, number]> = {
  chat: [0x1a, 0x7f, 0x37],
  available: [0x1a, 0x7f, 0x37],
  away: [0xc2, 0x7c, 0x0e],
  xa: [0xc2, 0x7c, 0x0e],
  dnd: [0xd1, 0x24, 0x2f],
  offline: [0x8c, 0x95, 0x9f],
};

/**
 * The tray icon as raw BGRA pixels (Electron's nativeImage.createFromBitmap): a speech
 * bubble disc in the presence's colour, with a blue dot at the top right when there are
 * unread messages (the Linux "icon variant"; Windows adds an overlay, macOS a dock badge).
 */
export function trayBitmap(presence: TrayPresence, unread: boolean, size = 32): Buffer {
  const px = Buffer.alloc(size * size * 4);
  const [r, g, b] = COLOURS[presence];
  const c = (size - 1) / 2;
  const radius = size * 0.42;
  const dot = { x: size * 0.78, y: size * 0.22, r: size * 0.2 };
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const i = (y * size + x) * 4;
      const inDisc = Math.hypot(x - c, y - c) <= radius;
      const inDot = unread && Math.hypot(x - dot.x, y - dot.y) <= dot.r;
      const inRing = unread && !inDot && Math.hypot(x - dot.x, y - dot.y) <= dot.r + size * 0.06;
      if (inDot) {
        px[i] = 0xd6;
        px[i + 1] = 0x5b;
        px[i + 2] = 0x1d;
        px[i + 3] = 0xff;
      } else if (inRing) {
        px[i + 3] = 0; // a transparent gap around the dot
      } else if (inDisc) {
        px[i] = b;
        px[i + 1] = g;
        px[i + 2] = r;
        px[i + 3] = 0xff;
      }
    }
  }
  return px;
}

/**
 * The preload: the only renderer-side code that touches electron.
 *
 * It runs sandboxed and context-isolated, and hands the page exactly one
 * narrow object, `window.parley`, with the two methods of a FramePort: send a
 * text frame, receive text frames. `ipcRenderer`, IPC events and any other
 * Electron object never cross the bridge. Bundled as one CommonJS file
 * (dist/preload/index.cjs), as a sandboxed preload must be.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { FRAME_CHANNEL, MAX_FRAME } from './channel.ts';
import type { FramePort } from './rpc.ts';

const port: FramePort = {
  send(frame: string): void {
    if (typeof frame !== 'string') throw new TypeError('parley.send expects a string frame');
    if (frame.length > MAX_FRAME) throw new RangeError(`frame too large (max ${String(MAX_FRAME)} chars)`);
    ipcRenderer.send(FRAME_CHANNEL, frame);
  },
  onFrame(listener: (frame: string) => void): void {
    if (typeof listener !== 'function') throw new TypeError('parley.onFrame expects a function');
    // The IPC event (whose `sender` is ipcRenderer itself) is deliberately not passed on.
    ipcRenderer.on(FRAME_CHANNEL, (_event, frame: unknown) => {
      if (typeof frame === 'string') listener(frame);
    });
  },
};

contextBridge.exposeInMainWorld('parley', port);

/**
 * The Electron transport of the contract: text frames on one IPC channel,
 * handed to a core Session (the same one the WebSocket host uses). The core
 * validates every call; this adapter only checks who is talking and that the
 * frame is a bounded string.
 *
 * One Session per loaded page: it opens at the page's first frame and closes
 * when the page navigates (reload), its renderer dies, or its webContents is
 * destroyed, so a reloaded page never receives answers meant for the old one.
 */
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import { FRAME_CHANNEL, MAX_FRAME } from '../../preload/channel.ts';
import type { RpcServer, Session } from '../core/api/rpc-server.ts';
import type { Logger } from '../core/log.ts';
import { isAppUrl } from './app-origin.ts';

export interface IpcAdapter {
  /** Accept frames from this webContents (our window's). */
  attach(contents: WebContents): void;
  /** Stop listening and close every session. */
  dispose(): void;
}

export function createIpcAdapter(rpc: RpcServer, log: Logger): IpcAdapter {
  /** Our webContents, each with the session of its current page, if it has spoken yet. */
  const pages = new Map<WebContents, Session | undefined>();

  function endSession(contents: WebContents): void {
    if (!pages.has(contents)) return;
    pages.get(contents)?.close();
    pages.set(contents, undefined);
  }

  function onFrame(event: IpcMainEvent, frame: unknown): void {
    const contents = event.sender;
    // Only our own window's top frame (no parent), showing our own app:// page.
    const sender = event.senderFrame;
    const trusted = pages.has(contents) && sender?.parent === null && isAppUrl(sender.url);
    if (!trusted) {
      log.warn('ipc', 'dropped a frame from an unexpected sender');
      return;
    }
    if (typeof frame !== 'string' || frame.length > MAX_FRAME) {
      log.warn('ipc', 'dropped a frame that is not a string of bounded size');
      return;
    }
    let session = pages.get(contents);
    if (session === undefined) {
      session = rpc.connect((text) => {
        if (!contents.isDestroyed()) contents.send(FRAME_CHANNEL, text);
      });
      pages.set(contents, session);
    }
    session.receive(frame).catch((err: unknown) => {
      log.error('ipc', 'a frame could not be handled', err);
    });
  }

  ipcMain.on(FRAME_CHANNEL, onFrame);

  return {
    attach(contents) {
      if (pages.has(contents)) return;
      pages.set(contents, undefined);
      contents.on('did-navigate', () => {
        endSession(contents);
      });
      contents.on('render-process-gone', () => {
        endSession(contents);
      });
      contents.once('destroyed', () => {
        endSession(contents);
        pages.delete(contents);
      });
    },
    dispose() {
      ipcMain.removeListener(FRAME_CHANNEL, onFrame);
      for (const contents of pages.keys()) endSession(contents);
      pages.clear();
    },
  };
}

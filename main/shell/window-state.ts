/**
 * The window's size, position and maximised state across runs (issue 7), in a small JSON
 * file in the data folder; restored onto the displays there are now (fitToDisplays).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { screen, type BrowserWindow } from 'electron';
import type { Logger } from '../core/log.ts';
import { DEFAULT_SIZE, fitToDisplays, parseWindowState, type WindowState } from './desktop-pure.ts';

const FILE = 'window-state.json';

export function loadWindowState(dataDir: string): WindowState {
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(path.join(dataDir, FILE), 'utf8'));
  } catch {
    stored = undefined;
  }
  const state = parseWindowState(stored);
  const areas = screen.getAllDisplays().map((d) => d.workArea);
  const primary = screen.getPrimaryDisplay().workArea;
  if (!state) {
    const width = Math.min(DEFAULT_SIZE.width, primary.width);
    const height = Math.min(DEFAULT_SIZE.height, primary.height);
    return {
      bounds: {
        x: primary.x + Math.round((primary.width - width) / 2),
        y: primary.y + Math.round((primary.height - height) / 2),
        width,
        height,
      },
      maximized: false,
    };
  }
  return { bounds: fitToDisplays(state.bounds, areas), maximized: state.maximized };
}

/** Saves the state when the window closes (the normal bounds, even when maximised). */
export function trackWindowState(win: BrowserWindow, dataDir: string, log: Logger): void {
  win.on('close', () => {
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    const file = path.join(dataDir, FILE);
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(state));
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      log.warn('shell', 'could not save the window state', err);
    }
  });
}

/**
 * File transfer (issue 6): "Open" and "Show in folder" for received files. Only a completed
 * incoming transfer's saved file qualifies (never a path from the renderer), it must still be
 * there, and programs or scripts are never opened: a received `.exe`, `.sh` or `.lnk` could run
 * with one click, so the user gets "Show in folder" and decides there.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Transfer } from '../../../preload/contract.ts';
import { CoreError } from '../errors.ts';

/** Extensions whose default action runs code on Windows, macOS or Linux desktops. */
// prettier-ignore
const PROGRAM_EXTENSIONS = new Set([
  // Windows
  'exe', 'com', 'bat', 'cmd', 'msi', 'msp', 'mst', 'scr', 'pif', 'cpl', 'dll', 'sys', 'lnk', 'url', 'reg',
  'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'ps1', 'psm1', 'hta', 'msc', 'jar', 'appref-ms', 'application',
  'gadget', 'inf', 'scf', 'settingcontent-ms', 'library-ms', 'diagcab', 'appx', 'msix', 'appxbundle',
  // macOS
  'app', 'command', 'tool', 'pkg', 'mpkg', 'dmg', 'workflow', 'terminal', 'scpt', 'applescript', 'webloc', 'fileloc', 'inetloc',
  // Linux and scripts everywhere
  'sh', 'bash', 'zsh', 'csh', 'ksh', 'fish', 'run', 'bin', 'out', 'elf', 'appimage', 'desktop', 'deb', 'rpm', 'snap', 'flatpakref',
  'py', 'pyw', 'pl', 'rb', 'php', 'lua', 'tcl',
]);

/** Whether opening `file` with its default app could run code. Names without an extension count too (Unix executables). */
export function isProgram(file: string): boolean {
  const base = path
    .basename(file)
    .toLowerCase()
    .replace(/[.\s]+$/u, '');
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return true;
  return PROGRAM_EXTENSIONS.has(base.slice(dot + 1));
}

/** The saved file of a completed incoming transfer, or a CoreError saying why there is none. */
export function receivedFile(transfers: readonly Transfer[], id: string): string {
  const t = transfers.find((x) => x.id === id);
  if (!t) throw new CoreError('not-found', 'There is no such transfer.');
  if (t.direction !== 'in' || t.state !== 'completed' || t.path === undefined)
    throw new CoreError('not-allowed', 'Only a received file can be opened.');
  if (!existsSync(t.path)) throw new CoreError('not-found', 'The file is no longer there: it was moved or deleted.');
  return t.path;
}

/** Where things live for the Node hosts (web host, demo). */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererDir = path.join(repoRoot, 'dist', 'renderer');

/** The same per-user folder Electron's app.getPath('userData') gives for productName "Parley". */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32')
    return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Parley');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Parley');
  return path.join(process.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'Parley');
}

/** File transfer (issue 6): which received files "Open" may open, and which transfers qualify. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Transfer } from '../../../preload/contract.ts';
import { isProgram, receivedFile } from '../../../main/core/transfer/open-file.ts';

describe('transfer/open-file', () => {
  it('never opens programs or scripts, whatever their case or trailing dots', () => {
    for (const name of [
      'setup.exe',
      'SETUP.EXE',
      'run.sh',
      'evil.exe.',
      'evil.exe  ',
      'x.lnk',
      'a.app',
      'tool.AppImage',
      'b.ps1',
      'c.desktop',
      'noextension',
      '.bashrc',
    ])
      assert.equal(isProgram(`/downloads/${name}`), true, name);
    for (const name of ['photo.jpg', 'notes.txt', 'report.pdf', 'song.mp3', 'archive.zip', 'exe.png'])
      assert.equal(isProgram(`/downloads/${name}`), false, name);
  });

  it('only a completed incoming transfer whose file is still there', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-open-'));
    try {
      const file = path.join(dir, 'photo.jpg');
      writeFileSync(file, 'x');
      const base = {
        accountId: 'a@example.org',
        peer: 'b@example.org/r',
        name: 'photo.jpg',
        size: 1,
        bytes: 1,
        speed: 0,
        startedAt: 0,
        updatedAt: 0,
      };
      const t = (id: string, patch: Partial<Transfer>): Transfer => ({
        ...base,
        id: id.padEnd(24, '0'),
        direction: 'in',
        state: 'completed',
        path: file,
        ...patch,
      });
      const list = [
        t('a', {}),
        t('b', { direction: 'out' }),
        t('c', { state: 'transferring' }),
        t('d', { path: path.join(dir, 'gone.jpg') }),
      ];
      assert.equal(receivedFile(list, 'a'.padEnd(24, '0')), file);
      const code = (id: string): string | undefined => {
        try {
          receivedFile(list, id.padEnd(24, '0'));
          return undefined;
        } catch (err) {
          return (err as { code?: string }).code;
        }
      };
      assert.equal(code('b'), 'not-allowed');
      assert.equal(code('c'), 'not-allowed');
      assert.equal(code('d'), 'not-found');
      assert.equal(code('e'), 'not-found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

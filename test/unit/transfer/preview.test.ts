/** Inline image previews of received files (issue 6): the magic-byte check, the size limit, the file's origin. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Transfer } from '../../../preload/contract.ts';
import { CoreError } from '../../../main/core/errors.ts';
import { receivedFile } from '../../../main/core/transfer/open-file.ts';
import { MAX_PREVIEW_BYTES, imageTypeOf, previewFile, previewOf } from '../../../main/core/transfer/preview.ts';

/** A real 1×1 PNG (a red pixel). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8L')]);

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function dir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'parley-preview-'));
  dirs.push(d);
  return d;
}

function rejectsWith(code: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof CoreError, String(err));
    assert.equal(err.code, code);
    return true;
  };
}

describe('transfer/preview (issue 6: image previews generated locally)', () => {
  it('recognises PNG, JPEG, GIF and WebP by their first bytes', () => {
    assert.equal(imageTypeOf(PNG), 'image/png');
    assert.equal(imageTypeOf(JPEG), 'image/jpeg');
    assert.equal(imageTypeOf(GIF), 'image/gif');
    assert.equal(imageTypeOf(Buffer.from('GIF87a......', 'latin1')), 'image/gif');
    assert.equal(imageTypeOf(WEBP), 'image/webp');
  });

  it('refuses everything else: text, SVG, a RIFF that is not WebP, truncated magic, nothing', () => {
    assert.equal(imageTypeOf(Buffer.from('just some text, named photo.png')), undefined);
    assert.equal(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')), undefined);
    assert.equal(imageTypeOf(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')])), undefined);
    assert.equal(imageTypeOf(PNG.subarray(0, 7)), undefined);
    assert.equal(imageTypeOf(Buffer.from([0xff, 0xd8])), undefined);
    assert.equal(imageTypeOf(Buffer.alloc(0)), undefined);
    assert.equal(imageTypeOf(Buffer.from('GIF90a', 'latin1')), undefined);
  });

  it('makes a data: URL with the type found in the bytes', () => {
    assert.equal(previewOf(PNG), `data:image/png;base64,${PNG.toString('base64')}`);
    assert.match(previewOf(WEBP), /^data:image\/webp;base64,/u);
    assert.throws(() => previewOf(Buffer.from('hello')), rejectsWith('not-acceptable'));
  });

  it('reads a received file: a .png that is really text is refused, a real image whatever its name is not', async () => {
    const d = await dir();
    const fake = path.join(d, 'holiday.png');
    await writeFile(fake, 'this is text, not an image');
    await assert.rejects(previewFile(fake), rejectsWith('not-acceptable'));
    const real = path.join(d, 'no extension');
    await writeFile(real, PNG);
    assert.equal(await previewFile(real), `data:image/png;base64,${PNG.toString('base64')}`);
  });

  it('refuses a file above 8 MiB, even a real image; exactly 8 MiB is fine', async () => {
    const d = await dir();
    const big = path.join(d, 'big.png');
    await writeFile(big, PNG);
    await truncate(big, MAX_PREVIEW_BYTES + 1);
    await assert.rejects(previewFile(big), rejectsWith('not-acceptable'));
    await truncate(big, MAX_PREVIEW_BYTES);
    assert.match(await previewFile(big), /^data:image\/png;base64,iVBORw0KGgo/u);
    assert.throws(
      () => previewOf(Buffer.concat([PNG, Buffer.alloc(MAX_PREVIEW_BYTES)])),
      rejectsWith('not-acceptable'),
    );
  });

  it('refuses a missing file and a folder', async () => {
    const d = await dir();
    await assert.rejects(previewFile(path.join(d, 'gone.png')), rejectsWith('not-found'));
    await assert.rejects(previewFile(d), rejectsWith('not-acceptable'));
  });

  it('only a completed incoming transfer’s saved file is ever read (the command’s path)', async () => {
    const d = await dir();
    const file = path.join(d, 'photo.png');
    await writeFile(file, PNG);
    const base: Transfer = {
      id: 'a'.repeat(24),
      accountId: 'juliet@capulet.lit',
      peer: 'romeo@montague.lit/orchard',
      direction: 'in',
      name: 'photo.png',
      size: PNG.length,
      bytes: PNG.length,
      speed: 0,
      state: 'completed',
      startedAt: 0,
      updatedAt: 0,
      path: file,
    };
    assert.equal(receivedFile([base], base.id), file);
    assert.throws(() => receivedFile([{ ...base, direction: 'out' }], base.id), rejectsWith('not-allowed'));
    assert.throws(() => receivedFile([{ ...base, state: 'transferring' }], base.id), rejectsWith('not-allowed'));
    assert.throws(() => receivedFile([base], 'b'.repeat(24)), rejectsWith('not-found'));
  });
});

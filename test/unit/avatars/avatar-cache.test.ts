import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AvatarCache } from '../../../main/core/avatars/avatar-cache.ts';
import { MAX_AVATAR_BYTES } from '../../../main/core/xmpp/avatar.ts';

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

function gif(width: number, height: number, salt = 0): Buffer {
  const b = Buffer.from('GIF89a\0\0\0\0\0\0\0;\0', 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  b[14] = salt;
  return b;
}

describe('avatars/avatar-cache', () => {
  let root: string;
  let n = 0;
  /** A fresh cache folder per test (not created yet: the cache makes it). */
  const fresh = () => join(root, `cache-${String(++n)}`);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'parley-avatars-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores by hash with the sniffed extension, and reads back', async () => {
    const folder = fresh();
    const cache = new AvatarCache(folder);
    const id = sha1(PNG);
    assert.equal(await cache.has(id), false);
    assert.equal(await cache.get(id), undefined);
    assert.deepEqual(await cache.put(id, PNG), { ok: true, type: 'image/png', path: join(folder, `${id}.png`) });
    assert.deepEqual(await readdir(folder), [`${id}.png`]); // no temporary file left behind
    assert.equal(await cache.has(id), true);
    assert.equal(await cache.path(id), join(folder, `${id}.png`));
    assert.deepEqual(await cache.get(id), { data: PNG, type: 'image/png' });
    // Upper-case hex is the same hash; storing again changes nothing.
    assert.deepEqual(await cache.get(id.toUpperCase()), { data: PNG, type: 'image/png' });
    assert.equal((await cache.put(id.toUpperCase(), PNG)).ok, true);
    assert.deepEqual(await readdir(folder), [`${id}.png`]);
    // Another instance on the same folder finds it (no in-memory state needed).
    assert.deepEqual(await new AvatarCache(folder).get(id), { data: PNG, type: 'image/png' });
    const g = gif(4, 4);
    assert.equal((await cache.put(sha1(g), g)).ok, true);
    assert.equal(await cache.path(sha1(g)), join(folder, `${sha1(g)}.gif`));
  });

  it('rejects a hash mismatch, non-images, oversized data and hostile ids, writing nothing', async () => {
    const folder = fresh();
    const cache = new AvatarCache(folder);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    assert.deepEqual(await cache.put(sha1(gif(1, 1)), PNG), { ok: false, reason: 'hash' });
    assert.deepEqual(await cache.put(sha1(svg), svg), { ok: false, reason: 'type' });
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_AVATAR_BYTES)]);
    assert.deepEqual(await cache.put(sha1(big), big), { ok: false, reason: 'size' });
    for (const hostile of ['../../etc/passwd', `../${sha1(PNG)}`, `${sha1(PNG)}/..`, '', 'x'.repeat(40)]) {
      assert.deepEqual(await cache.put(hostile, PNG), { ok: false, reason: 'hash' });
      assert.equal(await cache.get(hostile), undefined);
      assert.equal(await cache.has(hostile), false);
      assert.equal(await cache.path(hostile), undefined);
    }
    await assert.rejects(readdir(folder), { code: 'ENOENT' }); // not even the folder was made
  });

  it('drops a damaged or planted file instead of returning it', async () => {
    const folder = fresh();
    const cache = new AvatarCache(folder);
    const id = sha1(PNG);
    await cache.put(id, PNG);
    await writeFile(join(folder, `${id}.png`), Buffer.concat([PNG.subarray(0, 30), Buffer.from('garbage')]));
    assert.equal(await cache.get(id), undefined);
    assert.deepEqual(await readdir(folder), []);

    // Right bytes under the wrong extension: the type must match the name.
    await writeFile(join(folder, `${id}.gif`), PNG);
    assert.equal(await new AvatarCache(folder).get(id), undefined);
    assert.deepEqual(await readdir(folder), []);
  });

  it('prunes what is not kept, sparing the most recently used, and leaves foreign files alone', async () => {
    const folder = fresh();
    const cache = new AvatarCache(folder);
    const images = [0, 1, 2, 3, 4].map((salt) => gif(2, 2, salt));
    const ids = images.map(sha1);
    for (const [i, image] of images.entries()) {
      await cache.put(ids[i] ?? '', image);
      const when = new Date(Date.UTC(2024, 0, 1 + i)); // ids[4] is the most recently used
      await utimes(join(folder, `${ids[i] ?? ''}.gif`), when, when);
    }
    const staleTemp = `.${ids[0] ?? ''}.123e4567-e89b-12d3-a456-426614174000.tmp`;
    await writeFile(join(folder, staleTemp), 'half');
    await utimes(join(folder, staleTemp), new Date(0), new Date(0));
    await writeFile(join(folder, 'README.txt'), 'not ours');

    const removed = await cache.prune(new Set([ids[0] ?? '', ids[1]?.toUpperCase() ?? '']), 1);
    assert.deepEqual(removed.sort(), [ids[2], ids[3]].sort());
    assert.deepEqual(
      (await readdir(folder)).sort(),
      ['README.txt', ...[0, 1, 4].map((i) => `${ids[i] ?? ''}.gif`)].sort(),
    );
    // Reading an avatar marks it as used: it now outlives the one spared before.
    assert.ok(await cache.get(ids[1] ?? ''));
    assert.deepEqual(
      await cache.prune(new Set(), 1),
      [ids[4], ids[0]].filter((id) => id !== undefined),
    );
    assert.equal(await cache.has(ids[1] ?? ''), true);
    assert.deepEqual(await new AvatarCache(fresh()).prune(new Set()), []); // no folder: nothing to do
  });
});

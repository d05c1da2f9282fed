/** Hashing off the main thread (hash-worker.ts) and the receiver's wait for a late checksum (file-sink.ts). */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { IncomingFile } from '../../../main/core/transfer/file-sink.ts';
import { TransferDataError } from '../../../main/core/transfer/hash.ts';
import {
  HASH_BATCH_BYTES,
  StreamHasher,
  hashFileHere,
  hashFileOffThread,
  setHashWorkerEnabled,
} from '../../../main/core/transfer/hash-worker.ts';
import { tempDir } from './harness.ts';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('base64');

describe('transfer/hash-worker (sha-256 off the main thread)', () => {
  it('hashes a file read by the worker, as a stream here does (sizes around the 1 MiB reads)', async () => {
    const dir = await tempDir('parley-hash-worker-');
    for (const size of [0, 1, HASH_BATCH_BYTES - 1, HASH_BATCH_BYTES, 3 * HASH_BATCH_BYTES + 12_345]) {
      const data = randomBytes(size);
      const file = path.join(dir, `f${String(size)}.bin`);
      await writeFile(file, data);
      assert.equal(await hashFileOffThread(file), sha(data), `${String(size)} bytes`);
      assert.equal(await hashFileHere(file), sha(data), `${String(size)} bytes, here`);
    }
  });

  it('several files at once, each its own digest', async () => {
    const dir = await tempDir('parley-hash-worker-');
    const datas = [randomBytes(2_000_000), randomBytes(300_000), randomBytes(5)];
    const files = await Promise.all(
      datas.map(async (d, i) => {
        const f = path.join(dir, `m${String(i)}.bin`);
        await writeFile(f, d);
        return f;
      }),
    );
    assert.deepEqual(await Promise.all(files.map((f) => hashFileOffThread(f))), datas.map(sha));
  });

  it('fails for a file it cannot read, and when aborted', async () => {
    const dir = await tempDir('parley-hash-worker-');
    await assert.rejects(hashFileOffThread(path.join(dir, 'missing.bin')), /could not be read/u);
    const file = path.join(dir, 'big.bin');
    await writeFile(file, randomBytes(4 * HASH_BATCH_BYTES));
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await assert.rejects(hashFileOffThread(file, abort.signal), /stop/u);
  });

  it('hashes chunks handed over in order, whatever their sizes (4 KiB relay chunks, 64 KiB socket reads)', async () => {
    const data = randomBytes(5 * HASH_BATCH_BYTES + 777);
    const h = new StreamHasher();
    let at = 0;
    let sizes = [4096, 65_536, 1, HASH_BATCH_BYTES + 3, 10_000];
    while (at < data.length) {
      const n = Math.min(sizes[0] ?? 4096, data.length - at);
      sizes = [...sizes.slice(1), n];
      const chunk = Buffer.from(data.subarray(at, at + n));
      h.update(chunk);
      chunk.fill(0); // the hasher copied it: the caller may reuse its buffer at once
      at += n;
      await h.caughtUp();
    }
    assert.equal(await h.digest(), sha(data));
    const empty = new StreamHasher();
    assert.equal(await empty.digest(), sha(Buffer.alloc(0)));
  });

  it('keeps what waits for the worker bounded: full after a few MiB until it catches up', async () => {
    const h = new StreamHasher();
    const chunk = randomBytes(64 * 1024);
    let hashed = createHash('sha256');
    let sawFull = false;
    for (let i = 0; i < 256; i++) {
      h.update(chunk);
      hashed = hashed.update(chunk);
      assert.ok(h.backlog <= 4 * HASH_BATCH_BYTES, `backlog ${String(h.backlog)}`);
      if (h.full) {
        sawFull = true;
        await h.caughtUp();
        assert.equal(h.full, false);
      }
    }
    assert.ok(sawFull, 'handed over faster than hashed without waiting: the pool fills');
    assert.equal(await h.digest(), hashed.digest('base64'));
  });
});

describe('transfer/file-sink: a checksum announced for later (XEP-0300 hash-used)', () => {
  const data = Buffer.from('bytes whose checksum comes after them');

  for (const when of ['before the last byte', 'after the last byte'] as const)
    it(`waits for it and checks the file (checksum ${when})`, async () => {
      const dir = await tempDir('parley-late-sum-');
      const f = await IncomingFile.create(dir, 'late.txt', data.length, undefined, 1e9);
      f.awaitSha256(30_000);
      if (when === 'before the last byte') f.expectSha256(sha(data));
      await f.write(data);
      const finished = f.finish();
      if (when === 'after the last byte') {
        await new Promise((resolve) => setImmediate(resolve));
        f.expectSha256(sha(data));
      }
      const final = await finished;
      assert.equal(await readFile(final, 'utf8'), data.toString());
    });

  it('a checksum that does not match: hash-mismatch, and the partial file is removed', async () => {
    const dir = await tempDir('parley-late-sum-');
    const f = await IncomingFile.create(dir, 'bad.txt', data.length, undefined, 1e9);
    f.awaitSha256(30_000);
    await f.write(data);
    const finished = f.finish();
    f.expectSha256(sha(Buffer.from('other bytes')));
    await assert.rejects(finished, (err: unknown) => err instanceof TransferDataError && err.kind === 'hash-mismatch');
    await f.abort();
    assert.deepEqual(await readdir(dir), []);
  });

  it('no checksum within the wait: hash-mismatch (cannot be verified), nothing kept', async () => {
    const dir = await tempDir('parley-late-sum-');
    const f = await IncomingFile.create(dir, 'never.txt', data.length, undefined, 1e9);
    f.awaitSha256(20);
    await f.write(data);
    await assert.rejects(
      f.finish(),
      (err: unknown) =>
        err instanceof TransferDataError && err.kind === 'hash-mismatch' && err.message.includes('checksum'),
    );
    await f.abort();
    assert.deepEqual(await readdir(dir), []);
  });

  it('cancelled while waiting for the checksum: finish() ends, nothing kept', async () => {
    const dir = await tempDir('parley-late-sum-');
    const f = await IncomingFile.create(dir, 'cancel.txt', data.length, undefined, 1e9);
    f.awaitSha256(30_000);
    await f.write(data);
    const finished = f.finish();
    const outcome = assert.rejects(finished, TransferDataError);
    await new Promise((resolve) => setImmediate(resolve));
    await f.abort();
    await outcome;
    assert.deepEqual(await readdir(dir), []);
  });

  it('without hash nor hash-used, a file is complete on its size', async () => {
    const dir = await tempDir('parley-late-sum-');
    const f = await IncomingFile.create(dir, 'plain.txt', data.length, undefined, 1e9);
    await f.write(data);
    assert.equal(await readFile(await f.finish(), 'utf8'), data.toString());
  });
});

describe('transfer/hash-worker without a worker (hashed on the calling thread)', () => {
  it('gives the same digests, and a received file is still gathered, written and checked', async () => {
    setHashWorkerEnabled(false);
    try {
      const dir = await tempDir('parley-no-worker-');
      const data = randomBytes(2 * HASH_BATCH_BYTES + 4321);
      const file = path.join(dir, 'src.bin');
      await writeFile(file, data);
      assert.equal(await hashFileOffThread(file), sha(data));
      const h = new StreamHasher();
      for (let at = 0; at < data.length; at += 4096) h.update(data.subarray(at, at + 4096));
      assert.equal(await h.digest(), sha(data));
      const f = await IncomingFile.create(dir, 'got.bin', data.length, sha(data), 1e9);
      for (let at = 0; at < data.length; at += 65_536) await f.write(data.subarray(at, at + 65_536));
      const final = await f.finish();
      assert.deepEqual(await readFile(final), data);
    } finally {
      setHashWorkerEnabled(true);
    }
  });
});

describe('transfer/file-sink: blocks written in order whatever the chunk sizes', () => {
  it('a proxy’s 4 KiB chunks and odd ones make the same file, checked', async () => {
    const dir = await tempDir('parley-blocks-');
    const data = randomBytes(3 * HASH_BATCH_BYTES + 999);
    const f = await IncomingFile.create(dir, 'blocks.bin', data.length, sha(data), 1e9);
    const sizes = [4096, 1, 65_536, 4095, HASH_BATCH_BYTES + 1];
    for (let at = 0, i = 0; at < data.length; i++) {
      const n = Math.min(sizes[i % sizes.length] ?? 1, data.length - at);
      if (!f.push(data.subarray(at, at + n))) await f.drained();
      at += n;
    }
    assert.deepEqual(await readFile(await f.finish()), data);
  });
});

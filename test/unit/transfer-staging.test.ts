import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { commands, STAGE_CHUNK_BYTES } from '../../preload/contract.ts';
import { MAX_FRAME } from '../../preload/channel.ts';
import { CoreError } from '../../main/core/errors.ts';
import { TransferStaging } from '../../main/core/transfer-staging.ts';

function b64(bytes: Buffer): string {
  return bytes.toString('base64');
}

async function rejectsWith(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof CoreError, `not a CoreError: ${String(err)}`);
    assert.equal(err.code, code);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

describe('transfer staging (issue 6: renderer files into the core)', () => {
  let root: string;
  let dir: string;
  let clock: number;
  let staging: TransferStaging;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'parley-staging-'));
    dir = path.join(root, 'staging');
    clock = 1_000_000;
    staging = new TransferStaging({
      dir,
      maxBytes: 1024 * 1024,
      maxOpen: 3,
      idleMs: 1000,
      keepMs: 5000,
      now: () => clock,
    });
  });

  afterEach(async () => {
    await staging.close();
  });

  it('assembles chunks into a file under its sanitised name, byte for byte', async () => {
    const data = Buffer.alloc(STAGE_CHUNK_BYTES * 2 + 777);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
    const { stageId } = await staging.begin({
      name: '../../etc/pass\u202ewd.txt',
      size: data.length,
      mediaType: 'text/plain',
    });
    let offset = 0;
    while (offset < data.length) {
      const part = data.subarray(offset, offset + STAGE_CHUNK_BYTES);
      const { received } = await staging.chunk({ stageId, offset, data: b64(part) });
      offset += part.length;
      assert.equal(received, offset);
    }
    const end = await staging.end(stageId);
    assert.equal(end.name, 'passwd.txt');
    assert.equal(end.mediaType, 'text/plain');
    assert.equal(path.dirname(path.dirname(end.path)), dir, 'inside a stage folder of the staging folder');
    assert.equal(path.basename(end.path), 'passwd.txt');
    assert.equal(
      createHash('sha256').update(readFileSync(end.path)).digest('hex'),
      createHash('sha256').update(data).digest('hex'),
    );
    // Ending twice gives the same file.
    assert.equal((await staging.end(stageId)).path, end.path);
  });

  it('keeps a plain media type for the upload, and drops anything else', async () => {
    const good = await staging.begin({ name: 'a.png', size: 0, mediaType: 'image/png' });
    const bad = await staging.begin({ name: 'b.png', size: 0, mediaType: 'image/png\r\nX-Evil: 1' });
    const goodPath = (await staging.end(good.stageId)).path;
    const badEnd = await staging.end(bad.stageId);
    assert.equal(staging.mediaTypeOf(goodPath), 'image/png');
    assert.equal(staging.mediaTypeOf(badEnd.path), undefined);
    assert.equal(badEnd.mediaType, undefined);
    assert.equal(staging.mediaTypeOf(path.join(dir, 'other')), undefined);
  });

  it('stages an empty file', async () => {
    const { stageId } = await staging.begin({ name: 'empty', size: 0 });
    const { path: file } = await staging.end(stageId);
    assert.equal(readFileSync(file).length, 0);
  });

  it('refuses sizes above the limit, and too many open stages', async () => {
    await rejectsWith(staging.begin({ name: 'big.bin', size: 1024 * 1024 + 1 }), 'not-acceptable');
    await rejectsWith(staging.begin({ name: 'neg.bin', size: -1 }), 'bad-request');
    await staging.begin({ name: 'a', size: 1 });
    await staging.begin({ name: 'b', size: 1 });
    await staging.begin({ name: 'c', size: 1 });
    await rejectsWith(staging.begin({ name: 'd', size: 1 }), 'not-allowed');
  });

  it('checks the offset of every chunk', async () => {
    const { stageId } = await staging.begin({ name: 'x.bin', size: 10 });
    await rejectsWith(staging.chunk({ stageId, offset: 3, data: b64(Buffer.from('abc')) }), 'bad-request', /at 0/u);
    await staging.chunk({ stageId, offset: 0, data: b64(Buffer.from('abcde')) });
    await rejectsWith(staging.chunk({ stageId, offset: 0, data: b64(Buffer.from('abcde')) }), 'bad-request', /at 5/u);
    await staging.chunk({ stageId, offset: 5, data: b64(Buffer.from('fghij')) });
    assert.equal(readFileSync((await staging.end(stageId)).path, 'utf8'), 'abcdefghij');
  });

  it('drops a stage that goes beyond its announced size', async () => {
    const { stageId } = await staging.begin({ name: 'x.bin', size: 4 });
    await rejectsWith(
      staging.chunk({ stageId, offset: 0, data: b64(Buffer.from('abcde')) }),
      'bad-request',
      /announced/u,
    );
    await rejectsWith(staging.end(stageId), 'not-found');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses to end an incomplete stage and removes it', async () => {
    const { stageId } = await staging.begin({ name: 'x.bin', size: 4 });
    await staging.chunk({ stageId, offset: 0, data: b64(Buffer.from('ab')) });
    await rejectsWith(staging.end(stageId), 'bad-request', /incomplete/u);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses oversized chunks and unknown stages', async () => {
    const { stageId } = await staging.begin({ name: 'x.bin', size: 1024 * 1024 });
    await rejectsWith(
      staging.chunk({ stageId, offset: 0, data: b64(Buffer.alloc(STAGE_CHUNK_BYTES + 1)) }),
      'bad-request',
      /too large/u,
    );
    await rejectsWith(staging.chunk({ stageId: 'f'.repeat(24), offset: 0, data: '' }), 'not-found');
    await rejectsWith(staging.chunk({ stageId: '../../x', offset: 0, data: '' }), 'not-found');
  });

  it('keeps two stages of the same name apart', async () => {
    const a = await staging.begin({ name: 'same.txt', size: 1 });
    const b = await staging.begin({ name: 'same.txt', size: 1 });
    await staging.chunk({ stageId: a.stageId, offset: 0, data: b64(Buffer.from('A')) });
    await staging.chunk({ stageId: b.stageId, offset: 0, data: b64(Buffer.from('B')) });
    const pa = (await staging.end(a.stageId)).path;
    const pb = (await staging.end(b.stageId)).path;
    assert.notEqual(pa, pb);
    assert.equal(readFileSync(pa, 'utf8'), 'A');
    assert.equal(readFileSync(pb, 'utf8'), 'B');
  });

  it('removes abandoned stages after the idle time, finished ones after the keep time or on release', async () => {
    const idle = await staging.begin({ name: 'idle.bin', size: 2 });
    await staging.chunk({ stageId: idle.stageId, offset: 0, data: b64(Buffer.from('a')) });
    const kept = await staging.begin({ name: 'kept.bin', size: 0 });
    const keptPath = (await staging.end(kept.stageId)).path;
    const released = await staging.begin({ name: 'released.bin', size: 0 });
    const releasedPath = (await staging.end(released.stageId)).path;

    clock += 999;
    await staging.sweep();
    assert.equal(staging.size, 3);
    clock += 1;
    await staging.sweep();
    assert.equal(staging.size, 2, 'the unfinished stage is gone');
    await rejectsWith(staging.chunk({ stageId: idle.stageId, offset: 1, data: b64(Buffer.from('b')) }), 'not-found');

    await staging.release(path.join(dir, 'elsewhere'));
    assert.equal(staging.size, 2, 'unknown paths are ignored');
    await staging.release(releasedPath);
    assert.equal(existsSync(releasedPath), false);
    assert.equal(existsSync(keptPath), true);

    clock += 5000;
    await staging.sweep();
    assert.equal(existsSync(keptPath), false);
    assert.equal(staging.size, 0);
  });

  it('empties the staging folder at start and on close', async () => {
    await staging.close();
    mkdirSync(path.join(dir, 'leftover'), { recursive: true });
    writeFileSync(path.join(dir, 'leftover', 'old.bin'), 'x');
    staging = new TransferStaging({ dir });
    assert.deepEqual(readdirSync(dir), []);
    const { stageId } = await staging.begin({ name: 'n.bin', size: 3 });
    await staging.chunk({ stageId, offset: 0, data: b64(Buffer.from('abc')) });
    await staging.close();
    assert.equal(existsSync(dir), false);
    await rejectsWith(staging.begin({ name: 'late', size: 1 }), 'internal');
  });

  it('validates the staging commands in the contract (a chunk fits in one frame)', () => {
    const chunk = commands['transfer.stageChunk'].input;
    const stageId = 'a'.repeat(24);
    const full = b64(Buffer.alloc(STAGE_CHUNK_BYTES, 0xff));
    assert.ok(chunk.safeParse({ stageId, offset: 0, data: full }).success);
    assert.ok(
      JSON.stringify({ kind: 'call', id: 1, name: 'transfer.stageChunk', input: { stageId, offset: 0, data: full } })
        .length < MAX_FRAME,
    );
    assert.equal(chunk.safeParse({ stageId, offset: 0, data: full + 'AAAA' }).success, false, 'too long');
    assert.equal(chunk.safeParse({ stageId, offset: 0, data: 'not base64!' }).success, false);
    assert.equal(chunk.safeParse({ stageId, offset: -1, data: '' }).success, false);
    assert.equal(chunk.safeParse({ stageId: '../x', offset: 0, data: '' }).success, false);
    assert.equal(chunk.safeParse({ stageId, offset: 0, data: '', extra: 1 }).success, false);
    const begin = commands['transfer.stageBegin'].input;
    assert.ok(begin.safeParse({ name: 'a.txt', size: 3, mediaType: 'text/plain' }).success);
    assert.equal(begin.safeParse({ name: '   ', size: 3 }).success, false);
    assert.equal(begin.safeParse({ name: 'a', size: 1.5 }).success, false);
  });
});

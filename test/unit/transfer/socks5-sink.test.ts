import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import {
  IncomingFile,
  SizeLimitError,
  checkSize,
  placeWithoutOverwrite,
} from '../../../main/core/transfer/file-sink.ts';
import { TransferDataError } from '../../../main/core/transfer/hash.ts';
import { DirectStreamhost, Socks5Error, connectStreamhost } from '../../../main/core/transfer/socks5.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'parley-transfer-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('transfer/socks5 (XEP-0065 SOCKS5)', () => {
  const DST = 'a'.repeat(40);

  it('connects to our own streamhost with the right hash and carries bytes', async () => {
    const host = await DirectStreamhost.listen(DST, '127.0.0.1');
    const client = await connectStreamhost('127.0.0.1', host.port, DST, 2000);
    await host.socket;
    const server = host.choose(['127.0.0.1']);
    assert.ok(server);
    const got = new Promise<string>((resolve) => {
      let text = '';
      server.on('data', (c: Buffer) => (text += c.toString()));
      server.on('end', () => {
        resolve(text);
      });
      server.resume();
    });
    client.end('payload');
    assert.equal(await got, 'payload');
    server.destroy();
    // Used once: the listener is gone.
    await assert.rejects(connectStreamhost('127.0.0.1', host.port, DST, 2000));
    host.close();
  });

  it('refuses a wrong destination hash (and keeps waiting for the right one)', async () => {
    const host = await DirectStreamhost.listen(DST, '127.0.0.1');
    await assert.rejects(connectStreamhost('127.0.0.1', host.port, 'b'.repeat(40), 2000), Socks5Error);
    const ok = await connectStreamhost('127.0.0.1', host.port, DST, 2000);
    ok.destroy();
    host.close(true);
  });

  it('keeps the connection to the earliest announced address when a receiver connects to several', async () => {
    const host = await DirectStreamhost.listen(DST);
    const addresses = ['127.0.0.2', '127.0.0.1'];
    const [a, b] = await Promise.all(addresses.map((h) => connectStreamhost(h, host.port, DST, 2000)));
    assert.ok(a && b);
    const chosen = host.choose(addresses);
    assert.equal(chosen?.localAddress?.replace(/^::ffff:/u, ''), '127.0.0.2');
    const closed = new Promise((resolve) => b.once('close', resolve));
    b.resume();
    await closed; // the other connection is closed by the streamhost
    a.destroy();
    host.close(true);
  });

  it('refuses a streamhost that answers for another hash', async () => {
    const liar = net.createServer((s) => {
      s.once('data', () => {
        s.write(Buffer.from([5, 0]));
        s.once('data', () => {
          s.write(Buffer.concat([Buffer.from([5, 0, 0, 3, 40]), Buffer.from('c'.repeat(40)), Buffer.from([0, 0])]));
        });
      });
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const port = (liar.address() as net.AddressInfo).port;
    await assert.rejects(connectStreamhost('127.0.0.1', port, DST, 2000), /another destination hash/u);
    liar.close();
  });

  it('gives up on a silent streamhost and on a closed port', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    await assert.rejects(connectStreamhost('127.0.0.1', port, DST, 100), /no SOCKS5 answer/u);
    silent.close();
    await assert.rejects(connectStreamhost('127.0.0.1', port, DST, 2000));
  });
});

describe('transfer/file-sink (safe saving)', () => {
  it('writes to a temporary name, verifies, and never overwrites', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'a.txt'), 'existing');
    const data = Buffer.from('hello');
    const f = await IncomingFile.create(dir, '../a.txt', data.length, sha(data), 1e9);
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.endsWith('.part')).length,
      1,
      'the temporary file exists after accept',
    );
    await f.write(data);
    const final = await f.finish();
    assert.equal(final, path.join(dir, 'a (1).txt'));
    assert.equal(await readFile(path.join(dir, 'a.txt'), 'utf8'), 'existing');
    assert.equal(await readFile(final, 'utf8'), 'hello');
    assert.deepEqual((await readdir(dir)).sort(), ['a (1).txt', 'a.txt']);
  });

  it('removes the partial file on a hash mismatch, on data beyond the size and on abort', async () => {
    const dir = await tmp();
    const bad = await IncomingFile.create(dir, 'x.bin', 3, sha(Buffer.from('abc')), 1e9);
    await bad.write(Buffer.from('abd'));
    await assert.rejects(
      bad.finish(),
      (err: unknown) => err instanceof TransferDataError && err.kind === 'hash-mismatch',
    );
    await bad.abort();
    const over = await IncomingFile.create(dir, 'y.bin', 3, undefined, 1e9);
    assert.throws(() => over.push(Buffer.from('abcd')), TransferDataError);
    await over.abort();
    const cut = await IncomingFile.create(dir, 'z.bin', 10, undefined, 1e9);
    await cut.write(Buffer.from('abc'));
    await assert.rejects(cut.finish(), (err: unknown) => err instanceof TransferDataError && err.kind === 'short');
    await cut.abort();
    assert.deepEqual(await readdir(dir), []);
  });

  it('refuses sizes above the limit or the free disk space', async () => {
    const dir = await tmp();
    await assert.rejects(checkSize(dir, 11, 10), SizeLimitError);
    await assert.rejects(checkSize(dir, -1, 10), SizeLimitError);
    await assert.rejects(checkSize(dir, 2 ** 50, 2 ** 52), /free disk space/u);
    await checkSize(path.join(dir, 'not', 'yet'), 1, 10);
    assert.deepEqual(await readdir(dir), []);
  });

  it('numbers names until one is free', async () => {
    const dir = await tmp();
    for (const n of ['r.txt', 'r (1).txt', 'r (2).txt']) await writeFile(path.join(dir, n), n);
    const temp = path.join(dir, '.t.part');
    await writeFile(temp, 'new');
    assert.equal(await placeWithoutOverwrite(temp, dir, 'r.txt'), path.join(dir, 'r (3).txt'));
    assert.equal(await readFile(path.join(dir, 'r.txt'), 'utf8'), 'r.txt');
  });
});

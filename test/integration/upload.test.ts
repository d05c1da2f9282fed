/**
 * HTTP File Upload (XEP-0363) links with XEP-0066 out-of-band data, against a real Prosody
 * with mod_http_file_share over https (the run's CA): a link another client shares is stored
 * as the message's attachment, and Parley saves it on request (size first, progress, a
 * sanitised name that never replaces a file, nothing left behind on cancel).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import type { Message, Transfer } from '../../preload/contract.ts';
import { NS_OOB } from '../../main/core/upload/oob.ts';
import { startUploadServer } from '../support/server.ts';
import { startCore, tempDir, type TestCore, anyFile } from '../support/core.ts';
import { startPeer, type Peer } from '../support/peer.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
type Server = Awaited<ReturnType<typeof startUploadServer>>;

async function signIn(server: Server, user: string): Promise<TestCore> {
  const core = await startCore(undefined, { sendablePath: anyFile });
  await core.core.handlers['account.signIn']({ jid: `${user}@localhost`, password: 'pw', server: server.server });
  await core.waitForEvent('account.state', (s) => s.status === 'online', 10_000);
  return core;
}

function settled(core: TestCore, id: string): Promise<Transfer> {
  return core.waitForEvent(
    'transfer.updated',
    (t) => t.id === id && (t.state === 'completed' || t.state === 'failed'),
    30_000,
  );
}

describe('upload: XEP-0363 links with XEP-0066 against Prosody over https', () => {
  let server: Server;
  let alice: TestCore; // uploads
  let bob: TestCore; // receives links and saves them
  let conv: Peer; // another client (as Conversations/Gajim/Dino share a file)
  let work: string;
  const cleanup: (() => Promise<void>)[] = [];

  before(async () => {
    server = await startUploadServer({
      users: ['alice', 'bob', 'conv'].map((u) => ({ username: u, password: 'pw' })),
      sharedGroup: 'Upload',
      uploadLimit: 1024 * 1024,
    });
    cleanup.push(() => server.stop());
    work = await tempDir('parley-upload-files-');
    alice = await signIn(server, 'alice');
    cleanup.push(() => alice.shutdown());
    bob = await signIn(server, 'bob');
    cleanup.push(() => bob.shutdown());
    conv = await startPeer(server, 'conv', 'pw');
    cleanup.push(() => conv.stop());
  });

  after(async () => {
    for (const stop of cleanup.reverse()) await stop();
  });

  const bobDownloads = () => path.join(bob.dataDir, 'downloads');

  /** Bob saves a message's link (no confirmation asked); resolves with the completed transfer. */
  async function downloaded(message: Message): Promise<Transfer> {
    const result = await bob.core.handlers['attachment.download']({
      accountId: 'bob@localhost',
      messageId: message.id,
    });
    assert.equal(result.status, 'started');
    const done = await settled(bob, result.transfer.id);
    assert.equal(done.state, 'completed', done.error);
    return done;
  }

  /** Alice uploads `bytes` under `name`; resolves with the link. */
  async function upload(bytes: Buffer, name: string): Promise<string> {
    const file = path.join(work, name);
    await writeFile(file, bytes);
    const started = await alice.core.handlers['transfer.upload']({ accountId: 'alice@localhost', path: file });
    const done = await settled(alice, started.id);
    assert.equal(done.state, 'completed', done.error);
    assert.ok(done.url?.startsWith(`https://127.0.0.1:`), `an https link: ${String(done.url)}`);
    return done.url ?? '';
  }

  /** The other client shares `url` with bob the way HTTP upload clients do; resolves with bob's stored message. */
  async function share(url: string, body = url): Promise<Message> {
    const id = `oob-${randomBytes(6).toString('hex')}`;
    const added = bob.waitForNext('message.added', (m) => m.peer === 'conv@localhost' && m.body === body, 10_000);
    await conv.send(
      xml(
        'message',
        { type: 'chat', to: 'bob@localhost', id },
        xml('body', {}, body),
        xml('x', { xmlns: NS_OOB }, xml('url', {}, url)),
      ),
    );
    return added;
  }

  it('stores a shared link as an attachment and saves it with progress, byte for byte', async () => {
    const bytes = randomBytes(512 * 1024 + 7);
    const url = await upload(bytes, 'holiday photo.jpg');
    const message = await share(url);
    assert.deepEqual(message.attachment, { url, name: 'holiday photo.jpg', mediaType: 'image/jpeg' });
    // Stored, not only shown: the list reads it back from the archive.
    const { messages } = await bob.core.handlers['messages.list']({
      accountId: 'bob@localhost',
      peer: 'conv@localhost',
    });
    assert.deepEqual(messages.find((m) => m.id === message.id)?.attachment, message.attachment);

    const done = await downloaded(message);
    assert.ok(
      bob.events.some(
        (e) =>
          e.name === 'transfer.updated' &&
          (e.payload as Transfer).id === done.id &&
          (e.payload as Transfer).state === 'transferring',
      ),
      'progress was reported while it ran',
    );
    assert.equal(done.bytes, bytes.length);
    assert.equal(done.size, bytes.length);
    assert.equal(done.path, path.join(bobDownloads(), 'holiday photo.jpg'));
    assert.equal(sha256(await readFile(done.path)), sha256(bytes));

    // Again: a second copy, never replacing the first.
    const again = await bob.core.handlers['attachment.download']({ accountId: 'bob@localhost', messageId: message.id });
    assert.equal(again.status, 'started');
    const second = await settled(bob, again.transfer.id);
    assert.equal(second.state, 'completed', second.error);
    assert.equal(path.basename(second.path ?? ''), 'holiday photo (1).jpg');
    assert.equal(sha256(await readFile(done.path)), sha256(bytes));
  });

  it('shares an upload as its link with out-of-band data: stored before it is sent, a file on the other side', async () => {
    const bytes = randomBytes(300 * 1024);
    const url = await upload(bytes, 'minutes.txt');
    await assert.rejects(
      alice.core.handlers['message.send']({
        accountId: 'alice@localhost',
        to: 'bob@localhost',
        body: `x ${url}`,
        oobUrl: url,
      }),
      /exactly its https link/u,
    );
    const received = bob.waitForNext('message.added', (m) => m.peer === 'alice@localhost' && m.body === url, 10_000);
    const sent = await alice.core.handlers['message.send']({
      accountId: 'alice@localhost',
      to: 'bob@localhost',
      body: url,
      oobUrl: url,
    });
    assert.deepEqual(sent.attachment, { url, name: 'minutes.txt', mediaType: 'text/plain' });
    const added = alice.events.find((e) => e.name === 'message.added' && (e.payload as Message).id === sent.id);
    const first = added?.payload as Message | undefined;
    assert.equal(first?.state, 'queued', 'stored (queued) before it went out');
    assert.deepEqual(first.attachment, sent.attachment);
    const message = await received;
    assert.deepEqual(message.attachment, sent.attachment);
    // Other clients see the oob element.
    await alice.core.handlers['message.send']({
      accountId: 'alice@localhost',
      to: 'conv@localhost',
      body: url,
      oobUrl: url,
    });
    const stanza = await conv.waitFor((s) => s.is('message') && s.getChildText('body') === url, 10_000);
    assert.equal(stanza.getChild('x', NS_OOB)?.getChildText('url'), url);

    const done = await downloaded(message);
    assert.equal(sha256(await readFile(done.path ?? '')), sha256(bytes));
  });

  it('asks before a download above the threshold (size from HEAD first)', async () => {
    const bytes = randomBytes(4096);
    const message = await share(await upload(bytes, 'report.pdf'));
    const asked = await bob.core.handlers['attachment.download']({
      accountId: 'bob@localhost',
      messageId: message.id,
      confirmAbove: 1000,
    });
    assert.deepEqual(asked, { status: 'confirm', size: bytes.length });
    assert.deepEqual(await readdir(bobDownloads()).then((names) => names.filter((n) => n.startsWith('report'))), []);
    const confirmed = await bob.core.handlers['attachment.download']({
      accountId: 'bob@localhost',
      messageId: message.id,
      confirmAbove: 1000,
      confirmed: true,
    });
    assert.equal(confirmed.status, 'started');
    assert.equal((await settled(bob, confirmed.transfer.id)).state, 'completed');
  });

  it('saves a hostile file name from the link under a sanitised one', async () => {
    const bytes = randomBytes(2048);
    const url = new URL(await upload(bytes, 'plain.txt'));
    // mod_http_file_share finds the file by the slot id alone: the name after it is the sharer's to choose.
    const slot = url.pathname.split('/').slice(0, -1).join('/');
    url.pathname = `${slot}/${encodeURIComponent('../../.bashrc\u202Egnp.exe')}`;
    const message = await share(url.href);
    assert.equal(message.attachment?.name, 'bashrcgnp.exe');
    const done = await downloaded(message);
    assert.equal(path.dirname(done.path ?? ''), bobDownloads());
    assert.equal(path.basename(done.path ?? ''), 'bashrcgnp.exe');
    assert.deepEqual(await readFile(done.path ?? ''), bytes);
  });

  it('keeps a link that is not the whole body, or not https, as plain text', async () => {
    const url = await upload(randomBytes(100), 'note.txt');
    const text = await share(url, `look: ${url}`);
    assert.equal(text.attachment, undefined);
    const plain = await share('http://127.0.0.1:1/file.bin');
    assert.equal(plain.attachment, undefined);
    await assert.rejects(
      bob.core.handlers['attachment.download']({ accountId: 'bob@localhost', messageId: plain.id }),
      /no file/u,
    );
  });

  it('refuses a file above the service’s limit before uploading it', async () => {
    const file = path.join(work, 'too-big.bin');
    await writeFile(file, '');
    await truncate(file, server.uploadLimit + 1);
    await assert.rejects(
      alice.core.handlers['transfer.upload']({ accountId: 'alice@localhost', path: file }),
      /larger than the server accepts/u, // the core's own check: the call fails before any slot is asked for
    );
  });

  it('leaves no partial file when a download is cancelled', async () => {
    // A server that announces a large file, sends a little of it, then waits.
    let started!: () => void;
    const streaming = new Promise<void>((resolve) => (started = resolve));
    const stall = https.createServer(
      {
        cert: await readFile(path.join(server.dir, 'server.pem')),
        key: await readFile(path.join(server.dir, 'server.key')),
      },
      (req, res) => {
        res.writeHead(200, { 'content-length': String(64 * 1024 * 1024), 'content-type': 'application/octet-stream' });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        res.write(randomBytes(64 * 1024), () => {
          started();
        });
      },
    );
    await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          stall.closeAllConnections();
          stall.close(() => {
            resolve();
          });
        }),
    );
    const url = `https://127.0.0.1:${String((stall.address() as AddressInfo).port)}/big/stalled.iso`;
    const message = await share(url);
    const result = await bob.core.handlers['attachment.download']({
      accountId: 'bob@localhost',
      messageId: message.id,
    });
    assert.equal(result.status, 'started');
    await bob.waitForEvent(
      'transfer.updated',
      (t) => t.id === result.transfer.id && t.state === 'transferring',
      10_000,
    );
    await streaming;
    await bob.core.handlers['transfer.cancel']({ accountId: 'bob@localhost', id: result.transfer.id });
    const done = await settled(bob, result.transfer.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.reason, 'cancelled');
    const left = (await readdir(bobDownloads())).filter((n) => n.includes('stalled'));
    assert.deepEqual(left, [], 'no partial file is left');
  });
});

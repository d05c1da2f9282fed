/**
 * HTTP upload links (issue 6), end to end: another client shares a file it uploaded to
 * Prosody's mod_http_file_share (over https, the run's CA) with an XEP-0066 link; Parley shows
 * a file bubble (nothing fetched yet), and "Download" saves it, with a progressbar, into the
 * downloads folder.
 */
import { expect, test } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { xml } from '@xmpp/client';
import { startUploadServer } from '../../support/server.ts';
import { startPeer } from '../../support/peer.ts';
import { gradientPng } from '../../support/png.ts';
import { MainPage } from '../pages/main-page.ts';
import { aliceAndBob, serialSpec, shots, signInAlice } from '../setup.ts';

const NS_UPLOAD = 'urn:xmpp:http:upload:0';

const spec = serialSpec({
  dataPrefix: 'parley-e2e-',
  start: async () => {
    const server = await startUploadServer({ users: aliceAndBob, sharedGroup: 'Friends' });
    return { server, bob: await startPeer(server, 'bob', 'bob-e2e-pw') };
  },
  peers: (w) => [w.bob],
});
type World = ReturnType<typeof spec.world>;

/** Bob's client uploads `bytes` as `name` (XEP-0363: a slot, then an https PUT) and returns the link. */
async function upload(world: World, name: string, bytes: Buffer): Promise<string> {
  const id = `slot-${randomBytes(4).toString('hex')}`;
  const answer = world.bob.waitFor((s) => s.is('iq') && s.attrs['id'] === id, 10_000);
  await world.bob.send(
    xml(
      'iq',
      { type: 'get', to: world.server.uploadJid, id },
      xml('request', { xmlns: NS_UPLOAD, filename: name, size: String(bytes.length), 'content-type': 'text/plain' }),
    ),
  );
  const slot = (await answer).getChild('slot', NS_UPLOAD);
  const put = slot?.getChild('put');
  const get = slot?.getChild('get')?.attrs['url'] as string | undefined;
  if (!put || !get) throw new Error('no upload slot');
  const headers: Record<string, string> = { 'content-length': String(bytes.length), 'content-type': 'text/plain' };
  for (const h of put.getChildren('header')) headers[h.attrs['name'] as string] = h.text();
  await new Promise<void>((resolve, reject) => {
    const req = https.request(put.attrs['url'] as string, { method: 'PUT', headers }, (res) => {
      res.resume();
      if (res.statusCode === 201 || res.statusCode === 200) resolve();
      else reject(new Error(`upload refused: HTTP ${String(res.statusCode)}`));
    });
    req.once('error', reject);
    req.end(bytes);
  });
  return get;
}

test('a shared file shows as a file bubble and downloads on click, with progress', async ({ browser }, testInfo) => {
  const w = spec.world();
  const app = await spec.launch(browser, testInfo);
  const { page } = app;
  const main = await signInAlice(page, w.server);

  const bytes = randomBytes(200 * 1024);
  const url = await upload(w, 'meeting notes.txt', bytes);
  await w.bob.send(
    xml(
      'message',
      { type: 'chat', to: 'alice@localhost', id: 'share-1' },
      xml('body', {}, url),
      xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, url)),
    ),
  );
  await main.conversation('Bob').click();
  const file = main.messages.getByRole('group', { name: 'File meeting notes.txt' });
  await expect(file).toBeVisible();
  await expect(file).toContainText('meeting notes.txt');
  // The link is not shown as text, and nothing was fetched before the click.
  await expect(main.messages).not.toContainText(url);
  await page.screenshot({ path: path.join(shots, 'attachment-before.png') });

  await file.getByRole('button', { name: 'Download' }).click();
  await expect(file).toContainText('Saved as meeting notes.txt');
  await expect(file).toContainText(/204\.8\s?kB/u); // the size, once the core knows it
  const saved = await readFile(path.join(w.dataDir, 'downloads', 'meeting notes.txt'));
  expect(createHash('sha256').update(saved).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  await page.screenshot({ path: path.join(shots, 'attachment-saved.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'attachment-saved-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a downloaded image shows an inline preview made from the saved file; a fake one does not', async () => {
  const w = spec.world();
  const { page } = spec.app();
  const main = new MainPage(page);
  // Nothing remote may be loaded for a preview: only data: images from the core.
  const remote: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'image' && !request.url().startsWith('data:')) remote.push(request.url());
  });
  const png = gradientPng(240, 150);
  for (const [id, name, bytes] of [
    ['share-img', 'sunset.png', png],
    ['share-fake', 'not really.png', Buffer.from('this is text, not an image')],
  ] as const) {
    const url = await upload(w, name, bytes);
    await w.bob.send(
      xml(
        'message',
        { type: 'chat', to: 'alice@localhost', id },
        xml('body', {}, url),
        xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, url)),
      ),
    );
  }
  const image = main.messages.getByRole('group', { name: 'File sunset.png' });
  const fake = main.messages.getByRole('group', { name: 'File not really.png' });
  await expect(fake).toBeVisible();
  await expect(image.getByAltText('sunset.png')).toHaveCount(0); // nothing before the click
  // The fake first: its preview request goes to the core before the real image's does.
  await fake.getByRole('button', { name: 'Download' }).click();
  await expect(fake).toContainText('Saved as not really.png');
  await image.getByRole('button', { name: 'Download' }).click();
  await expect(image).toContainText('Saved as sunset.png');
  const preview = image.getByAltText('sunset.png');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(240);
  expect(await preview.getAttribute('src')).toMatch(/^data:image\/png;base64,/u);
  // The core looked at the bytes: text is no image, whatever its name says.
  await expect(fake.locator('img')).toHaveCount(0);
  await image.getByRole('button', { name: 'Open sunset.png' }).click();
  await expect(image.getByRole('alert')).toHaveCount(0);
  expect(remote).toEqual([]);
  await image.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'attachment-image-preview.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'attachment-image-preview-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a large file asks first; a download in progress has a progressbar and Cancel', async () => {
  const w = spec.world();
  const { page } = spec.app();
  const main = new MainPage(page);
  // A server that announces a size, sends a little, then waits (/huge: 3 GiB; else 64 MiB).
  const stall = https.createServer(
    {
      cert: await readFile(path.join(w.server.dir, 'server.pem')),
      key: await readFile(path.join(w.server.dir, 'server.key')),
    },
    (req, res) => {
      const size = req.url?.startsWith('/huge/') ? 3 * 1024 ** 3 : 64 * 1024 * 1024;
      res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
      if (req.method === 'HEAD') res.end();
      else res.write(randomBytes(64 * 1024));
    },
  );
  await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
  try {
    const base = `https://127.0.0.1:${String((stall.address() as AddressInfo).port)}`;
    for (const [id, link] of [
      ['share-2', `${base}/huge/disk image.iso`],
      ['share-3', `${base}/slow/video.mp4`],
    ] as const) {
      await w.bob.send(
        xml(
          'message',
          { type: 'chat', to: 'alice@localhost', id },
          xml('body', {}, link),
          xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, link)),
        ),
      );
    }
    const huge = main.messages.getByRole('group', { name: 'File disk image.iso' });
    await huge.getByRole('button', { name: 'Download' }).click();
    await expect(huge).toContainText('This file is 3.2 GB. Download it?');
    await page.screenshot({ path: path.join(shots, 'attachment-confirm.png') });
    await huge.getByRole('button', { name: 'Cancel' }).click();
    await expect(huge.getByRole('button', { name: 'Download' })).toBeVisible();

    const slow = main.messages.getByRole('group', { name: 'File video.mp4' });
    await slow.getByRole('button', { name: 'Download' }).click();
    const bar = slow.getByRole('progressbar', { name: 'Downloading video.mp4' });
    await expect(bar).toBeVisible();
    await expect(slow).toContainText(/67(\.1)?\s?MB/u);
    await page.screenshot({ path: path.join(shots, 'attachment-progress.png') });
    await slow.getByRole('button', { name: 'Cancel' }).click();
    await expect(slow).toContainText('Download cancelled.');
    await expect(bar).toBeHidden();
  } finally {
    stall.closeAllConnections();
    await new Promise<void>((resolve) => {
      stall.close(() => {
        resolve();
      });
    });
  }
});

test('the file bubble in Chinese', async () => {
  const { page } = spec.app();
  await page.goto(new URL('/?lang=zh-CN', page.url()).href);
  const messages = page.getByRole('list', { name: '消息' });
  await page.getByRole('tablist').getByRole('tab', { name: 'Bob' }).click();
  const file = messages.getByRole('group', { name: '文件 meeting notes.txt' });
  await expect(file).toBeVisible();
  // Downloaded before the reload: the bubble finds the saved file again (transfer history).
  await expect(file).toContainText('已保存为 meeting notes.txt');
  await expect(file.getByRole('button', { name: '下载' })).toHaveCount(0);
  await expect(file.getByRole('button', { name: '在文件夹中显示' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'attachment-zh-CN.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'attachment-zh-CN-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

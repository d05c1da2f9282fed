import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message, Transfer } from '../../../preload/contract.ts';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createMessageRepo } from '../../../main/core/archive/repos/messages.ts';
import { CoreError } from '../../../main/core/errors.ts';
import { CONFIRM_ABOVE_MAX, downloadAttachment } from '../../../main/core/upload/attachment-download.ts';
import { NS_OOB, attachmentOf, buildOob, httpsUrl, parseOob, sharedLink } from '../../../main/core/upload/oob.ts';
import { stanza } from '../../support/stanza.ts';

const URL_A = 'https://upload.example.org/aGVsbG8/Holiday%20photo.jpg';

/** A file shared the way Conversations, Gajim and Dino send it. */
const shared = (body: string, url = body, extra = '') =>
  stanza(
    `<message from="bob@example.org/phone" to="alice@example.org" type="chat" id="m1"><body>${body}</body>` +
      `<x xmlns="jabber:x:oob"><url>${url}</url>${extra}</x></message>`,
  );

describe('upload/oob (XEP-0066 out-of-band data for XEP-0363 links)', () => {
  it('reads the url and description of an oob element', () => {
    assert.deepEqual(parseOob(shared(URL_A, URL_A, '<desc> a photo </desc>')), { url: URL_A, desc: 'a photo' });
    assert.deepEqual(parseOob(shared(URL_A)), { url: URL_A });
    assert.equal(parseOob(stanza('<message><body>hi</body></message>')), undefined);
    assert.equal(parseOob(stanza('<message><x xmlns="jabber:x:oob"><url> </url></x></message>')), undefined);
    // Another namespace is not out-of-band data.
    assert.equal(parseOob(stanza(`<message><x xmlns="jabber:x:data"><url>${URL_A}</url></x></message>`)), undefined);
  });

  it('builds the element other clients read', () => {
    const x = buildOob(URL_A, 'a photo');
    assert.ok(x.is('x', NS_OOB));
    assert.equal(x.getChildText('url'), URL_A);
    assert.equal(x.getChildText('desc'), 'a photo');
    assert.equal(buildOob(URL_A).getChild('desc'), undefined);
    // Round trip through the parser, with characters that need escaping.
    const tricky = 'https://h.example/a?x=1&y=<2>';
    assert.deepEqual(parseOob(stanza(`<message>${buildOob(tricky).toString()}</message>`)), { url: tricky });
  });

  it('makes an attachment only of an https link that is the whole body', () => {
    assert.deepEqual(attachmentOf(shared(URL_A), URL_A), {
      url: URL_A,
      name: 'Holiday photo.jpg',
      mediaType: 'image/jpeg',
    });
    // Surrounding whitespace in the body is fine; other text is not (it would hide behind the file).
    assert.ok(attachmentOf(shared(` ${URL_A}\n`, URL_A), ` ${URL_A}\n`));
    assert.equal(attachmentOf(shared(`see ${URL_A}`, URL_A), `see ${URL_A}`), undefined);
    assert.equal(attachmentOf(shared('https://other.example/x.png', URL_A), 'https://other.example/x.png'), undefined);
    // Not https, credentials in it, not a URL, too long.
    for (const url of [
      'http://upload.example.org/x.jpg',
      'ftp://upload.example.org/x.jpg',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@upload.example.org/x.jpg',
      'not a url',
      `https://upload.example.org/${'a'.repeat(9000)}`,
    ])
      assert.equal(attachmentOf(shared(url), url), undefined, url);
    // No oob element: an ordinary message, even if its body is a link.
    assert.equal(attachmentOf(stanza(`<message><body>${URL_A}</body></message>`), URL_A), undefined);
  });

  it('names the file from the URL, sanitised, and guesses only known media types', () => {
    const hostile = `https://h.example/s/${encodeURIComponent('../../.bashrc\u202Egnp.exe')}`;
    assert.deepEqual(attachmentOf(shared(hostile), hostile), { url: hostile, name: 'bashrcgnp.exe' });
    const device = 'https://h.example/s/CON.txt';
    assert.equal(attachmentOf(shared(device), device)?.name, '_CON.txt');
    const bare = 'https://h.example/';
    assert.deepEqual(attachmentOf(shared(bare), bare), { url: bare });
    const badEscape = 'https://h.example/s/100%25%zz.pdf';
    assert.equal(attachmentOf(shared(badEscape), badEscape)?.name, '100%25%zz.pdf');
    const proto = 'https://h.example/s/a.constructor';
    assert.deepEqual(attachmentOf(shared(proto), proto), { url: proto, name: 'a.constructor' });
    const upper = 'https://h.example/s/SCAN.PDF';
    assert.equal(attachmentOf(shared(upper), upper)?.mediaType, 'application/pdf');
  });

  it('accepts a link to send only when the body is exactly that https link', () => {
    assert.deepEqual(sharedLink(URL_A, URL_A), { url: URL_A, name: 'Holiday photo.jpg', mediaType: 'image/jpeg' });
    assert.throws(() => sharedLink(URL_A, `hi ${URL_A}`), CoreError);
    assert.throws(() => sharedLink('http://h.example/x', 'http://h.example/x'), /https link/u);
    assert.equal(httpsUrl(42), undefined);
  });
});

describe('archive/repos/messages: attachments (migration 0015)', () => {
  it('stores an attachment with the message and reads it back', () => {
    const db = openArchive(':memory:');
    const repo = createMessageRepo(db);
    const attachment = { url: URL_A, name: 'Holiday photo.jpg', mediaType: 'image/jpeg' };
    const base = {
      account: 'alice@example.org',
      peer: 'bob@example.org',
      direction: 'in' as const,
      body: URL_A,
      timestamp: 1000,
      receivedAt: 1000,
      state: 'received' as const,
    };
    const stored = repo.insert({ ...base, senderKey: 'k1', attachment });
    assert.deepEqual(stored?.attachment, attachment);
    const plain = repo.insert({ ...base, senderKey: 'k2', body: 'hello' });
    assert.equal(plain?.attachment, undefined);
    assert.deepEqual(
      repo.list(base.account, base.peer).map((m) => m.attachment),
      [attachment, undefined],
    );
    // The column takes JSON only.
    assert.throws(() => db.prepare("UPDATE messages SET attachment = 'not json' WHERE id = ?").run(stored.id));
  });
});

describe('upload/attachment-download', () => {
  const message = (url: string): Message => ({
    id: 7,
    accountId: 'alice@example.org',
    peer: 'bob@example.org',
    direction: 'in',
    body: url,
    timestamp: 1,
    state: 'received',
    attachment: { url },
  });
  const transfer = { id: 'a'.repeat(24) } as Transfer;

  it('starts a download at once below the threshold, and asks above it', async () => {
    const urls: string[] = [];
    const download = (url: string) => {
      urls.push(url);
      return transfer;
    };
    const small = await downloadAttachment(message(URL_A), {}, download, () => Promise.resolve(10));
    assert.deepEqual(small, { status: 'started', transfer });
    assert.deepEqual(urls, [URL_A]);

    const big = CONFIRM_ABOVE_MAX + 1;
    assert.deepEqual(await downloadAttachment(message(URL_A), {}, download, () => Promise.resolve(big)), {
      status: 'confirm',
      size: big,
    });
    // A caller cannot raise the threshold above 2 GiB.
    assert.equal(
      (await downloadAttachment(message(URL_A), { confirmAbove: big * 2 }, download, () => Promise.resolve(big)))
        .status,
      'confirm',
    );
    assert.equal(
      (await downloadAttachment(message(URL_A), { confirmAbove: 5 }, download, () => Promise.resolve(10))).status,
      'confirm',
    );
    assert.equal(urls.length, 1, 'nothing started while waiting for a yes');
    const yes = await downloadAttachment(message(URL_A), { confirmed: true }, download, () => Promise.resolve(big));
    assert.equal(yes.status, 'started');
    // A server that does not say the size: the download starts (its own limits still apply).
    assert.equal(
      (await downloadAttachment(message(URL_A), {}, download, () => Promise.resolve(undefined))).status,
      'started',
    );
  });

  it('refuses messages without a file and links that are not https', async () => {
    const never = () => Promise.reject(new Error('not asked'));
    const download = () => {
      throw new Error('not started');
    };
    await assert.rejects(downloadAttachment(undefined, {}, download, never), /No such message/u);
    const plain: Message = { ...message(URL_A), attachment: undefined };
    await assert.rejects(downloadAttachment(plain, {}, download, never), /no file/u);
    await assert.rejects(
      downloadAttachment(message('http://127.0.0.1/x.bin'), {}, download, never),
      /Only https links/u,
    );
  });
});

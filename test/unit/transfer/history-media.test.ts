/**
 * Issue 6 follow-ups against a scripted stream: transfer history (the archive's rows listed
 * after a restart, interrupted transfers and their partial files, "Clear finished"), the media
 * type of direct sends (XEP-0096 `mime-type`, XEP-0234 `<media-type/>`), and HTTP upload
 * (XEP-0363) refusing plain http unless the core was made for tests.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createTransferRepo } from '../../../main/core/archive/repos/transfers.ts';
import { CoreError } from '../../../main/core/errors.ts';
import { NS_HTTP_UPLOAD, parseSlot, usableUrl } from '../../../main/core/transfer/http-upload.ts';
import { NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_IBB, parseJingle } from '../../../main/core/transfer/jingle.ts';
import { NS_IBB, NS_SI, NS_SI_FT, buildOffer, parseOffer } from '../../../main/core/transfer/si.ts';
import type { TransferOptions } from '../../../main/core/transfer/transfer-service.ts';
import { mediaTypeFor, mediaTypeOfName, plainMediaType } from '../../../main/core/upload/media-type.ts';
import { stanza } from '../../support/stanza.ts';
import { PEER, itemNotFound, scriptedTransferService, tempDir } from './harness.ts';

const ACCOUNT = 'juliet@capulet.lit';

const offerEl = (sid: string, data: Buffer) =>
  stanza(
    buildOffer({
      sid,
      name: 'f.txt',
      size: data.length,
      hashes: [{ algo: 'sha-256', value: createHash('sha256').update(data).digest('base64') }],
      methods: [NS_IBB],
    }).toString(),
  );

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Until `check` holds (file removals and failures run in the background). */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never: ${what}`);
}

describe('transfer/transfer-service: transfer history (issue 6)', () => {
  it('stores the final state, lists it in a new service, and clears it', async () => {
    const repo = createTransferRepo(openArchive(':memory:'));
    const first = await scriptedTransferService('parley-history-', { history: repo });
    const answer = first.iq(NS_SI, 'si', offerEl('h1', Buffer.from('abc')));
    const offered = first.events.find((t) => t.state === 'offered');
    assert.ok(offered);
    first.service.decline(offered.id);
    await answer;
    await eventually(() => first.events.at(-1)?.state === 'failed', 'declined');

    // "After a restart": a new service on the same archive lists it, with its reason.
    const second = await scriptedTransferService('parley-history-', { history: repo });
    const listed = second.service.list();
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.id, offered.id);
    assert.equal(listed[0].state, 'failed');
    assert.equal(listed[0].reason, 'declined');
    assert.equal(listed[0].peer, PEER);
    assert.equal(listed[0].name, 'f.txt');

    assert.deepEqual(second.service.clearFinished(), [offered.id]);
    assert.deepEqual(second.service.list(), []);
    assert.deepEqual(repo.recent(ACCOUNT), []);
  });

  it('a transfer active at exit is interrupted at the next start, and its partial file removed', async () => {
    const repo = createTransferRepo(openArchive(':memory:'));
    const first = await scriptedTransferService('parley-history-', { history: repo });
    const answer = first.iq(NS_SI, 'si', offerEl('h2', Buffer.from('0123456789')));
    const offered = first.events.find((t) => t.state === 'offered');
    assert.ok(offered);
    await first.service.accept(offered.id);
    await answer;
    const [part] = await readdir(first.dir);
    assert.match(part ?? '', /^\.parley-[0-9a-f]{16}\.part$/u);
    // A stray file that only looks alike is never touched.
    const stranger = path.join(first.dir, 'mine.part');
    await writeFile(stranger, 'keep');
    // The process ends here (no cancel, no cleanup): a new service on the same archive.
    const second = await scriptedTransferService('parley-history-', { history: repo });
    const [t] = second.service.list();
    assert.equal(t?.state, 'failed');
    assert.equal(t.reason, 'interrupted');
    await eventually(async () => !(await exists(path.join(first.dir, part ?? ''))), 'the partial file is gone');
    assert.ok(await exists(stranger));
    await first.service.cancelAll();
  });

  it('quitting ends running transfers as interrupted, stored so', async () => {
    const repo = createTransferRepo(openArchive(':memory:'));
    const { service, iq, events } = await scriptedTransferService('parley-history-', { history: repo });
    const answer = iq(NS_SI, 'si', offerEl('h3', Buffer.from('0123456789')));
    const offered = events.find((t) => t.state === 'offered');
    assert.ok(offered);
    await service.accept(offered.id);
    await answer;
    await service.interruptAll();
    assert.equal(events.at(-1)?.reason, 'interrupted');
    assert.equal(repo.recent(ACCOUNT)[0]?.reason, 'interrupted');
  });
});

/** A sender whose peer has `features`; what it sets is recorded and never answered. */
async function sender(features: string[], options: Omit<TransferOptions, 'downloadsDir'> = {}) {
  const { service, sent, events, fileToSend } = await scriptedTransferService('parley-media-', options, {
    resources: [PEER],
    features,
    set: () => new Promise<undefined>(() => undefined),
    get: itemNotFound,
  });
  const file = (name: string) => fileToSend(name, 'hello');
  const first = async () => {
    await eventually(() => sent.length > 0, 'an offer went out');
    return sent[0] ?? stanza('<x/>');
  };
  return { service, sent, events, file, first };
}

const SI = [NS_SI, NS_SI_FT, NS_IBB];
const JINGLE = [NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_IBB];

describe('transfer: the media type of direct sends (XEP-0096, XEP-0234)', () => {
  it('XEP-0096: the announced type, else the extension’s, on <si mime-type>', async () => {
    const a = await sender(SI);
    const t = await a.service.sendFile('romeo@montague.lit', await a.file('photo.JPG'));
    assert.equal(t.mimeType, 'image/jpeg');
    const si = await a.first();
    assert.equal(si.attrs['mime-type'], 'image/jpeg');
    const back = parseOffer(stanza(si.toString()));
    assert.ok(back.ok);
    assert.equal(back.offer.mimeType, 'image/jpeg', 'the receiver reads it back');

    const b = await sender(SI);
    await b.service.sendFile('romeo@montague.lit', await b.file('notes'), 'text/markdown');
    assert.equal((await b.first()).attrs['mime-type'], 'text/markdown');

    // Neither: the XEP's default, and nothing claimed on the transfer.
    const c = await sender(SI);
    const unknown = await c.service.sendFile('romeo@montague.lit', await c.file('data.qqq'), 'not a type');
    assert.equal(unknown.mimeType, undefined);
    assert.equal((await c.first()).attrs['mime-type'], 'application/octet-stream');
  });

  it('Jingle: <media-type/> in the offered file', async () => {
    const j = await sender(JINGLE);
    const t = await j.service.sendFile('romeo@montague.lit', await j.file('song.mp3'));
    assert.equal(t.protocol, 'jingle');
    const offer = parseJingle(await j.first());
    assert.ok(offer.ok && offer.jingle.action === 'session-initiate');
    assert.equal(offer.jingle.content?.file?.mediaType, 'audio/mpeg');
    assert.match((await j.first()).toString(), /<media-type>audio\/mpeg<\/media-type>/u);

    const none = await sender(JINGLE);
    await none.service.sendFile('romeo@montague.lit', await none.file('blob.qqq'));
    assert.doesNotMatch((await none.first()).toString(), /media-type/u);
  });

  it('the receiver keeps the offered type (on <si/>, or on <file/> as some senders put it)', () => {
    const onSi = parseOffer(
      stanza(
        `<si xmlns="${NS_SI}" id="s1" profile="${NS_SI_FT}" mime-type="image/png"><file xmlns="${NS_SI_FT}" name="a.png" size="3"/><feature xmlns="http://jabber.org/protocol/feature-neg"><x xmlns="jabber:x:data" type="form"><field var="stream-method" type="list-single"><option><value>${NS_IBB}</value></option></field></x></feature></si>`,
      ),
    );
    assert.ok(onSi.ok);
    assert.equal(onSi.offer.mimeType, 'image/png');
    const onFile = parseOffer(
      stanza(
        `<si xmlns="${NS_SI}" id="s1" profile="${NS_SI_FT}"><file xmlns="${NS_SI_FT}" name="a.png" size="3" mime-type="image/webp"/><feature xmlns="http://jabber.org/protocol/feature-neg"><x xmlns="jabber:x:data" type="form"><field var="stream-method" type="list-single"><option><value>${NS_IBB}</value></option></field></x></feature></si>`,
      ),
    );
    assert.ok(onFile.ok);
    assert.equal(onFile.offer.mimeType, 'image/webp');
    const hostile = parseOffer(
      stanza(
        `<si xmlns="${NS_SI}" id="s1" profile="${NS_SI_FT}" mime-type="text/html; charset=&quot;x&quot;"><file xmlns="${NS_SI_FT}" name="a" size="3"/><feature xmlns="http://jabber.org/protocol/feature-neg"><x xmlns="jabber:x:data" type="form"><field var="stream-method" type="list-single"><option><value>${NS_IBB}</value></option></field></x></feature></si>`,
      ),
    );
    assert.ok(hostile.ok);
    assert.equal(hostile.offer.mimeType, undefined);
  });

  it('upload/media-type: plain types only; the extension table without sniffing', () => {
    assert.equal(plainMediaType(' Image/PNG '), 'image/png');
    assert.equal(plainMediaType('text/html; charset=utf-8'), undefined);
    assert.equal(plainMediaType('image/'), undefined);
    assert.equal(mediaTypeOfName('archive.tar.GZ'), 'application/gzip');
    assert.equal(mediaTypeOfName('.png'), undefined, 'a hidden file has no extension');
    assert.equal(mediaTypeOfName('x.constructor'), undefined);
    assert.equal(mediaTypeOfName('dir.png/readme'), undefined);
    assert.equal(mediaTypeFor('a.pdf', 'application/octet-stream'), 'application/pdf');
    assert.equal(mediaTypeFor('a.pdf', 'image/png'), 'image/png', 'the renderer’s type wins');
    assert.equal(mediaTypeFor('a.qqq', 'application/octet-stream'), 'application/octet-stream');
    assert.equal(mediaTypeFor('a.qqq'), undefined);
  });
});

describe('transfer/http-upload (XEP-0363): https only, unless made for tests', () => {
  const slot = (put: string, get: string) =>
    stanza(`<slot xmlns="${NS_HTTP_UPLOAD}"><put url="${put}"/><get url="${get}"/></slot>`);

  it('refuses plain http, even to loopback, by default', () => {
    assert.equal(usableUrl('http://127.0.0.1:5280/x'), undefined);
    assert.equal(usableUrl('http://[::1]/x'), undefined);
    assert.equal(parseSlot(slot('http://127.0.0.1:1/a', 'http://127.0.0.1:1/a')), undefined);
    assert.ok(parseSlot(slot('https://127.0.0.1:1/a', 'https://127.0.0.1:1/a')));
    // With the tests' option: loopback only.
    assert.ok(usableUrl('http://127.0.0.1:5280/x', true));
    assert.ok(parseSlot(slot('http://127.0.0.1:1/a', 'http://localhost:1/a'), true));
    assert.equal(usableUrl('http://example.org/x', true), undefined);
  });

  it('transfer.download: http to loopback is a bad-request by default, allowed with insecureHttpForTests', async () => {
    const strict = await scriptedTransferService('parley-http-');
    assert.throws(
      () => strict.service.download('http://127.0.0.1:9/file.bin'),
      (err: unknown) => err instanceof CoreError && err.code === 'bad-request' && /plain http/iu.test(err.message),
    );
    assert.deepEqual(strict.events, [], 'nothing started');
    const forTests = await scriptedTransferService('parley-http-', { insecureHttpForTests: true });
    const t = forTests.service.download('http://127.0.0.1:9/file.bin');
    assert.equal(t.url, 'http://127.0.0.1:9/file.bin');
    // Nothing listens on port 9: it fails, and cleanly.
    await eventually(() => forTests.events.at(-1)?.state === 'failed', 'the download failed');
    assert.deepEqual(await readdir(forTests.dir), []);
  });

  it('an upload slot on plain http fails the upload with a clear reason by default', async () => {
    const dir = await tempDir('parley-http-up-');
    const file = path.join(dir, 'a.txt');
    await writeFile(file, 'hello');
    const run = async (options: Omit<TransferOptions, 'downloadsDir'>) => {
      const puts: string[] = [];
      const { service, events } = await scriptedTransferService('parley-http-up-', options, {
        get: (el: Element) =>
          Promise.resolve(
            el.attrs['xmlns'] === 'http://jabber.org/protocol/disco#info'
              ? xml(
                  'query',
                  { xmlns: 'http://jabber.org/protocol/disco#info' },
                  xml('identity', { category: 'store', type: 'file', name: 'up' }),
                  xml('feature', { var: NS_HTTP_UPLOAD }),
                )
              : xml('query', { xmlns: 'http://jabber.org/protocol/disco#items' }),
          ),
        request: () => {
          puts.push('slot');
          return Promise.resolve(
            xml('iq', { type: 'result' }, slot('http://127.0.0.1:9/a.txt', 'http://127.0.0.1:9/a.txt')),
          );
        },
      });
      await service.upload(file);
      await eventually(() => events.at(-1)?.state === 'failed', 'the upload ended');
      return events.at(-1);
    };
    const strict = await run({});
    assert.match(strict?.error ?? '', /plain http/u);
    // With the option, the slot is used (and the PUT fails: nothing listens on port 9).
    const forTests = await run({ insecureHttpForTests: true });
    assert.doesNotMatch(forTests?.error ?? '', /plain http/u);
  });
});

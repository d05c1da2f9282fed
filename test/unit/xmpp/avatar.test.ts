import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  buildAvatarDataPublish,
  buildAvatarDataRequest,
  buildAvatarMetadataDisable,
  buildAvatarMetadataPublish,
  buildAvatarMetadataRequest,
  buildVcardUpdate,
  checkAvatarData,
  decodeBase64,
  imageSize,
  MAX_AVATAR_BYTES,
  normalizeSha1,
  parseAvatarData,
  parseAvatarMetadataEvent,
  parseAvatarMetadataResult,
  parseVcardUpdate,
  prepareAvatar,
  sha1Hex,
  sniffImage,
} from '../../../main/core/xmpp/avatar.ts';
import { stanza } from '../../support/stanza.ts';

// --- image fixtures: headers as real encoders write them ----------------------------

/** A real 1×1 PNG. */
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.alloc(12)]);
}

function jpeg(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF
    Buffer.from([0xff, 0xff]), // a fill byte before the next marker
    Buffer.from([0xff, 0xdb, 0x00, 0x04, 0x00, 0x00]), // a (tiny) DQT
    sof,
    Buffer.from([0xff, 0xd9]),
  ]);
}

function gif(width: number, height: number): Buffer {
  const b = Buffer.from('GIF89a\0\0\0\0\0\0\0;', 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

function webp(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(22, 4);
  b.write('WEBPVP8X', 8, 'latin1');
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const PNG_ID = sha1(PNG_1x1);

const event = (items: string, from = 'juliet@capulet.lit') =>
  stanza(
    `<message from="${from}" to="romeo@montague.lit/home" type="headline"><event xmlns="http://jabber.org/protocol/pubsub#event">${items}</event></message>`,
  );

describe('xmpp/avatar: image checks', () => {
  it('knows images by their magic numbers, never SVG or anything else', () => {
    assert.equal(sniffImage(PNG_1x1), 'image/png');
    assert.equal(sniffImage(jpeg(10, 10)), 'image/jpeg');
    assert.equal(sniffImage(gif(10, 10)), 'image/gif');
    assert.equal(sniffImage(webp(10, 10)), 'image/webp');
    assert.equal(sniffImage(SVG), undefined);
    assert.equal(sniffImage(Buffer.from('<?xml version="1.0"?><svg/>')), undefined);
    assert.equal(sniffImage(Buffer.from('<html><body>hi</body></html>')), undefined);
    assert.equal(sniffImage(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1')), undefined);
    assert.equal(sniffImage(Buffer.alloc(0)), undefined);
    assert.equal(sniffImage(Buffer.from([0x89, 0x50])), undefined);
  });

  it('reads dimensions from the headers, and nothing from truncated ones', () => {
    assert.deepEqual(imageSize(PNG_1x1, 'image/png'), { width: 1, height: 1 });
    assert.deepEqual(imageSize(png(640, 480), 'image/png'), { width: 640, height: 480 });
    assert.deepEqual(imageSize(jpeg(96, 64), 'image/jpeg'), { width: 96, height: 64 });
    assert.deepEqual(imageSize(gif(32, 16), 'image/gif'), { width: 32, height: 16 });
    assert.deepEqual(imageSize(webp(300, 200), 'image/webp'), { width: 300, height: 200 });
    assert.equal(imageSize(png(1, 1).subarray(0, 20), 'image/png'), undefined);
    assert.equal(imageSize(jpeg(1, 1).subarray(0, 12), 'image/jpeg'), undefined);
    assert.equal(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2]), 'image/jpeg'), undefined);
    assert.equal(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'image/jpeg'), undefined); // length 0
    assert.equal(imageSize(webp(1, 1).subarray(0, 26), 'image/webp'), undefined);
    assert.equal(imageSize(png(0, 10), 'image/png'), undefined);
  });

  it('accepts a real image and rejects oversized, non-image, huge-bitmap and mismatching data', () => {
    assert.deepEqual(checkAvatarData(PNG_1x1, PNG_ID), { ok: true, type: 'image/png', width: 1, height: 1 });
    assert.deepEqual(checkAvatarData(PNG_1x1, PNG_ID.toUpperCase()), {
      ok: true,
      type: 'image/png',
      width: 1,
      height: 1,
    });
    assert.deepEqual(checkAvatarData(Buffer.alloc(0)), { ok: false, reason: 'size' });
    const big = Buffer.concat([png(64, 64), Buffer.alloc(MAX_AVATAR_BYTES)]);
    assert.deepEqual(checkAvatarData(big), { ok: false, reason: 'size' });
    assert.deepEqual(checkAvatarData(SVG), { ok: false, reason: 'type' });
    assert.deepEqual(checkAvatarData(png(100_000, 100_000)), { ok: false, reason: 'dimensions' });
    assert.deepEqual(checkAvatarData(png(64, 64), PNG_ID), { ok: false, reason: 'hash' });
    assert.deepEqual(checkAvatarData(PNG_1x1, '../../etc/passwd'), { ok: false, reason: 'hash' });
  });

  it('hashes with SHA-1 and accepts only SHA-1 hex as an id', () => {
    assert.equal(sha1Hex(Buffer.from('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(normalizeSha1('A9993E364706816ABA3E25717850C26C9CD0D89D'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    for (const bad of ['', '../a9993e364706816aba3e25717850c26c9cd0d8', 'g'.repeat(40), 'a'.repeat(41), 42, undefined])
      assert.equal(normalizeSha1(bad), undefined);
  });

  it('decodes base64 strictly, with line breaks, judging the size first', () => {
    const text = PNG_1x1.toString('base64');
    const wrapped = text.replace(/.{20}/gu, '$&\r\n  ');
    assert.deepEqual(decodeBase64(wrapped, 1000), { ok: true, data: PNG_1x1 });
    assert.deepEqual(decodeBase64('aGk', 10), { ok: true, data: Buffer.from('hi') }); // padding left out
    assert.deepEqual(decodeBase64('aGk=aGk=', 10), { ok: false, reason: 'encoding' });
    assert.deepEqual(decodeBase64('a', 10), { ok: false, reason: 'encoding' });
    assert.deepEqual(decodeBase64('aGk', 10).ok, true);
    assert.deepEqual(decodeBase64('aG!=', 10), { ok: false, reason: 'encoding' });
    assert.deepEqual(decodeBase64('aG-_', 10), { ok: false, reason: 'encoding' });
    assert.deepEqual(decodeBase64('aGk==', 10), { ok: false, reason: 'encoding' });
    assert.deepEqual(decodeBase64('', 10), { ok: false, reason: 'encoding' });
    assert.deepEqual(decodeBase64('AAAA'.repeat(5), 12), { ok: false, reason: 'size' });
    assert.deepEqual(decodeBase64(' '.repeat(10_000), 12), { ok: false, reason: 'size' });
  });
});

describe('xmpp/avatar (XEP-0084): metadata', () => {
  const info = (id: string, extra = '') => `<info id="${id}" bytes="1234" type="image/png" ${extra}/>`;
  const metadataItem = (itemId: string, infos: string) =>
    `<items node="urn:xmpp:avatar:metadata"><item id="${itemId}"><metadata xmlns="urn:xmpp:avatar:metadata">${infos}</metadata></item></items>`;

  it('reads a metadata notification', () => {
    assert.deepEqual(parseAvatarMetadataEvent(event(metadataItem(PNG_ID, info(PNG_ID, 'width="64" height="64"')))), {
      jid: 'juliet@capulet.lit',
      metadata: { kind: 'avatar', info: { id: PNG_ID, bytes: 1234, type: 'image/png', width: 64, height: 64 } },
    });
  });

  it('prefers the info the item names, skips hosted (url) ones, and normalises the id', () => {
    const other = 'b'.repeat(40);
    const items = metadataItem(
      PNG_ID.toUpperCase(),
      info('c'.repeat(40), 'url="http://evil.example/track.png"') + info(other) + info(PNG_ID.toUpperCase()),
    );
    const chosenId = (stanzaText: Parameters<typeof event>[0]) => {
      const metadata = parseAvatarMetadataEvent(event(stanzaText))?.metadata;
      return metadata?.kind === 'avatar' ? metadata.info.id : metadata?.kind;
    };
    assert.equal(chosenId(items), PNG_ID);
    assert.equal(chosenId(metadataItem('current', info(other))), other);
  });

  it('reads empty metadata as "avatar removed"', () => {
    assert.deepEqual(
      parseAvatarMetadataEvent(
        event(
          '<items node="urn:xmpp:avatar:metadata"><item id="current"><metadata xmlns="urn:xmpp:avatar:metadata"/></item></items>',
        ),
      ),
      { jid: 'juliet@capulet.lit', metadata: { kind: 'removed' } },
    );
  });

  it('rejects hostile ids, oversized avatars and hosted-only avatars', () => {
    const hostile = parseAvatarMetadataEvent(event(metadataItem('../../x', info('../../../../etc/passwd'))));
    assert.deepEqual(hostile?.metadata, { kind: 'invalid', reason: 'no usable avatar info' });
    const huge = parseAvatarMetadataEvent(
      event(metadataItem(PNG_ID, `<info id="${PNG_ID}" bytes="${String(MAX_AVATAR_BYTES + 1)}" type="image/png"/>`)),
    );
    assert.deepEqual(huge?.metadata, { kind: 'invalid', reason: 'avatar too large' });
    const badBytes = parseAvatarMetadataEvent(
      event(metadataItem(PNG_ID, `<info id="${PNG_ID}" bytes="-5" type="image/png"/>`)),
    );
    assert.equal(badBytes?.metadata.kind, 'invalid');
    const hosted = parseAvatarMetadataEvent(
      event(metadataItem(PNG_ID, info(PNG_ID, 'url="https://example.com/a.png"'))),
    );
    assert.equal(hosted?.metadata.kind, 'invalid');
  });

  it('ignores other nodes, other stanzas, senders that are not JIDs, and retractions', () => {
    assert.equal(
      parseAvatarMetadataEvent(event('<items node="urn:xmpp:avatar:data"><item id="x"/></items>')),
      undefined,
    );
    assert.equal(parseAvatarMetadataEvent(stanza('<message from="a@b"><body>hi</body></message>')), undefined);
    assert.equal(parseAvatarMetadataEvent(event(metadataItem(PNG_ID, info(PNG_ID)), 'a@b@c')), undefined);
    assert.equal(
      parseAvatarMetadataEvent(event('<items node="urn:xmpp:avatar:metadata"><retract id="x"/></items>')),
      undefined,
    );
    // The publisher is the bare JID, even when a server adds a resource.
    assert.equal(
      parseAvatarMetadataEvent(event(metadataItem(PNG_ID, info(PNG_ID)), 'Juliet@Capulet.lit/x'))?.jid,
      'juliet@capulet.lit',
    );
  });

  it('asks for and reads the current metadata item', () => {
    assert.equal(
      buildAvatarMetadataRequest().toString(),
      '<pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:metadata" max_items="1"/></pubsub>',
    );
    const result = stanza(
      `<pubsub xmlns="http://jabber.org/protocol/pubsub">${metadataItem(PNG_ID, info(PNG_ID))}</pubsub>`,
    );
    assert.equal(parseAvatarMetadataResult(result).kind, 'avatar');
    assert.deepEqual(
      parseAvatarMetadataResult(
        stanza('<pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:metadata"/></pubsub>'),
      ),
      { kind: 'removed' },
    );
    assert.equal(parseAvatarMetadataResult(undefined).kind, 'invalid');
  });
});

describe('xmpp/avatar (XEP-0084): data', () => {
  const dataResult = (id: string, base64: string) =>
    stanza(
      `<pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${id}"><data xmlns="urn:xmpp:avatar:data">${base64}</data></item></items></pubsub>`,
    );

  it('asks for one avatar by id, and refuses ids that are not SHA-1', () => {
    assert.equal(
      buildAvatarDataRequest(PNG_ID).toString(),
      `<pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${PNG_ID}"/></items></pubsub>`,
    );
    assert.throws(() => buildAvatarDataRequest('../secret'), TypeError);
  });

  it('reads the data and checks it against the id', () => {
    const wrapped = PNG_1x1.toString('base64').replace(/.{16}/gu, '$&\n');
    assert.deepEqual(parseAvatarData(dataResult(PNG_ID, wrapped), PNG_ID), {
      ok: true,
      id: PNG_ID,
      data: PNG_1x1,
      type: 'image/png',
      width: 1,
      height: 1,
    });
  });

  it('rejects a hash mismatch, SVG, bad or huge base64, and missing data', () => {
    const other = png(8, 8);
    assert.deepEqual(parseAvatarData(dataResult(PNG_ID, other.toString('base64')), PNG_ID), {
      ok: false,
      reason: 'hash',
    });
    // An SVG under the id it hashes to: the id matches, the bytes are still not an image we show.
    const svgId = sha1(SVG);
    assert.deepEqual(parseAvatarData(dataResult(svgId, SVG.toString('base64')), svgId), {
      ok: false,
      reason: 'type',
    });
    assert.deepEqual(parseAvatarData(dataResult(PNG_ID, '!!!not base64!!!'), PNG_ID), {
      ok: false,
      reason: 'encoding',
    });
    const huge = 'A'.repeat(Math.ceil(MAX_AVATAR_BYTES / 3) * 4 + 4);
    assert.deepEqual(parseAvatarData(dataResult(PNG_ID, huge), PNG_ID), { ok: false, reason: 'size' });
    assert.deepEqual(parseAvatarData(undefined, PNG_ID), { ok: false, reason: 'missing' });
    assert.deepEqual(parseAvatarData(dataResult(PNG_ID, PNG_1x1.toString('base64')), '../x'), {
      ok: false,
      reason: 'missing',
    });
  });
});

describe('xmpp/avatar (XEP-0084): publishing', () => {
  it('checks the image and builds the data, then the metadata item', () => {
    const prepared = prepareAvatar(PNG_1x1);
    assert.ok(prepared.ok);
    const { avatar } = prepared;
    assert.equal(avatar.id, PNG_ID);
    assert.equal(
      buildAvatarDataPublish(avatar).toString(),
      `<pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="urn:xmpp:avatar:data"><item id="${PNG_ID}"><data xmlns="urn:xmpp:avatar:data">${PNG_1x1.toString('base64')}</data></item></publish></pubsub>`,
    );
    assert.equal(
      buildAvatarMetadataPublish(avatar).toString(),
      `<pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="urn:xmpp:avatar:metadata"><item id="${PNG_ID}"><metadata xmlns="urn:xmpp:avatar:metadata"><info id="${PNG_ID}" bytes="${String(PNG_1x1.length)}" type="image/png" width="1" height="1"/></metadata></item></publish></pubsub>`,
    );
    // What we publish, we read back.
    const item = buildAvatarMetadataPublish(avatar).getChild('publish')?.getChild('item')?.toString() ?? '';
    const echoed = event(`<items node="urn:xmpp:avatar:metadata">${item}</items>`, 'romeo@montague.lit');
    assert.deepEqual(parseAvatarMetadataEvent(echoed)?.metadata, {
      kind: 'avatar',
      info: { id: PNG_ID, bytes: PNG_1x1.length, type: 'image/png', width: 1, height: 1 },
    });
  });

  it('adds publish-options when asked, and removes the avatar with empty metadata', () => {
    const prepared = prepareAvatar(PNG_1x1);
    assert.ok(prepared.ok);
    const options = buildAvatarDataPublish(prepared.avatar, 'open').getChild('publish-options');
    assert.equal(
      options?.toString(),
      '<publish-options><x xmlns="jabber:x:data" type="submit"><field var="FORM_TYPE" type="hidden"><value>http://jabber.org/protocol/pubsub#publish-options</value></field><field var="pubsub#access_model"><value>open</value></field></x></publish-options>',
    );
    assert.equal(
      buildAvatarMetadataDisable().toString(),
      '<pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="urn:xmpp:avatar:metadata"><item id="current"><metadata xmlns="urn:xmpp:avatar:metadata"/></item></publish></pubsub>',
    );
  });

  it('refuses to publish what it would refuse to show', () => {
    assert.deepEqual(prepareAvatar(SVG), { ok: false, reason: 'type' });
    assert.deepEqual(prepareAvatar(Buffer.alloc(MAX_AVATAR_BYTES + 1)), { ok: false, reason: 'size' });
  });
});

describe('xmpp/avatar (XEP-0153): vCard-based avatar hashes in presence', () => {
  const presence = (x: string) => stanza(`<presence from="juliet@capulet.lit/balcony">${x}</presence>`);

  it('reads a hash, "no avatar", "not ready", and nothing', () => {
    assert.deepEqual(
      parseVcardUpdate(presence(`<x xmlns="vcard-temp:x:update"><photo> ${PNG_ID.toUpperCase()} </photo></x>`)),
      { kind: 'hash', hash: PNG_ID },
    );
    assert.deepEqual(parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"><photo/></x>')), { kind: 'none' });
    assert.deepEqual(parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"/>')), { kind: 'not-ready' });
    assert.equal(parseVcardUpdate(presence('<status>hi</status>')), undefined);
    assert.equal(parseVcardUpdate(stanza('<message><x xmlns="vcard-temp:x:update"/></message>')), undefined);
  });

  it('ignores malformed hashes', () => {
    assert.equal(
      parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"><photo>../../etc/passwd</photo></x>')),
      undefined,
    );
    assert.equal(
      parseVcardUpdate(presence(`<x xmlns="vcard-temp:x:update"><photo>${'z'.repeat(40)}</photo></x>`)),
      undefined,
    );
  });

  it('builds our own', () => {
    assert.equal(buildVcardUpdate(PNG_ID).toString(), `<x xmlns="vcard-temp:x:update"><photo>${PNG_ID}</photo></x>`);
    assert.equal(buildVcardUpdate(null).toString(), '<x xmlns="vcard-temp:x:update"><photo/></x>');
    assert.equal(buildVcardUpdate(undefined).toString(), '<x xmlns="vcard-temp:x:update"/>');
    assert.throws(() => buildVcardUpdate('nope'), TypeError);
  });
});

/**
 * A throwaway Prosody whose registration form carries a CAPTCHA (XEP-0158)
 * the way ejabberd sends one: a data form with a hidden challenge, an "ocr"
 * field whose media element points at a cid: image, and the image itself as
 * XEP-0231 bits of binary, in the answer or fetched by its own iq. A small
 * test module (written here) adds that in front of Prosody's own
 * mod_register_ibr, which still creates the account.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { ProsodyOptions, ProsodyServer } from '../../main/devserver/prosody.ts';
import { startTestServer } from './server.ts';

/** What the CAPTCHA image says. */
export const CAPTCHA_ANSWER = 'PARLEY';

/** 5×7 glyphs for the letters of the answer. */
const GLYPHS: Record<string, string[]> = {
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  R: ['11110', '10001', '10001', '11110', '10100', '10010', '10001'],
  L: ['10000', '10000', '10000', '10000', '10000', '10000', '11111'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  Y: ['10001', '10001', '01010', '00100', '00100', '00100', '00100'],
};

/** A PNG of `text` in dark blocks on a light, speckled background. */
export function captchaPng(text: string, scale = 5): Buffer {
  const cols = text.length * 6 + 3;
  const width = cols * scale;
  const height = 11 * scale;
  const rgb = Buffer.alloc(width * height * 3, 0xf4);
  const set = (x: number, y: number, c: [number, number, number]) => {
    const i = (y * width + x) * 3;
    rgb[i] = c[0];
    rgb[i + 1] = c[1];
    rgb[i + 2] = c[2];
  };
  // Speckles, deterministic.
  for (let i = 0; i < width * height; i += 37) set(i % width, Math.floor(i / width), [0xb8, 0xc4, 0xd8]);
  Array.from(text, (c) => c).forEach((ch, n) => {
    const glyph = GLYPHS[ch] ?? [];
    glyph.forEach((row, gy) => {
      row.split('').forEach((bit, gx) => {
        if (bit !== '1') return;
        const wobble = n % 2 === 0 ? 0 : Math.floor(scale / 2);
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++)
            set((2 + n * 6 + gx) * scale + dx, (2 + gy) * scale + dy + wobble, [0x1f, 0x2a, 0x44]);
      });
    });
  });
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const lua = (s: string) => JSON.stringify(s);

function captchaModule(png: Buffer, inline: boolean): string {
  const cid = `sha1+${createHash('sha1').update(png).digest('hex')}@bob.xmpp.org`;
  const data = png.toString('base64');
  return `-- Test module: an XEP-0158 CAPTCHA in front of mod_register_ibr (Parley's tests only).
local st = require "util.stanza";
local CID, PNG, ANSWER, INLINE = ${lua(cid)}, ${lua(data)}, ${lua(CAPTCHA_ANSWER)}, ${inline ? 'true' : 'false'};

module:hook("stanza/iq/urn:xmpp:bob:data", function (event)
	local session, stanza = event.origin, event.stanza;
	if stanza.attr.type ~= "get" then return end
	if stanza.tags[1].attr.cid ~= CID then
		session.send(st.error_reply(stanza, "cancel", "item-not-found"));
		return true;
	end
	session.send(st.reply(stanza):tag("data", { xmlns = "urn:xmpp:bob", cid = CID, type = "image/png", ["max-age"] = "0" }):text(PNG));
	return true;
end, 10);

module:hook("stanza/iq/jabber:iq:register:query", function (event)
	local session, stanza = event.origin, event.stanza;
	if session.type ~= "c2s_unauthed" then return end
	if stanza.attr.type == "get" then
		local reply = st.reply(stanza):tag("query", { xmlns = "jabber:iq:register" })
			:tag("instructions"):text("Choose a username and password, and type the characters in the picture."):up()
			:tag("x", { xmlns = "jabber:x:data", type = "form" })
				:tag("field", { var = "FORM_TYPE", type = "hidden" }):tag("value"):text("jabber:iq:register"):up():up()
				:tag("field", { var = "challenge", type = "hidden" }):tag("value"):text("ch-7"):up():up()
				:tag("field", { var = "username", type = "text-single", label = "Username" }):tag("required"):up():up()
				:tag("field", { var = "password", type = "text-private", label = "Password" }):tag("required"):up():up()
				:tag("field", { var = "ocr", type = "text-single", label = "Enter the text you see" }):tag("required"):up()
					:tag("media", { xmlns = "urn:xmpp:media-element", width = "165", height = "55" })
						:tag("uri", { type = "image/png" }):text("cid:" .. CID):up()
					:up()
				:up()
			:up();
		if INLINE then
			reply:tag("data", { xmlns = "urn:xmpp:bob", cid = CID, type = "image/png", ["max-age"] = "0" }):text(PNG):up();
		end
		session.send(reply);
		return true;
	end
	-- A submission: the challenge echoed and the right answer, or not-acceptable; then Prosody registers.
	local form = stanza.tags[1]:get_child("x", "jabber:x:data");
	local values = {};
	if form then
		for field in form:childtags("field") do values[field.attr.var] = field:get_child_text("value"); end
	end
	if values.challenge ~= "ch-7" or (values.ocr or ""):upper() ~= ANSWER then
		session.send(st.error_reply(stanza, "modify", "not-acceptable", "The CAPTCHA answer is wrong."));
		return true;
	end
end, 10);
`;
}

export interface CaptchaServer extends ProsodyServer {
  /** The module folder is removed with the server. */
  stop(): Promise<void>;
}

/** Prosody with registration on and a CAPTCHA in its form; `inline: false` makes clients fetch the image by iq. */
export async function startCaptchaServer(
  options: Omit<ProsodyOptions, 'ca' | 'allowRegistration' | 'extraConfig'> & { inline?: boolean } = {},
): Promise<CaptchaServer> {
  const { inline = true, ...rest } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-prosody-plugins-'));
  await chmod(dir, 0o755); // Prosody runs as its own user
  const file = path.join(dir, 'mod_test_captcha.lua');
  await writeFile(file, captchaModule(captchaPng(CAPTCHA_ANSWER), inline));
  await chmod(file, 0o644);
  const domain = rest.domain ?? 'localhost';
  const server = await startTestServer({
    ...rest,
    allowRegistration: true,
    // Global: where the module is; then, for the host only, the module itself (added to the global list).
    extraConfig: `plugin_paths = { ${lua(dir)} }\nVirtualHost ${lua(domain)}\n  modules_enabled = { "test_captcha" }\n`,
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

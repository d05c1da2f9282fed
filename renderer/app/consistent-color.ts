/**
 * XEP-0392 Consistent Color Generation, and the initials shown on a placeholder avatar.
 *
 * The hue follows the XEP exactly (§5.1: SHA-1 of the UTF-8 text, the first two bytes as a
 * little-endian 16-bit number, scaled to degrees), with its optional corrections for colour
 * vision deficiencies (§5.2). The colour is HSLuv, as the XEP says (§5.4), computed here
 * without a library; `hsluvToRgb(hue, 100, 50)` reproduces the XEP's test vectors.
 *
 * The one deviation is the lightness. HSLuv's lightness is CIE L*, and at a fixed L* every
 * hue has the same relative luminance Y = ((L* + 16) / 116)³, which is exactly WCAG's
 * relative luminance. The XEP's L = 50 gives Y ≈ 0.184, a 4.48:1 contrast with white: just
 * short of WCAG AA (4.5:1). So each theme has its own lightness, chosen for the initials the
 * placeholder carries and for the theme's background:
 *
 * - light: L = 45 (Y ≈ 0.145), white initials at about 5.4:1, and the colour itself at 5.4:1
 *   on a white background (for names coloured in a conversation);
 * - dark: L = 65 (Y ≈ 0.340), black initials at about 7.8:1, and about 6.6:1 on the dark
 *   theme's background (#15171a).
 *
 * Saturation stays 100 (HSLuv's saturation is relative to the most chroma sRGB has at that
 * hue and lightness, so the colour never leaves the gamut and Y holds). Rounding to 8-bit
 * channels moves the contrast by well under 1 %; the unit tests check every hue.
 *
 * Pure TypeScript: no DOM, no Node (the renderer has neither `crypto.createHash` nor a
 * synchronous WebCrypto), hence the small SHA-1 below.
 */

export type Theme = 'light' | 'dark';
/** XEP-0392 §5.2: which colour vision deficiency to correct for. */
export type ColorVisionCorrection = 'none' | 'red-green' | 'blue';
export type Rgb = readonly [r: number, g: number, b: number];

/** The HSLuv lightness per theme (see the module comment). */
export const THEME_LIGHTNESS: Readonly<Record<Theme, number>> = { light: 45, dark: 65 };
/** The initials' colour on a placeholder of each theme. */
export const THEME_FOREGROUND: Readonly<Record<Theme, string>> = { light: '#ffffff', dark: '#000000' };

// --- SHA-1 (RFC 3174), for short strings ---------------------------------------------

export function sha1(message: Uint8Array): Uint8Array {
  // Written for the first calls, still interpreted while a roster's first avatars paint: no
  // closures or DataView calls in the loops.
  const bitLength = message.length * 8;
  const padded = new Uint8Array((((message.length + 8) >> 6) + 1) * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x1_0000_0000), false);
  view.setUint32(padded.length - 4, bitLength >>> 0, false);

  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = new Int32Array(80);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0, j = offset; i < 16; i++, j += 4)
      w[i] =
        ((padded[j] ?? 0) << 24) | ((padded[j + 1] ?? 0) << 16) | ((padded[j + 2] ?? 0) << 8) | (padded[j + 3] ?? 0);
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0);
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] ?? 0)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  outView.setUint32(0, h0 >>> 0, false);
  outView.setUint32(4, h1 >>> 0, false);
  outView.setUint32(8, h2 >>> 0, false);
  outView.setUint32(12, h3 >>> 0, false);
  outView.setUint32(16, h4 >>> 0, false);
  return out;
}

// --- XEP-0392 -------------------------------------------------------------------------

/** Inputs longer than this are cut first: a name or a JID, never a document. */
const MAX_INPUT = 3072;

/** XEP-0392 §5.1: the hue angle (degrees, [0, 360)) for a text (a bare JID or a nickname). */
export function hueAngle(text: string): number {
  const hash = sha1(new TextEncoder().encode(text.slice(0, MAX_INPUT)));
  const value = (hash[0] ?? 0) | ((hash[1] ?? 0) << 8);
  return (value / 65536) * 360;
}

/** XEP-0392 §5.2: the angle moved away from the hues a colour vision deficiency confuses. */
export function correctHue(angle: number, correction: ColorVisionCorrection): number {
  const mod = (x: number, m: number) => ((x % m) + m) % m;
  switch (correction) {
    case 'red-green':
      return mod(mod(angle + 90, 180) - 90, 360);
    case 'blue':
      return mod(angle, 180);
    case 'none':
      return angle;
  }
}

// --- HSLuv (www.hsluv.org: CIE LCh(uv) with chroma scaled to the sRGB gamut) -------------

/** XYZ (D65) to linear sRGB. */
const M = [
  [3.240969941904521, -1.537383177570093, -0.498610760293],
  [-0.96924363628087, 1.87596750150772, 0.041555057407175],
  [0.055630079696993, -0.20397695888897, 1.056971514242878],
] as const;
const REF_U = 0.19783000664283;
const REF_V = 0.46831999493879;
const KAPPA = 903.2962962;
const EPSILON = 0.0088564516;

/** The largest chroma sRGB holds at this lightness and hue: where the hue's ray leaves the gamut. */
function maxChroma(l: number, hueRad: number): number {
  const sub1 = (l + 16) ** 3 / 1560896;
  const sub2 = sub1 > EPSILON ? sub1 : l / KAPPA;
  let best = Infinity;
  for (const [m1, m2, m3] of M) {
    for (const t of [0, 1]) {
      // The gamut edge where this channel is t (0 or 1), as a line in the uv plane.
      const top1 = (284517 * m1 - 94839 * m3) * sub2;
      const top2 = (838422 * m3 + 769860 * m2 + 731718 * m1) * l * sub2 - 769860 * t * l;
      const bottom = (632260 * m3 - 126452 * m2) * sub2 + 126452 * t;
      const slope = top1 / bottom;
      const intercept = top2 / bottom;
      const length = intercept / (Math.sin(hueRad) - slope * Math.cos(hueRad));
      if (length >= 0 && length < best) best = length;
    }
  }
  return best;
}

const fromLinear = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** HSLuv (hue in degrees, saturation and lightness 0–100) to sRGB channels in [0, 1]. */
export function hsluvToRgb(hue: number, saturation: number, lightness: number): Rgb {
  if (lightness >= 99.9999999) return [1, 1, 1];
  if (lightness <= 1e-8) return [0, 0, 0];
  const hueRad = (hue / 360) * 2 * Math.PI;
  const chroma = (maxChroma(lightness, hueRad) / 100) * saturation;
  // LCh → Luv → XYZ
  const u = Math.cos(hueRad) * chroma;
  const v = Math.sin(hueRad) * chroma;
  const varU = u / (13 * lightness) + REF_U;
  const varV = v / (13 * lightness) + REF_V;
  const y = lightness <= 8 ? lightness / KAPPA : ((lightness + 16) / 116) ** 3;
  const x = -(9 * y * varU) / ((varU - 4) * varV - varU * varV);
  const z = (9 * y - 15 * varV * y - varV * x) / (3 * varV);
  const channel = (row: readonly [number, number, number]) => clamp01(fromLinear(row[0] * x + row[1] * y + row[2] * z));
  return [channel(M[0]), channel(M[1]), channel(M[2])];
}

/** WCAG 2 relative luminance of an sRGB colour (channels in [0, 1]). */
export function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(clamp01(c) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Channels of a #rrggbb colour in [0, 1]. */
export function fromHex(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  return [((n >> 16) & 0xff) / 255, ((n >> 8) & 0xff) / 255, (n & 0xff) / 255];
}

export interface ConsistentColor {
  /** The hue used (after any correction), in degrees. */
  hue: number;
  /** The colour, for a placeholder's background or a name's text: #rrggbb. */
  color: string;
  /** The initials' colour on it: white (light theme) or black (dark theme), at WCAG AA or better. */
  foreground: string;
}

/** The colour for a text (a bare JID, else a nickname) in a theme, XEP-0392 with the theme's lightness. */
export function consistentColor(
  text: string,
  theme: Theme = 'light',
  correction: ColorVisionCorrection = 'none',
): ConsistentColor {
  const hue = correctHue(hueAngle(text), correction);
  return {
    hue,
    color: toHex(hsluvToRgb(hue, 100, THEME_LIGHTNESS[theme])),
    foreground: THEME_FOREGROUND[theme],
  };
}

// --- initials ---------------------------------------------------------------------------

/** Scripts written without spaces between given and family names: their first character alone. */
const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
/** A grapheme worth showing: it starts with a letter, a digit or a pictograph. */
const SHOWABLE = /^[\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
/** Whitespace, and the separators of JIDs and handles ("romeo.montague", "juliet_c"). */
const WORD_BREAK = /[\s._\-+|/\\,;:()[\]{}<>"'`~!?*#&=^$%]+/u;
/** Controls and invisible direction marks (but not the joiners inside emoji sequences). */
const INVISIBLE = /[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const ASCII_ALNUM = /^[A-Za-z0-9][ -~]?$/u;

function firstShowable(word: string): string | undefined {
  // Most names start with an ASCII letter or digit followed by printable ASCII: that character
  // is the whole first grapheme, without the (slow to warm up) segmenter.
  if (ASCII_ALNUM.test(word.slice(0, 2))) return word[0];
  for (const { segment } of segmenter.segment(word)) if (SHOWABLE.test(segment)) return segment;
  return undefined;
}

function upper(grapheme: string): string {
  const up = grapheme.toUpperCase();
  return Array.from(up).length === Array.from(grapheme).length ? up : grapheme; // "ß" stays, not "SS"
}

/**
 * Up to two initials for a placeholder avatar: the first letters of the first two words,
 * uppercase ("Romeo Montague" → "RM"). A name in Chinese, Japanese or Korean gives its first
 * character ("张伟" → "张"); one starting with an emoji gives that emoji, whole. A JID gives its
 * local part's ("juliet@capulet.lit" → "J"). Empty when there is nothing to show.
 */
export function initials(name: string): string {
  let text = name.slice(0, 256).replace(INVISIBLE, '').trim();
  if (!/\s/u.test(text) && text.includes('@')) text = text.slice(0, text.indexOf('@')) || text.slice(1);
  const words = text.split(WORD_BREAK).filter(Boolean);
  const out: string[] = [];
  for (const word of words) {
    const first = firstShowable(word);
    if (first === undefined) continue;
    if (out.length === 0 && (CJK.test(first) || PICTOGRAPHIC.test(first))) return first;
    if (out.length === 1 && PICTOGRAPHIC.test(first)) continue;
    out.push(upper(first));
    if (out.length === 2) break;
  }
  return out.join('');
}

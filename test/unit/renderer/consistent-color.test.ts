import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  consistentColor,
  contrastRatio,
  correctHue,
  fromHex,
  hsluvToRgb,
  hueAngle,
  initials,
  sha1,
  THEME_LIGHTNESS,
  type Theme,
} from '../../../renderer/app/consistent-color.ts';

/**
 * XEP-0392 §10 (Test Vectors), "No Color Vision Deficiency correction": text, angle, and the
 * RGB of hsluvToRgb(angle, 100, 50); and the corrected hues of the two CVD tables.
 */
const VECTORS = [
  { text: 'Romeo', angle: 327.255249, rgb: [0.865, 0.0, 0.686], redGreen: 327.255249, blue: 147.255249 },
  {
    text: 'juliet@capulet.lit',
    angle: 209.4104,
    rgb: [0.0, 0.515, 0.573],
    redGreen: 29.4104,
    blue: 29.4104,
  },
  { text: '😺', angle: 331.199341, rgb: [0.872, 0.0, 0.659], redGreen: 331.199341, blue: 151.199341 },
  { text: 'council', angle: 359.994507, rgb: [0.918, 0.0, 0.394], redGreen: 359.994507, blue: 179.994507 },
  { text: 'Board', angle: 171.430664, rgb: [0.0, 0.527, 0.457], redGreen: 351.430664, blue: 171.430664 },
] as const;

const close = (actual: number, expected: number, tolerance: number, what: string) => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${String(actual)} ≠ ${String(expected)}`);
};

describe('renderer/consistent-color (XEP-0392)', () => {
  it('hashes with SHA-1 like Node does', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 200]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      assert.equal(
        Buffer.from(sha1(bytes)).toString('hex'),
        createHash('sha1').update(bytes).digest('hex'),
        `length ${String(length)}`,
      );
    }
  });

  it('gives the XEP test vectors: angle, CVD corrections, and the HSLuv colour', () => {
    for (const v of VECTORS) {
      const angle = hueAngle(v.text);
      close(angle, v.angle, 5e-7, `angle of ${v.text}`);
      close(correctHue(angle, 'red-green'), v.redGreen, 5e-7, `red-green hue of ${v.text}`);
      close(correctHue(angle, 'blue'), v.blue, 5e-7, `blue hue of ${v.text}`);
      const rgb = hsluvToRgb(angle, 100, 50);
      v.rgb.forEach((c, i) => {
        close(rgb[i] ?? NaN, c, 0.0005, `channel ${String(i)} of ${v.text}`);
      });
    }
  });

  it('keeps every hue at WCAG AA for the initials and on the theme background', () => {
    const backgrounds: Record<Theme, string> = { light: '#ffffff', dark: '#15171a' };
    for (const theme of ['light', 'dark'] as const) {
      let worstInitials = Infinity;
      let worstBackground = Infinity;
      for (let hue = 0; hue < 360; hue += 0.5) {
        const color = fromHex(
          `#${hsluvToRgb(hue, 100, THEME_LIGHTNESS[theme])
            .map((c) =>
              Math.round(c * 255)
                .toString(16)
                .padStart(2, '0'),
            )
            .join('')}`,
        );
        worstInitials = Math.min(worstInitials, contrastRatio(color, theme === 'light' ? [1, 1, 1] : [0, 0, 0]));
        worstBackground = Math.min(worstBackground, contrastRatio(color, fromHex(backgrounds[theme])));
      }
      assert.ok(worstInitials >= 4.5, `${theme}: initials at ${worstInitials.toFixed(2)}:1`);
      assert.ok(worstBackground >= 4.5, `${theme}: on the background at ${worstBackground.toFixed(2)}:1`);
    }
  });

  it('gives a stable colour per text and theme, with the initials colour', () => {
    const light = consistentColor('juliet@capulet.lit');
    assert.deepEqual(light, consistentColor('juliet@capulet.lit', 'light', 'none'));
    assert.match(light.color, /^#[0-9a-f]{6}$/u);
    assert.equal(light.foreground, '#ffffff');
    close(light.hue, 209.4104, 5e-7, 'hue');
    const dark = consistentColor('juliet@capulet.lit', 'dark');
    assert.equal(dark.foreground, '#000000');
    assert.notEqual(dark.color, light.color);
    close(consistentColor('Board', 'light', 'red-green').hue, 351.430664, 5e-7, 'corrected hue');
    assert.notEqual(consistentColor('Romeo').color, consistentColor('romeo').color);
    // A hostile, huge input is cut, not hashed whole.
    assert.equal(consistentColor('x'.repeat(10_000_000)).color, consistentColor('x'.repeat(3072)).color);
  });
});

describe('renderer/consistent-color: initials', () => {
  it('takes the first letters of the first two words, uppercase', () => {
    assert.equal(initials('Romeo Montague'), 'RM');
    assert.equal(initials('romeo'), 'R');
    assert.equal(initials('  juliet   capulet  of verona '), 'JC');
    assert.equal(initials('émile zola'), 'ÉZ');
    assert.equal(initials('Ana-María López'), 'AM');
    assert.equal(initials('(Mercutio) 2nd'), 'M2');
  });

  it('uses the local part of a JID', () => {
    assert.equal(initials('juliet@capulet.lit'), 'J');
    assert.equal(initials('romeo.montague@montague.lit'), 'RM');
    assert.equal(initials('@tybalt'), 'T');
    assert.equal(initials('capulet.lit'), 'CL');
  });

  it('gives one character for Chinese, Japanese and Korean names', () => {
    assert.equal(initials('张伟'), '张');
    assert.equal(initials('山田 太郎'), '山');
    assert.equal(initials('김민준'), '김');
    assert.equal(initials('Li 伟'), 'L伟');
  });

  it('keeps an emoji whole, and skips one as a second initial', () => {
    assert.equal(initials('👩‍💻 Alice'), '👩‍💻');
    assert.equal(initials('🇫🇷'), '🇫🇷');
    assert.equal(initials('👍🏽 thumbs'), '👍🏽');
    assert.equal(initials('Alice 😺'), 'A');
  });

  it('is empty for empty or invisible names, and ignores control characters', () => {
    assert.equal(initials(''), '');
    assert.equal(initials('   '), '');
    assert.equal(initials('\u202e\u200b\u0007'), '');
    assert.equal(initials('...'), '');
    assert.equal(initials('\u202eevE bob'), 'EB');
    assert.equal(initials('x'.repeat(1_000_000)), 'X');
  });
});

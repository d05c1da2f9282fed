/**
 * WCAG 2.x AA contrast of both themes, read from the theme variables in renderer/styles.css
 * (each a colour or a light-dark(light, dark) pair in the first :root block): 4.5:1 for
 * text, 3:1 for control borders, the focus ring and status dots (WCAG 1.4.3 and 1.4.11).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const css = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../renderer/styles.css'),
  'utf8',
);

type Theme = 'light' | 'dark';

/** The theme variables: name -> [light, dark] as written. */
export function themeVariables(source: string): Map<string, [string, string]> {
  const root = /:root\s*\{([^}]*)\}/u.exec(source)?.[1];
  if (root === undefined) throw new Error('styles.css has no :root block');
  const vars = new Map<string, [string, string]>();
  for (const m of root.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/gu)) {
    const name = m[1] ?? '';
    const value = (m[2] ?? '').trim();
    const pair = /^light-dark\(\s*(#[0-9a-f]{3,8})\s*,\s*(#[0-9a-f]{3,8})\s*\)$/iu.exec(value);
    if (pair) vars.set(name, [pair[1] ?? '', pair[2] ?? '']);
    else if (/^#[0-9a-f]{3,8}$/iu.test(value)) vars.set(name, [value, value]);
  }
  return vars;
}

function rgb(hex: string): [number, number, number] {
  let h = hex.slice(1);
  if (h.length === 3) h = h.replace(/./gu, (c) => c + c);
  if (h.length !== 6) throw new Error(`not an opaque colour: ${hex}`);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [foreground, background, minimum ratio, what it is] */
const TEXT = 4.5;
const UI = 3;
const pairs: [string, string, number, string][] = [
  ...['--bg', '--sidebar', '--hover', '--selected', '--field', '--bubble-in'].map(
    (bg) => ['--text', bg, TEXT, 'body text'] as [string, string, number, string],
  ),
  ...['--bg', '--sidebar', '--hover', '--selected', '--field', '--bubble-in'].map(
    (bg) => ['--muted', bg, TEXT, 'secondary text'] as [string, string, number, string],
  ),
  ['--on-accent', '--accent', TEXT, 'primary buttons'],
  ['--on-accent', '--bubble-out', TEXT, 'own messages'],
  ['--accent-meta', '--bubble-out', TEXT, 'time and state in own messages'],
  ['--danger', '--bg', TEXT, 'errors'],
  ['--danger', '--sidebar', TEXT, 'errors in the sidebar'],
  ['--danger', '--danger-bg', TEXT, 'error boxes'],
  ['--warning', '--bg', TEXT, 'warnings'],
  ['--warning', '--warning-bg', TEXT, 'warning boxes'],
  ['--accent-text', '--bg', TEXT, 'links'],
  ['--accent-text', '--sidebar', TEXT, 'links in the sidebar'],
  ['--accent-text', '--bubble-in', TEXT, 'links in received messages'],
  ['--border-strong', '--bg', UI, 'control borders'],
  ['--border-strong', '--field', UI, 'control borders on fields'],
  ['--border-strong', '--sidebar', UI, 'control borders in the sidebar'],
  ['--focus', '--bg', UI, 'focus ring'],
  ['--focus', '--sidebar', UI, 'focus ring in the sidebar'],
  ['--accent-text', '--selected', UI, 'selected tab marker'],
  ['--online', '--sidebar', UI, 'online dot'],
  ['--away', '--sidebar', UI, 'away dot'],
  ['--busy', '--sidebar', UI, 'busy dot'],
  ['--read', '--bubble-out', UI, 'read ticks in own messages'],
];

describe('renderer/styles.css themes (WCAG AA contrast)', () => {
  const vars = themeVariables(css);

  it('has a light and a dark value for every colour it checks', () => {
    for (const [fg, bg] of pairs) {
      assert.ok(vars.has(fg), `${fg} is a theme colour`);
      assert.ok(vars.has(bg), `${bg} is a theme colour`);
    }
  });

  for (const theme of ['light', 'dark'] as Theme[]) {
    it(`reaches AA in the ${theme} theme`, () => {
      const index = theme === 'light' ? 0 : 1;
      const failures: string[] = [];
      for (const [fg, bg, min, what] of pairs) {
        const a = vars.get(fg)?.[index];
        const b = vars.get(bg)?.[index];
        if (a === undefined || b === undefined) continue;
        const ratio = contrast(a, b);
        if (ratio < min)
          failures.push(`${what}: ${fg} ${a} on ${bg} ${b} is ${ratio.toFixed(2)}:1 (needs ${String(min)}:1)`);
      }
      assert.deepEqual(failures, []);
    });
  }

  it('computes contrast as WCAG defines it', () => {
    assert.equal(contrast('#000000', '#ffffff').toFixed(1), '21.0');
    assert.equal(contrast('#777777', '#ffffff').toFixed(2), '4.48');
    assert.equal(contrast('#fff', '#fff'), 1);
  });

  it('lets the Theme setting pin a scheme over the OS preference', () => {
    assert.match(css, /:root\[data-theme='dark'\]\s*\{\s*color-scheme:\s*dark;/u);
    assert.match(css, /:root\[data-theme='light'\]\s*\{\s*color-scheme:\s*light;/u);
    // A prefers-color-scheme query would apply whatever the setting says.
    assert.doesNotMatch(css, /@media[^{]*prefers-color-scheme/u);
  });
});

/**
 * A file name from a stranger made safe to create in the downloads folder: one path component
 * (no separators, no traversal), no control or bidirectional-override characters, no
 * characters Windows forbids, no reserved device names (CON, NUL, COM1…), no leading dots
 * (hidden files) or trailing dots/spaces, at most `maxBytes` of UTF-8 with the extension kept.
 */

const RESERVED = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/iu;
/** C0/C1 controls, bidi overrides/isolates/marks, zero-width and BOM, line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;
const FORBIDDEN = /[<>:"|?*]/gu;
export const MAX_NAME_BYTES = 200;
const MAX_EXT_BYTES = 16;
const FALLBACK = 'file';

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` (whole code points) within `bytes` of UTF-8. */
function truncateBytes(s: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = utf8Length(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

export function sanitizeFileName(input: string, maxBytes = MAX_NAME_BYTES): string {
  let name = input.normalize('NFC').replace(INVISIBLE, '');
  // Only the last path component, whichever separator the sender's system uses.
  name = name.split(/[/\\]/u).pop() ?? '';
  name = name.replace(FORBIDDEN, '_');
  // No hidden files, no "." or "..", no trailing dots or spaces (Windows drops them).
  name = name.replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '');
  if (!name) return FALLBACK;
  const dot = name.lastIndexOf('.');
  let stem = dot > 0 ? name.slice(0, dot) : name;
  let ext = dot > 0 ? name.slice(dot) : '';
  if (utf8Length(ext) > MAX_EXT_BYTES || /\s/u.test(ext)) {
    stem = name;
    ext = '';
  }
  // Windows reserves device names whatever the extension ("nul.txt", "COM1.tar.gz").
  const base = stem.split('.')[0] ?? '';
  if (RESERVED.test(base.trim())) stem = `_${stem}`;
  stem = truncateBytes(stem, Math.max(1, maxBytes - utf8Length(ext))).replace(/[\s.]+$/u, '');
  if (!stem) stem = FALLBACK;
  return stem + ext;
}

/** "name (n).ext" for the n-th alternative to an existing file (n ≥ 1), within `maxBytes`. */
export function numberedName(name: string, n: number, maxBytes = MAX_NAME_BYTES): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  const suffix = ` (${String(n)})`;
  return truncateBytes(stem, Math.max(1, maxBytes - utf8Length(ext) - suffix.length)) + suffix + ext;
}

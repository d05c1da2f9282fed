import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_NAME_BYTES, numberedName, sanitizeFileName } from '../../../main/core/transfer/safe-name.ts';

/** What no saved name may ever contain or be. */
function assertSafe(name: string): void {
  assert.ok(name.length > 0, 'empty name');
  assert.ok(!/[/\\]/u.test(name), `separator in ${JSON.stringify(name)}`);
  assert.ok(!/[<>:"|?*]/u.test(name), `forbidden character in ${JSON.stringify(name)}`);
  assert.ok(
    // eslint-disable-next-line no-control-regex -- checking that none survive
    !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(name),
    `control in ${JSON.stringify(name)}`,
  );
  assert.ok(!name.startsWith('.'), `hidden: ${JSON.stringify(name)}`);
  assert.ok(!/[ .]$/u.test(name), `trailing dot/space: ${JSON.stringify(name)}`);
  assert.ok(Buffer.byteLength(name) <= MAX_NAME_BYTES, `too long: ${String(Buffer.byteLength(name))}`);
  assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/iu.test(name), `reserved: ${name}`);
  assert.notEqual(name, '..');
}

describe('transfer/safe-name (hostile file names)', () => {
  const corpus: [string, string][] = [
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\evil.dll', 'evil.dll'],
    ['/absolute/path/x.txt', 'x.txt'],
    ['C:\\Users\\a\\Desktop\\b.txt', 'b.txt'],
    ['..', 'file'],
    ['.', 'file'],
    ['...', 'file'],
    ['', 'file'],
    ['/', 'file'],
    ['.bashrc', 'bashrc'],
    ['...hidden.txt', 'hidden.txt'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['NUL.tar.gz', '_NUL.tar.gz'],
    ['com1.jpg', '_com1.jpg'],
    ['LPT9', '_LPT9'],
    ['Aux ', '_Aux'],
    ['console.log', 'console.log'],
    ['trailing. . ', 'trailing'],
    ['a\u0000b.txt', 'ab.txt'],
    ['new\nline\r.txt', 'newline.txt'],
    ['bell\u0007.txt', 'bell.txt'],
    ['invoice\u202Etxt.exe', 'invoicetxt.exe'],
    ['what?<is>this*"|:.txt', 'what__is_this____.txt'],
    ['photo.JPG', 'photo.JPG'],
    ['照片 2026.png', '照片 2026.png'],
    ['e\u0301.txt', 'é.txt'],
    ['zero\u200bwidth.txt', 'zerowidth.txt'],
  ];
  for (const [input, expected] of corpus)
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      const out = sanitizeFileName(input);
      assert.equal(out, expected);
      assertSafe(out);
    });

  it('limits the length in UTF-8 bytes and keeps the extension', () => {
    const long = `${'a'.repeat(500)}.pdf`;
    const out = sanitizeFileName(long);
    assert.ok(out.endsWith('.pdf'));
    assert.equal(Buffer.byteLength(out), MAX_NAME_BYTES);
    const cjk = `${'文'.repeat(200)}.txt`;
    const out2 = sanitizeFileName(cjk);
    assert.ok(out2.endsWith('.txt'));
    assert.ok(Buffer.byteLength(out2) <= MAX_NAME_BYTES);
    assert.ok(!out2.includes('\ufffd'), 'no split code point');
    // An absurd "extension" is not kept as one.
    const ext = sanitizeFileName(`a.${'x'.repeat(300)}`);
    assertSafe(ext);
  });

  it('survives a generated hostile corpus', () => {
    const pieces = [
      '..',
      '/',
      '\\',
      '.',
      ' ',
      'CON',
      'nul',
      '\u0000',
      '\u202e',
      '\n',
      '<',
      '文',
      'a',
      '.exe',
      '\ufeff',
    ];
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = 1 + Math.floor(rnd() * 12);
      for (let j = 0; j < n; j++) s += pieces[Math.floor(rnd() * pieces.length)] ?? '';
      assertSafe(sanitizeFileName(s));
    }
  });

  it('numbers alternatives before the extension', () => {
    assert.equal(numberedName('a.txt', 1), 'a (1).txt');
    assert.equal(numberedName('archive', 12), 'archive (12)');
    assert.ok(Buffer.byteLength(numberedName(sanitizeFileName(`${'b'.repeat(400)}.bin`), 3)) <= MAX_NAME_BYTES);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  APP_ENTRY,
  CONTENT_SECURITY_POLICY,
  contentTypeOf,
  isAppUrl,
  isExternalWebUrl,
  resolveAppFile,
} from '../../../main/shell/app-origin.ts';

const root = path.resolve('/opt/parley/dist/renderer');

describe('shell/app-origin', () => {
  it('maps app://parley/ paths to files under the renderer folder', () => {
    assert.equal(resolveAppFile(root, APP_ENTRY), path.join(root, 'index.html'));
    assert.equal(resolveAppFile(root, 'app://parley/'), path.join(root, 'index.html'));
    assert.equal(resolveAppFile(root, 'app://parley/main.js?v=1#x'), path.join(root, 'main.js'));
    assert.equal(resolveAppFile(root, 'app://parley/assets/a%20b.svg'), path.join(root, 'assets', 'a b.svg'));
  });

  it('refuses path traversal, other hosts and other schemes', () => {
    for (const url of [
      'app://parley/../../etc/passwd',
      'app://parley/%2e%2e/%2e%2e/etc/passwd',
      'app://parley/..%2f..%2fetc%2fpasswd',
      'app://parley/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://parley/..%5c..%5cwindows%5cwin.ini',
      'app://parley/a%00.html',
      'app://parley/%E0%A4%A',
      'app://evil/index.html',
      'app://parley.evil/index.html',
      'file:///opt/parley/dist/renderer/index.html',
      'https://parley/index.html',
      'not a url',
    ]) {
      const file = resolveAppFile(root, url);
      assert.ok(file === null || file.startsWith(root + path.sep), `${url} -> ${String(file)}`);
      if (!url.startsWith('app://parley/')) assert.equal(file, null, url);
    }
    assert.equal(resolveAppFile(root, 'app://parley/..%2f..%2fetc%2fpasswd'), null);
  });

  it('recognises only our origin as the app', () => {
    assert.ok(isAppUrl('app://parley/index.html'));
    assert.ok(!isAppUrl('app://parley.example/index.html'));
    assert.ok(!isAppUrl('https://parley/index.html'));
    assert.ok(!isAppUrl('devtools://devtools/bundled/inspector.html'));
  });

  it('hands only http(s) URLs to the system browser', () => {
    assert.ok(isExternalWebUrl('https://example.org/a?b'));
    assert.ok(isExternalWebUrl('http://example.org/'));
    for (const url of [
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'app://parley/',
      'xmpp:a@b',
      '',
    ]) {
      assert.ok(!isExternalWebUrl(url), url);
    }
  });

  it('serves with a restrictive CSP and explicit content types', () => {
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/u);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/u);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-(inline|eval)/u);
    assert.equal(contentTypeOf('/x/index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeOf('/x/main.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeOf('/x/blob.bin'), 'application/octet-stream');
  });
});

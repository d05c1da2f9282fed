import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commands } from '../../../preload/contract.ts';
import { CoreError } from '../../../main/core/errors.ts';
import { checkExternalUrl } from '../../../main/core/open-external.ts';
import { createWebLinkOpener } from '../../../main/web/open-external.ts';
import { startCore } from '../../support/core.ts';

const badRequest = (pattern: RegExp) => (err: unknown) =>
  err instanceof CoreError && err.code === 'bad-request' && pattern.test(err.message);

describe('api: app.openExternal', () => {
  it('takes { url } only, at most 4096 characters', () => {
    const input = commands['app.openExternal'].input;
    assert.ok(input.safeParse({ url: 'https://example.org/' }).success);
    assert.ok(!input.safeParse({ url: 'https://example.org/', extra: 1 }).success);
    assert.ok(!input.safeParse({ url: `https://example.org/${'a'.repeat(4096)}` }).success);
    assert.ok(!input.safeParse({}).success);
    assert.ok(!input.safeParse({ url: 42 }).success);
  });

  it('allows http, https and mailto, normalized', () => {
    assert.equal(checkExternalUrl('https://Example.org/a b'), 'https://example.org/a%20b');
    assert.equal(checkExternalUrl('http://example.org'), 'http://example.org/');
    assert.equal(checkExternalUrl('mailto:me@example.org'), 'mailto:me@example.org');
  });

  it('refuses every other scheme, and nonsense, with bad-request', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\nscript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'smb://host/share',
      'app://parley/index.html',
      'chrome://settings',
      'ftp://example.org/',
    ]) {
      assert.throws(() => checkExternalUrl(url), badRequest(/only opens web .* and e-mail/u), url);
    }
    assert.throws(() => checkExternalUrl('not a url'), badRequest(/not a valid address/u));
    assert.throws(() => checkExternalUrl(''), badRequest(/not a valid address/u));
    assert.throws(() => checkExternalUrl('xmpp:alice@example.org'), badRequest(/cannot open xmpp: links yet/u));
  });

  it('hands checked URLs to the host port, and nothing else', async () => {
    const opened: string[] = [];
    const test = await startCore(undefined, {
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
    try {
      const open = test.core.handlers['app.openExternal'];
      assert.deepEqual(await open({ url: 'https://example.org/x' }), {});
      await assert.rejects(open({ url: 'javascript:alert(1)' }), badRequest(/javascript:/u));
      await assert.rejects(open({ url: 'xmpp:bob@example.org' }), badRequest(/xmpp/u));
      assert.deepEqual(opened, ['https://example.org/x']);
    } finally {
      await test.shutdown();
    }
  });

  it('fails clearly when the host gave no port, or the port fails', async () => {
    const without = await startCore();
    try {
      await assert.rejects(
        without.core.handlers['app.openExternal']({ url: 'https://example.org/' }),
        (err: unknown) =>
          err instanceof CoreError && err.code === 'internal' && err.message.includes('cannot open links'),
      );
    } finally {
      await without.shutdown();
    }
    const failing = await startCore(undefined, { openExternal: () => Promise.reject(new Error('no browser')) });
    try {
      await assert.rejects(
        failing.core.handlers['app.openExternal']({ url: 'https://example.org/' }),
        (err: unknown) =>
          err instanceof CoreError && err.code === 'internal' && err.message.includes('could not be opened'),
      );
    } finally {
      await failing.shutdown();
    }
  });

  it('in the web host, only reports the link', async () => {
    const lines: string[] = [];
    const opener = createWebLinkOpener((line) => lines.push(line));
    await opener.openExternal('https://example.org/');
    assert.deepEqual(opener.opened, ['https://example.org/']);
    assert.deepEqual(lines, ['Parley web: would open https://example.org/']);
  });
});

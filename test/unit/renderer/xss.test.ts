/**
 * Hostile message bodies render as text. The rendering logic lives in
 * message-text.ts (createElement, no JSX) precisely so that this test can load
 * it: Node strips types but does not transform JSX. MessageText.tsx only adds
 * a memoized parse and the wrapping <div class="body">.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { renderBlocks } from '../../../renderer/features/chat/message-text.ts';
import { parseStyling } from '../../../renderer/features/chat/styling.ts';

const ALLOWED_TAGS = new Set(['div', 'span', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'a']);
const ALLOWED_ATTRIBUTES = new Set(['class', 'dir', 'aria-hidden', 'href', 'title', 'rel']);

const render = (body: string): string =>
  renderToStaticMarkup(
    createElement(
      'div',
      { className: 'body' },
      renderBlocks(parseStyling(body), () => undefined),
    ),
  );

const decode = (s: string): string =>
  s
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&quot;/gu, '"')
    .replace(/&#x27;/gu, "'")
    .replace(/&#39;/gu, "'")
    .replace(/&amp;/gu, '&');

interface Tag {
  name: string;
  attributes: Map<string, string>;
}

/** Every start tag in the markup, with its attributes (React quotes every value with "). */
function tags(markup: string): Tag[] {
  return [...markup.matchAll(/<([a-zA-Z][^\s/>]*)([^>]*)>/gu)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attributes: new Map(
      [...(m[2] ?? '').matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/gu)].map((a) => [
        (a[1] ?? '').toLowerCase(),
        decode(a[2] ?? ''),
      ]),
    ),
  }));
}

/** The visible text: tags dropped, entities decoded. */
const text = (markup: string): string => decode(markup.replace(/<[^>]*>/gu, ''));

const CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><svg/onload=alert(1)>",
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(document.cookie)',
  '[click](javascript:alert(1))',
  '[click](https://example.org)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#106;avascript:alert(1)',
  '*<b>bold</b>* _<i onmouseover=alert(1)>x</i>_ ~<u>u</u>~ `<code>`',
  '```html\n<script>alert(1)</script>\n```',
  '> <blockquote onclick=alert(1)>\n>> <img src=x onerror=alert(1)>',
  'https://example.org/"onmouseover="alert(1)',
  "https://example.org/'onmouseover='alert(1)",
  'https://example.org/<script>alert(1)</script>',
  'https://example.org/\u202egnp.exe',
  'mailto:a@example.org?body=<script>alert(1)</script>',
  'xmpp:a@example.org?message;body=%3Cscript%3E',
  'https://javascript:alert(1)@example.org/',
  'http://example.org/?q=javascript:alert(1)',
  'user\u202eexe.txt\u202c normal \u2066isolate\u2069 \u200f',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '<!-- comment --><![CDATA[x]]>',
  '\u0000\u0001\u0008\u001f NUL and controls',
  'x'.repeat(5000) + '<script>',
];

describe('renderer/message-text: an XSS corpus renders as text', () => {
  for (const body of CORPUS) {
    it(JSON.stringify(body.length > 60 ? `${body.slice(0, 60)}…` : body), () => {
      const markup = render(body);
      for (const tag of tags(markup)) {
        assert.ok(ALLOWED_TAGS.has(tag.name), `unexpected <${tag.name}> in ${markup}`);
        for (const [name, value] of tag.attributes) {
          assert.ok(ALLOWED_ATTRIBUTES.has(name), `unexpected attribute ${name} in ${markup}`);
          assert.doesNotMatch(name, /^on/iu);
          if (name === 'href') assert.match(value, /^(https?|mailto|xmpp):/u, `href ${value}`);
        }
        if (tag.name === 'a') assert.ok(tag.attributes.has('href'));
      }
      assert.doesNotMatch(markup, /href="\s*(javascript|data|vbscript|file):/iu);
      // Nothing was lost or turned into markup: the text is the body, less line breaks (and quote
      // markers, and link text with bidi controls, shown as the encoded URL: tested below).
      const comparable = !body.startsWith('>') && !/[a-z]:\S*[\u202a-\u202e\u2066-\u2069]/u.test(body);
      if (comparable) assert.equal(text(markup).replace(/\n/gu, ''), body.replace(/\n/gu, ''));
    });
  }

  it('never turns javascript: into a link, however it is dressed', () => {
    for (const body of ['javascript:alert(1)', '*javascript:alert(1)*', 'x javascript://%0aalert(1)', 'JAVASCRIPT:x']) {
      assert.ok(!tags(render(body)).some((t) => t.name === 'a'), body);
    }
  });

  it('links http(s) URLs, with the href the parser normalized', () => {
    const markup = render('see https://example.org/a_(b). ok');
    const links = tags(markup).filter((t) => t.name === 'a');
    assert.equal(links.length, 1);
    const link = links[0];
    assert.ok(link);
    assert.equal(link.attributes.get('href'), 'https://example.org/a_(b)');
    assert.equal(link.attributes.get('rel'), 'noopener noreferrer');
    assert.equal(text(markup), 'see https://example.org/a_(b). ok');
  });

  it('shows a link with bidirectional controls by its encoded URL, not its spoofable text', () => {
    const markup = render('https://example.org/\u202egnp.exe');
    assert.ok(!text(markup).includes('\u202e'));
    assert.equal(text(markup), 'https://example.org/%E2%80%AEgnp.exe');
  });

  it('renders the styling with the directives kept, dimmed and hidden from screen readers', () => {
    assert.equal(
      render('*b* _i_ ~s~ `c`'),
      '<div class="body"><div class="line" dir="auto">' +
        '<strong><span class="directive" aria-hidden="true">*</span>b<span class="directive" aria-hidden="true">*</span></strong> ' +
        '<em><span class="directive" aria-hidden="true">_</span>i<span class="directive" aria-hidden="true">_</span></em> ' +
        '<s><span class="directive" aria-hidden="true">~</span>s<span class="directive" aria-hidden="true">~</span></s> ' +
        '<code><span class="directive" aria-hidden="true">`</span>c<span class="directive" aria-hidden="true">`</span></code>' +
        '</div></div>',
    );
    assert.equal(
      render('> q\n```\n*x*\n```'),
      '<div class="body"><blockquote><div class="line" dir="auto">q</div></blockquote>' +
        '<pre><span class="directive" aria-hidden="true">```</span>\n*x*\n<span class="directive" aria-hidden="true">```</span></pre></div>',
    );
  });
});

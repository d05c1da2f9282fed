import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findLinks,
  MAX_QUOTE_DEPTH,
  parseSpans,
  parseStyling,
  type Block,
  type Span,
} from '../../../renderer/features/chat/styling.ts';

/** A compact view of spans: *strong*, _emphasis_, ~strike~, `code`, [link](url), plain text as is. */
function show(spans: readonly Span[]): string {
  return spans
    .map((s) => {
      switch (s.type) {
        case 'text':
          return s.text;
        case 'link':
          return `[${s.text}](${s.url})`;
        case 'code':
          return `<code>${s.text}</code>`;
        default:
          return `<${s.type}>${show(s.children)}</${s.type}>`;
      }
    })
    .join('');
}

const line = (text: string): string => show(parseSpans(text));

/** Blocks as lines of text: quotes prefixed with "|", pre blocks as <pre>…</pre>. */
function blocks(list: readonly Block[]): string[] {
  return list.flatMap((b) => {
    switch (b.type) {
      case 'line':
        return [show(b.spans)];
      case 'pre':
        return [`<pre ${b.open}>${b.lines.join('\\n')}${b.close === null ? '' : '</pre>'}`];
      case 'quote':
        return blocks(b.children).map((l) => `|${l}`);
    }
  });
}

describe('renderer/styling: spans (XEP-0393 §5.2)', () => {
  it('styles the XEP’s positive examples', () => {
    assert.equal(line('*strong*'), '<strong>strong</strong>');
    assert.equal(line('plain *strong* plain'), 'plain <strong>strong</strong> plain');
    assert.equal(line('*strong* plain *strong*'), '<strong>strong</strong> plain <strong>strong</strong>');
    assert.equal(line('*strong*plain*'), '<strong>strong</strong>plain*');
    assert.equal(line('* plain *strong*'), '* plain <strong>strong</strong>');
  });

  it('leaves the XEP’s negative examples plain', () => {
    for (const text of ['not strong*', '*not strong', '*not *strong', '**', '****', '* not strong*', '*not strong *']) {
      assert.equal(line(text), text, text);
    }
    assert.deepEqual(blocks(parseStyling('*not \n strong*')), ['*not ', ' strong*']);
  });

  it('has emphasis, strike through and preformatted spans', () => {
    assert.equal(line('_most_ people'), '<emphasis>most</emphasis> people');
    assert.equal(line('Everyone ~dis~likes cake.'), 'Everyone <strike>dis</strike>likes cake.');
    assert.equal(line('Wow, I can write in `monospace`!'), 'Wow, I can write in <code>monospace</code>!');
  });

  it('nests spans, but nothing inside a preformatted span', () => {
    assert.equal(
      line('_emphasized span containing *strong span*_'),
      '<emphasis>emphasized span containing <strong>strong span</strong></emphasis>',
    );
    assert.equal(line('This is `*monospace*`'), 'This is <code>*monospace*</code>');
    assert.equal(line('This is *`monospace and bold`*'), 'This is <strong><code>monospace and bold</code></strong>');
    assert.equal(line('_*~all three~*_'), '<emphasis><strong><strike>all three</strike></strong></emphasis>');
  });

  it('opens only at the line start, after whitespace, or after a different opening directive', () => {
    assert.equal(line('snake_case_name'), 'snake_case_name');
    assert.equal(line('2*3*4'), '2*3*4');
    assert.equal(line('(*not strong*)'), '(*not strong*)');
    assert.equal(line('tab\t*strong*'), 'tab\t<strong>strong</strong>');
    assert.equal(line('ideographic\u3000*space*'), 'ideographic\u3000<strong>space</strong>');
    // the same directive twice is no opening
    assert.equal(line('**x**'), '**x**');
  });

  it('matches lazily: the first valid closing directive wins', () => {
    assert.equal(line('*a* b*'), '<strong>a</strong> b*');
    assert.equal(line('*a *b* c*'), '<strong>a *b</strong> c*');
  });

  it('keeps the directives in the tree, so that they can be shown', () => {
    assert.deepEqual(parseSpans('*x*'), [{ type: 'strong', directive: '*', children: [{ type: 'text', text: 'x' }] }]);
    assert.deepEqual(parseSpans('`x`'), [{ type: 'code', directive: '`', text: 'x' }]);
  });

  it('parses long hostile lines (many unclosed openers, many spans)', () => {
    const long = '*a '.repeat(20_000) + '_b ~c `d';
    assert.equal(line(long), long);
    const many = '*a* '.repeat(20_000);
    assert.equal(parseSpans(many).filter((s) => s.type === 'strong').length, 20_000);
  });
});

describe('renderer/styling: blocks (XEP-0393 §5.1)', () => {
  it('splits plain lines, and never lets a span escape its line', () => {
    assert.deepEqual(blocks(parseStyling('one *two\nthree* four')), ['one *two', 'three* four']);
    assert.deepEqual(blocks(parseStyling('a\r\nb\n\nc')), ['a', 'b', '', 'c']);
  });

  it('has preformatted blocks: no spans inside, closed by a line of exactly ```', () => {
    assert.deepEqual(parseStyling('```ignored\n(println "*Hello*")\n```\nThis *is* plain'), [
      { type: 'pre', open: '```ignored', lines: ['(println "*Hello*")'], close: '```' },
      {
        type: 'line',
        spans: [{ type: 'text', text: 'This ' }, parseSpans('*is*')[0], { type: 'text', text: ' plain' }],
      },
    ]);
    assert.deepEqual(blocks(parseStyling('```\na\n``` not a fence\nb')), ['<pre ```>a\\n``` not a fence\\nb']);
  });

  it('ends an unterminated preformatted block with its parent block', () => {
    assert.deepEqual(blocks(parseStyling('> ```\n> (println "Hello")\n\nplain *again*')), [
      '|<pre ```>(println "Hello")',
      '',
      'plain <strong>again</strong>',
    ]);
  });

  it('has quotations: nested, one leading whitespace trimmed, ended by the first line without ">"', () => {
    assert.deepEqual(blocks(parseStyling('>> That that is, is.\n> Said the *old* hermit of Prague.\n\nWho?')), [
      '||That that is, is.',
      '|Said the <strong>old</strong> hermit of Prague.',
      '',
      'Who?',
    ]);
    assert.deepEqual(blocks(parseStyling('>no space\n>  two spaces')), ['|no space', '| two spaces']);
    assert.deepEqual(blocks(parseStyling(' > not a quote')), [' > not a quote']);
  });

  it('shows quotations nested deeper than the limit as plain text', () => {
    const deep = '>'.repeat(10_000) + ' deep';
    const result = blocks(parseStyling(deep));
    assert.deepEqual(result, ['|'.repeat(MAX_QUOTE_DEPTH) + '>'.repeat(10_000 - MAX_QUOTE_DEPTH) + ' deep']);
  });
});

describe('renderer/styling: links', () => {
  const links = (text: string): string[] => findLinks(text).map((l) => l.text);

  it('finds http, https, mailto and xmpp links, and nothing else', () => {
    assert.deepEqual(links('see http://a.example/x and HTTPS://b.example'), [
      'http://a.example/x',
      'HTTPS://b.example',
    ]);
    assert.deepEqual(links('mail mailto:me@example.org or xmpp:room@muc.example.org?join'), [
      'mailto:me@example.org',
      'xmpp:room@muc.example.org?join',
    ]);
    assert.deepEqual(
      links('javascript:alert(1) file:///etc/passwd data:text/html,x ftp://x.example www.example.org'),
      [],
    );
    assert.deepEqual(links('http:// https:/// mailto: mailto:nobody xmpp:'), []);
  });

  it('needs a boundary before the scheme', () => {
    assert.deepEqual(links('xhttp://a.example'), []);
    assert.deepEqual(links('(https://a.example)'), ['https://a.example']);
    assert.deepEqual(links('看https://a.example。好的'), ['https://a.example']);
  });

  it('leaves trailing punctuation and unbalanced closing brackets out', () => {
    assert.deepEqual(links('Go to https://a.example/page.'), ['https://a.example/page']);
    assert.deepEqual(links('(see https://a.example/x)'), ['https://a.example/x']);
    assert.deepEqual(links('https://en.wikipedia.org/wiki/Foo_(bar), ok'), ['https://en.wikipedia.org/wiki/Foo_(bar)']);
    assert.deepEqual(links('https://a.example/?q=1!?'), ['https://a.example/?q=1']);
    assert.deepEqual(links('[https://a.example/a]'), ['https://a.example/a']);
    assert.deepEqual(links('"https://a.example/q"'), ['https://a.example/q']);
    assert.deepEqual(links('<https://a.example/q>'), ['https://a.example/q']);
  });

  it('normalizes the URL it hands on', () => {
    assert.deepEqual(findLinks('https://EXAMPLE.org/a b'), [
      { start: 0, end: 21, text: 'https://EXAMPLE.org/a', url: 'https://example.org/a' },
    ]);
  });

  it('treats links as atomic inside styled text', () => {
    assert.equal(
      line('_see https://en.wikipedia.org/wiki/Foo_(bar) now_'),
      '<emphasis>see [https://en.wikipedia.org/wiki/Foo_(bar)](https://en.wikipedia.org/wiki/Foo_(bar)) now</emphasis>',
    );
    assert.equal(line('*https://a.example/*x*'), '<strong>[https://a.example/*x](https://a.example/*x)</strong>');
    assert.equal(line('`https://a.example`'), '<code>https://a.example</code>');
  });
});

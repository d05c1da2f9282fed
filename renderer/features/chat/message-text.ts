/**
 * A message body as React elements: XEP-0393 styling (see styling.ts) and
 * links. Only React text nodes and a fixed set of elements (div, span, strong,
 * em, s, code, pre, blockquote, a) with fixed attributes are ever produced;
 * nothing from the body becomes markup or an attribute other than a link's
 * href, which styling.ts only yields for http:, https:, mailto: and xmpp:.
 *
 * Written with createElement instead of JSX so that Node's type stripping
 * can load it: test/unit/renderer/xss.test.ts renders it to static markup.
 * MessageText.tsx is the component around it.
 */
import { createElement as h, type MouseEvent, type ReactNode } from 'react';
import type { Block, Span } from './styling.ts';

/** Asks the host to open a URL in the system browser (or mail client). Called only on a user's click. */
export type OpenLink = (url: string) => void;

/** Bidirectional controls: they could make a link read as something else. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** A styling directive, kept visible but dimmed (XEP-0393 §6) and skipped by screen readers (§7). */
function directive(text: string, key?: string): ReactNode {
  return h('span', { key, className: 'directive', 'aria-hidden': true }, text);
}

const TAGS = { strong: 'strong', emphasis: 'em', strike: 's' } as const;

function renderSpan(span: Span, key: number, open: OpenLink): ReactNode {
  switch (span.type) {
    case 'text':
      return span.text;
    case 'link': {
      const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
        // Never navigate this window: the host opens the link, only now that the user asked for it.
        e.preventDefault();
        open(span.url);
      };
      const onAuxClick = (e: MouseEvent<HTMLAnchorElement>): void => {
        e.preventDefault(); // no new tab or window either (middle click)
        if (e.button === 1) open(span.url);
      };
      return h(
        'a',
        { key, href: span.url, className: 'link', title: span.url, rel: 'noopener noreferrer', onClick, onAuxClick },
        BIDI_CONTROLS.test(span.text) ? span.url : span.text,
      );
    }
    case 'code':
      return h('code', { key }, directive(span.directive, 'o'), span.text, directive(span.directive, 'c'));
    case 'strong':
    case 'emphasis':
    case 'strike':
      return h(
        TAGS[span.type],
        { key },
        directive(span.directive, 'o'),
        ...span.children.map((child, i) => renderSpan(child, i, open)),
        directive(span.directive, 'c'),
      );
  }
}

function renderBlock(block: Block, key: number, open: OpenLink): ReactNode {
  switch (block.type) {
    case 'line':
      return h('div', { key, className: 'line', dir: 'auto' }, ...block.spans.map((s, i) => renderSpan(s, i, open)));
    case 'pre':
      return h(
        'pre',
        { key },
        directive(block.open, 'o'),
        block.lines.map((l) => `\n${l}`).join(''),
        ...(block.close === null ? [] : ['\n', directive(block.close, 'c')]),
      );
    case 'quote':
      return h('blockquote', { key }, renderBlocks(block.children, open));
  }
}

export function renderBlocks(blocks: readonly Block[], open: OpenLink): ReactNode[] {
  return blocks.map((b, i) => renderBlock(b, i, open));
}

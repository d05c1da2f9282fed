/**
 * A message body, styled (XEP-0393) and with clickable links, as React text
 * nodes and a few fixed elements: never HTML. The rendering is in
 * message-text.ts (plain TypeScript, so the XSS test can load it in Node).
 */
import { useMemo, type ReactNode } from 'react';
import { renderBlocks, type OpenLink } from './message-text.ts';
import { parseStyling, type Block } from './styling.ts';

/** Parsed bodies by text: rows come and go as the list scrolls, their bodies do not change. */
const parsed = new Map<string, readonly Block[]>();
const PARSED_MAX = 2000;

function parseCached(body: string): readonly Block[] {
  let blocks = parsed.get(body);
  if (blocks === undefined) {
    blocks = parseStyling(body);
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value ?? '');
    parsed.set(body, blocks);
  }
  return blocks;
}

export function MessageText({ body, onOpenLink }: { body: string; onOpenLink: OpenLink }): ReactNode {
  const blocks = useMemo(() => parseCached(body), [body]);
  return <div className="body">{useMemo(() => renderBlocks(blocks, onOpenLink), [blocks, onOpenLink])}</div>;
}

/**
 * A message body, styled (XEP-0393) and with clickable links, as React text
 * nodes and a few fixed elements: never HTML. The rendering is in
 * message-text.ts (plain TypeScript, so the XSS test can load it in Node).
 */
import { useMemo, type ReactNode } from 'react';
import { renderBlocks, type OpenLink } from './message-text.ts';
import { parseStyling } from './styling.ts';

export function MessageText({ body, onOpenLink }: { body: string; onOpenLink: OpenLink }): ReactNode {
  const blocks = useMemo(() => parseStyling(body), [body]);
  return <div className="body">{renderBlocks(blocks, onOpenLink)}</div>;
}

/** Parses an XML fixture into an xmpp.js element, as the stream parser would. */
import { Parser } from '@xmpp/xml';
import type { Element } from '@xmpp/xml';

export function stanza(text: string): Element {
  const parser = new Parser();
  let result: Element | undefined;
  parser.on('element', (el: Element) => (result = el));
  parser.write(`<stream xmlns="jabber:client">${text}`);
  if (!result) throw new Error('no element parsed');
  return result;
}

/**
 * Finds English left in text that should be Chinese: every Latin-letter word
 * that is not an address, a domain, a link, or on a small list of names that
 * stay as they are in every language (brands, protocols, file formats, keys).
 * Used by the translation tables' unit test and by the e2e walk of every screen.
 */

/** Words that are the same in every language. */
export const SAME_IN_EVERY_LANGUAGE: ReadonlySet<string> = new Set([
  // brand and protocol names
  'Parley',
  'XMPP',
  'Jabber',
  'TLS',
  'SHA',
  'OMEMO',
  'vCard',
  // file formats and units
  'JSON',
  'PNG',
  'JPEG',
  'GIF',
  'WebP',
  'KB',
  'MB',
  'GB',
  // languages named in their own language (the language picker)
  'English',
  // key names printed on keyboards
  'Enter',
  'Shift',
  'Escape',
  'Esc',
  'Ctrl',
  'Cmd',
  'Tab',
  'Alt',
]);

/**
 * Hex fingerprints (AB:CD:…), key combinations (Ctrl+W), emoji shortcodes (:smile:), addresses (name@host, with an
 * optional /resource), links and host names (a.b, host:port).
 */
const TOKENS =
  /\b[0-9A-F]{2}(?::[0-9A-F]{2})+:?|\b(?:Ctrl|Cmd|Control|Meta|Shift|Alt|Option)(?:\+\w+)+|:[\w+-]+:|\b[\w.+-]+@[\w.-]+(?:\/\S*)?|\b(?:https?|xmpp|mailto):\S+|\b[\w-]+(?:\.[\w-]+)+(?::\d+)?\b/giu;
const WORD = /[A-Za-z]+(?:['’-][A-Za-z]+)*/gu;

/** The Latin words in `text` that are not allowed (in order, duplicates kept). */
export function untranslatedWords(text: string, alsoAllowed: Iterable<string> = []): string[] {
  const allowed = new Set([...SAME_IN_EVERY_LANGUAGE, ...alsoAllowed]);
  const rest = text.replace(TOKENS, ' ');
  return [...rest.matchAll(WORD)].map((m) => m[0]).filter((w) => !allowed.has(w));
}

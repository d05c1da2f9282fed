/**
 * The web host's `openExternal` port: it opens nothing. The web host cannot
 * open a browser on the user's behalf safely: its core may run headless, as
 * another user, or for a test, and the page asking is already in a browser
 * tab. So a clicked link (already checked by the core: http, https or mailto)
 * is only reported, as one line on stdout ("Parley web: would open URL"), and
 * kept in `opened` (the most recent ones) for whoever embeds the host.
 */
const KEEP = 100;

export interface WebLinkOpener {
  /** The URLs clicked so far, oldest first (at most the last 100). */
  readonly opened: string[];
  readonly openExternal: (url: string) => Promise<void>;
}

export function createWebLinkOpener(
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): WebLinkOpener {
  const opened: string[] = [];
  return {
    opened,
    openExternal: (url) => {
      opened.push(url);
      if (opened.length > KEEP) opened.shift();
      print(`Parley web: would open ${url}`);
      return Promise.resolve();
    },
  };
}

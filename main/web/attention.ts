/**
 * The web host's attention ports (issue 7): the browser tab cannot show native notifications
 * or a tray for the core, so the intents are logged and kept in a list (the newest last)
 * that tests read. Electron's ports are main/shell/notifier.ts and tray.ts.
 */
import type { NotificationIntent, NotifierPort, TrayModel, TrayPort } from '../core/attention/ports.ts';
import type { Logger } from '../core/log.ts';

export interface WebAttention {
  notifier: NotifierPort;
  tray: TrayPort;
  /** Every notification intent shown, in order (replacements included). */
  readonly shown: NotificationIntent[];
  /** Tags closed, in order. */
  readonly closed: string[];
  /** The tray as the core last described it. */
  readonly trayState: { current: TrayModel | undefined };
}

/** At most this many intents are kept (a long-running `npm run web`). */
const KEEP = 1000;

export function createWebAttention(log: Logger): WebAttention {
  const shown: NotificationIntent[] = [];
  const closed: string[] = [];
  const trayState: { current: TrayModel | undefined } = { current: undefined };
  return {
    shown,
    closed,
    trayState,
    notifier: {
      show(intent) {
        shown.push(intent);
        if (shown.length > KEEP) shown.shift();
        // The tag and count only: message text stays out of the log.
        log.info('notify', `${intent.replace ? 'update' : 'show'} ${intent.tag} (${String(intent.count)})`);
      },
      close(tag) {
        closed.push(tag);
        if (closed.length > KEEP) closed.shift();
        log.debug('notify', `close ${tag}`);
      },
    },
    tray: {
      update(model) {
        trayState.current = model;
        log.debug('tray', `${model.presence}, ${String(model.unread)} unread${model.muted ? ', muted' : ''}`);
      },
    },
  };
}

/**
 * `--test-hooks` (end-to-end tests only): each notification intent is printed as one line
 * `Parley notification: {json}` on stdout, and a line `open-target {json}` on stdin clicks
 * one (as the OS would). Nothing is exposed beyond the process that started the host.
 */
export function exposeToParent(
  attention: WebAttention,
  openTarget: (target: NotificationIntent['target']) => void,
  log: Logger,
): void {
  const show = attention.notifier.show.bind(attention.notifier);
  attention.notifier.show = (intent) => {
    show(intent);
    process.stdout.write(`Parley notification: ${JSON.stringify(intent)}\n`);
  };
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
      const match = /^open-target (\{.*\})$/u.exec(line);
      if (!match?.[1]) continue;
      try {
        const target = JSON.parse(match[1]) as { accountId?: unknown; peer?: unknown; messageId?: unknown };
        if (typeof target.accountId !== 'string') throw new Error('no accountId');
        openTarget({
          accountId: target.accountId,
          ...(typeof target.peer === 'string' ? { peer: target.peer } : {}),
          ...(typeof target.messageId === 'number' ? { messageId: target.messageId } : {}),
        });
      } catch (err) {
        log.warn('web', 'ignored a malformed test hook line', err);
      }
    }
  });
}

/**
 * The core's NotifierPort on Electron's Notification (issue 7): one native notification per
 * tag, replaced in place; a click goes back to the core (`openTarget`), which shows the
 * window and tells the renderer where to go. No logic here: the core decided everything.
 */
import { Notification } from 'electron';
import type { NotificationIntent, NotificationTarget, NotifierPort } from '../core/attention/ports.ts';
import type { Logger } from '../core/log.ts';

export function createElectronNotifier(onClick: (target: NotificationTarget) => void, log: Logger): NotifierPort {
  const shown = new Map<string, Notification>();
  const supported = Notification.isSupported();
  if (!supported) log.info('shell', 'this desktop shows no notifications');
  return {
    show(intent: NotificationIntent) {
      if (!supported) return;
      shown.get(intent.tag)?.close();
      const n = new Notification({
        title: intent.title,
        body: intent.body,
        ...(intent.icon !== undefined ? { icon: intent.icon } : {}),
        silent: !intent.sound,
      });
      n.on('click', () => {
        shown.delete(intent.tag);
        onClick(intent.target);
      });
      n.on('close', () => {
        if (shown.get(intent.tag) === n) shown.delete(intent.tag);
      });
      shown.set(intent.tag, n);
      n.show();
    },
    close(tag: string) {
      shown.get(tag)?.close();
      shown.delete(tag);
    },
  };
}

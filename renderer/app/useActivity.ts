/**
 * Client state indication (XEP-0352, through `app.setActive`): the window is
 * active when it is visible and focused. Changes are debounced (quick alt-tabs
 * send nothing), only real changes are sent, and the state is sent again on
 * every new connection to the core.
 */
import { useEffect } from 'react';
import { useClient, useEpoch } from './core.ts';

/** Becoming active is reported quickly (the server then flushes what it held back). */
const ACTIVE_DELAY_MS = 300;
const INACTIVE_DELAY_MS = 2000;

const isActive = (): boolean => document.visibilityState === 'visible' && document.hasFocus();

export function useActivity(): void {
  const client = useClient();
  const epoch = useEpoch();

  useEffect(() => {
    if (epoch === 0) return undefined;
    let sent: boolean | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const flush = (): void => {
      const active = isActive();
      if (active === sent) return;
      sent = active;
      client.call('app.setActive', { active }).catch(() => {
        sent = null; // not delivered: say it again on the next change
      });
    };
    const schedule = (): void => {
      clearTimeout(timer);
      timer = setTimeout(flush, isActive() ? ACTIVE_DELAY_MS : INACTIVE_DELAY_MS);
    };

    flush();
    document.addEventListener('visibilitychange', schedule);
    window.addEventListener('focus', schedule);
    window.addEventListener('blur', schedule);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', schedule);
      window.removeEventListener('focus', schedule);
      window.removeEventListener('blur', schedule);
    };
  }, [client, epoch]);
}

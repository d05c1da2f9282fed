/**
 * Conversations open as tabs. Which ones are open is the conversations' `tab`
 * flag (so they reopen after a restart, in the order the list had then); the
 * order after that is the order they were opened in. Opening a conversation
 * adds its tab and selects it; closing selects its neighbour.
 *
 * Keyboard: Ctrl+Tab / Ctrl+Shift+Tab (and Ctrl+PageDown / Ctrl+PageUp, which
 * browsers leave to the page) go to the next / previous tab, Ctrl+W closes the
 * current one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Conversation } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { conversationKey } from './useConversations.ts';

export interface Tabs {
  /** The open tabs' conversation keys, in order. */
  keys: readonly string[];
  selected: string | null;
  open: (accountId: string, peer: string) => void;
  select: (key: string) => void;
  close: (key: string) => void;
  /** Show no conversation (narrow windows: back to the lists); the tabs stay. */
  deselect: () => void;
}

/** The account and address of a conversation key. */
export function splitKey(key: string): { accountId: string; peer: string } {
  const at = key.indexOf('\n');
  return { accountId: key.slice(0, at), peer: key.slice(at + 1) };
}

export function useTabs(
  conversations: readonly Conversation[] | undefined,
  accountIds: readonly string[],
  put: (c: Conversation) => void,
  patch: (key: string, change: { tab: boolean }) => void,
): Tabs {
  const client = useClient();
  const [order, setOrder] = useState<readonly string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const seeded = useRef(false);

  // Tabs the core remembers (a restart, an account's list arriving) join at the end.
  useEffect(() => {
    if (conversations === undefined) return;
    const open = conversations.filter((c) => c.tab === true).map(conversationKey);
    setOrder((o) => {
      const missing = open.filter((k) => !o.includes(k));
      return missing.length === 0 ? o : [...o, ...missing];
    });
    if (!seeded.current) {
      seeded.current = true;
      const first = open[0];
      if (first !== undefined) setSelected((s) => s ?? first);
    }
  }, [conversations]);

  const accountsKey = accountIds.join('\n');
  const keys = order.filter((k) => accountsKey.split('\n').includes(splitKey(k).accountId));

  const tell = useCallback(
    (key: string, tab: boolean) => {
      const { accountId, peer } = splitKey(key);
      patch(key, { tab });
      // Closing keeps what the list has (the conversation may be gone: its history deleted).
      client.call('conversation.update', { accountId, peer, tab }).then(tab ? put : () => undefined, () => undefined);
    },
    [client, put, patch],
  );

  const open = useCallback(
    (accountId: string, peer: string) => {
      const key = conversationKey({ accountId, peer });
      setOrder((o) => (o.includes(key) ? o : [...o, key]));
      setSelected(key);
      tell(key, true);
    },
    [tell],
  );

  const close = useCallback(
    (key: string) => {
      const i = keys.indexOf(key);
      const neighbour = keys[i + 1] ?? keys[i - 1] ?? null;
      setSelected((s) => (s === key ? neighbour : s));
      setOrder((o) => o.filter((k) => k !== key));
      tell(key, false);
    },
    [keys, tell],
  );

  const select = useCallback((key: string) => {
    setSelected(key);
  }, []);
  const deselect = useCallback(() => {
    setSelected(null);
  }, []);

  // The shortcuts act on the tabs of the moment.
  const latest = useRef({ keys, selected, close });
  latest.current = { keys, selected, close };
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (!e.ctrlKey || e.altKey || e.metaKey || document.querySelector('dialog[open]') !== null) return;
      const { keys: tabs, selected: current, close: closeTab } = latest.current;
      const step =
        e.key === 'Tab' ? (e.shiftKey ? -1 : 1) : e.key === 'PageDown' ? 1 : e.key === 'PageUp' ? -1 : undefined;
      if (step !== undefined) {
        if (tabs.length === 0) return;
        e.preventDefault();
        const i = current === null ? -1 : tabs.indexOf(current);
        const next = tabs[(i + step + tabs.length) % tabs.length] ?? null;
        setSelected(i === -1 && step < 0 ? (tabs[tabs.length - 1] ?? null) : next);
      } else if ((e.key === 'w' || e.key === 'W') && !e.shiftKey && current !== null) {
        e.preventDefault();
        closeTab(current);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, []);

  return { keys, selected, open, select, close, deselect };
}

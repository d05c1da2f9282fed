/**
 * One conversation's messages, oldest first: the newest page from
 * `messages.list`, older pages on demand (`before` = smallest id), kept live
 * by `message.added` / `message.updated`.
 */
import { useCallback, useState } from 'react';
import type { Message } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { useLive } from '../../app/useLive.ts';
import { useI18n } from '../../i18n/index.ts';

const PAGE = 50;

interface Page {
  messages: Message[];
  /** false once a page came back short: the beginning is reached */
  hasMore: boolean;
}

/** Merge by id, ordered by id (the archive's arrival order). */
function merge(list: readonly Message[], items: readonly Message[]): Message[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of items) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export interface Messages extends Partial<Page> {
  error: string | undefined;
  loadingOlder: boolean;
  loadOlder: () => void;
  /** Merge a message a command returned (e.g. `message.send`). */
  put: (m: Message) => void;
}

export function useMessages(accountId: string, peer: string): Messages {
  const client = useClient();
  const { t } = useI18n();
  const [older, setOlder] = useState<{ key: string; loading: boolean; error?: string }>({ key: '', loading: false });
  const key = `${accountId}\n${peer}`;
  const { data, error, update } = useLive<Page>(
    key,
    async () => {
      const { messages } = await client.call('messages.list', { accountId, peer, limit: PAGE });
      return { messages, hasMore: messages.length === PAGE };
    },
    (apply) => {
      const onMessage = (m: Message): void => {
        if (m.accountId === accountId && m.peer === peer) apply((p) => ({ ...p, messages: merge(p.messages, [m]) }));
      };
      const offAdded = client.on('message.added', onMessage);
      const offUpdated = client.on('message.updated', onMessage);
      return () => {
        offAdded();
        offUpdated();
      };
    },
  );

  const loadingOlder = older.key === key && older.loading;
  const first = data?.messages[0];
  const canLoadOlder = data?.hasMore === true && first !== undefined && !loadingOlder;
  const loadOlder = useCallback(() => {
    if (!canLoadOlder) return;
    setOlder({ key, loading: true });
    client.call('messages.list', { accountId, peer, before: first.id, limit: PAGE }).then(
      ({ messages }) => {
        update((p) => ({ messages: merge(p.messages, messages), hasMore: messages.length === PAGE }));
        setOlder({ key, loading: false });
      },
      (err: unknown) => {
        setOlder({ key, loading: false, error: errorText(err, t) });
      },
    );
  }, [canLoadOlder, client, accountId, peer, first, key, update, t]);

  const put = useCallback(
    (m: Message) => {
      update((p) => ({ ...p, messages: merge(p.messages, [m]) }));
    },
    [update],
  );

  return {
    ...data,
    error: error === undefined ? (older.key === key ? older.error : undefined) : errorText(error, t),
    loadingOlder,
    loadOlder,
    put,
  };
}

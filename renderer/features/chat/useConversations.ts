/**
 * The conversations of several accounts, merged: `conversations.list` for each,
 * kept live by `conversation.updated`. Most recent first.
 */
import { useCallback, useMemo } from 'react';
import type { Conversation } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { useLive } from '../../app/useLive.ts';

export interface Conversations {
  conversations: Conversation[] | undefined;
  error: unknown;
  /** Merge a conversation a command returned (e.g. `conversation.open`). */
  put: (c: Conversation) => void;
}

/** One conversation per (account, peer). Addresses never hold a line break. */
export const conversationKey = (c: { accountId: string; peer: string }): string => `${c.accountId}\n${c.peer}`;

const put1 = (map: ReadonlyMap<string, Conversation>, c: Conversation): ReadonlyMap<string, Conversation> =>
  new Map(map).set(conversationKey(c), c);

export function useConversations(accountIds: readonly string[]): Conversations {
  const client = useClient();
  const idsKey = accountIds.join('\n');
  const { data, error, update } = useLive<ReadonlyMap<string, Conversation>>(
    `conversations:${idsKey}`,
    async () => {
      const lists = await Promise.all(
        accountIds.map((accountId) =>
          client.call('conversations.list', { accountId }).then(
            ({ conversations }) => conversations,
            () => [],
          ),
        ),
      );
      return new Map(lists.flat().map((c) => [conversationKey(c), c]));
    },
    (apply) =>
      client.on('conversation.updated', (c) => {
        if (accountIds.includes(c.accountId)) apply((map) => put1(map, c));
      }),
    { keepWhileLoading: true },
  );
  const conversations = useMemo(() => {
    if (data === undefined) return undefined;
    const wanted = new Set(idsKey.split('\n'));
    return [...data.values()]
      .filter((c) => wanted.has(c.accountId))
      .sort((a, b) => (b.lastTimestamp ?? 0) - (a.lastTimestamp ?? 0));
  }, [data, idsKey]);
  const put = useCallback(
    (c: Conversation) => {
      if (idsKey.split('\n').includes(c.accountId)) update((map) => put1(map, c));
    },
    [idsKey, update],
  );
  return { conversations, error, put };
}

/** One account's conversations: `conversations.list`, kept live by `conversation.updated`. Most recent first. */
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

const put1 = (map: ReadonlyMap<string, Conversation>, c: Conversation): ReadonlyMap<string, Conversation> =>
  new Map(map).set(c.peer, c);

export function useConversations(accountId: string): Conversations {
  const client = useClient();
  const { data, error, update } = useLive<ReadonlyMap<string, Conversation>>(
    `conversations:${accountId}`,
    async () => {
      const { conversations } = await client.call('conversations.list', { accountId });
      return new Map(conversations.map((c) => [c.peer, c]));
    },
    (apply) =>
      client.on('conversation.updated', (c) => {
        if (c.accountId === accountId) apply((map) => put1(map, c));
      }),
  );
  const conversations = useMemo(
    () => data && [...data.values()].sort((a, b) => (b.lastTimestamp ?? 0) - (a.lastTimestamp ?? 0)),
    [data],
  );
  const put = useCallback(
    (c: Conversation) => {
      if (c.accountId === accountId) update((map) => put1(map, c));
    },
    [accountId, update],
  );
  return { conversations, error, put };
}

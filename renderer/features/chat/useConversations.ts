/**
 * The conversations of several accounts, merged: `conversations.list` for each,
 * kept live by `conversation.updated`. Most recent first.
 *
 * The core's event for a new message carries the conversation without its
 * draft and tab flag (it does not read them on that hot path), so an event
 * that lacks them keeps the ones known here; `patch` applies the renderer's
 * own changes at once (a tab closed, a draft cleared), ahead of the core's answer.
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
  /** Change the local copy of one conversation (the core is told separately). */
  patch: (key: string, change: Partial<Pick<Conversation, 'draft' | 'tab' | 'unread' | 'readUpTo'>>) => void;
}

/** One conversation per (account, peer). Addresses never hold a line break. */
export const conversationKey = (c: { accountId: string; peer: string }): string => `${c.accountId}\n${c.peer}`;

/** Drops keys whose value is undefined (exactOptionalPropertyTypes). */
function clean(c: Conversation): Conversation {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Conversation;
}

const put1 = (map: ReadonlyMap<string, Conversation>, c: Conversation): ReadonlyMap<string, Conversation> => {
  const key = conversationKey(c);
  const prev = map.get(key);
  const merged =
    prev === undefined
      ? c
      : clean({
          ...c,
          draft: c.draft ?? prev.draft,
          tab: c.tab ?? prev.tab,
          // Attention (issue 7): a new message's event carries no mute or sound either.
          mutedUntil: c.mutedUntil !== undefined ? c.mutedUntil : prev.mutedUntil,
          sound: c.sound ?? prev.sound,
        });
  return new Map(map).set(key, merged);
};

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
    (apply) => {
      const offUpdated = client.on('conversation.updated', (c) => {
        if (accountIds.includes(c.accountId)) apply((map) => put1(map, c));
      });
      const offRemoved = client.on('conversation.removed', (c) => {
        apply((map) => {
          const next = new Map(map);
          next.delete(conversationKey(c));
          return next;
        });
      });
      return () => {
        offUpdated();
        offRemoved();
      };
    },
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
  const patch = useCallback(
    (key: string, change: Partial<Pick<Conversation, 'draft' | 'tab' | 'unread' | 'readUpTo'>>) => {
      update((map) => {
        const prev = map.get(key);
        return prev === undefined ? map : new Map(map).set(key, clean({ ...prev, ...change }));
      });
    },
    [update],
  );
  return { conversations, error, put, patch };
}

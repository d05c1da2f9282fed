/**
 * One conversation's messages, oldest first: the newest page from
 * `messages.list`, older pages on demand (`before` = smallest id), kept live
 * by `message.added` / `message.updated`.
 *
 * Only a contiguous run of the conversation is held: a change to a message
 * older than the oldest one loaded is left for the page that will bring it.
 * With more unread messages than a first page can reach, the run starts at the
 * first unread one instead (a little context above it) and does not reach the
 * newest: newer pages come as the reader scrolls down (`after` = largest id),
 * and new messages wait for them; "show the latest" replaces the run with the
 * newest page.
 */
import { useCallback, useRef, useState } from 'react';
import type { Message } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { useLive } from '../../app/useLive.ts';
import { useI18n } from '../../i18n/index.ts';

/** The first page: enough to fill a window; more when there are more unread messages to reach. */
const PAGE = 50;
/** Older pages, while scrolling up. */
const OLDER_PAGE = 100;
/** The contract's maximum per call. */
const MAX_PAGE = 500;
/** Opening at the first unread message: read messages above it, for context. */
const CONTEXT = 20;

/** Whether the newest page (reaching `unread` messages back, and some context) cannot hold the first unread message. */
export const opensAtFirstUnread = (unread: number): boolean => unread + CONTEXT > MAX_PAGE;

interface Page {
  messages: Message[];
  /** false once a page came back short: the beginning of the local archive is reached */
  hasMore: boolean;
  /** The server's archive may hold older history (false once it said it has nothing older). */
  serverMore?: boolean;
  /** Newer messages are stored than the newest held (opened at the first unread message). */
  hasNewer?: boolean;
}

/** Binary search: the index of the message with this id, or -1. */
export function indexOfId(list: readonly Message[], id: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = list[mid]?.id ?? 0;
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * A newer copy of a message we hold. The core's delivery-state updates (and `message.send`'s
 * answer) carry the message without what other rows say about it (the quoted message's
 * preview, reactions): those are kept from the copy held here.
 */
export function reconcile(held: Message | undefined, next: Message): Message {
  if (held === undefined) return next;
  let out = next;
  if (next.replyTo !== undefined && next.replyTo.preview === undefined && held.replyTo?.id === next.replyTo.id)
    out = { ...out, replyTo: held.replyTo };
  const stateChange = next.state !== held.state || next.error !== held.error;
  if (stateChange && next.reactions === undefined && held.reactions !== undefined)
    out = { ...out, reactions: held.reactions };
  return out;
}

/** Merge by id, ordered by id (the archive's arrival order); cheap for the usual append and prepend. */
export function merge(list: readonly Message[], items: readonly Message[]): Message[] {
  if (items.length === 0) return [...list];
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const first = list[0];
  const last = list[list.length - 1];
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  if (first === undefined || last === undefined || lo === undefined || hi === undefined) return sorted;
  if (lo.id > last.id) return [...list, ...sorted];
  if (hi.id < first.id) return [...sorted, ...list];
  if (sorted.length === 1) {
    const i = indexOfId(list, lo.id);
    if (i !== -1) {
      const out = [...list];
      out[i] = reconcile(list[i], lo);
      return out;
    }
  }
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of sorted) byId.set(m.id, reconcile(byId.get(m.id), m));
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export interface Messages extends Partial<Page> {
  error: string | undefined;
  loadingOlder: boolean;
  loadOlder: () => void;
  /** The next newer page, while `hasNewer`. */
  loadNewer: () => void;
  /** Hold the newest page (and nothing newer is missing). */
  showLatest: () => void;
  /** Load older pages until the message with this id is there (a quoted message); false if it never came. */
  loadUntil: (id: number) => Promise<boolean>;
  /** Merge a message a command returned (e.g. `message.send`). */
  put: (m: Message) => void;
}

/**
 * `unread`: how many unread messages the first page should reach back to, and `readUpTo` the
 * read mark they follow (both as the conversation opens).
 */
export function useMessages(accountId: string, peer: string, unread = 0, readUpTo = 0): Messages {
  const client = useClient();
  const { t } = useI18n();
  const [older, setOlder] = useState<{ key: string; loading: boolean; error?: string }>({ key: '', loading: false });
  const newer = useRef<{ key: string; after: number } | null>(null);
  const key = `${accountId}\n${peer}`;
  const { data, error, update } = useLive<Page>(
    key,
    async () => {
      if (opensAtFirstUnread(unread)) {
        // The first unread message and what follows it, with some read context above.
        const [above, below] = await Promise.all([
          client.call('messages.list', { accountId, peer, before: readUpTo + 1, limit: CONTEXT }),
          client.call('messages.list', { accountId, peer, after: readUpTo, limit: OLDER_PAGE }),
        ]);
        return {
          messages: [...above.messages, ...below.messages],
          hasMore: above.messages.length === CONTEXT,
          hasNewer: below.messages.length === OLDER_PAGE,
        };
      }
      const limit = Math.min(MAX_PAGE, Math.max(PAGE, unread + CONTEXT));
      const { messages } = await client.call('messages.list', { accountId, peer, limit });
      return { messages, hasMore: messages.length === limit };
    },
    (apply) => {
      const keep = (p: Page, m: Message, added: boolean): Page => {
        const first = p.messages[0];
        const last = p.messages[p.messages.length - 1];
        // Older than what is held: its page will bring it (unless the beginning is already here).
        if (first !== undefined && m.id < first.id && p.hasMore) return p;
        if (!added && first !== undefined && m.id < first.id) return p;
        // Newer than what is held while newer pages are still to come: so will theirs.
        if (p.hasNewer === true && last !== undefined && m.id > last.id) return p;
        return { ...p, messages: merge(p.messages, [m]) };
      };
      const offAdded = client.on('message.added', (m) => {
        if (m.accountId === accountId && m.peer === peer) apply((p) => keep(p, m, true));
      });
      const offUpdated = client.on('message.updated', (m) => {
        if (m.accountId === accountId && m.peer === peer) apply((p) => keep(p, m, false));
      });
      return () => {
        offAdded();
        offUpdated();
      };
    },
  );

  const loadingOlder = older.key === key && older.loading;
  const first = data?.messages[0];
  const serverMore = data?.serverMore !== false;
  const canLoadOlder = data !== undefined && (data.hasMore || serverMore) && !loadingOlder;
  const loadOlder = useCallback(() => {
    if (!canLoadOlder) return;
    setOlder({ key, loading: true });
    if (!data.hasMore || first === undefined) {
      // The local archive is exhausted: one page of older history from the server. Its messages
      // arrive as message.added events, with ids below everything held (merged as they come).
      client.call('messages.fetchOlder', { accountId, peer }).then(
        ({ complete }) => {
          update((p) => ({ ...p, serverMore: !complete }));
          setOlder({ key, loading: false });
        },
        (err: unknown) => {
          // Offline: the server's history can wait; anything else is worth saying.
          const offline = (err as { code?: unknown } | null)?.code === 'not-connected';
          setOlder({ key, loading: false, ...(offline ? {} : { error: errorText(err, t) }) });
        },
      );
      return;
    }
    client.call('messages.list', { accountId, peer, before: first.id, limit: OLDER_PAGE }).then(
      ({ messages }) => {
        update((p) => ({ ...p, messages: merge(p.messages, messages), hasMore: messages.length === OLDER_PAGE }));
        setOlder({ key, loading: false });
      },
      (err: unknown) => {
        setOlder({ key, loading: false, error: errorText(err, t) });
      },
    );
  }, [canLoadOlder, data, client, accountId, peer, first, key, update, t]);

  // The oldest id held and whether more exist, for loadUntil's loop (which outlives renders).
  const edge = useRef<{ first: number | undefined; hasMore: boolean }>({ first: undefined, hasMore: true });
  edge.current = { first: first?.id, hasMore: data?.hasMore ?? true };
  const loadUntil = useCallback(
    async (id: number): Promise<boolean> => {
      let oldest = edge.current.first;
      let more = edge.current.hasMore;
      while (oldest !== undefined && id < oldest && more) {
        const { messages } = await client.call('messages.list', { accountId, peer, before: oldest, limit: MAX_PAGE });
        more = messages.length === MAX_PAGE;
        const hasMore = more;
        update((p) => ({ ...p, messages: merge(p.messages, messages), hasMore }));
        oldest = messages[0]?.id;
      }
      return oldest !== undefined && id >= oldest;
    },
    [client, accountId, peer, update],
  );

  const lastId = data?.messages[data.messages.length - 1]?.id;
  const hasNewer = data?.hasNewer === true;
  const loadNewer = useCallback(() => {
    // Once per newest id held (a render may ask again before the page lands).
    if (!hasNewer || lastId === undefined || (newer.current?.key === key && newer.current.after === lastId)) return;
    newer.current = { key, after: lastId };
    client.call('messages.list', { accountId, peer, after: lastId, limit: OLDER_PAGE }).then(
      ({ messages }) => {
        update((p) => ({ ...p, messages: merge(p.messages, messages), hasNewer: messages.length === OLDER_PAGE }));
      },
      (err: unknown) => {
        newer.current = null;
        setOlder({ key, loading: false, error: errorText(err, t) });
      },
    );
  }, [hasNewer, lastId, key, client, accountId, peer, update, t]);

  const showLatest = useCallback(() => {
    client.call('messages.list', { accountId, peer, limit: PAGE }).then(
      ({ messages }) => {
        update((p) => (p.hasNewer === true ? { messages, hasMore: messages.length === PAGE, hasNewer: false } : p));
      },
      (err: unknown) => {
        setOlder({ key, loading: false, error: errorText(err, t) });
      },
    );
  }, [client, accountId, peer, key, update, t]);

  const held = useRef({ hasNewer, lastId });
  held.current = { hasNewer, lastId };
  const put = useCallback(
    (m: Message) => {
      // Ours, newer than the run held while newer pages are still to come: the run moves to
      // the newest page, which has it.
      const { hasNewer: behind, lastId: last } = held.current;
      if (behind && last !== undefined && m.id > last) showLatest();
      else update((p) => ({ ...p, messages: merge(p.messages, [m]) }));
    },
    [update, showLatest],
  );

  return {
    ...data,
    // More to show above: locally, or (once the local archive is exhausted) on the server.
    ...(data ? { hasMore: data.hasMore || serverMore } : {}),
    error: error === undefined ? (older.key === key ? older.error : undefined) : errorText(error, t),
    loadingOlder,
    loadOlder,
    loadNewer,
    showLatest,
    loadUntil,
    put,
  };
}

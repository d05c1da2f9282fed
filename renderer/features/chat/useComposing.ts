/**
 * What the composer tells others, and what the contact tells us:
 *  - the draft, saved per conversation (debounced `conversation.update`), so it
 *    survives switching tabs and restarts;
 *  - our chat state (XEP-0085): "composing" while typing, "paused" after 5 s
 *    without a keystroke, "active" once the text is cleared (a sent message
 *    carries "active" itself); the core sends it only to contacts that use chat states;
 *  - the contact's chat state, for "Alice is typing…".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Conversation, EventPayload } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';

const DRAFT_DELAY_MS = 600;
const PAUSED_AFTER_MS = 5000;

/**
 * `save(text)`: remember the composer's text (locally at once through `onLocal`, in the
 * core a moment later; an empty text is saved at once). Whatever is pending is saved when
 * the conversation closes.
 */
export function useDraft(
  accountId: string,
  peer: string,
  onLocal: (draft: string) => void,
  onSaved: (c: Conversation) => void,
): (text: string) => void {
  const client = useClient();
  const pending = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const saved = useRef(onSaved);
  saved.current = onSaved;

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    const draft = pending.current;
    if (draft === null) return;
    pending.current = null;
    client.call('conversation.update', { accountId, peer, draft }).then(
      (c) => {
        saved.current(c);
      },
      () => undefined, // kept locally; the next change tries again
    );
  }, [client, accountId, peer]);

  useEffect(() => flush, [flush]);

  const local = useRef(onLocal);
  local.current = onLocal;
  return useCallback(
    (text: string) => {
      local.current(text);
      pending.current = text;
      clearTimeout(timer.current);
      if (text === '') flush();
      else timer.current = setTimeout(flush, DRAFT_DELAY_MS);
    },
    [flush],
  );
}

type OwnState = 'active' | 'composing' | 'paused';

export interface ChatStateSender {
  /** The composer's text changed. */
  typed: (text: string) => void;
  /** A message went out (it carries "active"). */
  sent: () => void;
  /** An edit was saved or dropped: say "active" if we said anything else. */
  settle: () => void;
}

export function useChatStateSender(accountId: string, peer: string): ChatStateSender {
  const client = useClient();
  const state = useRef<OwnState>('active');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const say = useCallback(
    (next: OwnState | 'inactive') => {
      state.current = next === 'inactive' ? 'active' : next;
      client.call('chat.setState', { accountId, peer, state: next }).catch(() => undefined);
    },
    [client, accountId, peer],
  );

  // Leaving the conversation half-way through a message: we are no longer in it.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      if (state.current !== 'active') say('inactive');
    },
    [say],
  );

  const typed = useCallback(
    (text: string) => {
      clearTimeout(timer.current);
      if (text.trim() === '') {
        if (state.current !== 'active') say('active');
        return;
      }
      if (state.current !== 'composing') say('composing');
      timer.current = setTimeout(() => {
        say('paused');
      }, PAUSED_AFTER_MS);
    },
    [say],
  );
  const sent = useCallback(() => {
    clearTimeout(timer.current);
    state.current = 'active';
  }, []);
  const settle = useCallback(() => {
    clearTimeout(timer.current);
    if (state.current !== 'active') say('active');
  }, [say]);
  return { typed, sent, settle };
}

export type PeerState = 'composing' | 'paused' | null;

/** The contact's chat state in this conversation; a message from them ends "typing…". */
export function usePeerChatState(accountId: string, peer: string): PeerState {
  const client = useClient();
  const [state, setState] = useState<PeerState>(null);
  useEffect(() => {
    const mine = (e: { accountId: string; peer: string }): boolean => e.accountId === accountId && e.peer === peer;
    const offState = client.on('chat.state', (e: EventPayload<'chat.state'>) => {
      if (mine(e)) setState(e.state === 'composing' || e.state === 'paused' ? e.state : null);
    });
    const offMessage = client.on('message.added', (m) => {
      if (mine(m) && m.direction === 'in') setState(null);
    });
    return () => {
      offState();
      offMessage();
    };
  }, [client, accountId, peer]);
  return state;
}

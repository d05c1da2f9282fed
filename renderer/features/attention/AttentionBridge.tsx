/**
 * Attention (issue 7) in the main view: reports the conversation shown, opens the one a
 * notification points at, and asks the user to confirm xmpp: links. Renders only the
 * confirmation dialog, when there is a link waiting.
 */
import type { ReactNode } from 'react';
import type { AccountState, Conversation } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { useAppRequests, useVisibleConversation } from './useAttention.ts';
import { UriDialog } from './UriDialog.tsx';

interface Props {
  accounts: readonly AccountState[];
  /** The conversation in the pane, if any. */
  visible: { accountId: string; peer: string } | null;
  onOpen: (accountId: string, peer: string) => void;
  /** Scroll the conversation to this message (as for a search hit). */
  onJump: (accountId: string, peer: string, messageId: number) => void;
  /** A conversation the core answered (its draft, filled from a link). */
  onConversation: (c: Conversation) => void;
}

export function AttentionBridge({ accounts, visible, onOpen, onJump, onConversation }: Props): ReactNode {
  const client = useClient();
  useVisibleConversation(visible);
  const { uri, dismiss } = useAppRequests(({ accountId, peer, messageId }) => {
    if (!accounts.some((a) => a.id === accountId)) return;
    onOpen(accountId, peer);
    if (messageId !== undefined) onJump(accountId, peer, messageId);
  });
  if (uri === null || accounts.length === 0) return null;
  return (
    <UriDialog
      request={uri}
      accounts={accounts}
      onClose={dismiss}
      onOpen={(accountId, peer, body) => {
        onOpen(accountId, peer);
        if (body !== undefined)
          client.call('conversation.update', { accountId, peer, draft: body }).then(onConversation, () => undefined);
      }}
    />
  );
}

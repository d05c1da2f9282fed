/**
 * Signed-in layout: sidebar (accounts, contacts, conversations) and the conversation pane.
 * Every account is shown at once: contacts of the enabled accounts (under a heading each
 * when there are several), conversations of all accounts merged; a conversation opens,
 * and sends, in its own account.
 */
import { useMemo, useState, type ReactNode } from 'react';
import type { AccountState } from '../../preload/contract.ts';
import { AccountHeader } from '../features/accounts/AccountHeader.tsx';
import { AccountsDialog } from '../features/accounts/AccountsDialog.tsx';
import { ChatPane, EmptyChat } from '../features/chat/ChatPane.tsx';
import { ConversationList } from '../features/chat/ConversationList.tsx';
import { conversationKey, useConversations } from '../features/chat/useConversations.ts';
import { ContactList } from '../features/roster/ContactList.tsx';
import { useRosters } from '../features/roster/useRoster.ts';
import { useClient } from './core.ts';

interface Props {
  accounts: readonly AccountState[];
  put: (account: AccountState) => void;
  onSignIn: (account: AccountState) => void;
  onAddAccount: () => void;
  onRemoved: (accountId: string) => void;
}

export function MainView({ accounts, put, onSignIn, onAddAccount, onRemoved }: Props): ReactNode {
  const client = useClient();
  const byId = useMemo(() => new Map(accounts.map((a) => [a.id, a])), [accounts]);
  const enabled = accounts.filter((a) => a.enabled);
  // All switched off: still show what is cached, rather than nothing.
  const shown = enabled.length > 0 ? enabled : accounts;
  const { groups } = useRosters(shown.map((a) => ({ accountId: a.id, online: a.status === 'online' })));
  const { conversations, put: putConversation } = useConversations(accounts.map((a) => a.id));
  const [selected, setSelected] = useState<{ accountId: string; peer: string } | null>(null);
  const [managing, setManaging] = useState(false);
  const selectedAccount = selected === null ? undefined : byId.get(selected.accountId);
  const selectedKey = selected !== null && selectedAccount !== undefined ? conversationKey(selected) : null;
  const contacts = useMemo(
    () =>
      new Map(
        (groups ?? []).flatMap((g) =>
          g.contacts.map((c) => [conversationKey({ accountId: g.accountId, peer: c.jid }), c] as const),
        ),
      ),
    [groups],
  );
  const labelled = accounts.length > 1;

  const open = (accountId: string, peer: string): void => {
    setSelected({ accountId, peer });
    // The pane works without it; the core learns the conversation is open and may create it.
    client.call('conversation.open', { accountId, peer }).then(putConversation, () => undefined);
  };

  return (
    <div className={selectedKey === null ? 'main' : 'main has-chat'}>
      <aside className="sidebar">
        <AccountHeader
          accounts={accounts}
          put={put}
          onSignIn={onSignIn}
          onOpenAccounts={() => {
            setManaging(true);
          }}
        />
        <nav className="side-lists">
          <ContactList
            groups={groups}
            accounts={byId}
            headings={shown.length > 1}
            selected={selectedKey}
            onOpen={open}
          />
          <ConversationList
            conversations={conversations}
            contacts={contacts}
            accounts={byId}
            labelled={labelled}
            selected={selectedKey}
            onOpen={open}
          />
        </nav>
      </aside>
      <main className="pane">
        {selected === null || selectedAccount === undefined || selectedKey === null ? (
          <EmptyChat />
        ) : (
          <ChatPane
            key={selectedKey}
            account={selectedAccount}
            peer={selected.peer}
            conversation={conversations?.find((c) => conversationKey(c) === selectedKey)}
            contact={contacts.get(selectedKey)}
            labelled={labelled}
            onBack={() => {
              setSelected(null);
            }}
          />
        )}
      </main>
      {managing && (
        <AccountsDialog
          accounts={accounts}
          put={put}
          onRemoved={onRemoved}
          onAddAccount={() => {
            setManaging(false);
            onAddAccount();
          }}
          onSignIn={(account) => {
            setManaging(false);
            onSignIn(account);
          }}
          onClose={() => {
            setManaging(false);
          }}
        />
      )}
    </div>
  );
}

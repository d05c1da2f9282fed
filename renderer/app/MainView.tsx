/** Signed-in layout: sidebar (account, contacts, conversations) and the conversation pane. */
import { useMemo, useState, type ReactNode } from 'react';
import type { AccountState } from '../../preload/contract.ts';
import { ChatPane, EmptyChat } from '../features/chat/ChatPane.tsx';
import { ConversationList } from '../features/chat/ConversationList.tsx';
import { useConversations } from '../features/chat/useConversations.ts';
import { AccountHeader } from '../features/login/AccountHeader.tsx';
import { ContactList } from '../features/roster/ContactList.tsx';
import { useRoster } from '../features/roster/useRoster.ts';
import { useClient } from './core.ts';

interface Props {
  account: AccountState;
  accounts: readonly AccountState[];
  onSwitch: (accountId: string) => void;
  onSignIn: () => void;
  put: (account: AccountState) => void;
}

export function MainView({ account, accounts, onSwitch, onSignIn, put }: Props): ReactNode {
  const client = useClient();
  const accountId = account.id;
  const { contacts } = useRoster(accountId, account.status === 'online');
  const { conversations, put: putConversation } = useConversations(accountId);
  const [selected, setSelected] = useState<{ accountId: string; peer: string } | null>(null);
  const peer = selected?.accountId === accountId ? selected.peer : null;
  const byJid = useMemo(() => new Map((contacts ?? []).map((c) => [c.jid, c])), [contacts]);

  const open = (to: string): void => {
    setSelected({ accountId, peer: to });
    // The pane works without it; the core learns the conversation is open and may create it.
    client.call('conversation.open', { accountId, peer: to }).then(putConversation, () => undefined);
  };

  return (
    <div className={peer === null ? 'main' : 'main has-chat'}>
      <aside className="sidebar">
        <AccountHeader account={account} accounts={accounts} onSwitch={onSwitch} onSignIn={onSignIn} put={put} />
        <nav className="side-lists">
          <ContactList contacts={contacts} selected={peer} onOpen={open} />
          <ConversationList conversations={conversations} contacts={byJid} selected={peer} onOpen={open} />
        </nav>
      </aside>
      <main className="pane">
        {peer === null ? (
          <EmptyChat />
        ) : (
          <ChatPane
            key={`${accountId}\n${peer}`}
            accountId={accountId}
            peer={peer}
            conversation={conversations?.find((c) => c.peer === peer)}
            contact={byJid.get(peer)}
            onBack={() => {
              setSelected(null);
            }}
          />
        )}
      </main>
    </div>
  );
}

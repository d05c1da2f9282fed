/**
 * Signed-in layout: sidebar (accounts, contacts, conversations) and the conversation pane.
 * Every account is shown at once: contacts of the enabled accounts (under a heading each
 * when there are several, with its unread count), conversations of all accounts merged; a
 * conversation opens, and sends, in its own account. Open conversations are tabs above the pane.
 */
import { useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { AccountState } from '../../preload/contract.ts';
import { AccountHeader } from '../features/accounts/AccountHeader.tsx';
import { AccountsDialog } from '../features/accounts/AccountsDialog.tsx';
import { ChatPane, EmptyChat } from '../features/chat/ChatPane.tsx';
import { ConversationList } from '../features/chat/ConversationList.tsx';
import { TabStrip, type TabInfo } from '../features/chat/TabStrip.tsx';
import { conversationKey, useConversations } from '../features/chat/useConversations.ts';
import { splitKey, useTabs } from '../features/chat/useTabs.ts';
import { ContactList } from '../features/roster/ContactList.tsx';
import { useRosters } from '../features/roster/useRoster.ts';
import { RosterActions } from '../features/roster-actions/RosterActions.tsx';
import { SearchPanel } from '../features/search/SearchPanel.tsx';
import { useI18n } from '../i18n/index.ts';
import { Icons } from './ui.tsx';

interface Props {
  accounts: readonly AccountState[];
  put: (account: AccountState) => void;
  onSignIn: (account: AccountState) => void;
  onAddAccount: () => void;
  onRemoved: (accountId: string) => void;
}

export function MainView({ accounts, put, onSignIn, onAddAccount, onRemoved }: Props): ReactNode {
  const byId = useMemo(() => new Map(accounts.map((a) => [a.id, a])), [accounts]);
  const enabled = accounts.filter((a) => a.enabled);
  // All switched off: still show what is cached, rather than nothing.
  const shown = enabled.length > 0 ? enabled : accounts;
  const { groups } = useRosters(shown.map((a) => ({ accountId: a.id, online: a.status === 'online' })));
  const accountIds = accounts.map((a) => a.id);
  const { conversations, put: putConversation, patch: patchConversation } = useConversations(accountIds);
  const tabs = useTabs(conversations, accountIds, putConversation, patchConversation);
  const [managing, setManaging] = useState(false);
  const { t } = useI18n();
  const [searching, setSearching] = useState(false);
  const [jump, setJump] = useState<{ key: string; id: number; token: number } | null>(null);
  // Ctrl+Shift+F (Cmd+Shift+F): search every conversation.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setSearching(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  const selected = tabs.selected === null ? null : splitKey(tabs.selected);
  const selectedAccount = selected === null ? undefined : byId.get(selected.accountId);
  const selectedKey = selected !== null && selectedAccount !== undefined ? tabs.selected : null;
  const panelId = useId();
  const tabId = (key: string): string => `${panelId}-tab-${String(tabs.keys.indexOf(key))}`;
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
  const byKey = useMemo(() => new Map((conversations ?? []).map((c) => [conversationKey(c), c])), [conversations]);
  const unreadByAccount = useMemo(() => {
    const totals = new Map<string, number>();
    for (const c of conversations ?? []) totals.set(c.accountId, (totals.get(c.accountId) ?? 0) + (c.unread ?? 0));
    return totals;
  }, [conversations]);
  const tabInfos: TabInfo[] = tabs.keys.map((key) => {
    const { accountId, peer } = splitKey(key);
    const name = contacts.get(key)?.name ?? byKey.get(key)?.name ?? peer;
    return {
      key,
      name,
      peer,
      unread: byKey.get(key)?.unread ?? 0,
      show: contacts.get(key)?.show,
      accountJid: labelled ? (byId.get(accountId)?.jid ?? accountId) : undefined,
    };
  });

  const { open, close, select, deselect } = tabs;
  const onDraft = useCallback(
    (draft: string) => {
      if (selectedKey !== null) patchConversation(selectedKey, { draft });
    },
    [selectedKey, patchConversation],
  );

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
        <RosterActions
          accounts={accounts}
          contact={selectedKey === null ? undefined : contacts.get(selectedKey)}
          groups={[...new Set((groups ?? []).flatMap((g) => g.contacts.flatMap((c) => c.groups)))]}
        />
        <div className="search-toggle">
          <button
            type="button"
            className={searching ? 'button secondary pressed' : 'button secondary'}
            aria-pressed={searching}
            aria-keyshortcuts="Control+Shift+F"
            onClick={() => {
              setSearching((s) => !s);
            }}
          >
            <Icons.search />
            <span>{t.searchToggle}</span>
          </button>
        </div>
        {searching && (
          <SearchPanel
            accounts={accounts}
            contacts={[...contacts.values()]}
            autoFocus
            onOpen={(accountId, peer, messageId) => {
              open(accountId, peer);
              setJump({ key: conversationKey({ accountId, peer }), id: messageId, token: Date.now() });
            }}
          />
        )}
        <nav className="side-lists">
          <ContactList
            groups={groups}
            accounts={byId}
            headings={shown.length > 1}
            unread={unreadByAccount}
            conversations={byKey}
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
        {tabInfos.length > 0 && (
          <TabStrip
            tabs={tabInfos}
            selected={selectedKey}
            panelId={panelId}
            tabId={tabId}
            onSelect={select}
            onClose={close}
          />
        )}
        {selected === null || selectedAccount === undefined || selectedKey === null ? (
          <EmptyChat />
        ) : (
          <div
            className="tab-panel"
            id={panelId}
            role={tabs.keys.includes(selectedKey) ? 'tabpanel' : undefined}
            aria-labelledby={tabs.keys.includes(selectedKey) ? tabId(selectedKey) : undefined}
          >
            <ChatPane
              key={selectedKey}
              account={selectedAccount}
              peer={selected.peer}
              conversation={byKey.get(selectedKey)}
              contact={contacts.get(selectedKey)}
              labelled={labelled}
              onBack={deselect}
              onConversation={putConversation}
              onDraft={onDraft}
              onClosed={() => {
                tabs.close(selectedKey);
              }}
              jumpRequest={jump?.key === selectedKey ? jump : undefined}
            />
          </div>
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

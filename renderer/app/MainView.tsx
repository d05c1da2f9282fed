/**
 * Signed-in layout: sidebar (accounts, contacts, conversations) and the conversation pane.
 * Every account is shown at once: contacts of the enabled accounts (under a heading each
 * when there are several, with its unread count), conversations of all accounts merged; a
 * conversation opens, and sends, in its own account. Open conversations are tabs above the pane.
 */
import { useCallback, useId, useMemo, useState, type ReactNode } from 'react';
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
import { AttentionBridge } from '../features/attention/AttentionBridge.tsx';
import { QuickSwitcher, type SwitcherMode } from '../features/quick-switcher/QuickSwitcher.tsx';
import { focusSearchField, useShortcuts } from '../features/shortcuts/useShortcuts.ts';
import { useI18n } from '../i18n/index.ts';
import { SettingsButton } from '../features/settings/SettingsButton.tsx';
import { TransfersButton } from '../features/transfers/TransfersPanel.tsx';
import { Icons } from './ui.tsx';

interface Props {
  accounts: readonly AccountState[];
  put: (account: AccountState) => void;
  onSignIn: (account: AccountState) => void;
  onAddAccount: () => void;
  onRemoved: (accountId: string) => void;
  /** Opens the settings window (App holds it). */
  onOpenSettings: () => void;
}

export function MainView({ accounts, put, onSignIn, onAddAccount, onRemoved, onOpenSettings }: Props): ReactNode {
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
  // Keyboard: Ctrl/Cmd+N, +F (and +Shift+F), +K, +1…9 (features/shortcuts).
  const [switcher, setSwitcher] = useState<SwitcherMode | null>(null);
  useShortcuts({
    newConversation: () => {
      setSwitcher('new');
    },
    quickSwitcher: () => {
      setSwitcher('switch');
    },
    search: () => {
      setSearching(true);
      focusSearchField();
    },
    tabs: tabs.keys,
    selectTab: select,
  });
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
          actions={<SettingsButton onOpen={onOpenSettings} />}
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
            aria-keyshortcuts="Control+F Control+Shift+F"
            onClick={() => {
              setSearching((s) => !s);
            }}
          >
            <Icons.search />
            <span>{t.searchToggle}</span>
          </button>
          {/* File transfer (issue 6): the transfers view, with the number of active transfers. */}
          <TransfersButton />
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
      {switcher !== null && (
        <QuickSwitcher
          mode={switcher}
          conversations={conversations}
          contacts={contacts}
          accounts={accounts}
          onOpen={(accountId, peer) => {
            setSwitcher(null);
            open(accountId, peer);
          }}
          onClose={() => {
            setSwitcher(null);
          }}
        />
      )}
      {/* Attention (issue 7): notification clicks, xmpp: links, the conversation shown. */}
      <AttentionBridge
        accounts={accounts}
        visible={selected !== null && selectedKey !== null ? selected : null}
        onOpen={open}
        onJump={(accountId, peer, id) => {
          setJump({ key: conversationKey({ accountId, peer }), id, token: Date.now() });
        }}
        onConversation={putConversation}
      />
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

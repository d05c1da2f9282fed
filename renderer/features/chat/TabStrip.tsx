/**
 * The tab strip above the conversation: one tab per open conversation, named
 * by the contact's display name, with its unread count and a "Close <name>"
 * button. Tabs pattern with manual activation: one Tab stop, Left/Right/Home/End
 * move between tabs, Enter or Space opens one, Delete closes it; a middle click
 * closes too.
 */
import type { KeyboardEvent, ReactNode } from 'react';
import type { Show } from '../../../preload/contract.ts';
import { AccountDot, Avatar, Icons } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

export interface TabInfo {
  key: string;
  name: string;
  peer: string;
  unread: number;
  show: Show | undefined;
  /** Several accounts: the account's address, for screen readers and the tooltip. */
  accountJid: string | undefined;
}

interface Props {
  tabs: readonly TabInfo[];
  selected: string | null;
  /** The id of the element the selected tab controls. */
  panelId: string;
  tabId: (key: string) => string;
  onSelect: (key: string) => void;
  onClose: (key: string) => void;
}

export function TabStrip({ tabs, selected, panelId, tabId, onSelect, onClose }: Props): ReactNode {
  const { t } = useI18n();
  const current = tabs.some((tab) => tab.key === selected) ? selected : (tabs[0]?.key ?? null);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    const i = buttons.findIndex((b) => b === document.activeElement);
    if (i === -1) return;
    const last = buttons.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: i === last ? 0 : i + 1,
      ArrowLeft: i === 0 ? last : i - 1,
      Home: 0,
      End: last,
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      buttons[to]?.focus();
    } else if (e.key === 'Delete') {
      const tab = tabs[i];
      if (tab === undefined) return;
      e.preventDefault();
      (buttons[i + 1] ?? buttons[i - 1])?.focus();
      onClose(tab.key);
    }
  };

  return (
    <div className="tabs" role="tablist" aria-label={t.openConversations} onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const isSelected = tab.key === selected;
        const description = [tab.unread > 0 ? t.unreadCount(tab.unread) : '', tab.accountJid ?? '']
          .filter(Boolean)
          .join(', ');
        return (
          <div key={tab.key} role="presentation" className={`tab${isSelected ? ' selected' : ''}`}>
            <button
              type="button"
              role="tab"
              id={tabId(tab.key)}
              className="tab-button"
              aria-selected={isSelected}
              aria-controls={isSelected ? panelId : undefined}
              aria-label={tab.name}
              aria-description={description === '' ? undefined : description}
              title={tab.accountJid === undefined ? tab.peer : `${tab.peer} · ${t.viaAccount(tab.accountJid)}`}
              tabIndex={tab.key === current ? 0 : -1}
              onClick={() => {
                onSelect(tab.key);
              }}
              onAuxClick={(e) => {
                if (e.button === 1) onClose(tab.key);
              }}
            >
              <Avatar name={tab.name} jid={tab.peer} show={tab.show} size="sm" />
              <span className="tab-name">{tab.name}</span>
              {tab.accountJid !== undefined && <AccountDot jid={tab.accountJid} />}
              {tab.unread > 0 && (
                <span className="badge" aria-hidden="true">
                  {tab.unread > 99 ? '99+' : tab.unread}
                </span>
              )}
            </button>
            <button
              type="button"
              className="tab-close"
              tabIndex={-1}
              aria-label={t.closeTab(tab.name)}
              title={`${t.closeTab(tab.name)} (Ctrl+W)`}
              onClick={() => {
                onClose(tab.key);
              }}
            >
              <Icons.close />
            </button>
          </div>
        );
      })}
    </div>
  );
}

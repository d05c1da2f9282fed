/**
 * The "Conversations" list: every account's, merged, most recent first, with
 * last-message preview and time. With several accounts each item carries a
 * small label saying which account it belongs to.
 */
import type { ReactNode } from 'react';
import type { AccountState, Contact, Conversation } from '../../../preload/contract.ts';
import { activateOnKey, useRoving } from '../../app/useRoving.ts';
import { AccountChip, Avatar } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { conversationKey } from './useConversations.ts';

interface Props {
  conversations: readonly Conversation[] | undefined;
  /** Contacts by conversation key (account + address), for presence. */
  contacts: ReadonlyMap<string, Contact>;
  accounts: ReadonlyMap<string, AccountState>;
  /** Several accounts: label each conversation with its account. */
  labelled: boolean;
  selected: string | null;
  onOpen: (accountId: string, peer: string) => void;
}

export function ConversationList({ conversations, contacts, accounts, labelled, selected, onOpen }: Props): ReactNode {
  const { t, stamp, dateTime } = useI18n();
  const roving = useRoving(conversations?.map(conversationKey) ?? [], selected);

  return (
    <section className="side-section">
      <h2 className="side-heading">{t.conversations}</h2>
      <ul aria-label={t.conversations} className="items" onKeyDown={roving.onKeyDown}>
        {conversations?.map((c) => {
          const key = conversationKey(c);
          const accountJid = accounts.get(c.accountId)?.jid ?? c.accountId;
          return (
            <li
              key={key}
              data-roving=""
              aria-label={c.name}
              aria-description={labelled ? t.viaAccount(accountJid) : undefined}
              aria-current={key === selected ? 'true' : undefined}
              className="item"
              tabIndex={roving.tabIndex(key)}
              onFocus={() => {
                roving.onFocus(key);
              }}
              onClick={() => {
                onOpen(c.accountId, c.peer);
              }}
              onKeyDown={activateOnKey(() => {
                onOpen(c.accountId, c.peer);
              })}
            >
              <Avatar name={c.name} jid={c.peer} show={contacts.get(key)?.show} />
              <span className="item-text">
                <span className="item-row">
                  <span className="item-name">{c.name}</span>
                  {c.lastTimestamp !== undefined && (
                    <time
                      className="item-time"
                      dateTime={new Date(c.lastTimestamp).toISOString()}
                      title={dateTime(c.lastTimestamp)}
                    >
                      {stamp(c.lastTimestamp)}
                    </time>
                  )}
                </span>
                <span className="item-sub preview">{c.lastBody ?? c.peer}</span>
                {labelled && <AccountChip jid={accountJid} />}
              </span>
            </li>
          );
        })}
      </ul>
      {conversations === undefined && <p className="side-empty">{t.loading}</p>}
      {conversations?.length === 0 && <p className="side-empty">{t.noConversations}</p>}
    </section>
  );
}

/**
 * The "Conversations" list: every account's, merged, most recent first, with
 * last-message preview (or the draft) and time, and an unread count ("3 unread"
 * for screen readers, as the item's description). With several accounts each
 * item carries a small label saying which account it belongs to. The heading
 * counts every unread message.
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
  const total = conversations?.reduce((sum, c) => sum + (c.unread ?? 0), 0) ?? 0;

  return (
    <section className="side-section">
      <h2 className="side-heading">
        {t.conversations}
        {total > 0 && (
          <span className="count unread-total" title={t.unreadCount(total)}>
            <span aria-hidden="true">{total}</span>
            <span className="visually-hidden">{t.unreadCount(total)}</span>
          </span>
        )}
      </h2>
      <ul aria-label={t.conversations} className="items" onKeyDown={roving.onKeyDown}>
        {conversations?.map((c) => {
          const key = conversationKey(c);
          const accountJid = accounts.get(c.accountId)?.jid ?? c.accountId;
          const unread = c.unread ?? 0;
          const draft = c.draft !== undefined && c.draft.trim() !== '' && key !== selected ? c.draft : undefined;
          const description = [unread > 0 ? t.unreadCount(unread) : '', labelled ? t.viaAccount(accountJid) : '']
            .filter(Boolean)
            .join(', ');
          return (
            <li
              key={key}
              data-roving=""
              aria-label={c.name}
              aria-description={description === '' ? undefined : description}
              aria-current={key === selected ? 'true' : undefined}
              className={`item${unread > 0 ? ' has-unread' : ''}`}
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
                <span className="item-row">
                  <span className="item-sub preview">
                    {draft !== undefined ? (
                      <>
                        <span className="draft-label">{t.draftLabel}</span>
                        {draft}
                      </>
                    ) : (
                      (c.lastBody ?? c.peer)
                    )}
                  </span>
                  {unread > 0 && (
                    <span className="badge" title={t.unreadCount(unread)} aria-hidden="true">
                      {unread > 99 ? '99+' : unread}
                    </span>
                  )}
                </span>
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

/**
 * The "Contacts" list: one list for every account shown. With several, each
 * account's contacts form a group named by its address (a heading, then
 * role="group"), so every list item is still a contact named by its display
 * name. Online first, then by name; click or Enter opens the conversation in
 * that account. One Tab stop; arrows move across the groups. A heading shows
 * its account's unread messages.
 */
import { Fragment, useId, type ReactNode } from 'react';
import type { AccountState, Contact } from '../../../preload/contract.ts';
import { activateOnKey, useRoving, type Roving } from '../../app/useRoving.ts';
import { Avatar, presenceClass, presenceText } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { statusText, toneOf } from '../accounts/status.ts';
import { conversationKey } from '../chat/useConversations.ts';
import type { RosterGroup } from './useRoster.ts';

interface Props {
  groups: readonly RosterGroup[] | undefined;
  accounts: ReadonlyMap<string, AccountState>;
  /** Several accounts: a heading above each one's contacts. */
  headings: boolean;
  /** Unread messages per account (shown in the headings). */
  unread?: ReadonlyMap<string, number>;
  selected: string | null;
  onOpen: (accountId: string, jid: string) => void;
}

export function ContactList({ groups, accounts, headings, unread, selected, onOpen }: Props): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const keys = groups?.flatMap((g) => g.contacts.map((c) => conversationKey({ accountId: g.accountId, peer: c.jid })));
  const roving = useRoving(keys ?? [], selected);
  const total = keys?.length ?? 0;

  return (
    <section className="side-section">
      <h2 className="side-heading">
        {t.contacts}
        {total > 0 && <span className="count">{total}</span>}
      </h2>
      <ul aria-label={t.contacts} className="items" onKeyDown={roving.onKeyDown}>
        {groups?.map((g, index) => {
          const account = accounts.get(g.accountId);
          const jid = account?.jid ?? g.accountId;
          const items = g.contacts.map((c) => (
            <ContactItem
              key={c.jid}
              contact={c}
              itemKey={conversationKey({ accountId: g.accountId, peer: c.jid })}
              accountJid={headings ? jid : undefined}
              selected={selected}
              roving={roving}
              onOpen={() => {
                onOpen(g.accountId, c.jid);
              }}
            />
          ));
          if (!headings) return <Fragment key={g.accountId}>{items}</Fragment>;
          const headingId = `${id}-${String(index)}`;
          const unreadCount = unread?.get(g.accountId) ?? 0;
          return (
            <li key={g.accountId} role="presentation" className="group">
              <h3 id={headingId} className="group-heading">
                <span
                  className={`status-dot status-${account === undefined ? 'offline' : toneOf(account)}`}
                  title={account === undefined ? undefined : statusText(account, t, Date.now())}
                  aria-hidden="true"
                />
                <span id={`${headingId}-jid`} className="group-jid">
                  {jid}
                </span>
                {unreadCount > 0 && (
                  <span className="badge" title={t.unreadCount(unreadCount)}>
                    <span aria-hidden="true">{unreadCount}</span>
                    <span className="visually-hidden">{t.unreadCount(unreadCount)}</span>
                  </span>
                )}
              </h3>
              <ul role="group" aria-labelledby={`${headingId}-jid`} className="items">
                {items}
              </ul>
              {g.contacts.length === 0 && <p className="group-empty">{t.noContacts}</p>}
            </li>
          );
        })}
      </ul>
      {groups === undefined && <p className="side-empty">{t.loading}</p>}
      {groups !== undefined && total === 0 && !headings && <p className="side-empty">{t.noContacts}</p>}
    </section>
  );
}

interface ItemProps {
  contact: Contact;
  itemKey: string;
  /** Several accounts: the account it belongs to, for screen readers. */
  accountJid: string | undefined;
  selected: string | null;
  roving: Roving;
  onOpen: () => void;
}

function ContactItem({ contact: c, itemKey, accountJid, selected, roving, onOpen }: ItemProps): ReactNode {
  const { t } = useI18n();
  const presence = presenceText(c.show, t);
  const description = [c.jid, presence, c.status, accountJid === undefined ? '' : t.viaAccount(accountJid)]
    .filter(Boolean)
    .join(', ');
  return (
    <li
      data-roving=""
      aria-label={c.name}
      aria-description={description}
      aria-current={itemKey === selected ? 'true' : undefined}
      className="item"
      tabIndex={roving.tabIndex(itemKey)}
      onFocus={() => {
        roving.onFocus(itemKey);
      }}
      onClick={onOpen}
      onKeyDown={activateOnKey(onOpen)}
    >
      <Avatar name={c.name} jid={c.jid} show={c.show} />
      <span className="item-text">
        <span className="item-row">
          <span className="item-name">{c.name}</span>
          <span className={`presence presence-${presenceClass(c.show)}`}>{presence}</span>
        </span>
        <span className="item-sub">
          {c.jid}
          {c.status !== undefined && c.status !== '' && <span className="presence-status"> · {c.status}</span>}
        </span>
      </span>
    </li>
  );
}

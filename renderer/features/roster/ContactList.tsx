/** The "Contacts" list: online first, then by name; click or Enter opens the conversation. */
import type { ReactNode } from 'react';
import type { Contact } from '../../../preload/contract.ts';
import { activateOnKey, useRoving } from '../../app/useRoving.ts';
import { Avatar, presenceClass, presenceText } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

interface Props {
  contacts: readonly Contact[] | undefined;
  selected: string | null;
  onOpen: (jid: string) => void;
}

export function ContactList({ contacts, selected, onOpen }: Props): ReactNode {
  const { t } = useI18n();
  const roving = useRoving(contacts?.map((c) => c.jid) ?? [], selected);

  return (
    <section className="side-section">
      <h2 className="side-heading">
        {t.contacts}
        {contacts !== undefined && contacts.length > 0 && <span className="count">{contacts.length}</span>}
      </h2>
      <ul aria-label={t.contacts} className="items" onKeyDown={roving.onKeyDown}>
        {contacts?.map((c) => {
          const presence = presenceText(c.show, t);
          return (
            <li
              key={c.jid}
              aria-label={c.name}
              aria-description={`${c.jid}, ${presence}${c.status ? ` – ${c.status}` : ''}`}
              aria-current={c.jid === selected ? 'true' : undefined}
              className="item"
              tabIndex={roving.tabIndex(c.jid)}
              onFocus={() => {
                roving.onFocus(c.jid);
              }}
              onClick={() => {
                onOpen(c.jid);
              }}
              onKeyDown={activateOnKey(() => {
                onOpen(c.jid);
              })}
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
        })}
      </ul>
      {contacts === undefined && <p className="side-empty">{t.loading}</p>}
      {contacts?.length === 0 && <p className="side-empty">{t.noContacts}</p>}
    </section>
  );
}

/** The "Conversations" list: most recent first, with last-message preview and time. */
import type { ReactNode } from 'react';
import type { Contact, Conversation } from '../../../preload/contract.ts';
import { activateOnKey, useRoving } from '../../app/useRoving.ts';
import { Avatar } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

interface Props {
  conversations: readonly Conversation[] | undefined;
  contacts: ReadonlyMap<string, Contact>;
  selected: string | null;
  onOpen: (peer: string) => void;
}

export function ConversationList({ conversations, contacts, selected, onOpen }: Props): ReactNode {
  const { t, stamp, dateTime } = useI18n();
  const roving = useRoving(conversations?.map((c) => c.peer) ?? [], selected);

  return (
    <section className="side-section">
      <h2 className="side-heading">{t.conversations}</h2>
      <ul aria-label={t.conversations} className="items" onKeyDown={roving.onKeyDown}>
        {conversations?.map((c) => (
          <li
            key={c.peer}
            aria-label={c.name}
            aria-current={c.peer === selected ? 'true' : undefined}
            className="item"
            tabIndex={roving.tabIndex(c.peer)}
            onFocus={() => {
              roving.onFocus(c.peer);
            }}
            onClick={() => {
              onOpen(c.peer);
            }}
            onKeyDown={activateOnKey(() => {
              onOpen(c.peer);
            })}
          >
            <Avatar name={c.name} jid={c.peer} show={contacts.get(c.peer)?.show} />
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
            </span>
          </li>
        ))}
      </ul>
      {conversations === undefined && <p className="side-empty">{t.loading}</p>}
      {conversations?.length === 0 && <p className="side-empty">{t.noConversations}</p>}
    </section>
  );
}

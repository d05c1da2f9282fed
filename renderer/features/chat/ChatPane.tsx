/** The open conversation: header, messages, composer. */
import { useState, type ReactNode } from 'react';
import type { Contact, Conversation } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { Avatar, Icons, presenceClass, presenceText } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { useMessages } from './useMessages.ts';

interface Props {
  accountId: string;
  peer: string;
  conversation: Conversation | undefined;
  contact: Contact | undefined;
  onBack: () => void;
}

export function ChatPane({ accountId, peer, conversation, contact, onBack }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const messages = useMessages(accountId, peer);
  const [stickToken, setStickToken] = useState(0);
  const name = contact?.name ?? conversation?.name ?? peer;

  const send = async (body: string): Promise<void> => {
    const message = await client.call('message.send', { accountId, to: peer, body });
    messages.put(message);
    setStickToken((n) => n + 1);
  };

  return (
    <section className="chat" aria-label={name}>
      <header className="chat-header">
        <button type="button" className="icon-button back" onClick={onBack} aria-label={t.back} title={t.back}>
          <Icons.back />
        </button>
        <Avatar name={name} jid={peer} show={contact?.show} size="lg" />
        <div className="chat-title">
          <h1>{name}</h1>
          <p className="chat-sub">
            <span>{peer}</span>
            {contact !== undefined && (
              <span className={`presence presence-${presenceClass(contact.show)}`}>
                {' · '}
                {presenceText(contact.show, t)}
                {contact.status !== undefined && contact.status !== '' && ` – ${contact.status}`}
              </span>
            )}
          </p>
        </div>
      </header>
      <MessageList
        messages={messages.messages}
        hasMore={messages.hasMore ?? false}
        loadingOlder={messages.loadingOlder}
        onLoadOlder={messages.loadOlder}
        stickToken={stickToken}
      />
      {messages.error !== undefined && (
        <p className="chat-error" role="alert">
          {messages.error}
        </p>
      )}
      <Composer onSend={send} />
    </section>
  );
}

export function EmptyChat(): ReactNode {
  const { t } = useI18n();
  return (
    <div className="chat-empty">
      <Icons.chat />
      <h1>{t.emptyChatTitle}</h1>
      <p className="muted">{t.emptyChatBody}</p>
    </div>
  );
}

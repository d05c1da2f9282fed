/**
 * The open conversation: header, messages, composer. Everything here acts for
 * the conversation's own account. The composer stays usable while that account
 * is offline: the core queues, and sends when it is back.
 */
import { useState, type ReactNode } from 'react';
import type { AccountState, Contact, Conversation, Message } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { AccountChip, Avatar, Icons, presenceClass, presenceText } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { useMessages } from './useMessages.ts';

interface Props {
  account: AccountState;
  peer: string;
  conversation: Conversation | undefined;
  contact: Contact | undefined;
  /** Several accounts: say which one this conversation belongs to. */
  labelled: boolean;
  onBack: () => void;
}

export function ChatPane({ account, peer, conversation, contact, labelled, onBack }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const accountId = account.id;
  const messages = useMessages(accountId, peer);
  const [stickToken, setStickToken] = useState(0);
  const [retryError, setRetryError] = useState<string | null>(null);
  const name = contact?.name ?? conversation?.name ?? peer;
  const offline = account.status !== 'online';

  const retry = async (m: Message): Promise<void> => {
    setRetryError(null);
    try {
      messages.put(await client.call('message.retry', { accountId, messageId: m.id }));
    } catch (err) {
      setRetryError(errorText(err, t));
    }
  };

  /** Only ever after a click: the core hands the URL to the system browser (or says why not). */
  const openLink = (url: string): void => {
    setRetryError(null);
    client.call('app.openExternal', { url }).catch((err: unknown) => {
      setRetryError(errorText(err, t));
    });
  };

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
        {labelled && <AccountChip jid={account.jid} />}
      </header>
      <MessageList
        messages={messages.messages}
        hasMore={messages.hasMore ?? false}
        loadingOlder={messages.loadingOlder}
        onLoadOlder={messages.loadOlder}
        stickToken={stickToken}
        onRetry={retry}
        onOpenLink={openLink}
      />
      {(messages.error ?? retryError) !== null && (
        <p className="chat-error" role="alert">
          {messages.error ?? retryError}
        </p>
      )}
      {offline && (
        <p className="chat-note" role="status">
          <Icons.clock />
          {account.status === 'disabled' ? t.disabledComposer(account.jid) : t.offlineComposer(account.jid)}
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

/**
 * The open conversation: header, messages, the contact's typing state, composer.
 * Everything here acts for the conversation's own account. The composer stays
 * usable while that account is offline: the core queues, and sends when it is back.
 *
 * Read marks: a message counts as seen when it is in view while the window is
 * visible and focused; then `conversation.markRead` moves the read mark (and the
 * core sends XEP-0333 "displayed"). "New messages" stays where it was when the
 * conversation opened (or where unseen messages started arriving), until we answer.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AccountState, Contact, Conversation, Message } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { AccountChip, Avatar, Icons, presenceClass, presenceText, Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { Composer } from './Composer.tsx';
import { ConversationMenu } from './ConversationMenu.tsx';
import type { MessageActions } from './MessageItem.tsx';
import { MessageList } from './MessageList.tsx';
import { useChatStateSender, useDraft, usePeerChatState } from './useComposing.ts';
import { useMessages } from './useMessages.ts';
import {
  ConversationTransfers,
  DropOverlay,
  SendFileButton,
  useFileDrop,
  useSendFiles,
} from '../transfers/ConversationFiles.tsx';

interface Props {
  account: AccountState;
  peer: string;
  conversation: Conversation | undefined;
  contact: Contact | undefined;
  /** Several accounts: say which one this conversation belongs to. */
  labelled: boolean;
  onBack: () => void;
  /** A conversation a command returned (read mark, draft). */
  onConversation: (c: Conversation) => void;
  /** The draft changed here (shown in the list before the core has it). */
  onDraft: (draft: string) => void;
  /** The conversation is gone (its history deleted): close its tab. */
  onClosed?: () => void;
  /** Show this message (a search result). */
  jumpRequest?: { id: number; token: number } | undefined;
}

const isActive = (): boolean => document.visibilityState === 'visible' && document.hasFocus();
const MARK_READ_DELAY_MS = 250;

export function ChatPane({
  account,
  peer,
  conversation,
  contact,
  labelled,
  onBack,
  onConversation,
  onDraft,
  onClosed,
  jumpRequest,
}: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const accountId = account.id;
  // How far back the first page must reach: to the first unread message.
  const [opened] = useState(() => ({ unread: conversation?.unread ?? 0, readUpTo: conversation?.readUpTo ?? 0 }));
  const messages = useMessages(accountId, peer, opened.unread, opened.readUpTo);
  const [stickToken, setStickToken] = useState(0);
  const [actionError, setActionError] = useState<string | null>(null);
  const [retrying, setRetrying] = useState<ReadonlySet<number>>(new Set());
  const [editing, setEditing] = useState<Message | null>(null);
  const [replying, setReplying] = useState<Message | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const [history, setHistory] = useState<Message | null>(null);
  const [focusToken, setFocusToken] = useState(0);
  const name = contact?.name ?? conversation?.name ?? peer;
  const offline = account.status !== 'online';
  const peerState = usePeerChatState(accountId, peer);
  const chatState = useChatStateSender(accountId, peer);
  const saveDraft = useDraft(accountId, peer, onDraft, onConversation);

  // --- unread: the separator and the read mark ---------------------------------

  /** "New messages" goes above the first message after this id (null: no separator). */
  const [readMark, setReadMark] = useState<number | null>(() =>
    (conversation?.unread ?? 0) > 0 ? (conversation?.readUpTo ?? 0) : null,
  );
  const latest = useRef({ conversation, seen: 0, told: 0 });
  latest.current.conversation = conversation;
  const markTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const markRead = useCallback(() => {
    const { conversation: c, seen, told } = latest.current;
    if (seen <= Math.max(c?.readUpTo ?? 0, told) || !isActive()) return;
    latest.current.told = seen;
    client.call('conversation.markRead', { accountId, peer, upTo: seen }).then(onConversation, () => {
      latest.current.told = 0; // try again on the next scroll or focus
    });
  }, [client, accountId, peer, onConversation]);

  // At most one call per MARK_READ_DELAY_MS, for the newest message seen meanwhile (a steady
  // stream of messages must not keep postponing it).
  const onSeen = useCallback(
    (id: number) => {
      latest.current.seen = Math.max(latest.current.seen, id);
      markTimer.current ??= setTimeout(() => {
        markTimer.current = undefined;
        markRead();
      }, MARK_READ_DELAY_MS);
    },
    [markRead],
  );

  useEffect(() => {
    const check = (): void => {
      markRead();
    };
    window.addEventListener('focus', check);
    document.addEventListener('visibilitychange', check);
    return () => {
      clearTimeout(markTimer.current);
      markTimer.current = undefined;
      window.removeEventListener('focus', check);
      document.removeEventListener('visibilitychange', check);
    };
  }, [markRead]);

  // Unread messages arriving that the reader does not see (window in the background,
  // scrolled up): the separator goes above the first of them.
  const unread = conversation?.unread ?? 0;
  const readUpTo = conversation?.readUpTo ?? 0;
  useEffect(() => {
    if (readMark !== null || unread === 0) return;
    if (!isActive() || latest.current.seen <= readUpTo) setReadMark(readUpTo);
  }, [readMark, unread, readUpTo]);

  // --- commands ------------------------------------------------------------------

  const list = messages.messages;
  const newestOwn = useMemo(() => {
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i];
      if (m?.direction === 'out' && m.retracted !== true) return m;
    }
    return undefined;
  }, [list]);

  const put = messages.put;
  const fail = useCallback(
    (err: unknown) => {
      setActionError(errorText(err, t));
    },
    [t],
  );

  const send = async (body: string): Promise<void> => {
    const message = await client.call('message.send', {
      accountId,
      to: peer,
      body,
      ...(replying !== null ? { replyTo: replying.id } : {}),
    });
    put(message);
    chatState.sent();
    setReplying(null);
    setReadMark(null);
    setStickToken((n) => n + 1);
  };

  const saveEdit = async (m: Message, body: string): Promise<void> => {
    put(await client.call('message.correct', { accountId, messageId: m.id, body }));
    setEditing(null);
    chatState.settle();
  };

  const actions = useMemo<Omit<MessageActions, 'jumpTo'>>(
    () => ({
      reply: (m) => {
        setEditing(null);
        setReplying(m);
        setFocusToken((n) => n + 1);
      },
      react: (m, reactions) => {
        setActionError(null);
        client.call('message.react', { accountId, messageId: m.id, reactions }).then(put, fail);
      },
      edit: (m) => {
        setReplying(null);
        setEditing(m);
      },
      remove: (m) => {
        setDeleting(m);
      },
      history: (m) => {
        setHistory(m);
      },
      retry: (m) => {
        setActionError(null);
        setRetrying((ids) => new Set(ids).add(m.id));
        client
          .call('message.retry', { accountId, messageId: m.id })
          .then(put, fail)
          .finally(() => {
            setRetrying((ids) => {
              const next = new Set(ids);
              next.delete(m.id);
              return next;
            });
          });
      },
      /** Only ever after a click: the core hands the URL to the system browser (or says why not). */
      openLink: (url) => {
        setActionError(null);
        // xmpp: links stay in Parley: the core checks them and the user confirms (features/attention).
        if (/^xmpp:/iu.test(url)) client.call('app.openUri', { uri: url }).catch(fail);
        else client.call('app.openExternal', { url }).catch(fail);
      },
    }),
    [client, accountId, put, fail],
  );

  const onJumpFailed = useCallback(() => {
    setActionError(t.quotedMessageGone);
  }, [t]);

  const editLast = (): boolean => {
    if (newestOwn === undefined) return false;
    setReplying(null);
    setEditing(newestOwn);
    return true;
  };

  const typingText = peerState === 'composing' ? t.typing(name) : peerState === 'paused' ? t.pausedTyping(name) : '';
  const error = messages.error ?? actionError;
  // File transfer (issue 6): "Send file", drop and paste.
  const sendFiles = useSendFiles(accountId, peer);
  const drop = useFileDrop(sendFiles);

  return (
    <section className="chat" aria-label={name} {...drop.handlers}>
      {drop.dragging && <DropOverlay name={name} />}
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
        <ConversationMenu
          accountId={accountId}
          peer={peer}
          name={name}
          onDeleted={onClosed ?? onBack}
          onError={setActionError}
          mutedUntil={conversation?.mutedUntil}
          sound={conversation?.sound}
          onConversation={onConversation}
        />
      </header>
      <MessageList
        peerName={name}
        messages={list}
        hasMore={messages.hasMore ?? false}
        loadingOlder={messages.loadingOlder}
        onLoadOlder={messages.loadOlder}
        hasNewer={messages.hasNewer ?? false}
        onLoadNewer={messages.loadNewer}
        onShowLatest={messages.showLatest}
        onLoadUntil={messages.loadUntil}
        stickToken={stickToken}
        unreadAfter={readMark}
        editableId={newestOwn?.id}
        retrying={retrying}
        onSeen={onSeen}
        onJumpFailed={onJumpFailed}
        actions={actions}
        jumpRequest={jumpRequest}
      />
      <p className={`typing${typingText === '' ? '' : ' is-typing'}`} role="status">
        {typingText !== '' && peerState === 'composing' && <TypingDots />}
        {typingText}
      </p>
      {error !== null && (
        <p className="chat-error" role="alert">
          {error}
        </p>
      )}
      {offline && (
        <p className="chat-note" role="status">
          <Icons.clock />
          {account.status === 'disabled' ? t.disabledComposer(account.jid) : t.offlineComposer(account.jid)}
        </p>
      )}
      <ConversationTransfers accountId={accountId} peer={peer} />
      <Composer
        draft={conversation?.draft}
        onDraft={saveDraft}
        onTyping={chatState.typed}
        onSend={send}
        editing={editing}
        onSaveEdit={saveEdit}
        onCancelEdit={() => {
          setEditing(null);
          chatState.settle();
        }}
        replying={replying === null ? null : { message: replying, author: replying.direction === 'out' ? t.you : name }}
        onCancelReply={() => {
          setReplying(null);
        }}
        onEditLast={editLast}
        focusToken={focusToken}
        onFiles={sendFiles}
        attach={<SendFileButton onFiles={sendFiles} />}
      />
      {deleting !== null && (
        <DeleteDialog
          message={deleting}
          peerName={name}
          onDelete={async () => {
            put(await client.call('message.retract', { accountId, messageId: deleting.id }));
            if (editing?.id === deleting.id) setEditing(null);
            setDeleting(null);
          }}
          onClose={() => {
            setDeleting(null);
          }}
        />
      )}
      {history !== null && (
        <EditHistoryDialog
          accountId={accountId}
          message={list?.find((m) => m.id === history.id) ?? history}
          onClose={() => {
            setHistory(null);
          }}
        />
      )}
    </section>
  );
}

function TypingDots(): ReactNode {
  return (
    <span className="typing-dots" aria-hidden="true">
      <span />
      <span />
      <span />
    </span>
  );
}

/** "Delete for everyone", confirmed: what happens, the message itself, then message.retract. */
function DeleteDialog({
  message,
  peerName,
  onDelete,
  onClose,
}: {
  message: Message;
  peerName: string;
  onDelete: () => Promise<void>;
  onClose: () => void;
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = (): void => {
    setBusy(true);
    setError(null);
    onDelete().catch((err: unknown) => {
      setError(errorText(err, t));
      setBusy(false);
    });
  };
  return (
    <Dialog title={t.deleteTitle} tone="alert" size="sm" describedBy={id} onClose={onClose}>
      <p id={id}>{t.deleteBody(peerName)}</p>
      <blockquote className="dialog-quote">{message.body}</blockquote>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {busy && (
          <span className="connecting" role="status">
            <Spinner /> {t.deleting}
          </span>
        )}
        <button type="button" className="button secondary" onClick={onClose} disabled={busy} data-autofocus>
          {t.cancel}
        </button>
        <button type="button" className="button danger" onClick={remove} disabled={busy}>
          {t.deleteForEveryone}
        </button>
      </div>
    </Dialog>
  );
}

/** "edited": the message as it is now and every earlier version, newest first (message.edits). */
function EditHistoryDialog({
  accountId,
  message,
  onClose,
}: {
  accountId: string;
  message: Message;
  onClose: () => void;
}): ReactNode {
  const { t, dateTime } = useI18n();
  const client = useClient();
  const [edits, setEdits] = useState<{ body: string; replacedAt: number }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.call('message.edits', { accountId, messageId: message.id }).then(
      (r) => {
        if (live) setEdits(r.edits);
      },
      (err: unknown) => {
        if (live) setError(errorText(err, t));
      },
    );
    return () => {
      live = false;
    };
  }, [client, accountId, message.id, message.editedAt, t]);

  return (
    <Dialog title={t.editHistoryTitle} size="md" onClose={onClose}>
      <ol className="edit-history" aria-label={t.editHistoryTitle}>
        <li className="version current">
          <span className="version-when">
            {t.editHistoryCurrent}
            {message.editedAt !== undefined && ` · ${dateTime(message.editedAt)}`}
          </span>
          <p className="version-body">{message.body}</p>
        </li>
        {edits
          ?.slice()
          .reverse()
          .map((e, i) => (
            <li key={`${String(e.replacedAt)}-${String(i)}`} className="version">
              <span className="version-when">{t.editHistoryReplaced(dateTime(e.replacedAt))}</span>
              <p className="version-body">{e.body}</p>
            </li>
          ))}
      </ol>
      {edits === null && error === null && (
        <p className="muted">
          <Spinner /> {t.loading}
        </p>
      )}
      {edits?.length === 0 && <p className="muted">{t.editHistoryEmpty}</p>}
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
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

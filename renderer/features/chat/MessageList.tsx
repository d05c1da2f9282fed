/**
 * The "Messages" list, oldest at the top. Scrolling to the top pages
 * backwards; new messages scroll into view only if the reader was already at
 * the bottom; a prepended page keeps what the reader was looking at in place.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Message, MessageState } from '../../../preload/contract.ts';
import { Icons, Spinner } from '../../app/ui.tsx';
import { useI18n, type Messages } from '../../i18n/index.ts';
import { MessageText } from './MessageText.tsx';

const NEAR = 48; // px: "at the bottom" / "at the top" tolerance
const GROUP_MS = 5 * 60_000;

interface Props {
  messages: readonly Message[] | undefined;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** Bumped when the user sends: always scroll to the bottom then. */
  stickToken: number;
  /** Send a failed message again. */
  onRetry: (message: Message) => Promise<unknown>;
  /** A link in a message was clicked: open it outside the app. */
  onOpenLink: (url: string) => void;
}

export function MessageList({
  messages,
  hasMore,
  loadingOlder,
  onLoadOlder,
  stickToken,
  onRetry,
  onOpenLink,
}: Props): ReactNode {
  const { t, time, dateTime, day } = useI18n();
  const [retrying, setRetrying] = useState<ReadonlySet<number>>(new Set());
  const retry = (m: Message): void => {
    setRetrying((ids) => new Set(ids).add(m.id));
    void onRetry(m).finally(() => {
      setRetrying((ids) => {
        const next = new Set(ids);
        next.delete(m.id);
        return next;
      });
    });
  };
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<{ firstId: number; height: number; top: number } | null>(null);

  const onScroll = (): void => {
    const el = scroller.current;
    if (el === null) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR;
    if (el.scrollTop < NEAR && hasMore && !loadingOlder && messages !== undefined) {
      const first = messages[0];
      if (first !== undefined) anchor.current = { firstId: first.id, height: el.scrollHeight, top: el.scrollTop };
      onLoadOlder();
    }
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    const a = anchor.current;
    if (a !== null && messages?.[0] !== undefined && messages[0].id < a.firstId) {
      el.scrollTop = a.top + (el.scrollHeight - a.height); // older page prepended: keep the view steady
      anchor.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null || stickToken === 0) return;
    atBottom.current = true;
    el.scrollTop = el.scrollHeight;
  }, [stickToken]);

  return (
    <div className="messages" ref={scroller} onScroll={onScroll}>
      {messages !== undefined && messages.length > 0 && (
        <p className="messages-edge">
          {loadingOlder ? (
            <>
              <Spinner /> {t.loadingOlder}
            </>
          ) : hasMore ? null : (
            t.beginningOfConversation
          )}
        </p>
      )}
      <ul aria-label={t.messages} className="message-list">
        {messages?.map((m, i) => {
          const prev = messages[i - 1];
          const grouped = prev?.direction === m.direction && m.timestamp - prev.timestamp < GROUP_MS;
          const sameDay =
            prev !== undefined && new Date(prev.timestamp).toDateString() === new Date(m.timestamp).toDateString();
          return (
            <li
              key={m.id}
              className={`message ${m.direction}${grouped && sameDay ? ' grouped' : ''}${m.state === 'failed' ? ' failed' : ''}`}
            >
              {!sameDay && (
                <span className="day" aria-hidden="true">
                  {day(m.timestamp)}
                </span>
              )}
              <div className="bubble">
                <MessageText body={m.body} onOpenLink={onOpenLink} />
                <span className="meta">
                  <time dateTime={new Date(m.timestamp).toISOString()} title={dateTime(m.timestamp)}>
                    {time(m.timestamp)}
                  </time>
                  {m.direction === 'out' && <StateMark state={m.state} t={t} />}
                </span>
              </div>
              {m.direction === 'out' && m.state === 'failed' && (
                <div className="failure">
                  <span className="failure-text">
                    <strong>{t.stateFailed}</strong>
                    {m.error !== undefined && m.error !== '' && `: ${m.error}`}
                  </span>
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() => {
                      retry(m);
                    }}
                    disabled={retrying.has(m.id)}
                  >
                    {t.retry}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {messages === undefined && (
        <p className="messages-empty">
          <Spinner /> {t.loading}
        </p>
      )}
      {messages?.length === 0 && <p className="messages-empty">{t.noMessages}</p>}
    </div>
  );
}

/**
 * The delivery state of an outbound message: an icon, a tooltip, and the state's
 * word as text for screen readers (and tests). A failure is spelled out below
 * the bubble instead, with its reason and "Retry".
 */
function StateMark({ state, t }: { state: MessageState; t: Messages }): ReactNode {
  const marks: Record<MessageState, readonly [() => ReactNode, string]> = {
    queued: [Icons.clock, t.stateQueued],
    sent: [Icons.check, t.stateSent],
    acked: [Icons.check, t.stateAcked],
    delivered: [Icons.checks, t.stateDelivered],
    read: [Icons.checks, t.stateRead],
    failed: [Icons.alert, t.stateFailed],
    received: [Icons.checks, t.stateDelivered],
  };
  const [Mark, label] = marks[state];
  return (
    <span className={`state state-${state}`} title={label}>
      <Mark />
      {state !== 'failed' && <span className="visually-hidden">{label}</span>}
    </span>
  );
}

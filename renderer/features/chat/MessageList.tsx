/**
 * The "Messages" list, oldest at the top. Scrolling to the top pages
 * backwards; new messages scroll into view only if the reader was already at
 * the bottom; a prepended page keeps what the reader was looking at in place.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import type { Message, MessageState } from '../../../preload/contract.ts';
import { Icons, Spinner } from '../../app/ui.tsx';
import { useI18n, type Messages } from '../../i18n/index.ts';

const NEAR = 48; // px: "at the bottom" / "at the top" tolerance
const GROUP_MS = 5 * 60_000;

interface Props {
  messages: readonly Message[] | undefined;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** Bumped when the user sends: always scroll to the bottom then. */
  stickToken: number;
}

export function MessageList({ messages, hasMore, loadingOlder, onLoadOlder, stickToken }: Props): ReactNode {
  const { t, time, dateTime, day } = useI18n();
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
                <p className="body">{m.body}</p>
                <span className="meta">
                  <time dateTime={new Date(m.timestamp).toISOString()} title={dateTime(m.timestamp)}>
                    {time(m.timestamp)}
                  </time>
                  {m.direction === 'out' && <StateMark state={m.state} t={t} />}
                </span>
              </div>
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

function StateMark({ state, t }: { state: MessageState; t: Messages }): ReactNode {
  const marks = {
    pending: [Icons.clock, t.statePending],
    sent: [Icons.check, t.stateSent],
    received: [Icons.checks, t.stateReceived],
    failed: [Icons.alert, t.stateFailed],
  } as const;
  const [Mark, label] = marks[state];
  return (
    <span className={`state state-${state}`} title={label}>
      <Mark />
      <span className={state === 'failed' ? undefined : 'visually-hidden'}>{label}</span>
    </span>
  );
}

/**
 * One message of the "Messages" list: its bubble (a reply's quote, the styled
 * text or a deleted message's tombstone, time, "edited", the delivery state),
 * its reactions, and its actions: "Reply", "React", "Edit" (our newest
 * message), "Delete for everyone" (ours). The actions show on hover and when
 * the message has focus; the ContextMenu key, Shift+F10 or a right click open
 * the same actions as a menu. They are made only then (most rows of a long
 * conversation never need them, and they are most of a row's elements); an
 * empty box keeps their room meanwhile, so that nothing moves when they come.
 *
 * Its place in the list (aria-posinset, aria-setsize) is set by MessageList on
 * the element itself: as props, every row would render again each time an
 * older page moves the positions.
 */
import {
  memo,
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type Ref,
} from 'react';
import type { Message, MessageState } from '../../../preload/contract.ts';
import { Icons } from '../../app/ui.tsx';
import { bounceText } from '../../i18n/errors.ts';
import { useI18n, type Messages } from '../../i18n/index.ts';
import { EmojiPicker, REACTIONS } from './EmojiPicker.tsx';
import { AttachmentBubble } from './AttachmentBubble.tsx';
import { MessageText } from './MessageText.tsx';

export interface MessageActions {
  reply: (m: Message) => void;
  /** Our whole new set of reactions to `m`. */
  react: (m: Message, reactions: string[]) => void;
  edit: (m: Message) => void;
  /** Asks first: "Delete for everyone". */
  remove: (m: Message) => void;
  history: (m: Message) => void;
  retry: (m: Message) => void;
  openLink: (url: string) => void;
  /** Show the message with this id (a reply's quote was clicked). */
  jumpTo: (id: number) => void;
}

interface Props {
  message: Message;
  /** The contact's display name (who wrote an inbound quoted message). */
  peerName: string;
  grouped: boolean;
  /** A day separator above it ("Today"), or null. */
  dayLabel: string | null;
  /** The first unread message: "New messages" above it. */
  unreadMark: boolean;
  /** Our newest message: it can be edited. */
  canEdit: boolean;
  /** The list's one Tab stop (and its controls are in the Tab order). */
  tabbable: boolean;
  /** Just jumped to: highlighted for a moment. */
  flash: boolean;
  retrying: boolean;
  actions: MessageActions;
  register: (id: number, el: HTMLLIElement | null) => void;
  onFocusItem: (id: number) => void;
}

type Popover = { kind: 'react' | 'menu'; below: boolean } | null;

export const MessageItem = memo(function MessageItem({
  message: m,
  peerName,
  grouped,
  dayLabel,
  unreadMark,
  canEdit,
  tabbable,
  flash,
  retrying,
  actions,
  register,
  onFocusItem,
}: Props): ReactNode {
  const { t, time, dateTime } = useI18n();
  const [popover, setPopover] = useState<Popover>(null);
  const [hovered, setHovered] = useState(false);
  const [focusedIn, setFocusedIn] = useState(false);
  const item = useRef<HTMLLIElement | null>(null);
  const reactButton = useRef<HTMLButtonElement>(null);
  const own = m.direction === 'out';
  const retracted = m.retracted === true;
  const tab = tabbable ? 0 : -1;
  const tools = retracted ? 0 : 2 + (own && canEdit ? 1 : 0) + (own ? 1 : 0);
  const showTools = tools > 0 && (hovered || focusedIn || popover !== null);
  const mine = (m.reactions ?? []).filter((r) => r.mine).map((r) => r.emoji);

  const toggleReaction = (emoji: string): void => {
    actions.react(m, mine.includes(emoji) ? mine.filter((e) => e !== emoji) : [...mine, emoji]);
  };

  /** Popovers open towards the larger part of the conversation's viewport. */
  const open = (kind: 'react' | 'menu'): void => {
    const li = item.current;
    const view = li?.closest('.messages')?.getBoundingClientRect();
    const box = li?.getBoundingClientRect();
    const below = view !== undefined && box !== undefined && box.top - view.top < view.bottom - box.bottom;
    setPopover({ kind, below });
  };
  const close = (focus: 'item' | 'react' | null): void => {
    setPopover(null);
    if (focus === 'item') item.current?.focus();
    if (focus === 'react') reactButton.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>): void => {
    if (retracted) return;
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault();
      open('menu');
    }
  };
  const onContextMenu = (e: MouseEvent<HTMLLIElement>): void => {
    // Links and selected text keep the platform's own menu (open, copy).
    if (retracted || (e.target as Element).closest('a') !== null) return;
    if ((window.getSelection()?.toString() ?? '') !== '') return;
    e.preventDefault();
    open('menu');
  };

  const id = m.id;
  const setItem = useCallback(
    (el: HTMLLIElement | null) => {
      item.current = el;
      register(id, el);
      return () => {
        register(id, null);
      };
    },
    [id, register],
  );

  const author = m.replyTo?.direction === 'out' ? t.you : m.replyTo?.direction === 'in' ? peerName : undefined;
  // A quoted message deleted since has an empty preview.
  const quote = m.replyTo?.preview === '' ? t.messageDeleted : (m.replyTo?.preview ?? '');
  const showQuote = m.replyTo !== undefined && !retracted && (author !== undefined || quote !== '');

  return (
    <li
      ref={setItem}
      data-id={m.id}
      tabIndex={tab}
      className={[
        'message',
        m.direction,
        grouped && dayLabel === null && !unreadMark ? 'grouped' : '',
        m.state === 'failed' ? 'failed' : '',
        retracted ? 'retracted' : '',
        flash ? 'flash' : '',
        popover !== null ? 'popover-open' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      onFocus={(e) => {
        setFocusedIn(true);
        if (e.target === e.currentTarget) onFocusItem(m.id);
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setFocusedIn(false);
      }}
      // Over, not enter: React reports no enter when what was under the pointer went away (a dialog closed).
      onMouseOver={() => {
        setHovered(true);
      }}
      onMouseLeave={() => {
        setHovered(false);
      }}
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
    >
      {dayLabel !== null && (
        <span className="day" aria-hidden="true">
          {dayLabel}
        </span>
      )}
      {unreadMark && (
        <div className="unread-mark" role="separator" aria-label={t.newMessages}>
          <span aria-hidden="true">{t.newMessages}</span>
        </div>
      )}
      <div className="message-row">
        <div className="bubble">
          {showQuote && (
            <button
              type="button"
              className="quote"
              tabIndex={tab}
              aria-label={author === undefined ? quote : `${t.inReplyTo(author)}: ${quote}`}
              onClick={() => {
                if (m.replyTo !== undefined) actions.jumpTo(m.replyTo.id);
              }}
            >
              {author !== undefined && <span className="quote-author">{author}</span>}
              <span className="quote-text">{quote}</span>
            </button>
          )}
          {retracted ? (
            <p className="tombstone">
              <Icons.trash />
              {t.messageDeleted}
            </p>
          ) : m.attachment !== undefined ? (
            <AttachmentBubble message={m} tab={tab} />
          ) : (
            <MessageText body={m.body} onOpenLink={actions.openLink} />
          )}
          <span className="meta">
            {m.editedAt !== undefined && !retracted && (
              <button
                type="button"
                className="edited"
                tabIndex={tab}
                title={t.showEditHistory}
                aria-haspopup="dialog"
                onClick={() => {
                  actions.history(m);
                }}
              >
                {t.edited}
              </button>
            )}
            {/* The full date as a tooltip: only under the pointer (formatting it for every row costs). */}
            <time dateTime={new Date(m.timestamp).toISOString()} title={hovered ? dateTime(m.timestamp) : undefined}>
              {time(m.timestamp)}
            </time>
            {own && <StateMark state={m.state} t={t} />}
          </span>
        </div>
        {tools > 0 && !showTools && (
          // Their room: `tools` buttons of 28 px with 1 px between them (styles.css, .tool and .message-tools).
          <div className="message-tools" aria-hidden="true" style={{ width: tools * 29 - 1 }} />
        )}
        {showTools && (
          <div className="message-tools" role="group" aria-label={t.messageActions}>
            <ToolButton
              label={t.reply}
              tab={tab}
              onClick={() => {
                actions.reply(m);
              }}
            >
              <Icons.reply />
            </ToolButton>
            <ToolButton
              label={t.react}
              tab={tab}
              buttonRef={reactButton}
              expanded={popover?.kind === 'react'}
              onClick={() => {
                if (popover?.kind === 'react') close(null);
                else open('react');
              }}
            >
              <Icons.react />
            </ToolButton>
            {own && canEdit && (
              <ToolButton
                label={t.edit}
                tab={tab}
                onClick={() => {
                  actions.edit(m);
                }}
              >
                <Icons.pencil />
              </ToolButton>
            )}
            {own && (
              <ToolButton
                label={t.deleteForEveryone}
                tab={tab}
                danger
                onClick={() => {
                  actions.remove(m);
                }}
              >
                <Icons.trash />
              </ToolButton>
            )}
          </div>
        )}
      </div>
      {!retracted && (m.reactions?.length ?? 0) > 0 && (
        <div className="reactions" role="group" aria-label={t.reactions}>
          {m.reactions?.map((r) => (
            <button
              key={r.emoji}
              type="button"
              className="reaction"
              tabIndex={tab}
              aria-pressed={r.mine}
              aria-label={t.reactionChip(r.emoji, r.count)}
              onClick={() => {
                toggleReaction(r.emoji);
              }}
            >
              <span className="reaction-emoji" aria-hidden="true">
                {r.emoji}
              </span>
              <span className="reaction-count" aria-hidden="true">
                {r.count}
              </span>
            </button>
          ))}
        </div>
      )}
      {own && m.state === 'failed' && (
        <div className="failure">
          <span className="failure-text">
            <strong>{t.stateFailed}</strong>
            {m.error !== undefined && m.error !== '' && `${t.failureSeparator}${bounceText(m.error, t)}`}
          </span>
          <button
            type="button"
            className="button secondary small"
            onClick={() => {
              actions.retry(m);
            }}
            disabled={retrying}
          >
            {t.retry}
          </button>
        </div>
      )}
      {popover?.kind === 'react' && (
        <div
          className={`popover-anchor ${popover.below ? 'below' : 'above'}`}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget)) setPopover(null);
          }}
        >
          <EmojiPicker
            label={t.reactionPicker}
            choices={REACTIONS}
            className="reaction-picker"
            onPick={(emoji) => {
              toggleReaction(emoji);
              close('react');
            }}
            onClose={() => {
              close('react');
            }}
          />
        </div>
      )}
      {popover?.kind === 'menu' && (
        <ActionMenu
          below={popover.below}
          label={t.messageActions}
          items={[
            {
              label: t.reply,
              icon: <Icons.reply />,
              run: () => {
                actions.reply(m);
              },
            },
            {
              label: t.react,
              icon: <Icons.react />,
              run: () => {
                open('react');
              },
              keepOpen: true,
            },
            ...(own && canEdit
              ? [
                  {
                    label: t.edit,
                    icon: <Icons.pencil />,
                    run: () => {
                      actions.edit(m);
                    },
                  },
                ]
              : []),
            ...(own
              ? [
                  {
                    label: t.deleteForEveryone,
                    icon: <Icons.trash />,
                    run: () => {
                      actions.remove(m);
                    },
                    danger: true,
                  },
                ]
              : []),
          ]}
          onClose={(refocus) => {
            close(refocus ? 'item' : null);
          }}
        />
      )}
    </li>
  );
});

function ToolButton({
  label,
  tab,
  onClick,
  children,
  danger = false,
  expanded,
  buttonRef,
}: {
  label: string;
  tab: 0 | -1;
  onClick: () => void;
  children: ReactNode;
  danger?: boolean;
  expanded?: boolean;
  buttonRef?: Ref<HTMLButtonElement>;
}): ReactNode {
  return (
    <button
      ref={buttonRef}
      type="button"
      className={`tool${danger ? ' danger' : ''}`}
      tabIndex={tab}
      aria-label={label}
      title={label}
      aria-haspopup={expanded === undefined ? undefined : 'dialog'}
      aria-expanded={expanded}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

interface MenuItem {
  label: string;
  icon: ReactNode;
  run: () => void;
  danger?: boolean;
  /** The item opens something else in place of the menu. */
  keepOpen?: boolean;
}

/** A menu of the message's actions: arrows, Home/End, Enter; Escape or Tab closes it. */
function ActionMenu({
  below,
  label,
  items,
  onClose,
}: {
  below: boolean;
  label: string;
  items: readonly MenuItem[];
  onClose: (refocus: boolean) => void;
}): ReactNode {
  const menu = useRef<HTMLDivElement>(null);
  const entries = (): HTMLButtonElement[] => [...(menu.current?.querySelectorAll('button') ?? [])];

  useEffect(() => {
    entries()[0]?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const list = entries();
    const i = list.findIndex((b) => b === document.activeElement);
    const last = list.length - 1;
    const next: Record<string, number> = {
      ArrowDown: i >= last ? 0 : i + 1,
      ArrowUp: i <= 0 ? last : i - 1,
      Home: 0,
      End: last,
    };
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose(true);
    } else if (e.key === 'Tab') {
      onClose(false);
    } else if (next[e.key] !== undefined) {
      e.preventDefault();
      e.stopPropagation();
      list[next[e.key] ?? 0]?.focus();
    }
  };

  return (
    <div
      ref={menu}
      role="menu"
      aria-label={label}
      className={`action-menu ${below ? 'below' : 'above'}`}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) onClose(false);
      }}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={`menu-item${item.danger === true ? ' danger' : ''}`}
          onClick={() => {
            if (item.keepOpen !== true) onClose(true);
            item.run();
          }}
        >
          {item.icon}
          <span>{item.label}</span>
        </button>
      ))}
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

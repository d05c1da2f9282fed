/**
 * The message composer: Enter sends, Shift+Enter adds a line; IME composition is left alone.
 * Emoji shortcodes (":smile:") become emoji as the closing colon is typed and
 * on sending; the "Emoji" button opens a picker that inserts at the caret.
 */
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ChangeEvent,
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
  type SyntheticEvent,
} from 'react';
import { errorText } from '../../app/client.ts';
import { Icons } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { completeShortcode, EMOJI, replaceShortcodes } from './emoji.ts';

export function Composer({ onSend }: { onSend: (body: string) => Promise<unknown> }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  /** Where the caret goes once `body` has been re-rendered after a programmatic edit. */
  const caretAfter = useRef<number | null>(null);
  const empty = body.trim() === '';

  useLayoutEffect(() => {
    const at = caretAfter.current;
    if (at === null) return;
    caretAfter.current = null;
    textarea.current?.setSelectionRange(at, at);
  }, [body]);

  const send = (e?: SyntheticEvent): void => {
    e?.preventDefault();
    if (empty || sending) return;
    setSending(true);
    setError(null);
    onSend(replaceShortcodes(body)).then(
      () => {
        setBody('');
        setSending(false);
      },
      (err: unknown) => {
        setError(errorText(err, t));
        setSending(false);
      },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const onChange = (e: ChangeEvent<HTMLTextAreaElement>): void => {
    const { value, selectionStart, selectionEnd } = e.target;
    const composing = 'isComposing' in e.nativeEvent && e.nativeEvent.isComposing === true;
    // One character typed, and it is the colon that closes a shortcode.
    const closedShortcode =
      !composing &&
      selectionStart === selectionEnd &&
      value.length === body.length + 1 &&
      value[selectionStart - 1] === ':';
    const completed = closedShortcode ? completeShortcode(value, selectionStart) : undefined;
    if (completed !== undefined) caretAfter.current = completed.caret;
    setBody(completed?.text ?? value);
  };

  const insertEmoji = (emoji: string): void => {
    const el = textarea.current;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    caretAfter.current = start + emoji.length;
    setBody(body.slice(0, start) + emoji + body.slice(end));
    setPicking(false);
    el?.focus();
  };

  const closePicker = (returnFocus: boolean): void => {
    setPicking(false);
    if (returnFocus) emojiButton.current?.focus();
  };

  // Focus leaving the button and its picker (Tab away, a click elsewhere) closes the picker.
  const onBlurPicker = (e: FocusEvent<HTMLDivElement>): void => {
    if (picking && !e.currentTarget.contains(e.relatedTarget)) setPicking(false);
  };

  return (
    <form className="composer" onSubmit={send}>
      {error !== null && (
        <p className="composer-error" role="alert">
          {error}
        </p>
      )}
      <div className="composer-row">
        <div className="emoji-anchor" onBlur={onBlurPicker}>
          <button
            ref={emojiButton}
            type="button"
            className="icon-button emoji-button"
            aria-label={t.emoji}
            title={t.emoji}
            aria-haspopup="dialog"
            aria-expanded={picking}
            aria-controls={picking ? `${id}-emoji` : undefined}
            onClick={() => {
              setPicking((open) => !open);
            }}
          >
            <SmileyIcon />
          </button>
          {picking && (
            <EmojiPicker
              id={`${id}-emoji`}
              label={t.emojiPicker}
              onPick={insertEmoji}
              onClose={() => {
                closePicker(true);
              }}
            />
          )}
        </div>
        <textarea
          ref={textarea}
          aria-label={t.message}
          aria-describedby={`${id}-hint`}
          placeholder={t.messagePlaceholder}
          rows={1}
          value={body}
          onChange={onChange}
          onKeyDown={onKeyDown}
          autoFocus
        />
        <button type="submit" className="button primary send" disabled={empty || sending}>
          <Icons.send />
          <span>{t.send}</span>
        </button>
      </div>
      <p id={`${id}-hint`} className="visually-hidden">
        {t.composerHint}
      </p>
    </form>
  );
}

/** Columns of the picker's grid: keep in step with `.emoji-grid` in styles.css. */
const COLUMNS = 8;

/**
 * A popover grid of emoji buttons, each named by its shortcode. One Tab stop;
 * arrows move in two dimensions, Home/End go to the first/last, Enter or
 * Space inserts, Escape closes (focus returns to the Emoji button).
 */
function EmojiPicker({
  id,
  label,
  onPick,
  onClose,
}: {
  id: string;
  label: string;
  onPick: (emoji: string) => void;
  onClose: () => void;
}): ReactNode {
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  const buttons = (): NodeListOf<HTMLButtonElement> | undefined => grid.current?.querySelectorAll('button');

  useEffect(() => {
    buttons()?.[0]?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    const last = EMOJI.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: Math.min(last, active + 1),
      ArrowLeft: Math.max(0, active - 1),
      ArrowDown: active + COLUMNS <= last ? active + COLUMNS : active,
      ArrowUp: active - COLUMNS >= 0 ? active - COLUMNS : active,
      Home: 0,
      End: last,
    };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setActive(next);
    buttons()?.[next]?.focus();
  };

  return (
    <div id={id} className="emoji-picker" role="dialog" aria-label={label} tabIndex={-1} onKeyDown={onKeyDown}>
      <div className="emoji-grid" ref={grid}>
        {EMOJI.map(([name, emoji], i) => (
          <button
            key={name}
            type="button"
            className="emoji"
            aria-label={name}
            title={`:${name}:`}
            tabIndex={i === active ? 0 : -1}
            onFocus={() => {
              setActive(i);
            }}
            onClick={() => {
              onPick(emoji);
            }}
          >
            {emoji}
          </button>
        ))}
      </div>
    </div>
  );
}

function SmileyIcon(): ReactNode {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <circle cx="12" cy="12" r="9" />
        <path d="M8.5 14.5c.9 1.3 2.1 2 3.5 2s2.6-.7 3.5-2M9 9.5v.01M15 9.5v.01" />
      </g>
    </svg>
  );
}

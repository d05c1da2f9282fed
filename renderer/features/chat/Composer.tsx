/**
 * The message composer: Enter sends, Shift+Enter adds a line; IME composition is left alone.
 * Emoji shortcodes (":smile:") become emoji as the closing colon is typed and
 * on sending; the "Emoji" button opens a picker that inserts at the caret.
 *
 * It starts from the conversation's saved draft and reports every change (the
 * conversation saves it, and tells the contact we are typing). Up arrow in an
 * empty composer edits our newest message ("Editing message", Escape cancels);
 * a reply shows the quoted message above the text, with "Cancel reply".
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
import type { Message } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { Icons } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { completeShortcode, replaceShortcodes } from './emoji.ts';
import { EmojiPicker } from './EmojiPicker.tsx';

interface Props {
  /** The saved draft, if any: the text to start from. */
  draft: string | undefined;
  /** The text changed (typed, cleared, sent): not called for the text of an edit. */
  onDraft: (text: string) => void;
  /** Every keystroke's text, edits included (chat states). */
  onTyping: (text: string) => void;
  onSend: (body: string) => Promise<unknown>;
  /** The message being edited, or null. */
  editing: Message | null;
  onSaveEdit: (message: Message, body: string) => Promise<unknown>;
  onCancelEdit: () => void;
  /** The message being replied to, with who wrote it, or null. */
  replying: { message: Message; author: string } | null;
  onCancelReply: () => void;
  /** Up arrow in the empty composer: start editing our newest message; false when there is none. */
  onEditLast: () => boolean;
  /** Bumped to put the caret in the composer (a reply or an edit started from a message). */
  focusToken: number;
  /** File transfer (issue 6): files pasted into the composer. */
  onFiles?: (files: File[]) => void;
  /** File transfer: the "Send file" button, before the emoji button. */
  attach?: ReactNode;
}

export function Composer({
  draft,
  onDraft,
  onTyping,
  onSend,
  editing,
  onSaveEdit,
  onCancelEdit,
  replying,
  onCancelReply,
  onEditLast,
  focusToken,
  onFiles,
  attach,
}: Props): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const [body, setBody] = useState(draft ?? '');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  /** Where the caret goes once `body` has been re-rendered after a programmatic edit. */
  const caretAfter = useRef<number | null>(null);
  /** The user has typed here: a draft arriving late must not replace their text. */
  const touched = useRef(false);
  /** The text that was here before an edit started, back when it ends. */
  const stash = useRef<string | null>(null);
  const editingId = editing?.id ?? null;
  const empty = body.trim() === '';

  useLayoutEffect(() => {
    const at = caretAfter.current;
    if (at === null) return;
    caretAfter.current = null;
    textarea.current?.setSelectionRange(at, at);
  }, [body]);

  // The saved draft may land after the composer (a conversation list still loading).
  useEffect(() => {
    if (!touched.current && draft !== undefined && draft !== '') setBody((b) => (b === '' ? draft : b));
  }, [draft]);

  // An edit starts: its text replaces ours for a while. It ends: ours comes back.
  // The edit's text is taken once, when it starts (later changes to the message do not reset the composer).
  const editingBody = useRef<string | undefined>(undefined);
  editingBody.current = editing?.body;
  const bodyNow = useRef(body);
  bodyNow.current = body;
  useEffect(() => {
    const text = editingBody.current;
    if (editingId === null || text === undefined) return undefined;
    stash.current = bodyNow.current;
    caretAfter.current = text.length;
    setBody(text);
    textarea.current?.focus();
    return () => {
      const before = stash.current ?? '';
      stash.current = null;
      caretAfter.current = before.length;
      setBody(before);
    };
  }, [editingId]);

  useEffect(() => {
    if (focusToken > 0) textarea.current?.focus();
  }, [focusToken]);

  const send = (e?: SyntheticEvent): void => {
    e?.preventDefault();
    if (empty || sending) return;
    if (editing !== null && body === editing.body) {
      onCancelEdit();
      return;
    }
    setSending(true);
    setError(null);
    const text = replaceShortcodes(body);
    const done = editing !== null ? onSaveEdit(editing, text) : onSend(text);
    done.then(
      () => {
        if (editing === null) {
          setBody('');
          onDraft('');
        }
        setSending(false);
      },
      (err: unknown) => {
        setError(errorText(err, t));
        setSending(false);
      },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && (editing !== null || replying !== null)) {
      e.preventDefault();
      if (editing !== null) onCancelEdit();
      else onCancelReply();
    } else if (
      e.key === 'ArrowUp' &&
      body === '' &&
      editing === null &&
      !e.shiftKey &&
      !e.altKey &&
      !e.ctrlKey &&
      !e.metaKey &&
      onEditLast()
    ) {
      e.preventDefault();
    }
  };

  const change = (text: string): void => {
    touched.current = true;
    setBody(text);
    if (editing === null) onDraft(text);
    onTyping(text);
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
    change(completed?.text ?? value);
  };

  const insertEmoji = (emoji: string): void => {
    const el = textarea.current;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    caretAfter.current = start + emoji.length;
    change(body.slice(0, start) + emoji + body.slice(end));
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
    <form className={`composer${editing !== null ? ' is-editing' : ''}`} onSubmit={send}>
      {error !== null && (
        <p className="composer-error" role="alert">
          {error}
        </p>
      )}
      {editing !== null && (
        <div className="composer-banner">
          <Icons.pencil />
          <span className="banner-text">
            <strong>{t.editingMessage}</strong>
          </span>
          <button
            type="button"
            className="button secondary small"
            aria-label={t.cancelEditing}
            title={`${t.cancelEditing} (Escape)`}
            onClick={() => {
              onCancelEdit();
              textarea.current?.focus();
            }}
          >
            {t.cancel}
          </button>
        </div>
      )}
      {replying !== null && editing === null && (
        <div className="composer-banner reply-banner">
          <Icons.reply />
          <span className="banner-text">
            <strong>{t.replyingTo(replying.author)}</strong>
            <span className="banner-quote">{replying.message.body}</span>
          </span>
          <button
            type="button"
            className="icon-button small-icon"
            aria-label={t.cancelReply}
            title={`${t.cancelReply} (Escape)`}
            onClick={() => {
              onCancelReply();
              textarea.current?.focus();
            }}
          >
            <Icons.close />
          </button>
        </div>
      )}
      <div className="composer-row">
        {attach}
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
          onPaste={(e) => {
            // Pasted files are sent (issue 6); pasted text stays text.
            if (onFiles === undefined || e.clipboardData.files.length === 0) return;
            e.preventDefault();
            onFiles([...e.clipboardData.files]);
          }}
          // Electron's spell checker, in the chosen language (main/shell/settings-store.ts).
          spellCheck
          autoFocus
        />
        <button type="submit" className="button primary send" disabled={empty || sending}>
          {editing !== null ? <Icons.check /> : <Icons.send />}
          <span>{editing !== null ? t.save : t.send}</span>
        </button>
      </div>
      <p id={`${id}-hint`} className="visually-hidden">
        {editing !== null ? t.editHint : t.composerHint}
      </p>
    </form>
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

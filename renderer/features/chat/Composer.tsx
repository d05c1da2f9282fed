/** The message composer: Enter sends, Shift+Enter adds a line; IME composition is left alone. */
import { useId, useState, type SyntheticEvent, type KeyboardEvent, type ReactNode } from 'react';
import { errorText } from '../../app/client.ts';
import { Icons } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

export function Composer({ onSend }: { onSend: (body: string) => Promise<unknown> }): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const empty = body.trim() === '';

  const send = (e?: SyntheticEvent): void => {
    e?.preventDefault();
    if (empty || sending) return;
    setSending(true);
    setError(null);
    onSend(body).then(
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

  return (
    <form className="composer" onSubmit={send}>
      {error !== null && (
        <p className="composer-error" role="alert">
          {error}
        </p>
      )}
      <div className="composer-row">
        <textarea
          aria-label={t.message}
          aria-describedby={`${id}-hint`}
          placeholder={t.messagePlaceholder}
          rows={1}
          value={body}
          onChange={(e) => {
            setBody(e.target.value);
          }}
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

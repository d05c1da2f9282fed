/**
 * Our own status: the "Status" combobox (available, free for chat, away, extended away, do
 * not disturb, invisible), a status message, and the recent statuses to pick again.
 * "Invisible" says in its tooltip what it is on this server: XEP-0186 invisibility, or only
 * "appear offline" (no presence sent) where the server lacks it, as Prosody 0.12 does.
 */
import { useEffect, useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import type { OwnPresence } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { useI18n, type Messages } from '../../i18n/index.ts';
import { useOwnPresence } from './useOwn.ts';

type OwnShow = OwnPresence['show'];
const SHOWS: readonly OwnShow[] = ['available', 'chat', 'away', 'xa', 'dnd', 'offline'];

export function ownShowText(show: OwnShow, t: Messages): string {
  switch (show) {
    case 'chat':
      return t.ownShowChat;
    case 'available':
      return t.ownShowAvailable;
    case 'away':
      return t.ownShowAway;
    case 'xa':
      return t.ownShowXa;
    case 'dnd':
      return t.ownShowDnd;
    case 'offline':
      return t.ownShowOffline;
  }
}

export function StatusSelector({ accountId, disabled }: { accountId: string; disabled: boolean }): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const own = useOwnPresence(accountId);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setMessage(own?.status ?? '');
  }, [own?.status]);

  const apply = (show: OwnShow, status: string): void => {
    setError(null);
    client.call('presence.set', { accountId, show, ...(status.trim() ? { status: status.trim() } : {}) }).then(
      () => undefined,
      (err: unknown) => {
        setError(errorText(err, t));
      },
    );
  };
  const show = own?.show ?? 'available';
  // Until the server has been asked, the weaker promise.
  const invisibleHint = own?.invisibility === 'invisible' ? t.ownShowInvisibleHint : t.ownShowAppearOfflineHint;
  const submit = (e: SyntheticEvent): void => {
    e.preventDefault();
    apply(show, message);
  };

  return (
    <form className="status-selector" onSubmit={submit}>
      <select
        aria-label={t.status}
        title={show === 'offline' ? invisibleHint : undefined}
        value={show}
        disabled={disabled}
        onChange={(e) => {
          apply(e.target.value as OwnShow, message);
        }}
      >
        {SHOWS.map((s) => (
          <option key={s} value={s} title={s === 'offline' ? invisibleHint : undefined}>
            {ownShowText(s, t)}
            {own?.auto === true && s === show ? ` ${t.autoAway}` : ''}
          </option>
        ))}
      </select>
      <input
        type="text"
        aria-label={t.statusMessage}
        placeholder={t.statusMessagePlaceholder}
        list={`${id}-recent`}
        value={message}
        maxLength={1024}
        disabled={disabled}
        onChange={(e) => {
          const value = e.target.value;
          setMessage(value);
          // Picking a recent status sets it at once, with its show.
          const recent = own?.recent.find((r) => r.status === value);
          if (recent && recent.status !== own?.status) apply(recent.show, recent.status);
        }}
      />
      <datalist id={`${id}-recent`} aria-label={t.recentStatuses}>
        {own?.recent.map((r) => (
          <option key={`${r.show}\n${r.status}`} value={r.status}>
            {ownShowText(r.show, t)}
          </option>
        ))}
      </datalist>
      <button type="submit" className="button secondary" disabled={disabled}>
        {t.setStatus}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

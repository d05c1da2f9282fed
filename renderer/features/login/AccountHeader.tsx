/** The sidebar's account header: address, connection status, sign in/out, account switcher. */
import { useState, type ReactNode } from 'react';
import type { AccountState, ConnectionStatus } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Avatar } from '../../app/ui.tsx';
import { useI18n, type Messages } from '../../i18n/index.ts';

interface Props {
  account: AccountState;
  accounts: readonly AccountState[];
  onSwitch: (accountId: string) => void;
  onSignIn: () => void;
  put: (account: AccountState) => void;
}

export function statusText(account: AccountState, t: Messages): string {
  const labels: Record<ConnectionStatus, string> = {
    online: t.statusOnline,
    connecting: t.statusConnecting,
    offline: t.statusOffline,
    error: t.statusError,
  };
  return account.status === 'error' && account.error !== undefined
    ? `${t.statusError}: ${account.error.message}`
    : labels[account.status];
}

export function AccountHeader({ account, accounts, onSwitch, onSignIn, put }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signedIn = account.status === 'online' || account.status === 'connecting';

  const signOut = (): void => {
    setBusy(true);
    setError(null);
    client
      .call('account.signOut', { accountId: account.id })
      .then(put, (err: unknown) => {
        setError(errorText(err, t));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <header className="account">
      <Avatar name={account.jid} jid={account.jid} size="md" />
      <div className="account-text">
        {accounts.length > 1 ? (
          <select
            aria-label={t.account}
            value={account.id}
            onChange={(e) => {
              onSwitch(e.target.value);
            }}
          >
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.jid}
              </option>
            ))}
          </select>
        ) : (
          <span className="account-jid" title={account.jid}>
            {account.jid}
          </span>
        )}
        <span className={`account-status status-${account.status}`} role="status" title={statusText(account, t)}>
          <span className="status-dot" aria-hidden="true" />
          {statusText(account, t)}
        </span>
        {error !== null && (
          <span className="account-error" role="alert">
            {error}
          </span>
        )}
      </div>
      {signedIn ? (
        <button type="button" className="button secondary small" onClick={signOut} disabled={busy}>
          {t.signOut}
        </button>
      ) : (
        <button type="button" className="button primary small" onClick={onSignIn}>
          {t.signIn}
        </button>
      )}
    </header>
  );
}

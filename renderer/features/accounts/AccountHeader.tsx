/**
 * The sidebar's header: the account (or "N accounts") with the overall status,
 * the "Accounts" button, and one notice per account that needs the user: an
 * error (role="alert"), a password to type ("Sign in"), a certificate to decide
 * about, or a wait before the next attempt ("Reconnect now").
 */
import { useState, type ReactNode } from 'react';
import type { AccountState } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Avatar, Icons } from '../../app/ui.tsx';
import { useNow } from '../../app/useNow.ts';
import { useI18n } from '../../i18n/index.ts';
import { CertificatePanel } from './CertificatePanel.tsx';
import { useArchiveSync } from './useArchiveSync.ts';
import { canReconnect, certificateProblem, errorMessage, needsPassword, overall, statusText } from './status.ts';

interface Props {
  accounts: readonly AccountState[];
  onOpenAccounts: () => void;
  onSignIn: (account: AccountState) => void;
  put: (account: AccountState) => void;
  /** More header buttons, before "Accounts" (the main view's "Settings"). */
  actions?: ReactNode;
}

export function AccountHeader({ accounts, onOpenAccounts, onSignIn, put, actions }: Props): ReactNode {
  const { t } = useI18n();
  const now = useNow(accounts.some((a) => a.status === 'waiting'));
  const [reviewing, setReviewing] = useState<string | null>(null);
  const single = accounts.length === 1 ? accounts[0] : undefined;
  const summary = overall(accounts, t, now);
  // One account: its error is spelled out in the notice below; the status line stays short.
  const line = single?.status === 'error' ? t.statusNotConnected : summary.text;
  const title = single?.jid ?? t.accountCount(accounts.length);
  const attention = accounts.filter(
    (a) =>
      a.enabled &&
      (a.status === 'error' ||
        a.status === 'waiting' ||
        (a.status === 'connecting' && a.error !== undefined) ||
        (a.status === 'offline' && (needsPassword(a) || canReconnect(a)))),
  );
  const syncing = useArchiveSync();
  const syncCount = [...syncing.values()].reduce((sum, n) => sum + n, 0);
  const reviewed = accounts.find((a) => a.id === reviewing);
  const reviewedProblem = reviewed === undefined ? null : certificateProblem(reviewed);

  return (
    <div className="account-area">
      <header className="account">
        <Avatar name={single?.jid ?? title} jid={single?.jid ?? title} size="md" />
        <div className="account-text">
          <span className="account-jid" title={title}>
            {title}
          </span>
          <span className={`account-status status-${summary.tone}`} role="status" title={line}>
            <span className="status-dot" aria-hidden="true" />
            <span className="status-words">{line}</span>
          </span>
        </div>
        {actions}
        <button
          type="button"
          className="icon-button"
          onClick={onOpenAccounts}
          aria-label={t.accounts}
          title={t.accounts}
          aria-haspopup="dialog"
        >
          <Icons.accounts />
        </button>
      </header>
      {syncing.size > 0 && (
        <div className="sync-progress" role="status">
          <progress aria-label={t.syncingHistory(syncCount)} />
          <span>{t.syncingHistory(syncCount)}</span>
        </div>
      )}
      {attention.length > 0 && (
        <ul className="notices" aria-label={t.accountProblems}>
          {attention.map((a) => (
            <Notice
              key={a.id}
              account={a}
              now={now}
              named={single === undefined}
              put={put}
              onSignIn={onSignIn}
              onReview={() => {
                setReviewing(a.id);
              }}
            />
          ))}
        </ul>
      )}
      {reviewed !== undefined && reviewedProblem !== null && (
        <Dialog
          title={t.certificateTitle(reviewed.jid)}
          tone="alert"
          size="lg"
          onClose={() => {
            setReviewing(null);
          }}
        >
          <CertificatePanel
            account={reviewed}
            problem={reviewedProblem}
            onTrusted={(state) => {
              put(state);
              setReviewing(null);
            }}
            onCancel={() => {
              setReviewing(null);
            }}
          />
        </Dialog>
      )}
    </div>
  );
}

interface NoticeProps {
  account: AccountState;
  now: number;
  /** Several accounts: say which one. */
  named: boolean;
  put: (account: AccountState) => void;
  onSignIn: (account: AccountState) => void;
  onReview: () => void;
}

function Notice({ account, now, named, put, onSignIn, onReview }: NoticeProps): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const problem = certificateProblem(account);
  const password = needsPassword(account);

  let text: string;
  if (problem === 'changed') text = t.certChangedTitle;
  else if (problem === 'untrusted') text = t.certUntrustedTitle;
  else if (account.status === 'error') text = errorMessage(account, t);
  else if (password) text = t.passwordNeeded;
  else if (account.status === 'waiting' || (account.status === 'connecting' && account.error !== undefined)) {
    const status = statusText(account, t, now);
    text = account.error === undefined ? status : `${errorMessage(account, t)} ${status}.`;
  } else text = statusText(account, t, now);

  const reconnect = (): void => {
    setBusy(true);
    setFailure(null);
    client
      .call('account.reconnect', { accountId: account.id })
      .then(put, (err: unknown) => {
        setFailure(errorText(err, t));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  const allowWeaker = (): void => {
    setBusy(true);
    setFailure(null);
    client
      .call('account.update', { accountId: account.id, allowWeakerSignIn: true })
      .then(put, (err: unknown) => {
        setFailure(errorText(err, t));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  const alarming = account.status === 'error';
  return (
    <li className={`notice ${alarming ? 'notice-error' : 'notice-info'}`} aria-label={account.jid}>
      <p key={alarming ? 'alert' : 'info'} role={alarming ? 'alert' : undefined}>
        {named && <strong className="notice-jid">{account.jid}</strong>}
        <span>{text}</span>
      </p>
      {failure !== null && (
        <p className="notice-failure" role="alert">
          {failure}
        </p>
      )}
      <div className="notice-actions">
        {problem !== null && (
          <button type="button" className="button secondary small" onClick={onReview}>
            {t.reviewCertificate}
          </button>
        )}
        {password && (
          <button
            type="button"
            className="button primary small"
            onClick={() => {
              onSignIn(account);
            }}
          >
            {t.signIn}
          </button>
        )}
        {canReconnect(account) && (
          <button type="button" className="button secondary small" onClick={reconnect} disabled={busy}>
            {t.reconnectNow}
          </button>
        )}
        {account.status === 'error' && account.error?.code === 'auth-downgrade' && account.hasPassword && (
          <button type="button" className="button secondary small" onClick={allowWeaker} disabled={busy}>
            {t.allowWeakerSignIn}
          </button>
        )}
      </div>
    </li>
  );
}

/**
 * The "Accounts" dialog: every account on this computer with its live status,
 * what can be done about it (reconnect, sign in, decide about a certificate),
 * the "Enabled" switch, "Edit", "Remove…", and "Add account".
 */
import { useId, useState, type ReactNode } from 'react';
import type { AccountState } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Avatar, Icons } from '../../app/ui.tsx';
import { useNow } from '../../app/useNow.ts';
import { useI18n } from '../../i18n/index.ts';
import { AccountEditor } from './AccountEditor.tsx';
import { CertificatePanel } from './CertificatePanel.tsx';
import { RemoveAccountDialog } from './RemoveAccountDialog.tsx';
import { canReconnect, certificateProblem, errorMessage, needsPassword, statusText, toneOf } from './status.ts';

interface Props {
  accounts: readonly AccountState[];
  put: (account: AccountState) => void;
  onRemoved: (accountId: string) => void;
  onAddAccount: () => void;
  onSignIn: (account: AccountState) => void;
  onClose: () => void;
}

export function AccountsDialog({ onClose, ...rest }: Props): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <Dialog title={t.accounts} size="lg" describedBy={`${id}-lead`} onClose={onClose}>
      <AccountsPanel {...rest} leadId={`${id}-lead`} />
    </Dialog>
  );
}

/** The list and its actions without a dialog around it (also the settings window's "Accounts" tab). */
export function AccountsPanel({
  accounts,
  put,
  onRemoved,
  onAddAccount,
  onSignIn,
  leadId,
}: Omit<Props, 'onClose'> & { leadId?: string }): ReactNode {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const now = useNow(accounts.some((a) => a.status === 'waiting'));
  const edited = accounts.find((a) => a.id === editing);
  const removed = accounts.find((a) => a.id === removing);

  return (
    <>
      <p id={leadId} className="muted small dialog-lead">
        {t.accountsLead}
      </p>
      <ul aria-label={t.accounts} className="account-rows">
        {accounts.map((a) => (
          <AccountRow
            key={a.id}
            account={a}
            now={now}
            put={put}
            onSignIn={onSignIn}
            onEdit={() => {
              setEditing(a.id);
            }}
            onRemove={() => {
              setRemoving(a.id);
            }}
          />
        ))}
      </ul>
      {accounts.length === 0 && <p className="side-empty">{t.noAccounts}</p>}
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onAddAccount}>
          <Icons.plus />
          {t.addAccount}
        </button>
      </div>
      {edited !== undefined && (
        <AccountEditor
          account={edited}
          put={put}
          onClose={() => {
            setEditing(null);
          }}
        />
      )}
      {removed !== undefined && (
        <RemoveAccountDialog
          account={removed}
          onRemoved={(accountId) => {
            setRemoving(null);
            onRemoved(accountId);
          }}
          onClose={() => {
            setRemoving(null);
          }}
        />
      )}
    </>
  );
}

interface RowProps {
  account: AccountState;
  now: number;
  put: (account: AccountState) => void;
  onSignIn: (account: AccountState) => void;
  onEdit: () => void;
  onRemove: () => void;
}

function AccountRow({ account, now, put, onSignIn, onEdit, onRemove }: RowProps): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The switch follows the click at once; it goes back if the core refuses. */
  const [enabling, setEnabling] = useState<boolean | null>(null);
  /** The certificate the user set aside with "Cancel" (a different one shows again). */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const problem = certificateProblem(account);
  const certKey = account.error?.certificate?.fingerprint256 ?? account.error?.message ?? '';
  const showPanel = problem !== null && dismissed !== certKey;
  const tone = toneOf(account);

  const run = (call: () => Promise<AccountState>): void => {
    setBusy(true);
    setError(null);
    call()
      .then(put, (err: unknown) => {
        setError(errorText(err, t));
      })
      .finally(() => {
        setBusy(false);
        setEnabling(null);
      });
  };

  return (
    <li aria-label={account.jid} className="account-row">
      <div className="account-row-main">
        <Avatar name={account.jid} jid={account.jid} />
        <div className="account-row-text">
          <span className="account-jid" title={account.jid}>
            {account.jid}
          </span>
          {account.status === 'error' ? (
            <span key="error" className="account-status status-error" role="alert">
              <span className="status-dot" aria-hidden="true" />
              <span className="status-words">{errorMessage(account, t)}</span>
            </span>
          ) : (
            <span key="status" className={`account-status status-${tone}`}>
              <span className="status-dot" aria-hidden="true" />
              <span className="status-words">{statusText(account, t, now)}</span>
            </span>
          )}
          {account.status === 'waiting' && account.error !== undefined && (
            <span className="account-why">{errorMessage(account, t)}</span>
          )}
          {account.server !== '' && <span className="account-why">{t.viaServer(account.server)}</span>}
        </div>
        <label className="switch">
          <input
            type="checkbox"
            checked={enabling ?? account.enabled}
            disabled={busy}
            onChange={(e) => {
              const enabled = e.target.checked;
              setEnabling(enabled);
              run(() => client.call('account.update', { accountId: account.id, enabled }));
            }}
          />
          <span className="switch-track" aria-hidden="true" />
          <span>{t.enabled}</span>
        </label>
      </div>
      {showPanel && (
        <CertificatePanel
          account={account}
          problem={problem}
          level={3}
          onTrusted={put}
          onCancel={() => {
            setDismissed(certKey);
          }}
        />
      )}
      {error !== null && (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="account-row-actions">
        {canReconnect(account) && (
          <button
            type="button"
            className="button primary small"
            disabled={busy}
            onClick={() => {
              run(() => client.call('account.reconnect', { accountId: account.id }));
            }}
          >
            <Icons.refresh />
            {t.reconnectNow}
          </button>
        )}
        {needsPassword(account) && (
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
        {problem !== null && !showPanel && (
          <button
            type="button"
            className="button secondary small"
            onClick={() => {
              setDismissed(null);
            }}
          >
            {t.reviewCertificate}
          </button>
        )}
        <button type="button" className="button secondary small" onClick={onEdit}>
          {t.edit}
        </button>
        <button type="button" className="button secondary small danger-text" onClick={onRemove}>
          {t.remove}
        </button>
      </div>
    </li>
  );
}

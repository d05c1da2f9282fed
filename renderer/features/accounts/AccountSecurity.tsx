/**
 * The account's password and its existence on the server (XEP-0077):
 * change the password (typed twice), or delete the account on the server
 * after typing its address again. Both need the account online; the core
 * checks the confirmation too, and removes the account here once the server
 * has deleted it.
 */
import { useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import type { AccountState } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useRegisterText } from '../register/i18n.ts';

export interface AccountSecurityProps {
  account: AccountState;
}

type Field = 'password' | 'confirm';

export function AccountSecurity({ account }: AccountSecurityProps): ReactNode {
  const r = useRegisterText();
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; field?: Field } | null>(null);
  const [done, setDone] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const online = account.status === 'online';

  const change = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (busy || !online) return;
    setDone(false);
    if (password === '') {
      setProblem({ message: r.passwordEmpty, field: 'password' });
      return;
    }
    if (password !== confirm) {
      setProblem({ message: r.passwordsDiffer, field: 'confirm' });
      return;
    }
    setProblem(null);
    setBusy(true);
    client.call('account.changePassword', { accountId: account.id, newPassword: password }).then(
      () => {
        setBusy(false);
        setPassword('');
        setConfirm('');
        setDone(true);
      },
      (err: unknown) => {
        setBusy(false);
        setProblem({ message: errorText(err, t) });
      },
    );
  };

  const errorId = `${id}-error`;
  const invalid = (field: Field): boolean => problem?.field === field;
  const describedBy = (field: Field, hint?: string): string | undefined =>
    [hint, online ? undefined : `${id}-offline`, invalid(field) ? errorId : undefined].filter(Boolean).join(' ') ||
    undefined;

  return (
    <section className="form security" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="security-title">
        {r.securityTitle}
      </h2>
      {!online && (
        <p id={`${id}-offline`} className="hint">
          {r.needsOnline}
        </p>
      )}
      <form onSubmit={change} noValidate aria-busy={busy}>
        <label htmlFor={`${id}-new`}>{r.newPassword}</label>
        <input
          id={`${id}-new`}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setDone(false);
          }}
          aria-invalid={invalid('password')}
          aria-describedby={describedBy('password', `${id}-new-hint`)}
          readOnly={busy}
          disabled={!online}
        />
        <p id={`${id}-new-hint`} className="hint">
          {r.newPasswordHint}
        </p>
        <label htmlFor={`${id}-confirm`}>{r.confirmPassword}</label>
        <input
          id={`${id}-confirm`}
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => {
            setConfirm(e.target.value);
            setDone(false);
          }}
          aria-invalid={invalid('confirm')}
          aria-describedby={describedBy('confirm')}
          readOnly={busy}
          disabled={!online}
        />
        <div id={errorId} className="form-error" role="alert">
          {problem?.message}
        </div>
        <div className="form-actions">
          <span className="connecting" role="status">
            {busy && (
              <>
                <Spinner /> {r.changingPassword}
              </>
            )}
            {done && r.passwordChanged}
          </span>
          <button type="submit" className="button primary" disabled={busy || !online}>
            {r.changePassword}
          </button>
        </div>
      </form>
      <div className="form-actions">
        <button
          type="button"
          className="button danger"
          onClick={() => {
            setDeleting(true);
          }}
          disabled={!online}
          aria-describedby={online ? undefined : `${id}-offline`}
        >
          {r.deleteOpen}
        </button>
      </div>
      {deleting && (
        <DeleteOnServerDialog
          account={account}
          onClose={() => {
            setDeleting(false);
          }}
        />
      )}
    </section>
  );
}

function DeleteOnServerDialog({ account, onClose }: { account: AccountState; onClose: () => void }): ReactNode {
  const r = useRegisterText();
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (busy) return;
    if (typed.trim().toLowerCase() !== account.jid.toLowerCase()) {
      setError(r.confirmMismatch(account.jid));
      return;
    }
    setError(null);
    setBusy(true);
    client.call('account.deleteOnServer', { accountId: account.id, confirmation: typed }).then(
      () => {
        // The core removed the account here as well: its editor goes away with it ('account.removed').
        onClose();
      },
      (err: unknown) => {
        setError(errorText(err, t));
        setBusy(false);
      },
    );
  };

  return (
    <Dialog
      title={r.deleteTitle(account.jid)}
      tone="alert"
      size="sm"
      describedBy={`${id}-body`}
      onClose={() => {
        if (!busy) onClose();
      }}
    >
      <form className="form" onSubmit={remove} noValidate aria-busy={busy}>
        <p id={`${id}-body`} className="dialog-lead">
          {r.deleteBody}
        </p>
        <label htmlFor={`${id}-confirm`}>{r.confirmLabel}</label>
        <input
          id={`${id}-confirm`}
          type="text"
          autoCapitalize="none"
          autoComplete="off"
          spellCheck={false}
          placeholder={account.jid}
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
          }}
          aria-invalid={error !== null}
          aria-describedby={error === null ? undefined : `${id}-error`}
          readOnly={busy}
          data-autofocus
        />
        <div id={`${id}-error`} className="form-error" role="alert">
          {error}
        </div>
        <div className="form-actions">
          {busy && (
            <span className="connecting" role="status">
              <Spinner /> {r.deleting}
            </span>
          )}
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            {r.cancel}
          </button>
          <button type="submit" className="button danger" disabled={busy}>
            {r.deleteConfirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

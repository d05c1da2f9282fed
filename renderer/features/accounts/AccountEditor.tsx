/** "Edit": the server override and "Remember password" (account.update), then the account's security section. */
import { useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import { ServerOverride, type AccountState } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { RememberPasswordField, Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { AccountSecurity } from './AccountSecurity.tsx';

interface Props {
  account: AccountState;
  put: (account: AccountState) => void;
  onClose: () => void;
}

export function AccountEditor({ account, put, onClose }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [server, setServer] = useState(account.server);
  const [remember, setRemember] = useState(account.rememberPassword);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; server: boolean } | null>(null);

  const save = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (busy) return;
    if (!ServerOverride.safeParse(server).success) {
      setError({ message: t.serverInvalid, server: true });
      return;
    }
    const change = {
      ...(server.trim() !== account.server ? { server: server.trim() } : {}),
      ...(remember !== account.rememberPassword ? { rememberPassword: remember } : {}),
    };
    if (Object.keys(change).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    client.call('account.update', { accountId: account.id, ...change }).then(
      (state) => {
        put(state);
        onClose();
      },
      (err: unknown) => {
        setError({ message: errorText(err, t), server: false });
        setBusy(false);
      },
    );
  };

  return (
    <Dialog title={t.editAccountTitle(account.jid)} size="md" onClose={onClose}>
      <form className="form" onSubmit={save} noValidate>
        <label htmlFor={`${id}-server`}>{t.server}</label>
        <input
          id={`${id}-server`}
          type="text"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t.serverPlaceholder}
          value={server}
          onChange={(e) => {
            setServer(e.target.value);
          }}
          aria-invalid={error?.server === true}
          aria-describedby={`${id}-server-hint${error === null ? '' : ` ${id}-error`}`}
          readOnly={busy}
          data-autofocus
        />
        <p id={`${id}-server-hint`} className="hint">
          {t.serverHint}
        </p>
        <RememberPasswordField id={id} checked={remember} onChange={setRemember} disabled={busy} t={t} />
        <div id={`${id}-error`} className="form-error" role="alert">
          {error?.message}
        </div>
        <div className="form-actions">
          {busy && (
            <span className="connecting" role="status">
              <Spinner /> {t.saving}
            </span>
          )}
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t.save}
          </button>
        </div>
      </form>
      <AccountSecurity account={account} />
    </Dialog>
  );
}

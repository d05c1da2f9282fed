/** "Remove…": a confirmation that says what is lost (saved password, local history), then account.remove. */
import { useId, useState, type ReactNode } from 'react';
import type { AccountState } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

interface Props {
  account: AccountState;
  onRemoved: (accountId: string) => void;
  onClose: () => void;
}

export function RemoveAccountDialog({ account, onRemoved, onClose }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = (): void => {
    setBusy(true);
    setError(null);
    client.call('account.remove', { accountId: account.id }).then(
      () => {
        onRemoved(account.id);
      },
      (err: unknown) => {
        setError(errorText(err, t));
        setBusy(false);
      },
    );
  };

  return (
    <Dialog title={t.removeAccountTitle(account.jid)} tone="alert" size="sm" describedBy={id} onClose={onClose}>
      <div id={id}>
        <p>{t.removeAccountBody}</p>
        <p className="muted small">{t.removeAccountServerNote}</p>
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {busy && (
          <span className="connecting" role="status">
            <Spinner /> {t.removing}
          </span>
        )}
        <button type="button" className="button secondary" onClick={onClose} disabled={busy} data-autofocus>
          {t.cancel}
        </button>
        <button type="button" className="button danger" onClick={remove} disabled={busy}>
          {t.removeAccountConfirm}
        </button>
      </div>
    </Dialog>
  );
}

/** "Add contact": Address, Name, Group (comma-separated), an optional message; sends the request too. */
import { useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import { BareJid } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

export const splitGroups = (text: string): string[] =>
  text
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');

export function AddContactDialog({
  accountId,
  initialAddress = '',
  initialName = '',
  initialGroup = '',
  onClose,
}: {
  accountId: string;
  initialAddress?: string;
  /** Prefilled from an xmpp: link (?roster;name=…;group=…). */
  initialName?: string;
  initialGroup?: string;
  onClose: () => void;
}): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [address, setAddress] = useState(initialAddress);
  const [name, setName] = useState(initialName);
  const [group, setGroup] = useState(initialGroup);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: SyntheticEvent): void => {
    e.preventDefault();
    if (busy) return;
    const jid = BareJid.safeParse(address);
    if (!jid.success) {
      setError(t.contactAddressInvalid);
      return;
    }
    setBusy(true);
    setError(null);
    client
      .call('roster.add', {
        accountId,
        jid: jid.data,
        ...(name.trim() ? { name: name.trim() } : {}),
        groups: splitGroups(group),
        ...(message.trim() ? { message: message.trim() } : {}),
      })
      .then(onClose, (err: unknown) => {
        setError(errorText(err, t));
        setBusy(false);
      });
  };

  return (
    <Dialog title={t.addContactTitle} size="md" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <label htmlFor={`${id}-address`}>{t.contactAddress}</label>
        <input
          id={`${id}-address`}
          type="email"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t.addressPlaceholder}
          value={address}
          onChange={(e) => {
            setAddress(e.target.value);
          }}
          aria-invalid={error !== null}
          readOnly={busy}
          data-autofocus
        />
        <label htmlFor={`${id}-name`}>{t.contactName}</label>
        <input
          id={`${id}-name`}
          type="text"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
          }}
          readOnly={busy}
        />
        <label htmlFor={`${id}-group`}>{t.contactGroup}</label>
        <input
          id={`${id}-group`}
          type="text"
          value={group}
          aria-describedby={`${id}-group-hint`}
          onChange={(e) => {
            setGroup(e.target.value);
          }}
          readOnly={busy}
        />
        <p id={`${id}-group-hint`} className="hint">
          {t.contactGroupHint}
        </p>
        <label htmlFor={`${id}-message`}>{t.contactMessage}</label>
        <input
          id={`${id}-message`}
          type="text"
          value={message}
          onChange={(e) => {
            setMessage(e.target.value);
          }}
          readOnly={busy}
        />
        <div className="form-error" role="alert">
          {error}
        </div>
        <div className="form-actions">
          {busy && (
            <span className="connecting" role="status">
              <Spinner /> {t.adding}
            </span>
          )}
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t.add}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

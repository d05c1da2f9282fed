/**
 * The roster's action bar under the account header: the "Status" selector, "Add contact",
 * the "More" menu (my profile, blocked contacts, directory, gateways), the actions of the
 * open conversation's contact, and the subscription requests. Mounted once in MainView.
 */
import { AccountSelect } from '../../app/ui.tsx';
import { useId, useState, type ReactNode } from 'react';
import type { AccountState, Contact } from '../../../preload/contract.ts';
import { useI18n } from '../../i18n/index.ts';
import { AddContactDialog } from './AddContactDialog.tsx';
import { ContactMenu } from './ContactMenu.tsx';
import { OwnProfileDialog } from './OwnProfileDialog.tsx';
import { BlockedDialog, DirectoryDialog, GatewaysDialog } from './ServiceDialogs.tsx';
import { StatusSelector } from './StatusSelector.tsx';
import { SubscriptionNotices } from './SubscriptionNotices.tsx';

type Open = 'add' | 'profile' | 'blocked' | 'directory' | 'gateways' | null;

export function RosterActions({
  accounts,
  contact,
  groups = [],
}: {
  accounts: readonly AccountState[];
  /** The contact of the open conversation, if any: its actions are offered here too. */
  contact?: Contact | undefined;
  groups?: readonly string[];
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const enabled = accounts.filter((a) => a.enabled);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const account = enabled.find((a) => a.id === chosen) ?? enabled.find((a) => a.status === 'online') ?? enabled[0];
  const [open, setOpen] = useState<Open>(null);
  if (account === undefined) return null;
  const online = account.status === 'online';
  const close = (): void => {
    setOpen(null);
  };

  return (
    <div className="roster-actions">
      <div className="roster-actions-row">
        {enabled.length > 1 && (
          <AccountSelect label={t.forAccount} accounts={enabled} value={account.id} onChange={setChosen} />
        )}
        <StatusSelector accountId={account.id} disabled={!online} />
      </div>
      <div className="roster-actions-row">
        <button
          type="button"
          className="button secondary"
          disabled={!online}
          onClick={() => {
            setOpen('add');
          }}
        >
          {t.addContact}
        </button>
        <label className="visually-hidden" htmlFor={`${id}-more`}>
          {t.more}
        </label>
        <select
          id={`${id}-more`}
          className="more-select"
          value=""
          disabled={!online}
          onChange={(e) => {
            setOpen(e.target.value as Open);
          }}
        >
          <option value="" disabled>
            {t.more}
          </option>
          <option value="profile">{t.myProfile}</option>
          <option value="blocked">{t.blockedContacts}</option>
          <option value="directory">{t.directory}</option>
          <option value="gateways">{t.gateways}</option>
        </select>
        {contact !== undefined && <ContactMenu contact={contact} groups={groups} />}
      </div>
      <SubscriptionNotices accountIds={enabled.map((a) => a.id)} />
      {open === 'add' && <AddContactDialog accountId={account.id} onClose={close} />}
      {open === 'profile' && <OwnProfileDialog accountId={account.id} jid={account.jid} onClose={close} />}
      {open === 'blocked' && <BlockedDialog accountId={account.id} onClose={close} />}
      {open === 'directory' && <DirectoryDialog accountId={account.id} onClose={close} />}
      {open === 'gateways' && <GatewaysDialog accountId={account.id} onClose={close} />}
    </div>
  );
}

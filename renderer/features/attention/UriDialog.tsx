/**
 * An xmpp: link (XEP-0147) waiting for the user's word: nothing happens until they confirm.
 * "Open a conversation with X?", "Fill the message box for X?" (the suggested text shown as
 * text), "Add X to your contacts?" (then the Add contact dialog, prefilled, where the
 * request is sent), and for a room: group chats are not supported yet.
 */
import { AccountSelect } from '../../app/ui.tsx';
import { useId, useState, type ReactNode } from 'react';
import type { AccountState, UriRequest } from '../../../preload/contract.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { useI18n } from '../../i18n/index.ts';
import { AddContactDialog } from '../roster-actions/AddContactDialog.tsx';

interface Props {
  request: UriRequest;
  accounts: readonly AccountState[];
  onClose: () => void;
  /** Opens the conversation in this account, with this text in the message box (if any). */
  onOpen: (accountId: string, peer: string, body: string | undefined) => void;
}

export function UriDialog({ request, accounts, onClose, onOpen }: Props): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const usable = accounts.filter((a) => a.enabled);
  const choices = usable.length > 0 ? usable : accounts;
  const [accountId, setAccountId] = useState(choices[0]?.id ?? '');
  const [adding, setAdding] = useState(false);
  const { jid } = request;

  if (adding)
    return (
      <AddContactDialog
        accountId={accountId}
        initialAddress={jid}
        initialName={request.name ?? ''}
        initialGroup={request.group ?? ''}
        onClose={onClose}
      />
    );

  if (request.action === 'join')
    return (
      <Dialog title={t.uriJoinTitle} size="sm" onClose={onClose}>
        <p className="uri-text">{t.uriJoinBody(jid)}</p>
        <div className="form-actions">
          <button type="button" className="button primary" data-autofocus onClick={onClose}>
            {t.uriOk}
          </button>
        </div>
      </Dialog>
    );

  const adds = request.action === 'subscribe' || request.action === 'roster';
  const fills = request.action === 'message' && request.body !== undefined;
  const title = adds ? t.uriAddTitle(jid) : fills ? t.uriMessageTitle(jid) : t.uriOpenTitle(jid);
  const body = adds ? t.uriAddBody : fills ? t.uriMessageBody : t.uriOpenBody;
  const confirm = adds ? t.uriAddConfirm : fills ? t.uriMessageConfirm : t.uriOpenConfirm;

  return (
    <Dialog title={title} size="md" onClose={onClose}>
      <p className="uri-text">{body}</p>
      {fills && <blockquote className="uri-body">{request.body}</blockquote>}
      {choices.length > 1 && (
        <div className="form">
          <label htmlFor={`${id}-account`}>{t.uriAccount}</label>
          <AccountSelect id={`${id}-account`} accounts={choices} value={accountId} onChange={setAccountId} />
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button secondary" data-autofocus onClick={onClose}>
          {t.cancel}
        </button>
        <button
          type="button"
          className="button primary"
          disabled={accountId === ''}
          onClick={() => {
            if (adds) {
              setAdding(true);
              return;
            }
            onOpen(accountId, jid, fills ? request.body : undefined);
            onClose();
          }}
        >
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}

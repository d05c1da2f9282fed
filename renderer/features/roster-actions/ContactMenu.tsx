/**
 * A contact's actions: "Rename", "Remove" (after a confirmation), "Block"/"Unblock", "View
 * profile", and moving or copying it to a group. For the contact list (and the conversation
 * header) to mount:
 *
 *   <ContactMenu contact={contact} groups={allGroupNames} />            // a "⋯" menu button
 *   <ContactMenu contact={contact} groups={…} at={{ x, y }} onDismiss={…} />  // a context menu
 *
 * Also exported: RenameGroupDialog for a group heading.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type SyntheticEvent } from 'react';
import type { Contact } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { useI18n } from '../../i18n/index.ts';
import { ProfileDialog } from './ProfileDialog.tsx';

type Open = 'rename' | 'remove' | 'move' | 'copy' | 'profile' | null;

interface Props {
  contact: Contact;
  /** Every group name of the account (offered when moving or copying). */
  groups?: readonly string[];
  /** Context-menu mode: open at this point (client coordinates); without it, a menu button. */
  at?: { x: number; y: number } | null;
  onDismiss?: () => void;
}

export function ContactMenu({ contact, groups = [], at, onDismiss }: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const menuId = useId();
  const [menuOpen, setMenuOpen] = useState(false);
  const [dialog, setDialog] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const contextMode = at !== undefined;
  const shown = contextMode ? at !== null : menuOpen;

  useEffect(() => {
    if (!shown) return undefined;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (e: MouseEvent): void => {
      if (!menuRef.current?.contains(e.target as Node)) dismiss();
    };
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('mousedown', onDown);
    };
  });

  function dismiss(): void {
    setMenuOpen(false);
    onDismiss?.();
  }

  const choose = (what: Open) => () => {
    dismiss();
    setError(null);
    setDialog(what);
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (index + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[next]?.focus();
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      dismiss();
      buttonRef.current?.focus();
    }
  };

  const toggleBlock = (): void => {
    dismiss();
    const command = contact.blocked === true ? 'blocklist.unblock' : 'blocklist.block';
    client.call(command, { accountId: contact.accountId, jid: contact.jid }).then(
      () => undefined,
      (err: unknown) => {
        setError(errorText(err, t));
      },
    );
  };

  return (
    <>
      {!contextMode && (
        <button
          ref={buttonRef}
          type="button"
          className="icon-button contact-menu-button"
          aria-label={t.contactActions(contact.name)}
          aria-haspopup="menu"
          aria-expanded={menuOpen}
          aria-controls={menuOpen ? menuId : undefined}
          onClick={(e) => {
            e.stopPropagation();
            setMenuOpen((o) => !o);
          }}
        >
          ⋯
        </button>
      )}
      {shown && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={t.contactActions(contact.name)}
          className="action-menu contact-menu"
          style={at ? { position: 'fixed', left: at.x, top: at.y } : undefined}
          onKeyDown={onMenuKey}
        >
          <button type="button" className="menu-item" role="menuitem" tabIndex={-1} onClick={choose('profile')}>
            {t.viewProfile}
          </button>
          <button type="button" className="menu-item" role="menuitem" tabIndex={-1} onClick={choose('rename')}>
            {t.rename}
          </button>
          <button type="button" className="menu-item" role="menuitem" tabIndex={-1} onClick={choose('move')}>
            {t.moveToGroup}
          </button>
          <button type="button" className="menu-item" role="menuitem" tabIndex={-1} onClick={choose('copy')}>
            {t.copyToGroup}
          </button>
          <button type="button" className="menu-item" role="menuitem" tabIndex={-1} onClick={toggleBlock}>
            {contact.blocked === true ? t.unblock : t.block}
          </button>
          <button type="button" className="menu-item danger" role="menuitem" tabIndex={-1} onClick={choose('remove')}>
            {t.removeContact}
          </button>
        </div>
      )}
      {error !== null && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
      {dialog === 'profile' && (
        <ProfileDialog
          accountId={contact.accountId}
          jid={contact.jid}
          name={contact.name}
          onClose={() => {
            setDialog(null);
          }}
        />
      )}
      {(dialog === 'rename' || dialog === 'move' || dialog === 'copy') && (
        <EditContactDialog
          contact={contact}
          mode={dialog}
          groups={groups}
          onClose={() => {
            setDialog(null);
          }}
        />
      )}
      {dialog === 'remove' && (
        <RemoveContactDialog
          contact={contact}
          onClose={() => {
            setDialog(null);
          }}
        />
      )}
    </>
  );
}

function EditContactDialog({
  contact,
  mode,
  groups,
  onClose,
}: {
  contact: Contact;
  mode: 'rename' | 'move' | 'copy';
  groups: readonly string[];
  onClose: () => void;
}): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [value, setValue] = useState(mode === 'rename' ? (contact.rosterName ?? '') : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: SyntheticEvent): void => {
    e.preventDefault();
    const text = value.trim();
    let change: { name?: string; groups?: string[] };
    if (mode === 'rename') change = { name: text };
    else if (mode === 'move') change = { groups: text ? [text] : [] };
    else change = { groups: text ? [...new Set([...contact.groups, text])] : contact.groups };
    setBusy(true);
    client
      .call('roster.update', { accountId: contact.accountId, jid: contact.jid, ...change })
      .then(onClose, (err: unknown) => {
        setError(errorText(err, t));
        setBusy(false);
      });
  };
  const title = mode === 'rename' ? t.renameTitle(contact.name) : mode === 'move' ? t.moveToGroup : t.copyToGroup;
  return (
    <Dialog title={title} size="sm" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <label htmlFor={`${id}-value`}>{mode === 'rename' ? t.contactName : t.groupName}</label>
        <input
          id={`${id}-value`}
          type="text"
          list={mode === 'rename' ? undefined : `${id}-groups`}
          value={value}
          maxLength={1000}
          onChange={(e) => {
            setValue(e.target.value);
          }}
          readOnly={busy}
          data-autofocus
        />
        {mode !== 'rename' && (
          <datalist id={`${id}-groups`}>
            {groups.map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
        )}
        <div className="form-error" role="alert">
          {error}
        </div>
        <div className="form-actions">
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t.save}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RemoveContactDialog({ contact, onClose }: { contact: Contact; onClose: () => void }): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const bodyId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={t.removeTitle(contact.name)} size="sm" tone="alert" describedBy={bodyId} onClose={onClose}>
      <p id={bodyId}>{t.removeBody}</p>
      <div className="form-error" role="alert">
        {error}
      </div>
      <div className="form-actions">
        <button type="button" className="button secondary" onClick={onClose} disabled={busy} data-autofocus>
          {t.cancel}
        </button>
        <button
          type="button"
          className="button danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            client
              .call('roster.remove', { accountId: contact.accountId, jid: contact.jid })
              .then(onClose, (err: unknown) => {
                setError(errorText(err, t));
                setBusy(false);
              });
          }}
        >
          {t.removeContact}
        </button>
      </div>
    </Dialog>
  );
}

/** "Rename group…" for a group heading: every contact in it moves to the new name. */
export function RenameGroupDialog({
  accountId,
  group,
  onClose,
}: {
  accountId: string;
  group: string;
  onClose: () => void;
}): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const id = useId();
  const [value, setValue] = useState(group);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={t.renameGroupTitle(group)} size="sm" onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const to = value.trim();
          if (to === '') return;
          if (to === group) {
            onClose();
            return;
          }
          setBusy(true);
          client.call('roster.renameGroup', { accountId, from: group, to }).then(onClose, (err: unknown) => {
            setError(errorText(err, t));
            setBusy(false);
          });
        }}
      >
        <label htmlFor={`${id}-name`}>{t.groupName}</label>
        <input
          id={`${id}-name`}
          type="text"
          value={value}
          required
          maxLength={1000}
          readOnly={busy}
          onChange={(e) => {
            setValue(e.target.value);
          }}
          data-autofocus
        />
        <div className="form-error" role="alert">
          {error}
        </div>
        <div className="form-actions">
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t.save}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

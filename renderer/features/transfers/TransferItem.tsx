/**
 * One transfer as a list item (issue 6): name, peer, size and type, method, state, a
 * progressbar (with its value), speed and time left while transferring, Accept/Decline for an
 * offer, Cancel while active, the failure's reason. Used by the transfers view and the
 * conversation's file bubbles.
 */
import { useState, type ReactNode } from 'react';
import type { Transfer } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { useI18n } from '../../i18n/index.ts';
import { FileIcon } from './icons.tsx';
import { ImagePreview } from './ImagePreview.tsx';
import { OpenFileActions } from './OpenFileActions.tsx';
import {
  bareOf,
  choiceText,
  formatBytes,
  formatDuration,
  isActive,
  methodText,
  percent,
  reasonText,
  stateText,
} from './format.ts';
import type { Preparing, SendError, TransferStore } from './store.ts';

export function ProgressBar({ value, label }: { value: number; label: string }): ReactNode {
  return (
    <div
      className="transfer-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <span style={{ width: `${String(value)}%` }} />
    </div>
  );
}

/** One of a transfer's small action buttons (Accept, Cancel, Open…). */
function ActionButton({
  label,
  onClick,
  disabled = false,
  primary = false,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  /** The main action (Accept): a primary button. */
  primary?: boolean;
}): ReactNode {
  return (
    <button
      type="button"
      className={`button ${primary ? 'primary' : 'secondary'} small`}
      disabled={disabled}
      onClick={onClick}
    >
      {label}
    </button>
  );
}

export function TransferItem({
  transfer: tr,
  showPeer = true,
  for: uploadedFor,
  onDismiss,
}: {
  transfer: Transfer;
  showPeer?: boolean;
  /** An upload: the contact it was shared with (its peer is the upload service). */
  for?: string | undefined;
  /** Finished: hide it from this list. */
  onDismiss?: () => void;
}): ReactNode {
  const { t, lang } = useI18n();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = (call: () => Promise<unknown>): void => {
    setBusy(true);
    setError(null);
    call()
      .catch((err: unknown) => {
        setError(errorText(err, t));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  const act = (name: 'transfer.accept' | 'transfer.decline' | 'transfer.cancel'): void => {
    run(() => client.call(name, { accountId: tr.accountId, id: tr.id }));
  };
  const actionButton = (label: string, name: Parameters<typeof act>[0], primary = false): ReactNode => (
    <ActionButton
      primary={primary}
      label={label}
      disabled={busy}
      onClick={() => {
        act(name);
      }}
    />
  );
  // Uploads and downloads name their server; offers a contact's full JID: its address is enough.
  const peer = uploadedFor ?? (tr.method === 'http-upload' ? tr.peer : bareOf(tr.peer));
  const method = methodText(tr.method, t);
  const value = percent(tr);
  const active = isActive(tr);
  const details = [
    showPeer ? (tr.direction === 'in' ? t.transferFrom(peer) : t.transferTo(peer)) : undefined,
    tr.size > 0 || tr.state === 'completed' ? formatBytes(tr.size, lang, t) : undefined,
    tr.mimeType !== undefined && tr.mimeType !== '' ? t.transferType(tr.mimeType) : undefined,
    method,
    choiceText(tr.choice, t),
  ].filter((x): x is string => x !== undefined);
  const rate =
    tr.state === 'transferring' && tr.speed > 0
      ? [
          t.transferSpeed(formatBytes(tr.speed, lang, t)),
          tr.size > tr.bytes ? t.transferTimeLeft(formatDuration((tr.size - tr.bytes) / tr.speed, lang)) : undefined,
        ].filter((x): x is string => x !== undefined)
      : [];

  return (
    <li className={`transfer-item transfer-${tr.state}`} aria-label={tr.name}>
      <FileIcon />
      <div className="transfer-body">
        {tr.state === 'offered' && <p className="transfer-offer">{t.transferOfferFrom(peer)}</p>}
        <p className="transfer-name">{tr.name}</p>
        <p className="transfer-details">{details.join(' · ')}</p>
        {tr.state !== 'offered' && tr.state !== 'failed' && (
          <ProgressBar value={value} label={t.transferProgress(tr.name)} />
        )}
        <p className="transfer-status" role="status">
          {stateText(tr.state, t)}
          {rate.length > 0 && ` · ${rate.join(' · ')}`}
        </p>
        {tr.state === 'failed' && (
          <p className="transfer-reason" role="alert">
            {reasonText(tr.reason, t)}
          </p>
        )}
        {tr.state === 'completed' && tr.direction === 'in' && tr.path !== undefined && (
          <p className="transfer-details transfer-path">{t.transferSavedTo(tr.path)}</p>
        )}
        {tr.state === 'completed' && tr.direction === 'in' && <ImagePreview transfer={tr} />}
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="transfer-actions">
        {tr.state === 'offered' ? (
          <>
            {actionButton(t.transferAccept, 'transfer.accept', true)}
            {actionButton(t.transferDecline, 'transfer.decline')}
          </>
        ) : (
          active && actionButton(t.transferCancel, 'transfer.cancel')
        )}
        {tr.state === 'completed' && tr.direction === 'in' && tr.path !== undefined && (
          <OpenFileActions transfer={tr} disabled={busy} run={run} />
        )}
        {!active && onDismiss !== undefined && <ActionButton label={t.transferDismiss} onClick={onDismiss} />}
      </div>
    </li>
  );
}

/** A file still being copied into the core, before it is offered or uploaded. */
export function PreparingItem({
  item,
  showPeer = true,
  onCancel,
}: {
  item: Preparing;
  showPeer?: boolean;
  onCancel: () => void;
}): ReactNode {
  const { t, lang } = useI18n();
  const value = item.size > 0 ? Math.min(100, Math.floor((item.sent / item.size) * 100)) : 0;
  return (
    <li className="transfer-item transfer-preparing" aria-label={item.name}>
      <FileIcon />
      <div className="transfer-body">
        <p className="transfer-name">{item.name}</p>
        <p className="transfer-details">
          {[showPeer ? t.transferTo(item.peer) : undefined, formatBytes(item.size, lang, t)]
            .filter((x): x is string => x !== undefined)
            .join(' · ')}
        </p>
        <ProgressBar value={value} label={t.transferProgress(item.name)} />
        <p className="transfer-status" role="status">
          {t.transferStatePreparing}
        </p>
      </div>
      <div className="transfer-actions">
        <ActionButton label={t.transferCancel} onClick={onCancel} />
      </div>
    </li>
  );
}

/** A file that could not be read, or an upload whose link could not be sent. */
export function SendErrorItem({
  name,
  kind,
  cause,
  onDismiss,
}: {
  name: string;
  kind: 'read' | 'link';
  cause?: unknown;
  onDismiss: () => void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <li className="transfer-item transfer-failed" aria-label={name}>
      <FileIcon />
      <div className="transfer-body">
        <p className="transfer-name">{name}</p>
        <p className="transfer-reason" role="alert">
          {kind === 'link'
            ? t.uploadLinkFailed(name)
            : cause !== undefined
              ? t.fileSendFailed(name, errorText(cause, t))
              : t.fileReadFailed(name)}
        </p>
      </div>
      <div className="transfer-actions">
        <ActionButton label={t.transferDismiss} onClick={onDismiss} />
      </div>
    </li>
  );
}

/** The files still being copied into the core, each with its Cancel. */
export function PreparingItems({
  items,
  store,
  showPeer = true,
}: {
  items: readonly Preparing[];
  store: TransferStore;
  showPeer?: boolean;
}): ReactNode {
  return items.map((p) => (
    <PreparingItem
      key={p.key}
      item={p}
      showPeer={showPeer}
      onCancel={() => {
        store.cancelPreparing(p.key);
      }}
    />
  ));
}

/** The files that could not be sent, each with its Dismiss. */
export function SendErrorItems({ errors, store }: { errors: readonly SendError[]; store: TransferStore }): ReactNode {
  return errors.map((e) => (
    <SendErrorItem
      key={e.key}
      name={e.name}
      kind={e.kind}
      cause={e.cause}
      onDismiss={() => {
        store.dismissError(e.key);
      }}
    />
  ));
}

/**
 * The transfers view (issue 6): a "Transfers" button for the sidebar with the number of
 * active transfers, opening a dialog whose list (labelled "Transfers") holds every transfer
 * of this session, newest first, with the files still being prepared on top, and the finished
 * ones of earlier runs (transfer history, kept by the core until "Clear finished").
 */
import { useState, type ReactNode } from 'react';
import { Dialog } from '../../app/Dialog.tsx';
import { useI18n } from '../../i18n/index.ts';
import { isActive } from './format.ts';
import { TransfersIcon } from './icons.tsx';
import { PreparingItems, SendErrorItems, TransferItem } from './TransferItem.tsx';
import { useTransfers } from './useTransfers.ts';

export function TransfersButton(): ReactNode {
  const { t } = useI18n();
  const { transfers, preparing } = useTransfers();
  const [open, setOpen] = useState(false);
  const active = transfers.filter(isActive).length + preparing.length;
  return (
    <>
      <button
        type="button"
        className="button secondary transfers-button"
        aria-haspopup="dialog"
        onClick={() => {
          setOpen(true);
        }}
      >
        <TransfersIcon />
        <span>{t.transfersButton}</span>
        {active > 0 && (
          <span className="badge" aria-label={t.transfersActive(active)}>
            {active}
          </span>
        )}
      </button>
      {open && (
        <TransfersDialog
          onClose={() => {
            setOpen(false);
          }}
        />
      )}
    </>
  );
}

export function TransfersDialog({ onClose }: { onClose: () => void }): ReactNode {
  const { t } = useI18n();
  const { store, transfers, preparing, errors } = useTransfers();
  const [clearing, setClearing] = useState(false);
  const [clearError, setClearError] = useState(false);
  const empty = transfers.length === 0 && preparing.length === 0 && errors.length === 0;
  const finished = transfers.some((tr) => !isActive(tr));
  const clear = (): void => {
    setClearing(true);
    setClearError(false);
    store
      .clearFinished()
      .catch(() => {
        setClearError(true);
      })
      .finally(() => {
        setClearing(false);
      });
  };
  return (
    <Dialog title={t.transfersTitle} size="lg" onClose={onClose} className="transfers-dialog">
      <div className="transfers-toolbar">
        {clearError && (
          <p className="form-error" role="alert">
            {t.transfersClearFailed}
          </p>
        )}
        <button type="button" className="button secondary small" disabled={!finished || clearing} onClick={clear}>
          {t.transfersClearFinished}
        </button>
      </div>
      {empty ? (
        <p className="muted">{t.transfersEmpty}</p>
      ) : (
        <ul className="transfer-list" aria-label={t.transfersTitle}>
          <SendErrorItems errors={errors} store={store} />
          <PreparingItems items={preparing} store={store} />
          {[...transfers].reverse().map((tr) => (
            <TransferItem key={tr.id} transfer={tr} for={store.uploadedFor(tr.id)?.peer} />
          ))}
        </ul>
      )}
    </Dialog>
  );
}

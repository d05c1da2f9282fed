/**
 * A message that shares a file (an HTTP upload link, XEP-0363 with XEP-0066): its name and
 * size, and "Download". Nothing is fetched before the click (no image preview from the link:
 * that would tell its server our address; an image shows inline once downloaded, from the
 * saved file); the core asks the size first, and a file above
 * CONFIRM_ABOVE waits for "Download anyway". While it runs: a progressbar and "Cancel"; then
 * the name it was saved under. What each message's download did is kept for this window, so
 * a row scrolled away and back shows it still; after a restart, the saved file is found again
 * in the transfer history (the completed download of the same link), with Open / Show in folder.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { Message, Transfer } from '../../../preload/contract.ts';
import { RpcError } from '../../../preload/rpc.ts';
import { useClient } from '../../app/core.ts';
import { coreErrorText } from '../../i18n/errors.ts';
import { useI18n, type Language } from '../../i18n/index.ts';
import { ImagePreview } from '../transfers/ImagePreview.tsx';
import { savedDownload } from '../transfers/format.ts';
import { OpenFileActions } from '../transfers/OpenFileActions.tsx';
import { useTransfers } from '../transfers/useTransfers.ts';

/** Ask before downloading more than this (100 MiB); the core never goes above 2 GiB without a yes. */
export const CONFIRM_ABOVE = 100 * 1024 * 1024;

type Phase =
  | { kind: 'idle' }
  | { kind: 'asking' }
  | { kind: 'confirm'; size: number }
  | { kind: 'transfer'; transfer: Transfer }
  | { kind: 'error'; text: string };

const phases = new Map<string, Phase>();
const keyOf = (m: Message): string => `${m.accountId}\n${String(m.id)}`;

/** "1.5 MB", in the window's language. */
export function formatSize(bytes: number, lang: Language): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

export function AttachmentBubble({ message: m, tab }: { message: Message; tab: number }): ReactNode {
  const client = useClient();
  const { t, lang } = useI18n();
  const key = keyOf(m);
  const [phase, setPhaseState] = useState<Phase>(() => phases.get(key) ?? { kind: 'idle' });
  const setPhase = (next: Phase): void => {
    phases.set(key, next);
    setPhaseState(next);
  };
  const transferId = phase.kind === 'transfer' ? phase.transfer.id : undefined;
  const { transfers } = useTransfers();

  useEffect(() => {
    if (transferId === undefined) return undefined;
    return client.on('transfer.updated', (update) => {
      if (update.id !== transferId) return;
      const next: Phase = { kind: 'transfer', transfer: update };
      phases.set(key, next);
      setPhaseState(next);
    });
  }, [client, key, transferId]);

  const fail = (err: unknown): void => {
    setPhase({ kind: 'error', text: err instanceof RpcError ? coreErrorText(err, t) : t.attachmentFailed });
  };
  const download = (confirmed: boolean): void => {
    setPhase({ kind: 'asking' });
    client
      .call('attachment.download', {
        accountId: m.accountId,
        messageId: m.id,
        confirmAbove: CONFIRM_ABOVE,
        ...(confirmed ? { confirmed: true } : {}),
      })
      .then((result) => {
        setPhase(
          result.status === 'confirm'
            ? { kind: 'confirm', size: result.size }
            : { kind: 'transfer', transfer: result.transfer },
        );
      }, fail);
  };
  const cancel = (transfer: Transfer): void => {
    client.call('transfer.cancel', { accountId: transfer.accountId, id: transfer.id }).catch(fail);
  };

  const attachment = m.attachment;
  if (attachment === undefined) return null;
  const name = attachment.name ?? t.attachmentUnnamed;
  // Not downloaded in this window: maybe in an earlier run (transfer history).
  const saved = phase.kind === 'idle' ? savedDownload(transfers, m.accountId, attachment.url) : undefined;
  const transfer = phase.kind === 'transfer' ? phase.transfer : saved;
  const size = attachment.size ?? (transfer !== undefined && transfer.size > 0 ? transfer.size : undefined);
  const running = transfer !== undefined && transfer.state !== 'completed' && transfer.state !== 'failed';
  const percent =
    transfer !== undefined && transfer.size > 0 ? Math.min(100, Math.floor((transfer.bytes / transfer.size) * 100)) : 0;

  return (
    <div className="attachment" role="group" aria-label={t.attachmentLabel(name)}>
      <div className="attachment-head">
        <svg
          className="attachment-icon"
          viewBox="0 0 24 24"
          width="20"
          height="20"
          aria-hidden="true"
          focusable="false"
        >
          <path
            d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <span className="attachment-name" title={name}>
          {name}
        </span>
        {size !== undefined && <span className="attachment-size">{formatSize(size, lang)}</span>}
      </div>
      {((phase.kind === 'idle' && saved === undefined) || phase.kind === 'error' || transfer?.state === 'failed') && (
        <div className="attachment-actions">
          <button
            type="button"
            className="button secondary small"
            tabIndex={tab}
            onClick={() => {
              download(false);
            }}
          >
            {t.attachmentDownload}
          </button>
          {phase.kind === 'error' && <span className="attachment-note error">{phase.text}</span>}
          {transfer?.state === 'failed' && (
            <span className="attachment-note error">
              {transfer.reason === 'cancelled' ? t.attachmentCancelled : t.attachmentFailed}
            </span>
          )}
        </div>
      )}
      {phase.kind === 'asking' && <span className="attachment-note">{t.attachmentChecking}</span>}
      {phase.kind === 'confirm' && (
        <span className="attachment-note">{t.attachmentConfirm(formatSize(phase.size, lang))}</span>
      )}
      {phase.kind === 'confirm' && (
        <div className="attachment-actions">
          <button
            type="button"
            className="button primary small"
            tabIndex={tab}
            onClick={() => {
              download(true);
            }}
          >
            {t.attachmentDownloadAnyway}
          </button>
          <button
            type="button"
            className="button secondary small"
            tabIndex={tab}
            onClick={() => {
              setPhase({ kind: 'idle' });
            }}
          >
            {t.cancel}
          </button>
        </div>
      )}
      {running && (
        <div className="attachment-actions">
          <progress
            className="attachment-progress"
            max={100}
            value={percent}
            aria-label={t.attachmentDownloading(name)}
          />
          <button
            type="button"
            className="button secondary small"
            tabIndex={tab}
            onClick={() => {
              cancel(transfer);
            }}
          >
            {t.cancel}
          </button>
        </div>
      )}
      {transfer?.state === 'completed' && (
        <span className="attachment-note">
          {t.attachmentSaved(transfer.path === undefined ? name : baseName(transfer.path))}
        </span>
      )}
      {transfer?.state === 'completed' && transfer.path !== undefined && (
        <div className="attachment-actions">
          <OpenFileActions
            transfer={transfer}
            tab={tab}
            run={(call) => {
              call().catch(fail);
            }}
          />
        </div>
      )}
      {transfer?.state === 'completed' && <ImagePreview transfer={transfer} tab={tab} />}
    </div>
  );
}

/** The last component of a path from the core (either separator). */
function baseName(path: string): string {
  return path.split(/[/\\]/u).pop() ?? path;
}

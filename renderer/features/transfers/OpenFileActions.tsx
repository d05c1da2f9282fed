/**
 * "Open" and "Show in folder" for a received file saved on disk (`transfer.open`, with
 * `reveal` for the folder): the same pair in the transfers view's items and in the
 * conversation's attachment bubbles. Each caller follows the call its own way (`run`): busy
 * state and error text in a transfer item, the bubble's error line in a conversation.
 */
import type { ReactNode } from 'react';
import type { Transfer } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { useI18n } from '../../i18n/index.ts';

export function OpenFileActions({
  transfer,
  tab,
  disabled = false,
  run,
}: {
  /** A completed incoming transfer with its saved path. */
  transfer: Transfer;
  /** The buttons' tabIndex (a conversation row's roving focus); unset, the document order. */
  tab?: number;
  disabled?: boolean;
  /** Makes the call (on a click) and handles its outcome. */
  run: (call: () => Promise<unknown>) => void;
}): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const button = (label: string, reveal: boolean): ReactNode => (
    <button
      type="button"
      className="button secondary small"
      tabIndex={tab}
      disabled={disabled}
      onClick={() => {
        run(() => client.call('transfer.open', { accountId: transfer.accountId, id: transfer.id, reveal }));
      }}
    >
      {label}
    </button>
  );
  return (
    <>
      {button(t.transferOpen, false)}
      {button(t.transferShowInFolder, true)}
    </>
  );
}

/** The session's transfers and the files being prepared, shared by every view (issue 6). */
import { useEffect, useSyncExternalStore } from 'react';
import type { Transfer } from '../../../preload/contract.ts';
import { useClient, useEpoch } from '../../app/core.ts';
import { transferStore, type Preparing, type SendError, type TransferStore } from './store.ts';

export interface TransfersView {
  store: TransferStore;
  transfers: readonly Transfer[];
  preparing: readonly Preparing[];
  errors: readonly SendError[];
}

export function useTransfers(): TransfersView {
  const client = useClient();
  const epoch = useEpoch();
  const store = transferStore(client);
  useEffect(() => {
    if (epoch === 0) return;
    store.load(epoch).catch(() => undefined); // shown again on the next event or reconnect
  }, [store, epoch]);
  const transfers = useSyncExternalStore(store.subscribe, store.transfers);
  const preparing = useSyncExternalStore(store.subscribe, store.preparing);
  const errors = useSyncExternalStore(store.subscribe, store.errors);
  return { store, transfers, preparing, errors };
}

/** The accounts the core knows: `app.snapshot`, kept live by `account.state`. */
import { useCallback } from 'react';
import type { AccountState } from '../../preload/contract.ts';
import { useClient } from './core.ts';
import { upsert, useLive } from './useLive.ts';

export interface Snapshot {
  /** undefined until the first snapshot has arrived */
  accounts: AccountState[] | undefined;
  error: unknown;
  /** Merge an account state a command returned. */
  put: (account: AccountState) => void;
}

const sameId = (a: AccountState, b: AccountState): boolean => a.id === b.id;

export function useSnapshot(): Snapshot {
  const client = useClient();
  const { data, error, update } = useLive<AccountState[]>(
    'snapshot',
    async () => (await client.call('app.snapshot', {})).accounts,
    (apply) =>
      client.on('account.state', (account) => {
        apply((list) => upsert(list, [account], sameId));
      }),
  );
  const put = useCallback(
    (account: AccountState) => {
      update((list) => upsert(list, [account], sameId));
    },
    [update],
  );
  return { accounts: data, error, put };
}

/** The accounts the core knows: `app.snapshot`, kept live by `account.state` and `account.removed`. */
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
  /** Drop an account `account.remove` removed (the event may come later). */
  remove: (accountId: string) => void;
  /**
   * Ask the core again: after a sign-in that failed, the account it reported on
   * (through `account.state`) may not be one the core kept.
   */
  reload: () => void;
}

const sameId = (a: AccountState, b: AccountState): boolean => a.id === b.id;

export function useSnapshot(): Snapshot {
  const client = useClient();
  const { data, error, update, reload } = useLive<AccountState[]>(
    'snapshot',
    async () => (await client.call('app.snapshot', {})).accounts,
    (apply) => {
      const offState = client.on('account.state', (account) => {
        apply((list) => upsert(list, [account], sameId));
      });
      const offRemoved = client.on('account.removed', ({ accountId }) => {
        apply((list) => list.filter((a) => a.id !== accountId));
      });
      return () => {
        offState();
        offRemoved();
      };
    },
  );
  const put = useCallback(
    (account: AccountState) => {
      update((list) => upsert(list, [account], sameId));
    },
    [update],
  );
  const remove = useCallback(
    (accountId: string) => {
      update((list) => list.filter((a) => a.id !== accountId));
    },
    [update],
  );
  return { accounts: data, error, put, remove, reload };
}

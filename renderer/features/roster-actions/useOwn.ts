/** Live data of one account for the roster actions: own presence, subscription requests, blocklist. */
import type { OwnPresence, SubscriptionRequest } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { useLive } from '../../app/useLive.ts';

export function useOwnPresence(accountId: string | undefined): OwnPresence | undefined {
  const client = useClient();
  const { data } = useLive<OwnPresence | undefined>(
    `own:${accountId ?? ''}`,
    () => (accountId ? client.call('presence.get', { accountId }) : Promise.resolve(undefined)),
    (apply) =>
      client.on('presence.own', (p) => {
        if (p.accountId === accountId) apply(() => p);
      }),
  );
  return data;
}

export function useSubscriptionRequests(accountIds: readonly string[]): SubscriptionRequest[] {
  const client = useClient();
  const { data } = useLive<Map<string, SubscriptionRequest[]>>(
    `subs:${accountIds.join('\n')}`,
    async () => {
      const lists = await Promise.all(
        accountIds.map((accountId) =>
          client.call('subscriptions.list', { accountId }).then(
            (r) => r.requests,
            () => [],
          ),
        ),
      );
      return new Map(accountIds.map((id, i) => [id, lists[i] ?? []]));
    },
    (apply) =>
      client.on('subscriptions.updated', (e) => {
        if (accountIds.includes(e.accountId)) apply((m) => new Map(m).set(e.accountId, e.requests));
      }),
    { keepWhileLoading: true },
  );
  return [...(data?.values() ?? [])].flat();
}

export function useBlocklist(accountId: string): string[] | undefined {
  const client = useClient();
  const { data } = useLive<string[]>(
    `blocked:${accountId}`,
    () => client.call('blocklist.list', { accountId }).then((r) => r.jids),
    (apply) =>
      client.on('blocklist.updated', (e) => {
        if (e.accountId === accountId) apply(() => e.jids);
      }),
  );
  return data;
}

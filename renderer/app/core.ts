/** React access to the core: the typed client and the link status. */
import { createContext, createElement, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Client } from '../../preload/contract.ts';
import type { LinkStatus, Transport } from './transport.ts';

interface Core {
  client: Client;
  transport: Transport;
}

const CoreContext = createContext<Core | null>(null);

export function CoreProvider({ value, children }: { value: Core; children: ReactNode }): ReactNode {
  return createElement(CoreContext.Provider, { value }, children);
}

function useCoreContext(): Core {
  const core = useContext(CoreContext);
  if (core === null) throw new Error('useCore outside <CoreProvider>');
  return core;
}

export function useClient(): Client {
  return useCoreContext().client;
}

export function useLink(): LinkStatus & { retry: () => void } {
  const { transport } = useCoreContext();
  const status = useSyncExternalStore(
    (notify) => transport.onStatus(notify),
    () => transport.status(),
  );
  return {
    ...status,
    retry: () => {
      transport.retry();
    },
  };
}

/**
 * The number of the current connection to the core: 0 before the first one,
 * bumped on every reconnect. Data hooks depend on it to re-fetch.
 */
export function useEpoch(): number {
  return useLink().epoch;
}

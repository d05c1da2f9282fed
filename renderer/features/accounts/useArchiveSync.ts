/**
 * Catch-ups from the server archive in progress: account id -> messages fetched so far.
 * Only runs that brought something are reported while running (see 'archive.sync').
 */
import { useEffect, useState } from 'react';
import { useClient } from '../../app/core.ts';

export function useArchiveSync(): ReadonlyMap<string, number> {
  const client = useClient();
  const [running, setRunning] = useState<ReadonlyMap<string, number>>(new Map());
  useEffect(
    () =>
      client.on('archive.sync', ({ accountId, running: isRunning, fetched }) => {
        setRunning((previous) => {
          const next = new Map(previous);
          if (isRunning) next.set(accountId, fetched);
          else next.delete(accountId);
          return next;
        });
      }),
    [client],
  );
  return running;
}

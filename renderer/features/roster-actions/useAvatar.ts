/** An avatar (by SHA-1 hash, from Contact.avatar) as a data: URL, fetched once per hash. */
import { useEffect, useState } from 'react';
import { useClient } from '../../app/core.ts';

const cache = new Map<string, Promise<string | undefined>>();

export function useAvatar(hash: string | undefined): string | undefined {
  const client = useClient();
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (hash === undefined) {
      setUrl(undefined);
      return undefined;
    }
    let active = true;
    let pending = cache.get(hash);
    if (!pending) {
      pending = client.call('avatar.get', { hash }).then(
        (r) => r.dataUrl,
        () => {
          cache.delete(hash); // not cached yet: ask again next time
          return undefined;
        },
      );
      cache.set(hash, pending);
    }
    void pending.then((u) => {
      if (active) setUrl(u);
    });
    return () => {
      active = false;
    };
  }, [client, hash]);
  return url;
}

/**
 * Attention (issue 7), the renderer's side:
 *  - tells the core which conversation the window shows (no notification for it while
 *    the window is active; said again on every new connection to the core);
 *  - follows 'app.navigate' (a notification was clicked: open that conversation at the message);
 *  - keeps the xmpp: link waiting for the user's confirmation ('app.uri').
 */
import { useEffect, useRef, useState } from 'react';
import type { UriRequest } from '../../../preload/contract.ts';
import { useClient, useEpoch } from '../../app/core.ts';

export function useVisibleConversation(conversation: { accountId: string; peer: string } | null): void {
  const client = useClient();
  const epoch = useEpoch();
  const accountId = conversation?.accountId;
  const peer = conversation?.peer;
  useEffect(() => {
    if (epoch === 0) return;
    const shown = accountId !== undefined && peer !== undefined ? { accountId, peer } : null;
    client.call('app.setVisibleConversation', { conversation: shown }).catch(() => undefined);
  }, [client, epoch, accountId, peer]);
}

export interface NavigateRequest {
  accountId: string;
  peer: string;
  messageId?: number | undefined;
}

/** Calls `onNavigate` for each notification click; returns the xmpp: link waiting for confirmation. */
export function useAppRequests(onNavigate: (request: NavigateRequest) => void): {
  uri: UriRequest | null;
  dismiss: () => void;
} {
  const client = useClient();
  const [uri, setUri] = useState<UriRequest | null>(null);
  const navigate = useRef(onNavigate);
  navigate.current = onNavigate;
  const epoch = useEpoch();
  useEffect(() => {
    const take = () => {
      client.call('app.takeUri', {}).then(
        ({ request }) => {
          if (request !== null) setUri(request);
        },
        () => undefined,
      );
    };
    const offNavigate = client.on('app.navigate', (request) => {
      navigate.current(request);
    });
    const offUri = client.on('app.uri', (request) => {
      setUri(request); // the newest link replaces one not answered yet
      take(); // taken here: not offered again after a reload
    });
    // A link the OS handed over before this window was connected.
    if (epoch !== 0) take();
    return () => {
      offNavigate();
      offUri();
    };
  }, [client, epoch]);
  return {
    uri,
    dismiss: () => {
      setUri(null);
    },
  };
}

/**
 * The app's client: the contract's typed client over the chosen transport,
 * plus what a lost transport needs: calls made while disconnected fail at
 * once, and calls in flight when the link drops are rejected instead of
 * hanging forever (rpc.ts's createClient keeps no notion of a link).
 */
import type { Client, CommandInput, CommandName, CommandOutput } from '../../preload/contract.ts';
import { createClient, RpcError } from '../../preload/rpc.ts';
import { coreErrorText } from '../i18n/errors.ts';
import type { Messages } from '../i18n/index.ts';
import type { Transport } from './transport.ts';

/** The link to the core is down. */
export class DisconnectedError extends Error {
  constructor() {
    super('disconnected from the core');
    this.name = 'DisconnectedError';
  }
}

export function createAppClient(transport: Transport): Client {
  const inner = createClient(transport.port);
  const inFlight = new Set<(err: Error) => void>();
  transport.onStatus((status) => {
    if (status.kind === 'open') return;
    for (const reject of inFlight) reject(new DisconnectedError());
    inFlight.clear();
  });

  return {
    call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
      if (transport.status().kind !== 'open') return Promise.reject(new DisconnectedError());
      return new Promise<CommandOutput<N>>((resolve, reject) => {
        inFlight.add(reject);
        inner
          .call(name, input)
          .then(resolve, reject)
          .finally(() => inFlight.delete(reject));
      });
    },
    on: (name, listener) => inner.on(name, listener),
  };
}

/** A sentence for the user: the core's error in the user's language (i18n/errors.ts), or a generic one. */
export function errorText(err: unknown, t: Messages): string {
  if (err instanceof RpcError) return coreErrorText(err, t);
  if (err instanceof DisconnectedError) return t.notConnectedToCore;
  return t.unexpectedError;
}

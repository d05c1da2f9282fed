/**
 * Prosody (server_epoll) keeps Nagle's algorithm on by default. On loopback, with the
 * request/response steps of a login, that meets the client's delayed ACKs and stalls each
 * login for about 40 ms (after STARTTLS, before the server's new stream header): most of a
 * ~55 ms login, the same for every client, which hides what the clients themselves cost.
 * The connection benchmarks switch it off unless `--server-nagle on`.
 */
import { UsageError, type BenchContext } from '../types.ts';

export const SERVER_NAGLE_OPTION = {
  'server-nagle': "on|off: Prosody's Nagle algorithm (default off: on loopback it adds ~40 ms to every login)",
};

/** Prosody config lines for `--server-nagle`, and a note saying which it is. */
export function serverNagle(ctx: BenchContext): { extraConfig: string; note: string } {
  const value = ctx.option('server-nagle') ?? 'off';
  if (value !== 'on' && value !== 'off') throw new UsageError(`--server-nagle takes on or off, not "${value}"`);
  return value === 'off'
    ? { extraConfig: 'network_settings = { nagle = false }', note: "Prosody's Nagle off (TCP_NODELAY)" }
    : { extraConfig: '', note: "Prosody's Nagle on (its default: ~40 ms delayed-ACK stalls on loopback)" };
}

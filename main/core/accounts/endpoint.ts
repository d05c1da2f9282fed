/**
 * Where to connect for a domain (RFC 6120 §3.2, XEP-0368):
 * an explicit "host[:port]" from the user wins (STARTTLS, default 5222);
 * otherwise SRV records _xmpps-client._tcp (direct TLS) and
 * _xmpp-client._tcp (STARTTLS), in priority order with weighted shuffling,
 * falling back to the domain itself on 5222.
 */
import { promises as dns, type SrvRecord } from 'node:dns';

export interface Endpoint {
  host: string;
  port: number;
  directTls: boolean;
}

export type SrvResolver = (name: string) => Promise<SrvRecord[]>;

export function parseServerOverride(server: string): Endpoint {
  const trimmed = server.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/u.exec(trimmed);
  const [, host, port] = bracketed ?? /^([^:]+)(?::(\d+))?$/u.exec(trimmed) ?? [];
  const portNumber = port ? Number(port) : 5222;
  if (!host || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    throw new RangeError(`invalid server "${server}": expected host or host:port`);
  }
  return { host, port: portNumber, directTls: false };
}

/** RFC 2782 ordering: ascending priority; within a priority, weighted random. */
export function orderSrv(records: readonly SrvRecord[], random: () => number = Math.random): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const r of records) byPriority.set(r.priority, [...(byPriority.get(r.priority) ?? []), r]);
  const ordered: SrvRecord[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const pool = [...(byPriority.get(priority) ?? [])];
    while (pool.length > 0) {
      const total = pool.reduce((sum, r) => sum + r.weight, 0);
      let pick = random() * total;
      let index = pool.findIndex((r) => (pick -= r.weight) < 0);
      if (index < 0) index = 0;
      ordered.push(...pool.splice(index, 1));
    }
  }
  return ordered;
}

const noRecords = (): SrvRecord[] => [];

export async function resolveEndpoints(
  domain: string,
  resolveSrv: SrvResolver = (n) => dns.resolveSrv(n),
): Promise<Endpoint[]> {
  const [direct, starttls] = await Promise.all([
    resolveSrv(`_xmpps-client._tcp.${domain}`).catch(noRecords),
    resolveSrv(`_xmpp-client._tcp.${domain}`).catch(noRecords),
  ]);
  // A single "." target means the service is decidedly not available (RFC 2782).
  const usable = (records: SrvRecord[]) => records.filter((r) => r.name !== '.' && r.name !== '');
  const endpoints: Endpoint[] = [
    ...orderSrv(usable(direct)).map((r) => ({ host: r.name, port: r.port, directTls: true })),
    ...orderSrv(usable(starttls)).map((r) => ({ host: r.name, port: r.port, directTls: false })),
  ];
  if (endpoints.length === 0) endpoints.push({ host: domain, port: 5222, directTls: false });
  return endpoints;
}

export function serviceUri(endpoint: Endpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.directTls ? 'xmpps' : 'xmpp'}://${host}:${String(endpoint.port)}`;
}

/**
 * Node trusts extra CAs only through NODE_EXTRA_CA_CERTS, read at process start.
 * Adds a throwaway CA to whatever the environment already trusts that way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes `dir/trust.pem` (inherited extra CAs + `caFile`) and returns its path. */
export function extraCaBundle(dir: string, caFile: string, inherited = process.env['NODE_EXTRA_CA_CERTS']): string {
  let existing = '';
  if (inherited) {
    try {
      existing = readFileSync(inherited, 'utf8');
    } catch {
      existing = '';
    }
  }
  const bundle = path.join(dir, 'trust.pem');
  writeFileSync(bundle, `${existing.trimEnd()}\n${readFileSync(caFile, 'utf8')}`.trimStart());
  return bundle;
}

/**
 * The list of known accounts and their settings (never the password), kept as JSON in
 * the data folder and written atomically. Older versions of the file are upgraded.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Logger } from '../log.ts';
import type { AccountConfig } from './account.ts';

const Jid = z.string().min(3).max(3071);
const V1 = z.object({ version: z.literal(1), accounts: z.array(z.object({ jid: Jid, server: z.string().max(300) })) });
const V2 = z.object({
  version: z.literal(2),
  accounts: z.array(
    z.object({
      jid: Jid,
      server: z.string().max(300),
      enabled: z.boolean(),
      rememberPassword: z.boolean(),
      pinnedCertificate: z.string().max(200).optional(),
      lastMechanism: z.string().max(50).optional(),
    }),
  ),
});

export interface AccountStore {
  load(): AccountConfig[];
  save(accounts: readonly AccountConfig[]): void;
}

export function createAccountStore(dataDir: string, log: Logger): AccountStore {
  const file = path.join(dataDir, 'accounts.json');
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      try {
        const data = z.union([V1, V2]).parse(JSON.parse(text));
        if (data.version === 1) return data.accounts.map((a) => ({ ...a, enabled: true, rememberPassword: false }));
        return data.accounts;
      } catch (err) {
        log.warn('accounts', `ignoring unreadable ${file}`, err);
        return [];
      }
    },
    save(accounts) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${String(process.pid)}.tmp`;
      const data: z.infer<typeof V2> = {
        version: 2,
        accounts: accounts.map((a) => ({
          jid: a.jid,
          server: a.server,
          enabled: a.enabled,
          rememberPassword: a.rememberPassword,
          ...(a.pinnedCertificate ? { pinnedCertificate: a.pinnedCertificate } : {}),
          ...(a.lastMechanism ? { lastMechanism: a.lastMechanism } : {}),
        })),
      };
      writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}

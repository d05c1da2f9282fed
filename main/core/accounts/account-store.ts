/**
 * The list of known accounts (address and server, never the password),
 * kept as JSON in the data folder and written atomically.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Logger } from '../log.ts';
import type { AccountConfig } from './account.ts';

const Stored = z.object({
  version: z.literal(1),
  accounts: z.array(z.object({ jid: z.string().min(3).max(3071), server: z.string().max(300) })),
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
        return Stored.parse(JSON.parse(text)).accounts;
      } catch (err) {
        log.warn('accounts', `ignoring unreadable ${file}`, err);
        return [];
      }
    },
    save(accounts) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${String(process.pid)}.tmp`;
      const data: z.infer<typeof Stored> = {
        version: 1,
        accounts: accounts.map(({ jid, server }) => ({ jid, server })),
      };
      writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}

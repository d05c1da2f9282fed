/**
 * The demo hands the Electron app its throwaway account through a file only
 * the user can read (PARLEY_DEMO_SIGN_IN); the app reads it once, deletes it,
 * signs in and opens the demo contact's conversation.
 */
import { readFile, rm } from 'node:fs/promises';
import * as z from 'zod';
import type { Core } from '../core/create-core.ts';
import type { Logger } from '../core/log.ts';

const DemoSignIn = z.object({
  jid: z.string(),
  password: z.string(),
  server: z.string(),
  contact: z.string().optional(),
});

export async function demoSignIn(core: Core, file: string | undefined, log: Logger): Promise<void> {
  if (!file) return;
  try {
    const demo = DemoSignIn.parse(JSON.parse(await readFile(file, 'utf8')));
    await rm(file, { force: true });
    await core.handlers['account.signIn']({ jid: demo.jid, password: demo.password, server: demo.server });
    if (demo.contact) await core.handlers['conversation.open']({ accountId: demo.jid, peer: demo.contact });
  } catch (err) {
    log.warn('demo', 'demo sign-in failed', err);
  }
}

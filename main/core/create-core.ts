/**
 * The composition root: ports in, the contract's handlers out.
 * Both hosts (Electron's main process and the Node web host) call this.
 */
import type { Handlers } from '../../preload/contract.ts';
import { Account } from './accounts/account.ts';
import { createAccountStore } from './accounts/account-store.ts';
import type { SrvResolver } from './accounts/endpoint.ts';
import { createRpcServer, type RpcServer } from './api/rpc-server.ts';
import { openArchive } from './archive/open.ts';
import { createContactRepo } from './archive/repos/contacts.ts';
import { createConversationRepo } from './archive/repos/conversations.ts';
import { createMessageRepo } from './archive/repos/messages.ts';
import { CoreError } from './errors.ts';
import type { Logger } from './log.ts';
import { parse } from './xmpp/jid.ts';

export interface CoreOptions {
  /** Per-user data folder: archive, account list. */
  dataDir: string;
  log: Logger;
  resolveSrv?: SrvResolver;
  connectTimeoutMs?: number;
}

export interface Core {
  rpc: RpcServer;
  /** Direct access for hosts and tests; the renderer only ever uses `rpc`. */
  handlers: Handlers;
  shutdown(): Promise<void>;
}

export function createCore(options: CoreOptions): Promise<Core> {
  const { dataDir, log } = options;
  const db = openArchive(dataDir);
  const repos = {
    messages: createMessageRepo(db),
    conversations: createConversationRepo(db),
    contacts: createContactRepo(db),
  };
  const store = createAccountStore(dataDir, log);
  const accounts = new Map<string, Account>();
  // eslint-disable-next-line prefer-const -- assigned once the handlers exist
  let rpc: RpcServer;

  const newAccount = (jid: string, server: string) =>
    new Account(
      { jid, server },
      {
        repos,
        log,
        emit: (name, payload) => {
          rpc.emit(name, payload);
        },
        ...(options.resolveSrv ? { resolveSrv: options.resolveSrv } : {}),
        ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      },
    );

  for (const config of store.load()) {
    try {
      const account = newAccount(config.jid, config.server);
      accounts.set(account.id, account);
    } catch (err) {
      log.warn('accounts', `skipping stored account ${config.jid}`, err);
    }
  }

  const persist = () => {
    store.save([...accounts.values()].map((a) => a.config));
  };

  const account = (id: string): Account => {
    const found = accounts.get(parse(id)?.bare ?? id);
    if (!found) throw new CoreError('not-found', `No account ${id}.`);
    return found;
  };

  const handlers: Handlers = {
    'app.snapshot': () => Promise.resolve({ accounts: [...accounts.values()].map((a) => a.state) }),
    'account.signIn': async ({ jid, password, server }) => {
      const bare = parse(jid)?.bare;
      const existing = bare ? accounts.get(bare) : undefined;
      const target = existing ?? newAccount(jid, server ?? '');
      if (existing && server !== undefined && server.trim() !== existing.config.server) {
        await existing.signOut();
        existing.setServer(server);
      }
      const state = await target.signIn(password);
      // Known from the first successful sign-in on; the password is never stored here.
      accounts.set(target.id, target);
      persist();
      return state;
    },
    'account.signOut': ({ accountId }) => account(accountId).signOut(),
    'roster.list': ({ accountId }) => Promise.resolve({ contacts: account(accountId).contacts() }),
    'conversations.list': ({ accountId }) => Promise.resolve({ conversations: account(accountId).conversations() }),
    'conversation.open': ({ accountId, peer }) => {
      const result = account(accountId).openConversation(peer);
      rpc.emit('conversation.updated', result);
      return Promise.resolve(result);
    },
    'messages.list': ({ accountId, peer, before, limit }) =>
      Promise.resolve({ messages: account(accountId).messages(peer, before, limit) }),
    'message.send': ({ accountId, to, body }) => account(accountId).send(to, body),
  };

  rpc = createRpcServer(handlers, log);

  return Promise.resolve({
    rpc,
    handlers,
    async shutdown() {
      await Promise.allSettled([...accounts.values()].map((a) => a.signOut()));
      db.close();
    },
  });
}

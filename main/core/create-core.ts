/**
 * The composition root: ports in, the contract's handlers out.
 * Both hosts (Electron's main process and the Node web host) call this.
 */
import type { AccountState, Handlers } from '../../preload/contract.ts';
import { Account, type AccountDeps } from './accounts/account.ts';
import { createAccountStore } from './accounts/account-store.ts';
import type { SrvResolver } from './accounts/endpoint.ts';
import { createMemorySecretStore, type SecretStore } from './accounts/secret-store.ts';
import { createRegistrationService } from './accounts/registration.ts';
import { createRpcServer, type RpcServer } from './api/rpc-server.ts';
import { openArchive } from './archive/open.ts';
import { createContactRepo } from './archive/repos/contacts.ts';
import { createConversationRepo } from './archive/repos/conversations.ts';
import { createMessageRepo } from './archive/repos/messages.ts';
import { createSearchRepo } from './archive/repos/search.ts';
import { createArchiveSyncRepo } from './archive/repos/archive-sync.ts';
import { createStreamSessionRepo } from './archive/repos/stream-sessions.ts';
import { createBlocklistRepo } from './archive/repos/blocklist.ts';
import { createOwnStatusRepo } from './archive/repos/own-status.ts';
import { createRosterStateRepo } from './archive/repos/roster-state.ts';
import { createSubscriptionRequestRepo } from './archive/repos/subscription-requests.ts';
import type { AutoAwayOptions } from './accounts/presence-service.ts';
import { AvatarCache } from './avatars/avatar-cache.ts';
import { createCapsCacheRepo } from './xmpp/caps-cache.ts';
import path from 'node:path';
import { CoreError, toErrorInfo } from './errors.ts';
import type { Logger } from './log.ts';
import { openExternally, type OpenExternal } from './open-external.ts';
import { parse } from './xmpp/jid.ts';
import { changePassword, checkDeleteConfirmation, deleteAccount } from './xmpp/register.ts';

/** Caps cache entries not stored again for this long are forgotten at start. */
const CAPS_KEEP_MS = 90 * 24 * 3600 * 1000;

export interface CoreOptions {
  /** Per-user data folder: archive, account list. */
  dataDir: string;
  log: Logger;
  /** Where remembered passwords go (Electron: safeStorage); memory only when absent. */
  secrets?: SecretStore;
  resolveSrv?: SrvResolver;
  connectTimeoutMs?: number;
  backoff?: AccountDeps['backoff'];
  livenessMs?: number;
  /** Opens a checked http(s)/mailto URL outside the app (Electron: shell.openExternal); `app.openExternal` fails without it. */
  openExternal?: OpenExternal;
  /** Seconds since the user's last input (Electron: powerMonitor.getSystemIdleTime); drives automatic away. */
  idleSeconds?: () => number;
  /** Automatic away thresholds (defaults: away after 5 min, extended away after 20 min). */
  autoAway?: AutoAwayOptions;
}

export interface Core {
  rpc: RpcServer;
  /** Direct access for hosts and tests; the renderer only ever uses `rpc`. */
  handlers: Handlers;
  /** The OS resumed from sleep or the network came back (fed by the shell). */
  wake(): void;
  shutdown(): Promise<void>;
}

export function createCore(options: CoreOptions): Promise<Core> {
  const { dataDir, log } = options;
  const db = openArchive(dataDir);
  const repos = {
    messages: createMessageRepo(db),
    conversations: createConversationRepo(db),
    contacts: createContactRepo(db),
    sessions: createStreamSessionRepo(db),
    search: createSearchRepo(db),
    archiveSync: createArchiveSyncRepo(db),
    rosterState: createRosterStateRepo(db),
    subscriptions: createSubscriptionRequestRepo(db),
    blocklist: createBlocklistRepo(db),
    ownStatus: createOwnStatusRepo(db),
  };
  const caps = createCapsCacheRepo(db);
  const avatars = new AvatarCache(path.join(dataDir, 'avatars'));
  const store = createAccountStore(dataDir, log);
  const secrets = options.secrets ?? createMemorySecretStore();
  const accounts = new Map<string, Account>();
  /** Accounts whose first sign-in has not succeeded yet (not listed, not saved). */
  const pending = new Map<string, Account>();
  const registration = createRegistrationService({
    log,
    ...(options.resolveSrv ? { resolveSrv: options.resolveSrv } : {}),
    ...(options.connectTimeoutMs ? { timeoutMs: options.connectTimeoutMs } : {}),
  });
  // eslint-disable-next-line prefer-const -- assigned once the handlers exist
  let rpc: RpcServer;

  const persist = () => {
    store.save([...accounts.values()].map((a) => a.config));
  };

  const newAccount = (config: Account['config']) =>
    new Account(config, {
      repos,
      caps,
      avatars,
      ...(options.idleSeconds ? { idleSeconds: options.idleSeconds } : {}),
      ...(options.autoAway ? { autoAway: options.autoAway } : {}),
      log,
      secrets,
      saveConfig: () => {
        // Only known accounts are saved: a first sign-in becomes known when it succeeds.
        if ([...accounts.values()].some((a) => a.config.jid === config.jid)) persist();
      },
      emit: (name, payload) => {
        rpc.emit(name, payload);
      },
      ...(options.resolveSrv ? { resolveSrv: options.resolveSrv } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.livenessMs ? { livenessMs: options.livenessMs } : {}),
    });

  for (const config of store.load()) {
    try {
      const account = newAccount(config);
      accounts.set(account.id, account);
    } catch (err) {
      log.warn('accounts', `skipping stored account ${config.jid}`, err);
    }
  }

  const account = (id: string): Account => {
    const found = accounts.get(parse(id)?.bare ?? id);
    if (!found) throw new CoreError('not-found', `No account ${id}.`);
    return found;
  };

  const signIn = async (
    jid: string,
    password: string,
    server: string | undefined,
    rememberPassword: boolean | undefined,
  ): Promise<AccountState> => {
    const bare = parse(jid)?.bare;
    const existing = bare ? accounts.get(bare) : undefined;
    const target =
      existing ?? newAccount({ jid, server: server ?? '', enabled: true, rememberPassword: rememberPassword ?? false });
    if (existing && server !== undefined) existing.setServer(server);
    if (!existing) pending.set(target.id, target);
    const state = await target.signIn(password, rememberPassword);
    // Known from the first successful sign-in on; the password is never stored here.
    pending.delete(target.id);
    accounts.set(target.id, target);
    persist();
    return state;
  };

  /** Trusting a certificate may happen at an account's first sign-in, before it is known. */
  const trust = async (accountId: string, fingerprint256: string): Promise<AccountState> => {
    const id = parse(accountId)?.bare ?? accountId;
    const candidate = accounts.get(id) ?? pending.get(id);
    if (!candidate) throw new CoreError('not-found', `No account ${accountId}.`);
    const state = await candidate.trustCertificate(fingerprint256);
    if (!accounts.has(candidate.id) && state.status === 'online') {
      pending.delete(candidate.id);
      accounts.set(candidate.id, candidate);
      persist();
    }
    return state;
  };

  const handlers: Handlers = {
    'app.snapshot': () => Promise.resolve({ accounts: [...accounts.values()].map((a) => a.state) }),
    'app.setActive': ({ active }) => {
      for (const a of accounts.values()) a.setActive(active);
      return Promise.resolve({});
    },
    'app.openExternal': ({ url }) => openExternally(url, options.openExternal),
    'account.signIn': ({ jid, password, server, rememberPassword }) => signIn(jid, password, server, rememberPassword),
    'account.signOut': ({ accountId }) => account(accountId).signOut(),
    'account.reconnect': ({ accountId }) => account(accountId).reconnect(),
    'account.update': ({ accountId, server, enabled, rememberPassword, allowWeakerSignIn }) =>
      account(accountId).update({ server, enabled, rememberPassword, allowWeakerSignIn }),
    'account.trustCertificate': ({ accountId, fingerprint256 }) => trust(accountId, fingerprint256),
    'account.remove': async ({ accountId }) => {
      const target = account(accountId);
      await target.remove();
      accounts.delete(target.id);
      persist();
      rpc.emit('account.removed', { accountId: target.id });
      return {};
    },
    'account.changePassword': async ({ accountId, newPassword }) => {
      const target = account(accountId);
      await changePassword(target.onlineStream(), target.id, newPassword);
      await target.passwordChanged(newPassword);
      return target.state;
    },
    'account.deleteOnServer': async ({ accountId, confirmation }) => {
      const target = account(accountId);
      checkDeleteConfirmation(target.id, confirmation);
      await deleteAccount(target.onlineStream(), target.id, confirmation);
      await handlers['account.remove']({ accountId: target.id });
      return {};
    },
    'register.fetchForm': ({ domain, server }) => registration.fetchForm(domain, server),
    'register.submit': async ({ sessionId, values, rememberPassword }) => {
      const { jid, password, server } = await registration.submit(sessionId, values);
      try {
        return await signIn(jid, password, server, rememberPassword);
      } catch (err) {
        const info = toErrorInfo(err);
        throw new CoreError(info.code, `Your account ${jid} was created, but signing in failed: ${info.message}`, {
          cause: err,
        });
      }
    },
    'register.cancel': async ({ sessionId }) => {
      await registration.cancel(sessionId);
      return {};
    },
    'roster.list': ({ accountId }) => Promise.resolve({ contacts: account(accountId).contacts() }),
    'conversations.list': ({ accountId }) => Promise.resolve({ conversations: account(accountId).conversations() }),
    'conversation.open': ({ accountId, peer }) => {
      const result = account(accountId).openConversation(peer);
      rpc.emit('conversation.updated', result);
      return Promise.resolve(result);
    },
    'messages.list': ({ accountId, peer, before, limit }) =>
      Promise.resolve({ messages: account(accountId).messages(peer, before, limit) }),
    'search.messages': ({ query, accountId, peer, from, to, limit, before }) =>
      Promise.resolve({
        hits: repos.search.search({
          query,
          accountId: accountId === undefined ? undefined : (parse(accountId)?.bare ?? accountId),
          peer: peer === undefined ? undefined : (parse(peer)?.bare ?? peer),
          from,
          to,
          limit,
          before,
        }),
      }),
    'messages.around': ({ accountId, peer, messageId, before, after }) => {
      const target = account(accountId);
      const bare = parse(peer)?.bare;
      const messages = bare ? repos.messages.around(target.id, bare, messageId, before, after) : [];
      if (!messages.some((m) => m.id === messageId))
        throw new CoreError('not-found', 'This message is no longer in the conversation.');
      return Promise.resolve({ messages });
    },
    'message.send': ({ accountId, to, body, replyTo }) => account(accountId).send(to, body, replyTo),
    'message.correct': ({ accountId, messageId, body }) => account(accountId).correct(messageId, body),
    'message.retract': ({ accountId, messageId }) => account(accountId).retract(messageId),
    'message.react': ({ accountId, messageId, reactions }) => account(accountId).react(messageId, reactions),
    'message.edits': ({ accountId, messageId }) => Promise.resolve({ edits: account(accountId).edits(messageId) }),
    'messages.fetchOlder': ({ accountId, peer }) => account(accountId).fetchOlder(peer),
    'conversation.export': ({ accountId, peer, format }) =>
      Promise.resolve(account(accountId).exportConversation(peer, format)),
    'conversation.deleteHistory': ({ accountId, peer }) =>
      Promise.resolve({ removed: account(accountId).deleteHistory(peer) }),
    'chat.setState': async ({ accountId, peer, state }) => {
      await account(accountId).setChatState(peer, state);
      return {};
    },
    'conversation.markRead': ({ accountId, peer, upTo }) => account(accountId).markRead(peer, upTo),
    'conversation.update': ({ accountId, peer, draft, tab }) =>
      Promise.resolve(account(accountId).updateConversation(peer, { draft, tab })),
    'message.retry': ({ accountId, messageId }) => account(accountId).retry(messageId),
    'roster.add': async ({ accountId, jid, name, groups, message }) => {
      await account(accountId).roster.add(jid, name, groups, message);
      return {};
    },
    'roster.update': async ({ accountId, jid, name, groups }) => {
      await account(accountId).roster.update(jid, name, groups);
      return {};
    },
    'roster.renameGroup': async ({ accountId, from, to }) => ({
      changed: await account(accountId).roster.renameGroup(from, to),
    }),
    'roster.remove': async ({ accountId, jid }) => {
      await account(accountId).roster.remove(jid);
      return {};
    },
    'subscriptions.list': ({ accountId }) => Promise.resolve({ requests: account(accountId).roster.requests() }),
    'subscription.answer': async ({ accountId, jid, action }) => {
      await account(accountId).roster.answer(jid, action);
      return {};
    },
    'presence.set': ({ accountId, show, status }) => account(accountId).ownPresence.set(show, status),
    'presence.get': ({ accountId }) => Promise.resolve(account(accountId).ownPresence.own),
    'contact.profile': ({ accountId, jid }) => account(accountId).contactProfile(jid),
    'vcard.get': ({ accountId }) => account(accountId).profile.ownVcard(),
    'vcard.set': async ({ accountId, vcard }) => ({ vcard: await account(accountId).profile.setOwnVcard(vcard) }),
    'avatar.set': async ({ accountId, data }) => {
      const hash = await account(accountId).profile.setOwnAvatar(data);
      return hash ? { hash } : {};
    },
    'avatar.get': async ({ hash }) => {
      const cached = await avatars.get(hash);
      if (!cached) throw new CoreError('not-found', 'This picture is not cached.');
      return { dataUrl: `data:${cached.type};base64,${cached.data.toString('base64')}` };
    },
    'blocklist.list': ({ accountId }) => Promise.resolve({ jids: account(accountId).profile.blocklist() }),
    'blocklist.block': async ({ accountId, jid }) => ({ jids: await account(accountId).profile.block(jid) }),
    'blocklist.unblock': async ({ accountId, jid }) => ({ jids: await account(accountId).profile.unblock(jid) }),
    'directory.form': ({ accountId, service }) => account(accountId).profile.directoryForm(service),
    'directory.search': ({ accountId, service, values }) => account(accountId).profile.directorySearch(service, values),
    'gateways.list': async ({ accountId }) => ({ gateways: await account(accountId).profile.listGateways() }),
    'gateway.form': ({ accountId, gateway }) => account(accountId).profile.gatewayForm(gateway),
    'gateway.register': async ({ accountId, gateway, values }) => {
      await account(accountId).profile.gatewayRegister(gateway, values);
      return {};
    },
    'gateway.unregister': async ({ accountId, gateway }) => {
      await account(accountId).profile.gatewayUnregister(gateway);
      return {};
    },
  };

  rpc = createRpcServer(handlers, log);
  for (const a of accounts.values()) void a.resume();
  // Housekeeping in the background: avatars nobody shows (the most recent ones are spared),
  // caps entries nobody advertised for a quarter.
  void avatars.prune(repos.contacts.avatarsInUse()).catch((err: unknown) => {
    log.info('avatars', 'could not prune the avatar cache', err);
  });
  caps.prune(Date.now() - CAPS_KEEP_MS);

  return Promise.resolve({
    rpc,
    handlers,
    wake() {
      for (const a of accounts.values()) a.wake();
    },
    async shutdown() {
      await registration.close();
      await Promise.allSettled([...accounts.values()].map((a) => a.signOut()));
      db.close();
    },
  });
}

/**
 * The composition root: ports in, the contract's handlers out.
 * Both hosts (Electron's main process and the Node web host) call this.
 */
import type { AccountState, EventPayload, Handlers } from '../../preload/contract.ts';
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
import { downloadAttachment } from './upload/attachment-download.ts';
import { createPendingCorrectionRepo } from './archive/repos/pending-corrections.ts';
import { createSearchRepo } from './archive/repos/search.ts';
import { createArchiveSyncRepo } from './archive/repos/archive-sync.ts';
import { createStreamSessionRepo } from './archive/repos/stream-sessions.ts';
import { createBlocklistRepo } from './archive/repos/blocklist.ts';
import { createOwnStatusRepo } from './archive/repos/own-status.ts';
import { createTransferRepo } from './archive/repos/transfers.ts';
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
import type { SettingsService, SettingsStorage } from './settings/settings-port.ts';
import { createJsonSettingsStorage, createSettingsService } from './settings/settings-service.ts';
import { mkdir } from 'node:fs/promises';
import { changePassword, checkDeleteConfirmation, deleteAccount } from './xmpp/register.ts';
import { AttentionService, type DesktopHost } from './attention/service.ts';
import type { NotifierPort, TrayPort } from './attention/ports.ts';
import type { TransferOptions } from './transfer/transfer-service.ts';
import { TransferStaging } from './transfer-staging.ts';
import { isProgram, receivedFile } from './transfer/open-file.ts';
import { previewFile } from './transfer/preview.ts';

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
  /** Where the user's settings live (Electron: electron-store); default `<dataDir>/settings.json`. */
  settingsStorage?: SettingsStorage;
  /** The logger's level follows the log level setting (Settings > Advanced), live; hosts opt in (tests keep theirs). */
  followLogLevelSetting?: boolean;
  /** Opens a folder in the OS file manager (Electron: shell.openPath); `app.openFolder` fails without it. */
  openPath?: (folder: string) => Promise<void>;
  /** The logs folder "Open logs folder" shows (Electron: app.getPath('logs')); default `<dataDir>/logs`. */
  logsDir?: string;
  /** Attention (issue 7): where notifications go (Electron: Notification); none when absent. */
  notifier?: NotifierPort;
  /** Attention: the tray icon and badge (Electron: Tray, setBadgeCount). */
  tray?: TrayPort;
  /** Attention: showing the window and quitting (tray menu, notification clicks). */
  desktop?: DesktopHost;
  /** The OS locale, for the 'system' language of notifications and the tray (Electron: app.getLocale()). */
  systemLocale?: () => string | undefined;
  /** File transfer (issue 6): the OS downloads folder (Electron: app.getPath('downloads')), used when the setting is empty; default `<dataDir>/downloads`. */
  downloadsDir?: () => string;
  /** File transfer: which methods to use and their timeouts (tests). */
  transfers?: Omit<TransferOptions, 'downloadsDir'>;
  /**
   * Which files 'transfer.sendFile' and 'transfer.upload' may read. By default only files the
   * renderer staged ('transfer.stage*'): a renderer can never make the core send an arbitrary
   * file from disk (a user's keys, the archive). Node tests and benchmarks that drive the
   * handlers with their own files pass a predicate of their own.
   */
  sendablePath?: (file: string) => boolean;
  /** Opens a received file with the OS's default app (Electron: shell.openPath). */
  openFile?: (file: string) => Promise<void>;
  /** Shows a received file in the OS file manager (Electron: shell.showItemInFolder). */
  showItemInFolder?: (file: string) => void;
  /**
   * HTTP upload (issue 6): also plain http to a loopback address (a local test server). Only the
   * test harnesses and the web host's `--test-hooks` mode set it; never the Electron shell.
   */
  insecureHttpForTests?: boolean;
}

export interface Core {
  rpc: RpcServer;
  /** Direct access for hosts and tests; the renderer only ever uses `rpc`. */
  handlers: Handlers;
  /** The user's settings (read by the shell too: tray, window, spell checking). */
  settings: SettingsService;
  /** Attention: notification clicks, xmpp: links, the tray menu, the window's close button (fed by the shell). */
  attention: AttentionService;
  /** The OS resumed from sleep or the network came back (fed by the shell). */
  wake(): void;
  shutdown(): Promise<void>;
}

export function createCore(options: CoreOptions): Promise<Core> {
  const { dataDir, log } = options;
  const db = openArchive(dataDir);
  const repos = {
    messages: createMessageRepo(db),
    pendingCorrections: createPendingCorrectionRepo(db),
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
  // Transfer history (issue 6, migration 0016).
  const transferHistory = createTransferRepo(db);
  const avatars = new AvatarCache(path.join(dataDir, 'avatars'));
  const store = createAccountStore(dataDir, log);
  const secrets = options.secrets ?? createMemorySecretStore();
  const settings = createSettingsService(options.settingsStorage ?? createJsonSettingsStorage(dataDir), log);
  if (options.followLogLevelSetting) {
    log.setLevel?.(settings.get().advanced.logLevel);
    settings.onChange((s) => log.setLevel?.(s.advanced.logLevel));
  }
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
  // File transfer staging (issue 6): files the renderer copies in before sending them.
  const staging = new TransferStaging({ dir: path.join(dataDir, 'staging') });
  staging.startSweeping();
  const sendable = (file: string): string => {
    if (!(options.sendablePath ?? ((f: string) => staging.isStaged(f)))(file))
      throw new CoreError('not-allowed', 'Only a file chosen in Parley can be sent.');
    return file;
  };
  const releaseStaged = (t: EventPayload<'transfer.updated'>): void => {
    if (t.direction === 'out' && t.path && (t.state === 'completed' || t.state === 'failed'))
      void staging.release(t.path).catch((err: unknown) => {
        log.info('transfer', 'could not remove a staged file', err);
      });
  };
  const attention = new AttentionService({
    settings,
    notifier: options.notifier,
    tray: options.tray,
    host: options.desktop,
    systemLocale: options.systemLocale,
    avatarsDir: avatars.folder,
    emit: (name, payload) => {
      rpc.emit(name, payload);
    },
    conversation: (accountId, peer) => repos.conversations.attention(accountId, peer),
    knownRequests: (accountId) =>
      repos.subscriptions
        .list(accountId)
        .filter((r) => r.direction === 'in')
        .map((r) => r.jid),
    setStatusAll: async (show) => {
      const online = [...accounts.values()].filter((a) => a.state.status === 'online');
      await Promise.allSettled(online.map((a) => a.ownPresence.set(show, a.ownPresence.own.status)));
    },
    log,
  });

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
      settings,
      saveConfig: () => {
        // Only known accounts are saved: a first sign-in becomes known when it succeeds.
        if ([...accounts.values()].some((a) => a.config.jid === config.jid)) persist();
      },
      emit: (name, payload) => {
        rpc.emit(name, payload);
        attention.observe(name, payload);
        if (name === 'transfer.updated') releaseStaged(payload as EventPayload<'transfer.updated'>);
      },
      onStored: (stored) => {
        attention.onStored(stored);
      },
      ...(options.resolveSrv ? { resolveSrv: options.resolveSrv } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.livenessMs ? { livenessMs: options.livenessMs } : {}),
      transfers: {
        ...options.transfers,
        history: transferHistory,
        ...(options.insecureHttpForTests ? { insecureHttpForTests: true } : {}),
        downloadsDir: () =>
          settings.get().files.downloadsDir || (options.downloadsDir?.() ?? path.join(dataDir, 'downloads')),
      },
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
      attention.attention.setActive(active);
      return Promise.resolve({});
    },
    'app.setVisibleConversation': ({ conversation }) => {
      const peer = conversation ? parse(conversation.peer)?.bare : undefined;
      const accountId = conversation ? (parse(conversation.accountId)?.bare ?? conversation.accountId) : undefined;
      attention.attention.setVisible(peer && accountId ? { accountId, peer } : null);
      return Promise.resolve({});
    },
    'app.openUri': ({ uri }) =>
      new Promise((resolve) => {
        attention.openUri(uri); // a refused link rejects with its reason
        resolve({});
      }),
    'app.takeUri': () => Promise.resolve({ request: attention.takeUri() }),
    'app.openExternal': ({ url }) => openExternally(url, options.openExternal),
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.update': (patch) => Promise.resolve(settings.update(patch)),
    'app.openFolder': async ({ folder }) => {
      if (!options.openPath) throw new CoreError('internal', 'This version of Parley cannot open folders.');
      const target = folder === 'logs' ? (options.logsDir ?? path.join(dataDir, 'logs')) : dataDir;
      try {
        await mkdir(target, { recursive: true, mode: 0o700 });
        await options.openPath(target);
      } catch (err) {
        throw new CoreError('internal', 'The folder could not be opened.', { cause: err });
      }
      return {};
    },
    // File transfer (issue 6).
    'transfers.list': ({ accountId }) =>
      Promise.resolve({
        transfers: (accountId ? [account(accountId)] : [...accounts.values()]).flatMap((a) => a.transfers.list()),
      }),
    'transfer.accept': async ({ accountId, id }) => {
      await account(accountId).transfers.accept(id);
      return {};
    },
    'transfer.decline': ({ accountId, id }) => {
      account(accountId).transfers.decline(id);
      return Promise.resolve({});
    },
    // Issue 6: an inline preview of a received image, read from its saved file only.
    'transfer.preview': async ({ accountId, id }) => ({
      dataUrl: await previewFile(receivedFile(account(accountId).transfers.list(), id)),
    }),
    'transfer.open': async ({ accountId, id, reveal }) => {
      const file = receivedFile(account(accountId).transfers.list(), id);
      if (reveal) {
        if (!options.showItemInFolder)
          throw new CoreError('not-supported', 'This version of Parley cannot show files.');
        options.showItemInFolder(file);
        return {};
      }
      if (isProgram(file))
        throw new CoreError('not-allowed', 'Parley does not open programs or scripts: use Show in folder.');
      if (!options.openFile) throw new CoreError('not-supported', 'This version of Parley cannot open files.');
      await options.openFile(file);
      return {};
    },
    'transfer.clearFinished': ({ accountId }) =>
      Promise.resolve().then(() => ({
        removed: (accountId ? [account(accountId)] : [...accounts.values()]).flatMap((a) =>
          a.transfers.clearFinished(),
        ),
      })),
    'transfer.cancel': async ({ accountId, id }) => {
      await account(accountId).transfers.cancel(id);
      return {};
    },
    'transfer.sendFile': async ({ accountId, peer, path: file }) => {
      const checked = sendable(file);
      return account(accountId).transfers.sendFile(peer, checked, staging.mediaTypeOf(file));
    },
    // A staged file (issue 6) keeps the media type the renderer announced.
    'transfer.upload': async ({ accountId, path: file }) => {
      const checked = sendable(file);
      return account(accountId).transfers.upload(checked, staging.mediaTypeOf(file));
    },
    'transfer.download': ({ accountId, url }) =>
      Promise.resolve().then(() => account(accountId).transfers.download(url)),
    'attachment.download': ({ accountId, messageId, confirmed, confirmAbove }) =>
      Promise.resolve().then(() => {
        const target = account(accountId);
        const message = repos.messages.get(messageId);
        return downloadAttachment(
          message?.accountId === target.id ? message : undefined,
          { confirmed, confirmAbove },
          (url) => target.transfers.download(url),
        );
      }),
    'transfer.stageBegin': (input) => staging.begin(input),
    'transfer.stageChunk': (input) => staging.chunk(input),
    'transfer.stageEnd': ({ stageId }) => staging.end(stageId),
    'transfer.stageAbort': async ({ stageId }) => {
      await staging.abort(stageId);
      return {};
    },
    'account.signIn': ({ jid, password, server, rememberPassword }) => signIn(jid, password, server, rememberPassword),
    'account.signOut': ({ accountId }) => account(accountId).signOut(),
    'account.reconnect': ({ accountId }) => account(accountId).reconnect(),
    'account.update': ({ accountId, server, enabled, rememberPassword, allowWeakerSignIn }) =>
      account(accountId).update({ server, enabled, rememberPassword, allowWeakerSignIn }),
    'account.trustCertificate': ({ accountId, fingerprint256 }) => trust(accountId, fingerprint256),
    'account.remove': async ({ accountId }) => {
      const target = account(accountId);
      await target.remove();
      transferHistory.removeAccount(target.id);
      accounts.delete(target.id);
      persist();
      rpc.emit('account.removed', { accountId: target.id });
      attention.observe('account.removed', { accountId: target.id });
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
    'messages.list': ({ accountId, peer, before, after, limit }) =>
      Promise.resolve({ messages: account(accountId).messages(peer, before, limit, after) }),
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
    'message.send': ({ accountId, to, body, replyTo, oobUrl }) => account(accountId).send(to, body, replyTo, oobUrl),
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
    'conversation.markRead': async ({ accountId, peer, upTo }) => {
      const target = account(accountId);
      const conversation = await target.markRead(peer, upTo);
      attention.attention.seen(target.id, conversation.peer);
      return conversation;
    },
    'conversation.update': ({ accountId, peer, draft, tab, mutedUntil, sound }) =>
      Promise.resolve(account(accountId).updateConversation(peer, { draft, tab, mutedUntil, sound })),
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
  settings.onChange((s) => {
    rpc.emit('settings.changed', s);
  });
  for (const a of accounts.values()) attention.seed(a.id, a.conversations(), a.ownPresence.own.show);
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
    settings,
    attention,
    wake() {
      for (const a of accounts.values()) a.wake();
    },
    async shutdown() {
      attention.close();
      await registration.close();
      // Transfer history (issue 6): running transfers end as interrupted, not as cancelled.
      await Promise.allSettled([...accounts.values()].map((a) => a.transfers.interruptAll()));
      await Promise.allSettled([...accounts.values()].map((a) => a.signOut()));
      repos.archiveSync.flush(); // sync points moved by live messages (written a second late)
      db.close();
      await staging.close();
    },
  });
}

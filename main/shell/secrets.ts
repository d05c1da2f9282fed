/**
 * The core's SecretStore on Electron's safeStorage (the OS keychain: Keychain, DPAPI,
 * libsecret/kwallet). Encrypted passwords sit in userData/secrets.json; without a real
 * keychain (Linux "basic_text") nothing is persisted and passwords stay in memory.
 */
import { safeStorage } from 'electron';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../core/accounts/secret-store.ts';
import { createMemorySecretStore } from '../core/accounts/secret-store.ts';
import type { Logger } from '../core/log.ts';

/** Call after app 'ready' (safeStorage needs it). */
export async function createKeychainSecretStore(userData: string, log: Logger): Promise<SecretStore> {
  const usable =
    (await safeStorage.isAsyncEncryptionAvailable()) &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (!usable) {
    log.warn('secrets', 'no OS keychain available: passwords are kept in memory only');
    return createMemorySecretStore();
  }
  const file = path.join(userData, 'secrets.json');
  const load = async (): Promise<Record<string, string>> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  const save = async (all: Record<string, string>) => {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
    await rename(tmp, file);
  };
  const store: SecretStore = {
    persistent: true,
    async get(key) {
      const blob = (await load())[key];
      if (!blob) return undefined;
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(blob, 'base64'));
        if (shouldReEncrypt) await store.set(key, result);
        return result;
      } catch (err) {
        log.warn('secrets', 'a saved password could not be decrypted', err);
        return undefined;
      }
    },
    async set(key, secret) {
      const all = await load();
      all[key] = (await safeStorage.encryptStringAsync(secret)).toString('base64');
      await save(all);
    },
    async delete(key) {
      const all = await load();
      if (!(key in all)) return;
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by account
      delete all[key];
      await save(all);
    },
  };
  return store;
}

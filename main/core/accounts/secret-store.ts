/**
 * The secret-store port: where "remember password" keeps passwords. The Electron shell
 * implements it with safeStorage (the OS keychain); the web host and tests keep them in
 * memory only. Passwords never go to settings files, logs or the archive.
 */
export interface SecretStore {
  /** True when secrets survive a restart (the OS keychain); false for memory only. */
  readonly persistent: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    persistent: false,
    get: (key) => Promise.resolve(secrets.get(key)),
    set: (key, secret) => {
      secrets.set(key, secret);
      return Promise.resolve();
    },
    delete: (key) => {
      secrets.delete(key);
      return Promise.resolve();
    },
  };
}

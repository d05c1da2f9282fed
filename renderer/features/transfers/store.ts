/**
 * Sending files from the renderer (issue 6). A sandboxed page has File objects, not paths:
 * each file is copied into the core's staging folder chunk by chunk (File.slice, never read
 * whole; 'transfer.stageBegin' / 'stageChunk' / 'stageEnd'), then sent with
 * 'transfer.sendFile', where the core chooses the way: directly (Jingle or XEP-0096) to an
 * online contact that can receive files, else by HTTP upload (XEP-0363); a finished upload's
 * link is then sent as a message with XEP-0066 out-of-band data.
 *
 * One store per client (module level, so the conversation and the transfers view share it):
 * the files being prepared, with their progress, for the views to show.
 */
import { STAGE_CHUNK_BYTES, type Client, type Transfer } from '../../../preload/contract.ts';
import { RpcError } from '../../../preload/rpc.ts';

export interface Preparing {
  key: string;
  accountId: string;
  peer: string;
  name: string;
  size: number;
  /** Bytes copied into the core so far. */
  sent: number;
}

/** A file that could not be read or staged, or an upload whose link could not be sent. */
export interface SendError {
  key: string;
  accountId: string;
  peer: string;
  name: string;
  kind: 'read' | 'link';
  /** The core's refusal (not connected, too large, …), when that is what stopped it. */
  cause?: RpcError;
}

export interface SendTarget {
  accountId: string;
  /** The contact's bare JID. */
  peer: string;
}

/** Base64 of bytes, without building one huge string per byte. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

/** Codes of 'transfer.sendFile' after which an upload is still worth trying. */
const NO_DIRECT = new Set(['not-found', 'not-supported', 'not-acceptable', 'not-connected']);

export class TransferStore {
  readonly #client: Client;
  #preparing: readonly Preparing[] = [];
  readonly #listeners = new Set<() => void>();
  /** Uploads whose link goes to a conversation when they complete. */
  readonly #uploads = new Map<string, { accountId: string; peer: string; name: string }>();
  /** Uploads that completed before their call returned (rare), by id. */
  readonly #early = new Map<string, Transfer>();
  readonly #cancelled = new Set<string>();
  /** Uploads made for a conversation: transfer id → the contact it was for. */
  readonly #uploadedFor = new Map<string, { accountId: string; peer: string }>();
  #errors: readonly SendError[] = [];
  #seq = 0;
  /** Every transfer of this session, by id (the core's list, kept live by 'transfer.updated'). */
  #transfers: readonly Transfer[] = [];
  #loadedEpoch = 0;
  /** Transfer history: transfers already finished when the core's list was loaded (an earlier run's). */
  readonly #history = new Set<string>();

  constructor(client: Client) {
    this.#client = client;
    client.on('transfer.updated', (t) => {
      this.#put([t]);
      this.#onUpdated(t);
    });
  }

  /** Loads the core's list (again after a reconnect); newer states from events win. */
  async load(epoch: number): Promise<void> {
    if (this.#loadedEpoch === epoch) return;
    this.#loadedEpoch = epoch;
    try {
      const { transfers } = await this.#client.call('transfers.list', {});
      const known = new Set(this.#transfers.map((x) => x.id));
      for (const t of transfers)
        if ((t.state === 'completed' || t.state === 'failed') && !known.has(t.id)) this.#history.add(t.id);
      this.#put(transfers);
    } catch (err) {
      this.#loadedEpoch = 0; // try again on the next mount
      throw err;
    }
  }

  #put(items: readonly Transfer[]): void {
    const byId = new Map(this.#transfers.map((t) => [t.id, t]));
    for (const t of items) {
      const old = byId.get(t.id);
      if (!old || old.updatedAt <= t.updatedAt) byId.set(t.id, t);
    }
    this.#transfers = [...byId.values()].sort((a, b) => a.startedAt - b.startedAt);
    this.#notify();
  }

  transfers = (): readonly Transfer[] => this.#transfers;

  /** Whether a transfer was already finished when this window loaded the list (history, not news). */
  fromHistory(id: string): boolean {
    return this.#history.has(id);
  }

  /** Transfer history: forgets every finished transfer (the core deletes their rows; files stay). */
  async clearFinished(): Promise<void> {
    const { removed } = await this.#client.call('transfer.clearFinished', {});
    const gone = new Set(removed);
    this.#transfers = this.#transfers.filter((t) => !gone.has(t.id));
    for (const id of gone) this.#history.delete(id);
    this.#notify();
  }

  /** The contact an upload was made for (its transfer's peer is the upload service). */
  uploadedFor(id: string): { accountId: string; peer: string } | undefined {
    return this.#uploadedFor.get(id);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  preparing = (): readonly Preparing[] => this.#preparing;
  errors = (): readonly SendError[] => this.#errors;

  #notify(): void {
    for (const l of this.#listeners) l();
  }

  #patch(key: string, patch: Partial<Preparing>): void {
    this.#preparing = this.#preparing.map((p) => (p.key === key ? { ...p, ...patch } : p));
    this.#notify();
  }

  #remove(key: string): void {
    this.#preparing = this.#preparing.filter((p) => p.key !== key);
    this.#notify();
  }

  dismissError(key: string): void {
    this.#errors = this.#errors.filter((e) => e.key !== key);
    this.#notify();
  }

  #error(target: { accountId: string; peer: string }, name: string, kind: 'read' | 'link', err?: unknown): void {
    this.#seq += 1;
    const { accountId, peer } = target;
    const cause = err instanceof RpcError ? { cause: err } : {};
    this.#errors = [...this.#errors, { key: `e${String(this.#seq)}`, accountId, peer, name, kind, ...cause }];
    this.#notify();
  }

  /** Stops preparing a file (the user's Cancel). */
  cancelPreparing(key: string): void {
    this.#cancelled.add(key);
  }

  /** Sends several files, one after the other (each copied in chunks, then sent). */
  async send(files: readonly File[], target: SendTarget): Promise<void> {
    const jobs = files.map((file) => {
      this.#seq += 1;
      const p: Preparing = {
        key: `p${String(this.#seq)}`,
        accountId: target.accountId,
        peer: target.peer,
        name: file.name || 'file',
        size: file.size,
        sent: 0,
      };
      return { file, p };
    });
    this.#preparing = [...this.#preparing, ...jobs.map((j) => j.p)];
    this.#notify();
    for (const { file, p } of jobs) {
      try {
        await this.#sendOne(file, p, target);
      } catch (err) {
        if (!this.#cancelled.has(p.key)) this.#error(target, p.name, 'read', err);
      } finally {
        this.#cancelled.delete(p.key);
        this.#remove(p.key);
      }
    }
  }

  async #sendOne(file: File, p: Preparing, target: SendTarget): Promise<void> {
    const client = this.#client;
    const { stageId } = await client.call('transfer.stageBegin', {
      name: p.name,
      size: file.size,
      ...(file.type ? { mediaType: file.type.slice(0, 255) } : {}),
    });
    try {
      let offset = 0;
      while (offset < file.size) {
        if (this.#cancelled.has(p.key)) throw new Error('cancelled');
        const bytes = new Uint8Array(await file.slice(offset, offset + STAGE_CHUNK_BYTES).arrayBuffer());
        if (bytes.length === 0) throw new Error('the file became shorter while it was read');
        const { received } = await client.call('transfer.stageChunk', { stageId, offset, data: toBase64(bytes) });
        offset = received;
        this.#patch(p.key, { sent: offset });
      }
    } catch (err) {
      await client.call('transfer.stageAbort', { stageId }).catch(() => undefined);
      throw err;
    }
    const staged = await client.call('transfer.stageEnd', { stageId });
    let started: Transfer;
    try {
      // The core chooses the way (Jingle, XEP-0096, or HTTP upload for a contact offline or
      // without a direct method); an older answer "not online" still leaves the upload.
      try {
        started = await client.call('transfer.sendFile', {
          accountId: target.accountId,
          peer: target.peer,
          path: staged.path,
        });
      } catch (err) {
        if (!(err instanceof RpcError) || !NO_DIRECT.has(err.code)) throw err;
        started = await client.call('transfer.upload', { accountId: target.accountId, path: staged.path });
      }
    } catch (err) {
      // Nothing started: nothing will read the staged copy.
      await client.call('transfer.stageAbort', { stageId }).catch(() => undefined);
      throw err;
    }
    if (started.method !== 'http-upload' && started.protocol !== 'http-upload') return;
    const upload = started;
    const early = this.#early.get(upload.id);
    this.#uploads.set(upload.id, { accountId: target.accountId, peer: target.peer, name: p.name });
    this.#uploadedFor.set(upload.id, { accountId: target.accountId, peer: target.peer });
    this.#notify();
    if (early) this.#onUpdated(early);
  }

  #onUpdated(t: Transfer): void {
    if (t.direction !== 'out' || t.method !== 'http-upload' || t.state !== 'completed') return;
    const pending = this.#uploads.get(t.id);
    if (!pending) {
      this.#early.set(t.id, t);
      if (this.#early.size > 50) this.#early.delete(this.#early.keys().next().value ?? '');
      return;
    }
    this.#uploads.delete(t.id);
    this.#early.delete(t.id);
    if (t.url === undefined) return;
    this.#client
      .call('message.send', { accountId: pending.accountId, to: pending.peer, body: t.url, oobUrl: t.url })
      .catch((err: unknown) => {
        this.#error(pending, pending.name, 'link', err);
      });
  }
}

const stores = new WeakMap<Client, TransferStore>();

export function transferStore(client: Client): TransferStore {
  let store = stores.get(client);
  if (!store) {
    store = new TransferStore(client);
    stores.set(client, store);
  }
  return store;
}

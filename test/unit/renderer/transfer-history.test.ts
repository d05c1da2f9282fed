/** Transfer history in the renderer (issue 6): the store's earlier-run transfers, "Clear finished", bubbles finding their file. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client, CommandName, Transfer } from '../../../preload/contract.ts';
import { reasonText, savedDownload } from '../../../renderer/features/transfers/format.ts';
import { TransferStore } from '../../../renderer/features/transfers/store.ts';
import { languages } from '../../../renderer/i18n/index.ts';

const ACCOUNT = 'alice@localhost';

function transfer(n: number, patch: Partial<Transfer> = {}): Transfer {
  return {
    id: n.toString(16).padStart(24, '0'),
    accountId: ACCOUNT,
    peer: 'bob@localhost/res',
    direction: 'in',
    name: `f${String(n)}.bin`,
    size: 1,
    state: 'completed',
    bytes: 1,
    speed: 0,
    startedAt: n,
    updatedAt: n,
    ...patch,
  };
}

function fakeClient(answer: (name: CommandName, input: unknown) => unknown) {
  const calls: { name: CommandName; input: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const client = {
    call(name: CommandName, input: unknown) {
      calls.push({ name, input });
      return Promise.resolve(answer(name, input));
    },
    on(name: string, listener: (p: unknown) => void) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
  } as unknown as Client;
  const fire = (name: string, payload: unknown) => {
    for (const l of listeners.get(name) ?? []) l(payload);
  };
  return { client, calls, fire };
}

describe('renderer/transfers: transfer history', () => {
  it('knows which transfers an earlier run finished, and clears the finished ones', async () => {
    const old = transfer(1);
    const running = transfer(2, { state: 'transferring' });
    const { client, calls, fire } = fakeClient((name) =>
      name === 'transfers.list' ? { transfers: [old, running] } : { removed: [old.id, transfer(3).id] },
    );
    const store = new TransferStore(client);
    fire('transfer.updated', transfer(3)); // finished while this window is open: news, not history
    await store.load(1);
    assert.equal(store.fromHistory(old.id), true);
    assert.equal(store.fromHistory(running.id), false);
    assert.equal(store.fromHistory(transfer(3).id), false);
    assert.equal(store.transfers().length, 3);
    await store.clearFinished();
    assert.deepEqual(calls.at(-1), { name: 'transfer.clearFinished', input: {} });
    assert.deepEqual(
      store.transfers().map((t) => t.id),
      [running.id],
    );
    assert.equal(store.fromHistory(old.id), false);
  });

  it('a shared link’s bubble finds its completed download again (same account, same URL)', () => {
    const url = 'https://upload.example/share/ab/photo%20one.png';
    const list = [
      transfer(1, { url, state: 'failed', reason: 'cancelled', method: 'http-upload' }),
      transfer(2, { url: 'https://UPLOAD.example/share/ab/photo%20one.png', method: 'http-upload', path: '/d/p.png' }),
      transfer(3, { url, accountId: 'carol@localhost', method: 'http-upload' }),
      transfer(4, { url, direction: 'out', method: 'http-upload' }),
    ];
    assert.equal(savedDownload(list, ACCOUNT, url)?.id, transfer(2).id);
    assert.equal(savedDownload(list, ACCOUNT, 'https://upload.example/other.png'), undefined);
    assert.equal(savedDownload(list, ACCOUNT, 'not a url'), undefined);
  });

  it('says "interrupted" in both languages', () => {
    const en = reasonText('interrupted', languages.en);
    const zh = reasonText('interrupted', languages['zh-CN']);
    assert.match(en, /closed during the transfer/u);
    assert.notEqual(zh, en);
    assert.notEqual(zh, reasonText('error', languages['zh-CN']));
  });
});

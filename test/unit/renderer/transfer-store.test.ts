import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client, CommandInput, CommandName, EventName, Transfer } from '../../../preload/contract.ts';
import { STAGE_CHUNK_BYTES } from '../../../preload/contract.ts';
import { RpcError } from '../../../preload/rpc.ts';
import { toBase64, TransferStore } from '../../../renderer/features/transfers/store.ts';
import {
  choiceText,
  formatBytes,
  formatDuration,
  methodText,
  percent,
  reasonText,
} from '../../../renderer/features/transfers/format.ts';
import { languages } from '../../../renderer/i18n/index.ts';

const ACCOUNT = 'alice@localhost';

function transfer(patch: Partial<Transfer>): Transfer {
  return {
    id: 'a'.repeat(24),
    accountId: ACCOUNT,
    peer: 'bob@localhost/res',
    direction: 'out',
    name: 'x.bin',
    size: 1,
    state: 'waiting',
    bytes: 0,
    speed: 0,
    startedAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

/** A client that records calls and answers them from `answer`; events are fired by hand. */
function fakeClient(answer: (name: CommandName, input: unknown) => unknown): {
  client: Client;
  calls: { name: CommandName; input: Record<string, unknown> }[];
  fire: (name: EventName, payload: unknown) => void;
} {
  const calls: { name: CommandName; input: Record<string, unknown> }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const client = {
    call(name: CommandName, input: CommandInput<CommandName>) {
      calls.push({ name, input: input });
      try {
        return Promise.resolve(answer(name, input));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    on(name: EventName, listener: (p: unknown) => void) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
  } as unknown as Client;
  return {
    client,
    calls,
    fire: (name, payload) => {
      for (const l of listeners.get(name) ?? []) l(payload);
    },
  };
}

/** Answers the staging commands like the core would, keeping the bytes. */
function stagingAnswers(received: Buffer[]) {
  let size = 0;
  return (name: CommandName, input: unknown): unknown => {
    const i = input as Record<string, unknown>;
    switch (name) {
      case 'transfer.stageBegin':
        return { stageId: 'b'.repeat(24) };
      case 'transfer.stageChunk': {
        const bytes = Buffer.from(i['data'] as string, 'base64');
        assert.equal(i['offset'], size, 'chunks in order, each where the last ended');
        assert.ok(bytes.length <= STAGE_CHUNK_BYTES);
        received.push(bytes);
        size += bytes.length;
        return { received: size };
      }
      case 'transfer.stageEnd':
        return { path: '/data/staging/b/x.bin', name: 'x.bin' };
      default:
        return undefined;
    }
  };
}

describe('renderer transfers: sending files (issue 6)', () => {
  it('encodes base64 like Node does', () => {
    const bytes = Buffer.alloc(100_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    assert.equal(toBase64(new Uint8Array(bytes)), bytes.toString('base64'));
    assert.equal(toBase64(new Uint8Array()), '');
  });

  it('stages a file chunk by chunk, then sends it (a direct transfer: no link message)', async () => {
    const data = Buffer.alloc(STAGE_CHUNK_BYTES * 2 + 5, 7);
    const received: Buffer[] = [];
    const staging = stagingAnswers(received);
    const { client, calls } = fakeClient((name, input) =>
      name === 'transfer.sendFile' ? transfer({}) : staging(name, input),
    );
    const store = new TransferStore(client);
    await store.send([new File([data], 'x.bin')], { accountId: ACCOUNT, peer: 'bob@localhost' });
    assert.deepEqual(Buffer.concat(received), data);
    assert.equal(calls.filter((c) => c.name === 'transfer.stageChunk').length, 3);
    const send = calls.find((c) => c.name === 'transfer.sendFile');
    assert.deepEqual(send?.input, { accountId: ACCOUNT, peer: 'bob@localhost', path: '/data/staging/b/x.bin' });
    assert.equal(
      calls.some((c) => c.name === 'transfer.upload'),
      false,
    );
    assert.deepEqual(store.preparing(), [], 'nothing left preparing');
  });

  it('uploads when sendFile finds no way, and sends the link once uploaded', async () => {
    const staging = stagingAnswers([]);
    const upload = transfer({ peer: 'upload.localhost', method: 'http-upload', state: 'connecting' });
    const { client, calls, fire } = fakeClient((name, input) => {
      if (name === 'transfer.sendFile') throw new RpcError({ code: 'not-found', message: 'bob is not online' });
      if (name === 'transfer.upload') return upload;
      if (name === 'message.send') return {};
      return staging(name, input);
    });
    const store = new TransferStore(client);
    await store.send([new File(['hello'], 'x.bin')], { accountId: ACCOUNT, peer: 'bob@localhost' });
    assert.ok(calls.some((c) => c.name === 'transfer.upload'));
    assert.deepEqual(store.uploadedFor(upload.id), { accountId: ACCOUNT, peer: 'bob@localhost' });
    assert.equal(
      calls.some((c) => c.name === 'message.send'),
      false,
      'no link before the upload completes',
    );

    const url = 'https://upload.localhost/abc/x.bin';
    fire('transfer.updated', { ...upload, state: 'completed', url, updatedAt: 2 });
    const sent = calls.find((c) => c.name === 'message.send');
    assert.deepEqual(sent?.input, { accountId: ACCOUNT, to: 'bob@localhost', body: url, oobUrl: url });
    assert.equal(store.transfers()[0]?.state, 'completed', 'the list follows the events');
  });

  it('sends the link when the core chose an upload for an offline contact', async () => {
    const chosen = transfer({ peer: 'upload.localhost', method: 'http-upload', choice: 'peer-offline' });
    const { client, calls, fire } = fakeClient((name, input) => {
      if (name === 'transfer.sendFile') return chosen;
      if (name === 'message.send') return {};
      return stagingAnswers([])(name, input);
    });
    const store = new TransferStore(client);
    // The upload may finish before sendFile's answer is in: the link still goes out once.
    fire('transfer.updated', { ...chosen, state: 'completed', url: 'https://h/x', updatedAt: 2 });
    await store.send([new File([''], 'empty.txt')], { accountId: ACCOUNT, peer: 'bob@localhost' });
    assert.equal(
      calls.some((c) => c.name === 'transfer.upload'),
      false,
    );
    assert.equal(calls.filter((c) => c.name === 'transfer.stageChunk').length, 0, 'an empty file has no chunks');
    assert.deepEqual(
      calls.filter((c) => c.name === 'message.send').map((c) => c.input['to']),
      ['bob@localhost'],
    );
    fire('transfer.updated', { ...chosen, state: 'completed', url: 'https://h/x', updatedAt: 3 });
    assert.equal(calls.filter((c) => c.name === 'message.send').length, 1);
  });

  it('drops the stage and reports the file when staging fails; other errors are not an upload', async () => {
    const { client, calls } = fakeClient((name) => {
      if (name === 'transfer.stageBegin') return { stageId: 'c'.repeat(24) };
      if (name === 'transfer.stageChunk') throw new RpcError({ code: 'internal', message: 'disk full' });
      return {};
    });
    const store = new TransferStore(client);
    await store.send([new File(['abc'], 'broken.bin')], { accountId: ACCOUNT, peer: 'bob@localhost' });
    assert.ok(calls.some((c) => c.name === 'transfer.stageAbort'));
    assert.equal(
      calls.some((c) => c.name === 'transfer.sendFile' || c.name === 'transfer.upload'),
      false,
    );
    assert.deepEqual(
      store.errors().map((e) => [e.name, e.kind, e.peer]),
      [['broken.bin', 'read', 'bob@localhost']],
    );
  });

  it('drops the staged copy when neither a direct transfer nor an upload can start', async () => {
    const staging = stagingAnswers([]);
    const { client, calls } = fakeClient((name, input) => {
      if (name === 'transfer.sendFile' || name === 'transfer.upload')
        throw new RpcError({ code: 'not-connected', message: 'offline' });
      return staging(name, input);
    });
    const store = new TransferStore(client);
    await store.send([new File(['abc'], 'x.bin')], { accountId: ACCOUNT, peer: 'bob@localhost' });
    assert.deepEqual(calls.map((c) => c.name).slice(-3), [
      'transfer.sendFile',
      'transfer.upload',
      'transfer.stageAbort',
    ]);
    assert.equal(store.errors()[0]?.cause?.code, 'not-connected');
  });

  it('keeps the newer state when the list and events cross', async () => {
    const { client, fire } = fakeClient((name) =>
      name === 'transfers.list' ? { transfers: [transfer({ state: 'waiting', updatedAt: 5 })] } : undefined,
    );
    const store = new TransferStore(client);
    fire('transfer.updated', transfer({ state: 'transferring', updatedAt: 9 }));
    await store.load(1);
    assert.equal(store.transfers()[0]?.state, 'transferring');
  });

  it('words sizes, time left, methods, progress and reasons', () => {
    const en = languages.en;
    const zh = languages['zh-CN'];
    assert.equal(formatBytes(512, 'en', en), '512 B');
    assert.equal(formatBytes(512, 'zh-CN', zh), '512 字节');
    assert.equal(formatBytes(1536, 'en', en), '1.5 KB');
    assert.equal(formatBytes(300 * 1024, 'en', en), '300 KB');
    assert.equal(formatBytes(5 * 1024 ** 3, 'en', en), '5 GB');
    assert.match(formatDuration(42.2, 'en'), /^43 sec/u);
    assert.match(formatDuration(150, 'en'), /^3 min/u);
    assert.match(formatDuration(150, 'zh-CN'), /^3\s?分钟/u);
    assert.equal(methodText('socks5-proxy', en), 'via server proxy');
    assert.equal(methodText('http-upload', en), 'HTTP upload');
    assert.equal(methodText(undefined, en), undefined);
    assert.equal(choiceText('peer-offline', en), 'the contact is offline');
    assert.equal(choiceText('peer-si', en), undefined);
    assert.equal(
      percent(transfer({ size: 1000, bytes: 999, state: 'transferring' })),
      99,
      'never 100 before it is done',
    );
    assert.equal(percent(transfer({ size: 0, bytes: 0, state: 'completed' })), 100);
    assert.equal(percent(transfer({ size: 0, bytes: 0, state: 'transferring' })), 0);
    assert.equal(reasonText('no-streamhost', en), 'No connection could be made to send the file.');
    assert.equal(reasonText('hash-mismatch', zh), '文件与其校验和不符，已被删除。');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Handlers } from '../../../preload/contract.ts';
import { createClient, RpcError } from '../../../preload/rpc.ts';
import { createRpcServer } from '../../../main/core/api/rpc-server.ts';
import { CoreError } from '../../../main/core/errors.ts';
import { silentLogger } from '../../../main/core/log.ts';

const account = {
  id: 'alice@example.org',
  jid: 'alice@example.org',
  server: '',
  status: 'offline' as const,
  enabled: true,
  rememberPassword: false,
  hasPassword: false,
};

function setup(overrides: Partial<Handlers> = {}) {
  const calls: string[] = [];
  const unexpected = () => Promise.reject(new Error('not used'));
  const handlers: Handlers = {
    'app.snapshot': () => Promise.resolve({ accounts: [account] }),
    'account.signIn': (input) => {
      calls.push(`signIn ${input.jid}`);
      return Promise.resolve({ ...account, status: 'online' });
    },
    'account.signOut': unexpected,
    'roster.list': unexpected,
    'conversations.list': unexpected,
    'conversation.open': unexpected,
    'messages.list': unexpected,
    'search.messages': unexpected,
    'messages.around': unexpected,
    'message.send': () => Promise.reject(new CoreError('not-connected', 'Not connected.')),
    'message.retry': unexpected,
    'message.correct': unexpected,
    'message.retract': unexpected,
    'message.react': unexpected,
    'message.edits': unexpected,
    'messages.fetchOlder': unexpected,
    'conversation.export': unexpected,
    'conversation.deleteHistory': unexpected,
    'chat.setState': unexpected,
    'conversation.markRead': unexpected,
    'conversation.update': unexpected,
    'account.reconnect': unexpected,
    'account.update': unexpected,
    'account.remove': unexpected,
    'account.trustCertificate': unexpected,
    'account.changePassword': unexpected,
    'account.deleteOnServer': unexpected,
    'register.fetchForm': unexpected,
    'register.submit': unexpected,
    'register.cancel': unexpected,
    'app.setActive': unexpected,
    'app.setVisibleConversation': unexpected,
    'app.openUri': unexpected,
    'app.takeUri': unexpected,
    'app.openExternal': unexpected,
    'roster.add': unexpected,
    'roster.update': unexpected,
    'roster.renameGroup': unexpected,
    'roster.remove': unexpected,
    'subscriptions.list': unexpected,
    'subscription.answer': unexpected,
    'presence.set': unexpected,
    'presence.get': unexpected,
    'contact.profile': unexpected,
    'vcard.get': unexpected,
    'vcard.set': unexpected,
    'avatar.set': unexpected,
    'avatar.get': unexpected,
    'blocklist.list': unexpected,
    'blocklist.block': unexpected,
    'blocklist.unblock': unexpected,
    'directory.form': unexpected,
    'directory.search': unexpected,
    'gateways.list': unexpected,
    'gateway.form': unexpected,
    'gateway.register': unexpected,
    'gateway.unregister': unexpected,
    'settings.get': unexpected,
    'settings.update': unexpected,
    'app.openFolder': unexpected,
    // File transfer (issue 6).
    'transfers.list': unexpected,
    'transfer.accept': unexpected,
    'transfer.decline': unexpected,
    'transfer.cancel': unexpected,
    'transfer.clearFinished': unexpected,
    'transfer.open': unexpected,
    'transfer.preview': unexpected,
    'transfer.sendFile': unexpected,
    'transfer.upload': unexpected,
    'transfer.download': unexpected,
    // HTTP upload links (issue 6).
    'attachment.download': unexpected,
    // File transfer staging (issue 6, renderer side).
    'transfer.stageBegin': unexpected,
    'transfer.stageChunk': unexpected,
    'transfer.stageEnd': unexpected,
    'transfer.stageAbort': unexpected,
    ...overrides,
  };
  const server = createRpcServer(handlers, silentLogger);
  let deliver: (frame: string) => void = () => undefined;
  const session = server.connect((frame) => {
    deliver(frame);
  });
  const client = createClient({
    send: (frame) => void session.receive(frame),
    onFrame: (listener) => {
      deliver = listener;
    },
  });
  return { server, session, client, calls };
}

describe('api/rpc (the contract over a frame transport)', () => {
  it('round-trips a valid call with typed output', async () => {
    const { client, calls } = setup();
    const state = await client.call('account.signIn', { jid: 'alice@example.org', password: 'x' });
    assert.equal(state.status, 'online');
    assert.deepEqual(calls, ['signIn alice@example.org']);
  });

  it('rejects unknown command names and changes nothing', async () => {
    const { client, calls } = setup();
    const call = (name: string, input: unknown): Promise<unknown> =>
      client.call(name as 'app.snapshot', input as never);
    await assert.rejects(call('account.deleteEverything', {}), (err: RpcError) => err.code === 'unknown-command');
    assert.deepEqual(calls, []);
  });

  it('rejects invalid arguments before any handler runs', async () => {
    const { client, calls } = setup();
    const call = (name: string, input: unknown): Promise<unknown> =>
      client.call(name as 'app.snapshot', input as never);
    for (const input of [
      {},
      { jid: 'not a jid', password: 'x' },
      { jid: 'a@b', password: '' },
      { jid: 'a@b', password: 'x', extra: 1 },
      null,
      'x',
    ]) {
      await assert.rejects(
        call('account.signIn', input),
        (err: RpcError) => err.code === 'bad-request',
        JSON.stringify(input),
      );
    }
    await assert.rejects(
      call('message.send', { accountId: 'a@b', to: 'c@d', body: 'x'.repeat(70_000) }),
      (err: RpcError) => err.code === 'bad-request',
    );
    assert.deepEqual(calls, []);
  });

  it('validates the roster commands strictly (roster issue)', async () => {
    const { client } = setup();
    const call = (name: string, input: unknown): Promise<unknown> =>
      client.call(name as 'app.snapshot', input as never);
    const bad: [string, unknown][] = [
      ['roster.add', { accountId: 'a@b', jid: 'not an address' }],
      ['roster.add', { accountId: 'a@b', jid: 'c@d', groups: ['x'.repeat(1001)] }],
      ['roster.add', { accountId: 'a@b', jid: 'c@d', admin: true }],
      ['roster.renameGroup', { accountId: 'a@b', from: 'x', to: '   ' }],
      ['subscription.answer', { accountId: 'a@b', jid: 'c@d', action: 'approve-all' }],
      ['presence.set', { accountId: 'a@b', show: 'sleeping' }],
      ['avatar.get', { hash: '../../etc/passwd' }],
      ['avatar.get', { hash: 'A'.repeat(40) }],
      ['avatar.set', { accountId: 'a@b', data: 'x'.repeat(240_001) }],
      ['vcard.set', { accountId: 'a@b', vcard: { emails: [], phones: [], addresses: [], birthday: 'yesterday' } }],
      ['vcard.set', { accountId: 'a@b', vcard: { emails: [], phones: [], addresses: [], photo: 'x' } }],
    ];
    for (const [name, input] of bad)
      await assert.rejects(
        call(name, input),
        (err: RpcError) => err.code === 'bad-request',
        `${name} ${JSON.stringify(input)}`,
      );
  });

  it('passes core errors through with their code and hides internal ones', async () => {
    const { client } = setup({ 'roster.list': () => Promise.reject(new Error('secret internals')) });
    await assert.rejects(
      client.call('message.send', { accountId: 'a@b.c', to: 'c@d.e', body: 'x' }),
      (err: RpcError) => err.code === 'not-connected' && err.message === 'Not connected.',
    );
    await assert.rejects(
      client.call('roster.list', { accountId: 'a@b.c' }),
      (err: RpcError) => err.code === 'internal' && !err.message.includes('secret'),
    );
  });

  it('refuses output that breaks the contract', async () => {
    const { client } = setup({ 'app.snapshot': () => Promise.resolve({ accounts: [{ nope: true }] } as never) });
    await assert.rejects(client.call('app.snapshot', {}), (err: RpcError) => err.code === 'internal');
  });

  it('drops malformed frames and keeps serving', async () => {
    const { session, client } = setup();
    await session.receive('not json');
    await session.receive(JSON.stringify({ kind: 'call', id: -1, name: 'app.snapshot' }));
    await session.receive('x'.repeat(300_000));
    assert.equal((await client.call('app.snapshot', {})).accounts.length, 1);
  });

  it('delivers validated events to every session and stops after close', () => {
    const { server, client, session } = setup();
    const seen: string[] = [];
    client.on('account.state', (s) => seen.push(s.status));
    server.emit('account.state', { ...account, status: 'connecting' });
    server.emit('account.state', { nope: 1 } as never);
    session.close();
    server.emit('account.state', { ...account, status: 'online' });
    assert.deepEqual(seen, ['connecting']);
  });
});

describe('api/rpc: transfer.clearFinished (issue 6, transfer history)', () => {
  it('takes only an optional account id', async () => {
    const cleared: unknown[] = [];
    const { client } = setup({
      'transfer.clearFinished': (input) => {
        cleared.push(input);
        return Promise.resolve({ removed: ['0'.repeat(24)] });
      },
    });
    const call = (input: unknown): Promise<unknown> => client.call('transfer.clearFinished', input as never);
    for (const input of [{ accountId: 'x' }, { accountId: 7 }, { accountId: 'a@b', ids: ['x'] }, { all: true }, null]) {
      await assert.rejects(call(input), (err: RpcError) => err.code === 'bad-request', JSON.stringify(input));
    }
    assert.deepEqual(cleared, []);
    assert.deepEqual(await call({}), { removed: ['0'.repeat(24)] });
    assert.deepEqual(await call({ accountId: 'a@b' }), { removed: ['0'.repeat(24)] });
    assert.equal(cleared.length, 2);
  });
});

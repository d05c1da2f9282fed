import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSettings, applySettingsPatch, type Settings } from '../../../preload/settings.ts';
import type { EventName, EventPayload } from '../../../preload/contract.ts';
import { AttentionService } from '../../../main/core/attention/service.ts';
import type { NotificationIntent, TrayModel } from '../../../main/core/attention/ports.ts';
import { overallPresence, tomorrowMorning, trayIntent, trayModel } from '../../../main/core/attention/tray.ts';
import type { SettingsService } from '../../../main/core/settings/settings-port.ts';
import { createLogger } from '../../../main/core/log.ts';

describe('attention/tray: the model', () => {
  it('the overall presence is the best of the online accounts; none online is offline', () => {
    assert.equal(overallPresence([]), 'offline');
    assert.equal(overallPresence([undefined, undefined]), 'offline');
    assert.equal(overallPresence(['dnd', 'away', undefined]), 'away');
    assert.equal(overallPresence(['xa', 'available']), 'available');
    assert.equal(overallPresence(['offline']), 'offline'); // invisible
  });

  it('menu: open, four statuses (the current one checked), mute for 1 h / until tomorrow, quit', () => {
    const model = trayModel({ presences: ['away'], unread: 3, mutedUntil: null, now: 0, language: 'en' });
    assert.equal(model.presence, 'away');
    assert.equal(model.unread, 3);
    assert.equal(model.muted, false);
    assert.equal(model.tooltip, 'Parley — Away, 3 unread messages');
    assert.deepEqual(
      model.menu.map((i) =>
        i.type === 'separator' ? '-' : `${i.action}${i.type === 'radio' && i.checked ? '*' : ''}`,
      ),
      [
        'open',
        '-',
        'status:available',
        'status:away*',
        'status:dnd',
        'status:invisible',
        '-',
        'mute:1h',
        'mute:tomorrow',
        '-',
        'quit',
      ],
    );
  });

  it('while muted the menu offers "Unmute" and the tooltip says so; in Chinese too', () => {
    const model = trayModel({ presences: ['dnd'], unread: 0, mutedUntil: 10, now: 5, language: 'zh-CN' });
    assert.equal(model.muted, true);
    assert.ok(model.menu.some((i) => i.type === 'item' && i.action === 'unmute' && i.label === '取消静音通知'));
    assert.ok(!model.menu.some((i) => i.type === 'item' && i.action === 'mute:1h'));
    assert.equal(model.tooltip, 'Parley — 请勿打扰, 通知已静音');
    const later = trayModel({ presences: ['dnd'], unread: 0, mutedUntil: 10, now: 11, language: 'en' });
    assert.equal(later.muted, false);
  });

  it('menu items become intents: statuses for all accounts, mutes as settings changes', () => {
    const now = new Date(2026, 0, 10, 22, 30).getTime();
    assert.deepEqual(trayIntent('status:invisible', now), { kind: 'status', show: 'offline' });
    assert.deepEqual(trayIntent('status:dnd', now), { kind: 'status', show: 'dnd' });
    assert.deepEqual(trayIntent('mute:1h', now), {
      kind: 'settings',
      patch: { notifications: { mutedUntil: now + 3600_000 } },
    });
    assert.deepEqual(trayIntent('mute:tomorrow', now), {
      kind: 'settings',
      patch: { notifications: { mutedUntil: new Date(2026, 0, 11, 8, 0).getTime() } },
    });
    assert.deepEqual(trayIntent('unmute', now), { kind: 'settings', patch: { notifications: { mutedUntil: null } } });
    assert.deepEqual(trayIntent('quit', now), { kind: 'quit' });
    assert.equal(tomorrowMorning(new Date(2026, 11, 31, 1, 0).getTime()), new Date(2027, 0, 1, 8, 0).getTime());
  });
});

/** A tiny in-memory SettingsService. */
function memorySettings(): SettingsService {
  let current: Settings = defaultSettings;
  const listeners = new Set<(s: Settings) => void>();
  return {
    get: () => current,
    update(patch) {
      current = applySettingsPatch(current, patch);
      for (const l of listeners) l(current);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function service() {
  const settings = memorySettings();
  const trays: TrayModel[] = [];
  const shown: NotificationIntent[] = [];
  const emitted: { name: EventName; payload: unknown }[] = [];
  const calls: string[] = [];
  const statuses: string[] = [];
  const svc = new AttentionService({
    settings,
    notifier: { show: (n) => shown.push(n), close: () => undefined },
    tray: { update: (m) => trays.push(m) },
    host: {
      showWindow: () => calls.push('show'),
      quit: () => calls.push('quit'),
    },
    avatarsDir: '/nonexistent',
    emit: (name, payload) => emitted.push({ name, payload }),
    conversation: () => undefined,
    knownRequests: () => ['old@example.org'],
    setStatusAll: (show) => {
      statuses.push(show);
      return Promise.resolve();
    },
    now: () => 1000,
    trayDelayMs: 0,
    log: createLogger('error', () => undefined),
  });
  const observe = <N extends EventName>(name: N, payload: EventPayload<N>) => {
    svc.observe(name, payload);
  };
  return { svc, settings, trays, shown, emitted, calls, statuses, observe };
}

const state = (id: string, status: 'online' | 'offline' | 'error', code?: 'auth-failed') => ({
  id,
  jid: id,
  server: '',
  status,
  enabled: true,
  rememberPassword: false,
  hasPassword: true,
  ...(code ? { error: { code, message: 'Wrong password.' } } : {}),
});

describe('attention/service: tray, clicks, links, close', () => {
  it('the tray follows unread counts, own presence and account states, told only of changes', () => {
    const { svc, trays, observe } = service();
    svc.seed('me@example.org', [{ peer: 'a@example.org', unread: 2 }], 'available');
    assert.equal(trays.at(-1)?.unread, 2);
    assert.equal(trays.at(-1)?.presence, 'offline');
    observe('account.state', state('me@example.org', 'online'));
    assert.equal(trays.at(-1)?.presence, 'available');
    observe('presence.own', { accountId: 'me@example.org', show: 'dnd', recent: [] });
    assert.equal(trays.at(-1)?.presence, 'dnd');
    const before = trays.length;
    observe('conversation.updated', { accountId: 'me@example.org', peer: 'a@example.org', name: 'A', unread: 2 });
    assert.equal(trays.length, before, 'nothing changed: the host is not told');
    observe('conversation.updated', { accountId: 'me@example.org', peer: 'b@example.org', name: 'B', unread: 5 });
    assert.equal(trays.at(-1)?.unread, 7);
    observe('conversation.removed', { accountId: 'me@example.org', peer: 'a@example.org' });
    assert.equal(trays.at(-1)?.unread, 5);
    observe('account.removed', { accountId: 'me@example.org' });
    assert.equal(trays.at(-1)?.unread, 0);
    assert.equal(trays.at(-1)?.presence, 'offline');
  });

  it('new incoming subscription requests notify once; the ones known at start do not', () => {
    const { svc, shown, observe } = service();
    svc.seed('me@example.org', [], 'available');
    const req = (jid: string) => ({ accountId: 'me@example.org', jid, direction: 'in' as const, at: 1 });
    observe('subscriptions.updated', { accountId: 'me@example.org', requests: [req('old@example.org')] });
    assert.equal(shown.length, 0);
    observe('subscriptions.updated', {
      accountId: 'me@example.org',
      requests: [req('old@example.org'), req('new@example.org')],
    });
    observe('subscriptions.updated', {
      accountId: 'me@example.org',
      requests: [req('old@example.org'), req('new@example.org')],
    });
    assert.deepEqual(
      shown.map((n) => n.tag),
      ['subscription:me@example.org:new@example.org'],
    );
  });

  it('an account stopped on a wrong password notifies', () => {
    const { shown, observe } = service();
    observe('account.state', state('me@example.org', 'error', 'auth-failed'));
    const first = shown[0];
    assert.ok(first);
    assert.equal(first.kind, 'connection');
    assert.deepEqual(first.target, { accountId: 'me@example.org' });
  });

  it('a click shows the window and navigates the renderer to the conversation at the message', () => {
    const { svc, emitted, calls } = service();
    svc.openTarget({ accountId: 'me@example.org', peer: 'a@example.org', messageId: 9 });
    assert.deepEqual(calls, ['show']);
    assert.deepEqual(emitted, [
      { name: 'app.navigate', payload: { accountId: 'me@example.org', peer: 'a@example.org', messageId: 9 } },
    ]);
    svc.openTarget({ accountId: 'me@example.org' }); // a connection problem: the window only
    assert.equal(emitted.length, 1);
  });

  it('an xmpp: link is offered to the renderer; a hostile one is refused with a reason', () => {
    const { svc, emitted } = service();
    svc.openUri('xmpp:romeo@montague.net?message;body=Hi%20there');
    assert.deepEqual(emitted, [
      { name: 'app.uri', payload: { action: 'message', jid: 'romeo@montague.net', body: 'Hi there' } },
    ]);
    assert.throws(() => svc.openUri('xmpp://me@evil.example/romeo@montague.net'), /not valid/u);
    assert.equal(emitted.length, 1);
  });

  it('tray items: status for all accounts, mute and unmute in the settings, open and quit through the host', async () => {
    const { svc, settings, trays, calls, statuses } = service();
    await svc.trayAction('status:away');
    assert.deepEqual(statuses, ['away']);
    await svc.trayAction('mute:1h');
    assert.equal(settings.get().notifications.mutedUntil, 1000 + 3600_000);
    assert.equal(trays.at(-1)?.muted, true);
    await svc.trayAction('unmute');
    assert.equal(settings.get().notifications.mutedUntil, null);
    await svc.trayAction('open');
    await svc.trayAction('quit');
    assert.deepEqual(calls, ['show', 'quit']);
    svc.close();
  });

  it('the close button hides to the tray (hint the first time only) or quits, per the setting', () => {
    const { svc, settings, shown } = service();
    assert.equal(svc.closeRequested(), 'hide');
    assert.equal(settings.get().general.closeToTrayHintShown, true);
    assert.equal(svc.closeRequested(), 'hide');
    assert.equal(shown.filter((n) => n.kind === 'hint').length, 1);
    settings.update({ general: { closeToTray: false } });
    assert.equal(svc.closeRequested(), 'quit');
  });
});

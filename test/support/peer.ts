/** A plain @xmpp/client peer for tests: an independent implementation on the other end. */
import { client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { ProsodyServer } from '../../main/devserver/prosody.ts';

export interface Peer {
  jid: string;
  received: Element[];
  send(stanza: Element): Promise<void>;
  sendChat(to: string, body: string, id?: string): Promise<void>;
  waitFor(predicate: (stanza: Element) => boolean, timeoutMs?: number): Promise<Element>;
  stop(): Promise<void>;
}

export async function startPeer(server: ProsodyServer, username: string, password: string): Promise<Peer> {
  const entity = client({
    service: `xmpp://127.0.0.1:${String(server.c2sPort)}`,
    domain: server.domain,
    username,
    password,
    resource: 'peer',
  });
  entity.reconnect.stop();
  const received: Element[] = [];
  const waiters = new Set<{ predicate: (s: Element) => boolean; resolve: (s: Element) => void }>();
  entity.on('stanza', (stanza: Element) => {
    received.push(stanza);
    for (const w of waiters) {
      if (w.predicate(stanza)) {
        waiters.delete(w);
        w.resolve(stanza);
      }
    }
  });
  entity.on('error', () => undefined);
  await entity.start();
  // xmpp.js goes online before its XEP-0198 <enable/> is answered: presence sent now races the
  // <enabled/> and can leave its count ahead of the server's (Prosody then ends the stream).
  const sm = (entity as unknown as { streamManagement?: { enabled: boolean } }).streamManagement;
  for (let i = 0; i < 200 && sm && !sm.enabled; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  await entity.send(xml('presence', {}));
  return {
    jid: `${username}@${server.domain}`,
    received,
    send: (stanza) => entity.send(stanza),
    sendChat: (to, body, id) =>
      entity.send(xml('message', { type: 'chat', to, ...(id ? { id } : {}) }, xml('body', {}, body))),
    waitFor(predicate, timeoutMs = 5000) {
      const early = received.find(predicate);
      if (early) return Promise.resolve(early);
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w))
            reject(new Error(`peer ${username}: no matching stanza within ${String(timeoutMs)} ms`));
        }, timeoutMs).unref();
      });
    },
    async stop() {
      await entity.stop().catch(() => undefined);
    },
  };
}

export const bodyOf = (s: Element) => (s.is('message') ? s.getChildText('body') : null);

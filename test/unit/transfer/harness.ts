/**
 * A transfer service against a scripted stream, for the unit tests: its IQ handlers are
 * called directly with stanza fixtures, the IQs it sets are recorded, its events listed, and
 * its downloads folder is a fresh temporary one (removed after the test file).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { Element } from '@xmpp/xml';
import type { Transfer } from '../../../preload/contract.ts';
import { silentLogger } from '../../../main/core/log.ts';
import { TransferService, type TransferOptions } from '../../../main/core/transfer/transfer-service.ts';
import type { IqContext, XmppStream } from '../../../main/core/xmpp/entity.ts';
import { stanza } from '../../support/stanza.ts';

/** The other side of every scripted transfer. */
export const PEER = 'romeo@montague.lit/orchard';
/** Our own full JID. */
export const OWN = 'juliet@capulet.lit/balcony';

type Handler = (ctx: IqContext) => Promise<Element | true> | Element | true;

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A new temporary folder named `prefix…`, removed after the test file. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/**
 * A TransferService for juliet@capulet.lit (no SOCKS5 either way unless `options` says so),
 * downloading into a new folder named `dirPrefix…`.
 */
export async function scriptedTransferService(dirPrefix: string, options: Omit<TransferOptions, 'downloadsDir'> = {}) {
  const dir = await tempDir(dirPrefix);
  const handlers = new Map<string, Handler>();
  const sent: Element[] = [];
  const stanzaHandlers: ((el: Element) => Promise<void> | void)[] = [];
  const stream = {
    entity: { jid: { toString: () => OWN } },
    onIq(_type: string, ns: string, name: string, handler: Handler) {
      handlers.set(`${ns} ${name}`, handler);
    },
    onStanza(handler: (el: Element) => Promise<void> | void) {
      stanzaHandlers.push(handler);
    },
    iq: {
      set: (el: Element) => {
        sent.push(el);
        return Promise.resolve(undefined);
      },
    },
  } as unknown as XmppStream;
  const events: Transfer[] = [];
  const service = new TransferService(
    {
      id: 'juliet@capulet.lit',
      log: silentLogger,
      now: Date.now,
      emit: (_name, t) => events.push(t),
      stream: () => stream,
      online: () => stream,
      resources: () => [],
    },
    { downloadsDir: () => dir, socks5Direct: false, socks5Proxy: false, ...options },
  );
  service.wire(stream);
  /** Calls the service's handler for a set of `<name xmlns=ns>` with `el`, as if `from` sent it. */
  const iq = (ns: string, name: string, el: Element, from = PEER) => {
    const handler = handlers.get(`${ns} ${name}`);
    assert.ok(handler, `${ns} ${name}`);
    return Promise.resolve(
      handler({ stanza: stanza(`<iq from="${from}" type="set"/>`), element: el, from: undefined }),
    );
  };
  /** Hands the service an inbound stanza (a presence, a message) as the stream would. */
  const inbound = async (el: Element) => {
    for (const handler of stanzaHandlers) await handler(el);
  };
  return { dir, service, events, iq, sent, inbound };
}

/**
 * A transfer service against a scripted stream, for the unit tests: its IQ handlers are
 * called directly with stanza fixtures, the IQs it sets are recorded, its events listed, and
 * its downloads folder is a fresh temporary one (removed after the test file).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** An IQ get that fails as a plain error: no disco#info, no upload service. */
export const noDisco = () => Promise.reject(new Error('no disco here'));
/** An IQ get that fails as the server's `<item-not-found/>` error. */
export const itemNotFound = () =>
  Promise.reject(Object.assign(new Error('no'), { name: 'StanzaError', condition: 'item-not-found' }));

/** How the scripted stream and the peer answer: what a sending test needs (a receiving one, none of it). */
export interface Scripted {
  /** The peer's connected resources, best first (none by default). */
  resources?: string[];
  /** What each of the peer's resources announces through the context's caps (unset by default). */
  features?: string[];
  /** Answers each IQ set the service sends, once recorded in `sent` (an empty result by default). */
  set?: (el: Element) => Promise<Element | undefined>;
  /** Answers each IQ get (the stream has no `iq.get` by default). */
  get?: (el: Element) => Promise<Element>;
  /** Answers each IQ request, e.g. for an upload slot (the stream has no `iq.request` by default). */
  request?: (el: Element) => Promise<Element>;
}

/**
 * A TransferService for juliet@capulet.lit (no SOCKS5 either way unless `options` says so),
 * downloading into a new folder named `dirPrefix…`; `scripted` makes the peer and the stream
 * answer as a sending test needs.
 */
export async function scriptedTransferService(
  dirPrefix: string,
  options: Omit<TransferOptions, 'downloadsDir'> = {},
  scripted: Scripted = {},
) {
  const dir = await tempDir(dirPrefix);
  const handlers = new Map<string, Handler>();
  const sent: Element[] = [];
  const stanzaHandlers: ((el: Element) => Promise<void> | void)[] = [];
  const { set, get, request, resources = [], features } = scripted;
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
        return set ? set(el) : Promise.resolve(undefined);
      },
      ...(get && { get }),
      ...(request && { request }),
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
      resources: () => resources,
      ...(features && { features: () => Promise.resolve(features) }),
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
  /** Writes `data` to `name` in the test's folder, for the service to send; its path. */
  const fileToSend = async (name: string, data: Buffer | string) => {
    const file = path.join(dir, name);
    await writeFile(file, data);
    return file;
  };
  return { dir, service, events, iq, sent, inbound, fileToSend };
}

/**
 * The XMPP stream for one account, composed from xmpp.js packages
 * (as @xmpp/client does) with Parley's own pieces where it matters:
 * STARTTLS with TLS 1.2+ and SNI, SASL with fast SCRAM, a random resource.
 * No auto-reconnect here: the account decides what to do after a drop.
 */
import { Client, xml } from '@xmpp/client-core';
import type { Element } from '@xmpp/xml';
import tcp from '@xmpp/tcp';
import tlsTransport from '@xmpp/tls';
import TlsSocket from '@xmpp/tls/lib/Socket.js';
import middlewareFactory from '@xmpp/middleware';
import streamFeaturesFactory from '@xmpp/stream-features';
import iqCallerFactory from '@xmpp/iq/caller.js';
import iqCalleeFactory from '@xmpp/iq/callee.js';
import resourceBinding from '@xmpp/resource-binding';
import { promise } from '@xmpp/events';
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { authenticate, NS_SASL, type Credentials } from './sasl.ts';

export const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
export const TLS_MIN_VERSION = 'TLSv1.2';

export class InsecureStreamError extends Error {
  override name = 'InsecureStreamError';
}

/** What Parley uses of an xmpp.js entity. */
export interface XmppEntity {
  status: string;
  jid: { toString(): string; bare(): { toString(): string } } | null;
  options: { domain: string; service: string };
  socket: unknown;
  isSecure(): boolean;
  send(element: Element): Promise<void>;
  sendReceive(element: Element, timeout?: number): Promise<Element>;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  restart(): Promise<void>;
  on(event: string, listener: (...args: never[]) => void): void;
  removeListener(event: string, listener: (...args: never[]) => void): void;
  _attachSocket(socket: unknown): void;
}

export interface IqContext {
  stanza: Element;
  element: Element;
  from: string | undefined;
}

export interface XmppStream {
  entity: XmppEntity;
  /** Request/response IQs; rejects with StanzaError or TimeoutError. */
  iq: {
    /** Resolves with the result payload (the child element), if any. */
    get(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
    set(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
  };
  /** Register an IQ responder: return an Element (payload), true (empty result) or throw. */
  onIq(
    type: 'get' | 'set',
    ns: string,
    name: string,
    handler: (ctx: IqContext) => Promise<Element | true> | Element | true,
  ): void;
  /** Every inbound stanza after IQ handling. */
  onStanza(handler: (stanza: Element) => Promise<void> | void): void;
}

export interface StreamOptions {
  /** xmpp://host:port (STARTTLS) or xmpps://host:port (direct TLS). */
  service: string;
  domain: string;
  credentials: Credentials;
  resourcePrefix?: string;
  timeoutMs?: number;
}

/** Upgrade a plain TCP stream with STARTTLS, verifying the certificate against the XMPP domain. */
function useStartTls(streamFeatures: ReturnType<typeof streamFeaturesFactory>): void {
  streamFeatures.use('starttls', NS_TLS, async (ctx) => {
    const entity = ctx.entity as unknown as XmppEntity;
    const socket = entity.socket as { socket?: unknown } | null;
    const raw = socket?.socket ?? socket;
    if (!(raw instanceof net.Socket) || raw instanceof tls.TLSSocket) return;
    const answer = await entity.sendReceive(xml('starttls', { xmlns: NS_TLS }));
    if (!answer.is('proceed', NS_TLS)) throw new Error('STARTTLS refused by the server');
    const domain = entity.options.domain;
    const secured = new TlsSocket();
    secured.connect({ socket: raw, host: domain, servername: domain, minVersion: TLS_MIN_VERSION });
    await promise(secured, 'connect');
    entity._attachSocket(secured);
    await entity.restart();
  });
}

export function createStream(options: StreamOptions): XmppStream {
  const entity = new Client({
    service: options.service,
    domain: options.domain,
    timeout: options.timeoutMs ?? 15_000,
  }) as unknown as XmppEntity;
  tcp({ entity });
  tlsTransport({ entity });
  const middleware = middlewareFactory({ entity } as never);
  const streamFeatures = streamFeaturesFactory({ middleware });
  const iqCaller = iqCallerFactory({ middleware, entity } as never) as unknown as {
    get(el: Element, to?: string, timeout?: number): Promise<Element | undefined>;
    set(el: Element, to?: string, timeout?: number): Promise<Element | undefined>;
  };
  const iqCallee = iqCalleeFactory({ middleware, entity } as never) as unknown as {
    get(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
    set(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
  };

  useStartTls(streamFeatures);
  streamFeatures.use('mechanisms', NS_SASL, async (ctx, _next, element) => {
    const e = ctx.entity as unknown as XmppEntity;
    // Never authenticate over an unencrypted stream (a server without STARTTLS, or a stripping attacker).
    if (!e.isSecure()) throw new InsecureStreamError('the server does not offer an encrypted connection');
    const offered = element.getChildren('mechanism').map((m) => m.text());
    await authenticate(e, offered, options.credentials);
    await e.restart();
  });
  const resource = `${options.resourcePrefix ?? 'parley'}.${randomBytes(4).toString('hex')}`;
  resourceBinding({ iqCaller, streamFeatures } as never, resource);

  const stanzaHandlers: ((stanza: Element) => Promise<void> | void)[] = [];
  (middleware as unknown as { use(fn: (ctx: { stanza: Element }, next: () => unknown) => unknown): void }).use(
    async (ctx, next) => {
      for (const handler of stanzaHandlers) await handler(ctx.stanza);
      return next();
    },
  );

  return {
    entity,
    iq: {
      get: (el, to, timeout) => iqCaller.get(el, to, timeout),
      set: (el, to, timeout) => iqCaller.set(el, to, timeout),
    },
    onIq(type, ns, name, handler) {
      iqCallee[type](ns, name, async (ctx) => {
        const reply = await handler(ctx);
        return reply === true ? {} : reply;
      });
    },
    onStanza(handler) {
      stanzaHandlers.push(handler);
    },
  };
}

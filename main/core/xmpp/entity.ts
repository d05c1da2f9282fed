/**
 * The XMPP stream for one account, composed from xmpp.js packages
 * (as @xmpp/client does) with Parley's own pieces where it matters:
 * its own TLS step for STARTTLS and direct TLS (tls.ts: TLS 1.2+, SNI, the certificate
 * checked against the XMPP domain, pinning), SASL with fast SCRAM, channel binding and
 * downgrade protection (sasl.ts), XEP-0198 on request, a random resource.
 * No auto-reconnect here: the account decides what to do after a drop (it may reuse the
 * entity, calling connect/open again, so that XEP-0198 can resume).
 */
import { Client, xml } from '@xmpp/client-core';
import type { Element } from '@xmpp/xml';
import tcp from '@xmpp/tcp';
import ConnectionTCP from '@xmpp/connection-tcp';
import middlewareFactory from '@xmpp/middleware';
import streamFeaturesFactory from '@xmpp/stream-features';
import iqCallerFactory from '@xmpp/iq/caller.js';
import iqCalleeFactory from '@xmpp/iq/callee.js';
import streamManagement from '@xmpp/stream-management';
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { authenticate, NS_SASL, parseChannelBindingTypes, type Credentials } from './sasl.ts';
import {
  channelBindingSource,
  tlsSocketOf,
  VerifiedTlsSocket,
  TLS_MIN_VERSION,
  type ChannelBindingType,
  type TlsTarget,
} from './tls.ts';

export { TLS_MIN_VERSION };
export const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
export const NS_STREAMS = 'http://etherx.jabber.org/streams';
export const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
/** XEP-0352: Client State Indication. */
export const NS_CSI = 'urn:xmpp:csi:0';

export class InsecureStreamError extends Error {
  override name = 'InsecureStreamError';
}

/** The server answered <starttls/> with <failure/>. */
export class StartTlsRefusedError extends Error {
  override name = 'StartTlsRefusedError';
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

export interface IqCaller {
  /** Resolves with the result payload (the child element), if any; rejects with StanzaError or TimeoutError. */
  get(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
  set(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
  /** Sends a whole <iq/> and resolves with the whole result (when its payload differs from the request's, e.g. XEP-0313's <fin/>). */
  request(iq: Element, timeout?: number): Promise<Element>;
}

/** XEP-0198 as @xmpp/stream-management runs it (its EventEmitter, as returned). */
export interface StreamManagement {
  /** The server enabled it for this session (set shortly after 'online'). */
  enabled: boolean;
  /** The resumption id ('' if none). */
  id: string;
  /** How long to wait for an <a/> after an <r/> before dropping the connection (ms). */
  timeout: number;
  /** Idle time before an <r/> is sent (ms). */
  requestAckInterval: number;
  inbound: number;
  outbound: number;
  max: number | null;
  preferredMaximum: number | null;
  /** 'ack': the server acknowledged an outbound stanza; 'fail': one was not acknowledged when the session ended. */
  on(event: 'ack' | 'fail', listener: (stanza: Element) => void): this;
  /** The session was resumed (no 'online' event then). */
  on(event: 'resumed', listener: () => void): this;
  removeListener(event: string, listener: (...args: never[]) => void): this;
}

/** What the server advertised in its latest stream features. */
export interface StreamFeaturesSeen {
  /** XEP-0352 Client State Indication (<csi xmlns='urn:xmpp:csi:0'/>). */
  csi: boolean;
  /** XEP-0237 roster versioning (<ver xmlns='urn:xmpp:features:rosterver'/>). */
  rosterVer?: boolean;
}

export interface XmppStream {
  entity: XmppEntity;
  /** Request/response IQs; rejects with StanzaError or TimeoutError. */
  iq: IqCaller;
  /** Register an IQ responder: return an Element (payload), true (empty result) or throw. */
  onIq(
    type: 'get' | 'set',
    ns: string,
    name: string,
    handler: (ctx: IqContext) => Promise<Element | true> | Element | true,
  ): void;
  /** Every inbound stanza after IQ handling. */
  onStanza(handler: (stanza: Element) => Promise<void> | void): void;
  /** XEP-0198, present when `streamManagement: true` was asked for. */
  sm?: StreamManagement;
  /** Updated on every <stream:features/> (so after sign-in: the authenticated stream's). */
  readonly features: StreamFeaturesSeen;
  /** The SASL mechanism of the latest successful authentication (store it as the next `minMechanism`). */
  readonly mechanism: string | undefined;
  /** The channel binding that authentication used (with a -PLUS mechanism). */
  readonly channelBinding: ChannelBindingType | undefined;
}

export interface StreamOptions {
  /** xmpp://host:port (STARTTLS) or xmpps://host:port (direct TLS). Each connect() may name another. */
  service: string;
  /** The XMPP domain: the certificate must be valid for it (not for the host of `service`). */
  domain: string;
  credentials: Credentials;
  resourcePrefix?: string;
  timeoutMs?: number;
  /** SHA-256 fingerprint of the certificate the user trusted: that one is accepted, any other refused. */
  pinnedFingerprint?: string | undefined;
  /** The SASL mechanism this account last used successfully: a weaker one fails (SaslDowngradeError). */
  minMechanism?: string | undefined;
  /** Wire XEP-0198 (returned as `stream.sm`). */
  streamManagement?: boolean;
}

export interface PreAuthOptions {
  service: string;
  domain: string;
  pinnedFingerprint?: string | undefined;
  timeoutMs?: number;
}

/** A stream secured by TLS but never authenticated: for in-band registration (XEP-0077). */
export interface PreAuthStream {
  entity: XmppEntity;
  /** The stream features the server sent after TLS (e.g. <register xmlns='http://jabber.org/features/iq-register'/>). */
  features: Element;
  iq: IqCaller;
  /** Closes the stream and the connection; never rejects. */
  close(): Promise<void>;
}

/** What we use of @xmpp/middleware (its own types make `next()` an `any`). */
interface Middleware {
  use(fn: (ctx: { stanza: Element; entity: unknown }, next: () => unknown) => unknown): void;
}

/** Direct TLS (XEP-0368) through our verified TLS socket, for one target domain (and pin). */
function useDirectTls(entity: XmppEntity, target: TlsTarget): void {
  class DirectTls extends ConnectionTCP {
    override socketParameters(service: string) {
      let url: URL;
      try {
        url = new URL(service);
      } catch {
        return undefined;
      }
      if (url.protocol !== 'xmpps:') return undefined;
      const host = url.hostname.replace(/^\[(.*)\]$/u, '$1');
      return { host, port: Number(url.port) || 5223, ...target };
    }
  }
  DirectTls.prototype.Socket = VerifiedTlsSocket;
  DirectTls.prototype.NS = 'jabber:client';
  (entity as unknown as { transports: unknown[] }).transports.push(DirectTls);
}

/** Upgrade a plain TCP stream with STARTTLS, verifying the certificate before anything else is sent. */
function useStartTls(streamFeatures: ReturnType<typeof streamFeaturesFactory>, target: TlsTarget): void {
  streamFeatures.use('starttls', NS_TLS, async (ctx, next) => {
    const entity = ctx.entity as unknown as XmppEntity;
    const raw = entity.socket;
    if (!(raw instanceof net.Socket) || raw instanceof tls.TLSSocket) return next() as Promise<unknown>;
    const answer = await entity.sendReceive(xml('starttls', { xmlns: NS_TLS }));
    if (!answer.is('proceed', NS_TLS)) throw new StartTlsRefusedError('STARTTLS refused by the server');
    const secured = new VerifiedTlsSocket();
    await secured.upgrade(raw, target); // rejects (the connection destroyed) unless verified
    entity._attachSocket(secured);
    await entity.restart();
    return undefined;
  });
}

interface Composed {
  entity: XmppEntity;
  middleware: Middleware;
  streamFeatures: ReturnType<typeof streamFeaturesFactory>;
  features: StreamFeaturesSeen;
}

/** The entity with its transports, middleware, the features recorder and the TLS step. */
function compose(options: {
  service: string;
  domain: string;
  timeoutMs?: number | undefined;
  pinnedFingerprint?: string | undefined;
}): Composed {
  const entity = new Client({
    service: options.service,
    domain: options.domain,
    timeout: options.timeoutMs ?? 15_000,
  }) as unknown as XmppEntity;
  const target: TlsTarget = {
    domain: options.domain,
    ...(options.pinnedFingerprint !== undefined ? { pinnedFingerprint: options.pinnedFingerprint } : {}),
  };
  tcp({ entity });
  useDirectTls(entity, target);
  const middleware = middlewareFactory({ entity } as never) as unknown as Middleware;
  const streamFeatures = streamFeaturesFactory({ middleware } as never);
  const features: StreamFeaturesSeen = { csi: false };
  // First of the feature handlers: it sees every <stream:features/>, then passes it on.
  middleware.use((ctx, next) => {
    if (ctx.stanza.is('features', NS_STREAMS)) {
      features.csi = ctx.stanza.getChild('csi', NS_CSI) !== undefined;
      features.rosterVer = ctx.stanza.getChild('ver', 'urn:xmpp:features:rosterver') !== undefined;
    }
    return next();
  });
  useStartTls(streamFeatures, target);
  return { entity, middleware, streamFeatures, features };
}

export function createStream(options: StreamOptions): XmppStream {
  const { entity, middleware, streamFeatures, features } = compose(options);

  let mechanism: string | undefined;
  let channelBinding: ChannelBindingType | undefined;
  streamFeatures.use('mechanisms', NS_SASL, async (ctx, _next, element) => {
    const e = ctx.entity as unknown as XmppEntity;
    // Never authenticate over an unencrypted stream (a server without STARTTLS, or a stripping attacker).
    if (!e.isSecure()) throw new InsecureStreamError('the server does not offer an encrypted connection');
    const socket = tlsSocketOf(e.socket);
    const outcome = await authenticate(
      e,
      {
        offered: element.getChildren('mechanism').map((m) => m.text()),
        secure: true,
        channelBinding: socket ? channelBindingSource(socket) : undefined,
        serverBindings: parseChannelBindingTypes(ctx.stanza),
        minMechanism: options.minMechanism,
      },
      options.credentials,
    );
    mechanism = outcome.mechanism;
    channelBinding = outcome.channelBinding;
    await e.restart();
  });
  // 'online' once the session is complete: bound, and XEP-0198 enabled (or refused), so that
  // `sm.enabled` is final when 'online' fires (xmpp.js's resource binding would go online
  // before its <enable/> is answered). A resumption goes online by itself ('resumed').
  const binding = { count: 0 };
  middleware.use(async (ctx, next) => {
    if (!ctx.stanza.is('features', NS_STREAMS) || !ctx.stanza.getChild('bind', NS_BIND)) return next();
    const before = binding.count;
    await next();
    const e = ctx.entity as XmppEntity & { _ready(resumed: boolean): void };
    if (binding.count !== before && e.status !== 'online') e._ready(false);
    return undefined;
  });
  // XEP-0198 after SASL, before resource binding (as @xmpp/client orders them): its handler
  // resumes, or binds first and then enables.
  const sm = options.streamManagement
    ? (streamManagement({ streamFeatures, entity, middleware } as never) as unknown as StreamManagement)
    : undefined;
  // IQ requests and answers (xmpp.js's caller and callee) end the middleware chain for the IQs
  // they handle, so they go after XEP-0198's counter: before it, every IQ result and every IQ
  // we answer went uncounted, and the server kept that many stanzas "unacknowledged" for good,
  // to re-send on resumption, or to bounce or put back in offline storage when the session ends.
  const iqCaller = iqCallerFactory({ middleware, entity } as never) as unknown as IqCaller;
  const iqCallee = iqCalleeFactory({ middleware, entity } as never) as unknown as {
    get(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
    set(ns: string, name: string, handler: (ctx: IqContext) => unknown): void;
  };
  const resource = `${options.resourcePrefix ?? 'parley'}.${randomBytes(4).toString('hex')}`;
  // xmpp.js falls back to binding when anything throws while it handles <resumed/> (e.g. the
  // connection dropping as it re-sends its queue). The server has resumed the session by
  // then, and a <bind/> on it is a protocol error (Prosody answers not-well-formed): fail
  // this connection instead, so that the next one resumes cleanly.
  let resumedHere = false;
  entity.on('connect', () => {
    resumedHere = false;
  });
  entity.on('element', (element: Element) => {
    if (element.is('resumed', 'urn:xmpp:sm:3')) resumedHere = true;
  });
  // RFC 6120 §7 resource binding (as @xmpp/resource-binding, without going online itself).
  streamFeatures.use('bind', NS_BIND, async (ctx, next) => {
    if (resumedHere) throw new Error('the session was resumed, but resuming failed here: reconnecting');
    const e = ctx.entity as unknown as XmppEntity & { _jid(jid: string): unknown };
    const result = await iqCaller.set(xml('bind', { xmlns: NS_BIND }, xml('resource', {}, resource)));
    const jid = result?.getChildText('jid');
    if (!jid) throw new Error('resource binding: the server returned no JID');
    e._jid(jid);
    binding.count++;
    return next() as Promise<unknown>;
  });

  const stanzaHandlers: ((stanza: Element) => Promise<void> | void)[] = [];
  middleware.use(async (ctx, next) => {
    for (const handler of stanzaHandlers) await handler(ctx.stanza);
    return next();
  });

  return {
    entity,
    iq: {
      get: (el, to, timeout) => iqCaller.get(el, to, timeout),
      set: (el, to, timeout) => iqCaller.set(el, to, timeout),
      request: (iq, timeout) => iqCaller.request(iq, timeout),
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
    ...(sm ? { sm } : {}),
    features,
    get mechanism() {
      return mechanism;
    },
    get channelBinding() {
      return channelBinding;
    },
  };
}

class PreAuthTimeout extends Error {
  override name = 'TimeoutError';
}

/**
 * Connects to `service` and secures the stream exactly as createStream does (STARTTLS or
 * direct TLS, the same verification and pinning), then resolves once the server's stream
 * features after TLS have arrived, without authenticating: for in-band registration.
 * Rejects with what createStream's start() would (CertificateError, InsecureStreamError,
 * a socket error, TimeoutError…), the connection closed.
 */
export async function openPreAuthStream(options: PreAuthOptions): Promise<PreAuthStream> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const { entity, middleware } = compose(options);
  const iqCaller = iqCallerFactory({ middleware, entity } as never) as unknown as IqCaller;
  let settle: { resolve: (features: Element) => void; reject: (err: unknown) => void } | undefined;
  const ready = new Promise<Element>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // After the STARTTLS handler: a plain stream's features went to it (and the stream restarted).
  middleware.use((ctx, next) => {
    if (!ctx.stanza.is('features', NS_STREAMS)) return next();
    if (entity.isSecure()) settle?.resolve(ctx.stanza);
    else settle?.reject(new InsecureStreamError('the server does not offer an encrypted connection'));
    return undefined;
  });
  const onError = (err: unknown) => settle?.reject(err);
  const onDisconnect = () =>
    settle?.reject(
      Object.assign(new Error('the connection closed before the stream was ready'), { code: 'ECONNRESET' }),
    );
  entity.on('error', onError);
  entity.on('disconnect', onDisconnect);
  // Errors after we are ready belong to the caller's own listeners; never crash for lack of one.
  entity.on('error', () => undefined);

  const close = async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        entity.stop(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 3000);
        }),
      ]);
    } catch {
      // already gone
    } finally {
      clearTimeout(timer);
    }
  };
  const connection = entity as unknown as {
    connect(service: string): Promise<void>;
    open(o: { domain: string; lang: string }): Promise<unknown>;
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const features = await Promise.race([
      (async () => {
        await connection.connect(options.service);
        await connection.open({ domain: options.domain, lang: 'en' });
        return ready;
      })(),
      ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new PreAuthTimeout(`no answer within ${String(timeoutMs)} ms`));
        }, timeoutMs);
      }),
    ]);
    return {
      entity,
      features,
      iq: {
        get: (el, to, timeout) => iqCaller.get(el, to, timeout),
        set: (el, to, timeout) => iqCaller.set(el, to, timeout),
        request: (iq, timeout) => iqCaller.request(iq, timeout),
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  } finally {
    clearTimeout(timer);
    entity.removeListener('error', onError);
    entity.removeListener('disconnect', onDisconnect);
  }
}

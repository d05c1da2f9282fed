/**
 * The reference peer: a stock @xmpp/client, as a bare XMPP client uses it.
 * Optionally without XEP-0198 stream management, so that it does the same
 * wire work as Parley's core (which does not negotiate it).
 */
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { ProsodyServer } from '../../../main/devserver/prosody.ts';

const NS_STREAMS = 'http://etherx.jabber.org/streams';
const NS_SM = 'urn:xmpp:sm:3';

export interface BareClientOptions {
  server: ProsodyServer;
  username: string;
  password: string;
  /** Negotiate XEP-0198 when the server offers it (stock @xmpp/client does). */
  streamManagement: boolean;
  onError?: (err: unknown) => void;
}

/** Connects, sends initial presence and waits until the server has processed it (a ping round trip). */
export async function startBareClient(options: BareClientOptions): Promise<Client> {
  const xmpp = client({
    service: `xmpp://${options.server.host}:${String(options.server.c2sPort)}`,
    domain: options.server.domain,
    username: options.username,
    password: options.password,
    resource: 'bench',
  });
  if (!options.streamManagement) {
    // Runs before the middleware (and so before stream feature negotiation): hide <sm/> from it.
    xmpp.prependListener('element', (element: unknown) => {
      const el = element as Element;
      if (!el.is('features', NS_STREAMS)) return;
      const sm = el.getChild('sm', NS_SM);
      if (sm) el.remove(sm);
    });
  }
  xmpp.on('error', (err: unknown) => options.onError?.(err));
  await xmpp.start();
  try {
    await xmpp.send(xml('presence'));
    const iqCaller = xmpp.iqCaller as unknown as { request(iq: Element): Promise<Element> };
    await iqCaller.request(
      xml('iq', { type: 'get', to: options.server.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })),
    );
    // start() resolves before <enable/> is answered: give the negotiation a moment to finish.
    const deadline = Date.now() + 5000;
    while (xmpp.streamManagement.enabled !== options.streamManagement && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (xmpp.streamManagement.enabled !== options.streamManagement) {
      throw new Error(
        `${options.username}: stream management is ${xmpp.streamManagement.enabled ? 'on' : 'off'}, wanted ${options.streamManagement ? 'on' : 'off'}`,
      );
    }
  } catch (err) {
    await stopBareClient(xmpp).catch(() => undefined);
    throw err;
  }
  return xmpp;
}

export async function stopBareClient(xmpp: Client): Promise<void> {
  xmpp.reconnect.stop();
  await xmpp.stop();
}

/**
 * SASL authentication (RFC 6120 §6) as an xmpp.js stream-feature handler:
 * SCRAM-SHA-256 > SCRAM-SHA-1 > PLAIN (PLAIN only inside TLS).
 * The server's final SCRAM message is verified (xmpp.js's own SASL does not).
 */
import { procedure } from '@xmpp/events';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { SCRAM_MECHANISMS, ScramClient } from './scram.ts';
import type { XmppEntity } from './entity.ts';

export const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

export class SaslFailure extends Error {
  override name = 'SaslFailure';
  readonly condition: string;
  constructor(condition: string, text?: string) {
    super(text ? `${condition}: ${text}` : condition);
    this.condition = condition;
  }
}

export interface Credentials {
  username: string;
  password: string;
}

export function chooseMechanism(offered: readonly string[], secure: boolean): string | undefined {
  const preference = [...Object.keys(SCRAM_MECHANISMS), ...(secure ? ['PLAIN'] : [])];
  return preference.find((m) => offered.includes(m));
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export async function authenticate(
  entity: XmppEntity,
  offered: readonly string[],
  creds: Credentials,
): Promise<string> {
  const mechanism = chooseMechanism(offered, entity.isSecure());
  if (!mechanism) throw new SaslFailure('no-mechanism', `no acceptable SASL mechanism among: ${offered.join(', ')}`);
  const hash = SCRAM_MECHANISMS[mechanism];
  const scram = hash ? new ScramClient(hash, creds.username, creds.password) : undefined;
  const initial = scram ? scram.clientFirst() : `\0${creds.username}\0${creds.password}`;

  await procedure(
    entity as never,
    xml('auth', { xmlns: NS_SASL, mechanism }, b64(initial)),
    async (element: Element, done: (value: unknown) => void) => {
      if (element.getNS() !== NS_SASL) return;
      if (element.name === 'challenge') {
        if (!scram) throw new SaslFailure('malformed-request', 'unexpected challenge');
        const response = await scram.clientFinal(unb64(element.text()));
        await entity.send(xml('response', { xmlns: NS_SASL }, b64(response)));
      } else if (element.name === 'failure') {
        const condition = element.children.find((c): c is Element => typeof c !== 'string' && c.name !== 'text');
        throw new SaslFailure(condition?.name ?? 'not-authorized', element.getChildText('text') ?? undefined);
      } else if (element.name === 'success') {
        if (scram) scram.verifyServerFinal(unb64(element.text()));
        done(undefined);
      }
    },
  );
  return mechanism;
}

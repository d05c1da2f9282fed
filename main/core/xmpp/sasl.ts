/**
 * SASL authentication (RFC 6120 §6) as an xmpp.js stream-feature handler:
 * SCRAM-SHA-256-PLUS > SCRAM-SHA-1-PLUS > SCRAM-SHA-256 > SCRAM-SHA-1 > PLAIN
 * (PLAIN only inside TLS; nothing at all without TLS: entity.ts refuses first).
 *
 * - Channel binding (RFC 5802 §6, RFC 5929, RFC 9266): -PLUS with the binding the server
 *   lists (XEP-0440) or, when it lists none, the default for the TLS version (tls-exporter
 *   on TLS 1.3, tls-unique on 1.2). Without -PLUS we still say we could bind (gs2 'y'), so
 *   a server that can bind detects a stripped -PLUS offer.
 * - Downgrade protection: given the mechanism the account used last time, we refuse to
 *   authenticate with a weaker one (`SaslDowngradeError`): nothing is sent.
 * - The server's final SCRAM message is verified (xmpp.js's own SASL does not).
 */
import { procedure } from '@xmpp/events';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { SCRAM_MECHANISMS, ScramClient, type ScramChannelBinding, type ScramHash } from './scram.ts';
import type { ChannelBindingSource, ChannelBindingType } from './tls.ts';

export const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
/** XEP-0440: SASL Channel-Binding Type Capability. */
export const NS_SASL_CB = 'urn:xmpp:sasl-cb:0';

/** Best first. */
export const MECHANISM_RANKING = [
  'SCRAM-SHA-256-PLUS',
  'SCRAM-SHA-1-PLUS',
  'SCRAM-SHA-256',
  'SCRAM-SHA-1',
  'PLAIN',
] as const;

/** Higher is stronger; -1 for a mechanism Parley does not use. */
export function mechanismRank(mechanism: string): number {
  const index = (MECHANISM_RANKING as readonly string[]).indexOf(mechanism);
  return index < 0 ? -1 : MECHANISM_RANKING.length - index;
}

export class SaslFailure extends Error {
  override name = 'SaslFailure';
  readonly condition: string;
  constructor(condition: string, text?: string) {
    super(text ? `${condition}: ${text}` : condition);
    this.condition = condition;
  }
}

/** The server offers only weaker authentication than this account used before: we did not authenticate. */
export class SaslDowngradeError extends Error {
  override name = 'SaslDowngradeError';
  /** The best mechanism we could use now (undefined: none at all). */
  readonly available: string | undefined;
  /** The mechanism used last time, the least we accept. */
  readonly required: string;
  readonly offered: readonly string[];
  constructor(available: string | undefined, required: string, offered: readonly string[]) {
    super(
      `the server offers ${available ?? `nothing usable (${offered.join(', ') || 'no mechanisms'})`}, weaker than ${required} used before`,
    );
    this.available = available;
    this.required = required;
    this.offered = offered;
  }
}

export interface Credentials {
  username: string;
  password: string;
}

/** What to authenticate with, decided before anything is sent. */
export interface SaslPlan {
  mechanism: string;
  /** SCRAM's hash; undefined for PLAIN. */
  hash: ScramHash | undefined;
  /** 'n'/'y' without binding (see ScramChannelBinding), or -PLUS bound with `type`. */
  binding: { flag: 'n' | 'y' } | { flag: 'p'; type: ChannelBindingType };
}

export interface SaslContext {
  /** The <mechanism/> names in the server's stream features. */
  offered: readonly string[];
  /** The stream is encrypted (TLS, verified). */
  secure: boolean;
  /** The TLS connection's channel bindings; undefined without TLS. */
  channelBinding?: ChannelBindingSource | undefined;
  /** XEP-0440: the binding types the server listed; undefined if it did not say. */
  serverBindings?: readonly string[] | undefined;
  /** The mechanism this account last used successfully: never go below it. */
  minMechanism?: string | undefined;
}

/** XEP-0440 <sasl-channel-binding/> from stream features: the types listed, or undefined if absent. */
export function parseChannelBindingTypes(features: Element): string[] | undefined {
  const list = features.getChild('sasl-channel-binding', NS_SASL_CB);
  if (!list) return undefined;
  return list
    .getChildren('channel-binding')
    .map((c): unknown => c.attrs['type'])
    .filter((t): t is string => typeof t === 'string' && t !== '');
}

/**
 * Picks the strongest mechanism we can use, and its channel binding; throws
 * SaslDowngradeError if that ranks below `minMechanism`, SaslFailure if there is none.
 */
export function planAuthentication(ctx: SaslContext): SaslPlan {
  const source = ctx.channelBinding;
  const bindingFor = (): ChannelBindingType | undefined => {
    if (!source) return undefined;
    if (ctx.serverBindings) return source.types.find((t) => ctx.serverBindings?.includes(t));
    return source.defaultType;
  };
  let plan: SaslPlan | undefined;
  for (const mechanism of MECHANISM_RANKING) {
    if (!ctx.offered.includes(mechanism)) continue;
    if (mechanism === 'PLAIN') {
      if (ctx.secure) plan = { mechanism, hash: undefined, binding: { flag: 'n' } };
    } else if (mechanism.endsWith('-PLUS')) {
      const type = bindingFor();
      if (type) plan = { mechanism, hash: SCRAM_MECHANISMS[mechanism], binding: { flag: 'p', type } };
    } else {
      // We support channel binding whenever we are on TLS: say so ('y') when not binding.
      const flag = source && source.types.length > 0 ? 'y' : 'n';
      plan = { mechanism, hash: SCRAM_MECHANISMS[mechanism], binding: { flag } };
    }
    if (plan) break;
  }
  const min = ctx.minMechanism;
  if (min !== undefined && mechanismRank(min) > (plan ? mechanismRank(plan.mechanism) : -1)) {
    throw new SaslDowngradeError(plan?.mechanism, min, ctx.offered);
  }
  if (!plan) throw new SaslFailure('no-mechanism', `no acceptable SASL mechanism among: ${ctx.offered.join(', ')}`);
  return plan;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** What an authenticating entity needs (an xmpp.js entity has it). */
export interface SaslEntity {
  send(element: Element): Promise<void>;
  on(event: 'nonza', listener: (element: Element) => void): unknown;
  removeListener(event: 'nonza', listener: (element: Element) => void): unknown;
}

export interface SaslOutcome {
  mechanism: string;
  /** The channel binding used (with -PLUS), if any. */
  channelBinding: ChannelBindingType | undefined;
}

export async function authenticate(entity: SaslEntity, ctx: SaslContext, creds: Credentials): Promise<SaslOutcome> {
  const plan = planAuthentication(ctx);
  const { mechanism, hash } = plan;
  let binding: ScramChannelBinding;
  if (plan.binding.flag === 'p') {
    const data = ctx.channelBinding?.data(plan.binding.type);
    if (!data || data.length === 0) throw new SaslFailure('channel-binding', `no ${plan.binding.type} data`);
    binding = { flag: 'p', type: plan.binding.type, data };
  } else {
    binding = { flag: plan.binding.flag };
  }
  const scram = hash ? new ScramClient(hash, creds.username, creds.password, undefined, binding) : undefined;
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
  return { mechanism, channelBinding: plan.binding.flag === 'p' ? plan.binding.type : undefined };
}

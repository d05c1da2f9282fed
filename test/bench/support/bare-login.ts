/**
 * The reference login: a stock @xmpp/client doing connect + STARTTLS + SASL SCRAM-SHA-1 +
 * resource binding (+ XEP-0198 enable, as it does by default), then a roster get.
 *
 * Stock @xmpp/client computes SCRAM's Hi() with one awaited WebCrypto HMAC per PBKDF2 round
 * (0.6–1.5 s a login here, see TESTBED.md): that would make the reference measure a known
 * inefficiency that Parley does not have. By default its SCRAM-SHA-1 mechanism is therefore
 * given the salted password computed in one `crypto.pbkdf2` call (the mechanism's own
 * cached-credentials path); everything else stays stock. `scram: 'stock'` leaves it alone.
 */
import { pbkdf2 } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';

const pbkdf2Async = promisify(pbkdf2);
const NS_ROSTER = 'jabber:iq:roster';

interface ScramMechanism {
  _stage: string;
  _salt?: Uint8Array;
  _iterationCount?: number;
  response(cred: Record<string, unknown>): unknown;
}
type MechanismClass = new () => ScramMechanism;
interface SaslFactoryInternals {
  _mechs: { name: string; mech: MechanismClass }[];
}

/** Gives @xmpp/client's SCRAM-SHA-1 a salted password from one crypto.pbkdf2 call. */
export function useFastScram(xmpp: Client): void {
  const factory = (xmpp as unknown as { saslFactory?: SaslFactoryInternals }).saslFactory;
  const entry = factory?._mechs.find((m) => m.name === 'SCRAM-SHA-1');
  if (!entry) throw new Error('@xmpp/client has no SCRAM-SHA-1 mechanism to speed up (did its internals change?)');
  const Stock = entry.mech;
  class FastScramSha1 extends Stock {
    override async response(cred: Record<string, unknown>): Promise<unknown> {
      const salt = this._salt;
      const iterations = this._iterationCount;
      if (this._stage === 'challenge' && salt && iterations && typeof cred['password'] === 'string') {
        const salted = await pbkdf2Async(cred['password'], salt, iterations, 20, 'sha1');
        // The stock mechanism reuses a salted password given with the same salt.
        return super.response({ ...cred, salt, saltedPassword: new Uint8Array(salted) });
      }
      return super.response(cred);
    }
  }
  entry.mech = FastScramSha1;
}

export interface BareLoginOptions {
  host: string;
  port: number;
  domain: string;
  username: string;
  password: string;
  scram: 'fast' | 'stock';
}

export interface BareLoginResult {
  /** From start() (TCP connect) to the roster result, in ms. */
  ms: number;
  rosterItems: number;
}

/** One timed login; the client is stopped afterwards (not timed). */
export async function timeBareLogin(options: BareLoginOptions): Promise<BareLoginResult> {
  const xmpp = client({
    service: `xmpp://${options.host}:${String(options.port)}`,
    domain: options.domain,
    username: options.username,
    password: options.password,
    resource: 'bench-login',
  });
  xmpp.reconnect.stop();
  xmpp.on('error', () => undefined);
  if (options.scram === 'fast') useFastScram(xmpp);
  try {
    const t0 = performance.now();
    await xmpp.start();
    const iqCaller = xmpp.iqCaller as unknown as { get(el: Element): Promise<Element | undefined> };
    const query = await iqCaller.get(xml('query', { xmlns: NS_ROSTER }));
    const ms = performance.now() - t0;
    return { ms, rosterItems: query?.getChildren('item').length ?? 0 };
  } finally {
    await xmpp.stop().catch(() => undefined);
  }
}

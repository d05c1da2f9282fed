/**
 * Our own presence and what other clients may ask Parley, for one account:
 * - the presence we send (RFC 6121 show/status/priority, XEP-0115 caps, XEP-0319 idle,
 *   XEP-0153 photo hash), re-sent whenever any of it changes;
 * - the status the user chose (show and message) kept in the archive (own_status) and restored
 *   when the account is created again (a restart), so the first presence after a restart is it;
 * - "Invisible": XEP-0186 when the server offers it (the session stays available to the server,
 *   which tells no contact), else "appear offline" (no available presence at all: contacts
 *   see us offline; what is addressed to this resource still arrives);
 * - automatic away and extended away from the idle time the host reports (restored on return);
 * - answers to disco#info (XEP-0030/0115), version (XEP-0092), time (XEP-0202) and last
 *   activity (XEP-0012);
 * - contacts' caps (verified, cached across sessions) and per-resource client details.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { ContactResource, OwnPresence } from '../../../preload/contract.ts';
import {
  buildDiscoInfoQuery,
  buildOwnCaps,
  buildOwnInfo,
  capsNode,
  NS_DISCO_INFO,
  parseCaps,
  parseDiscoInfo,
  type Caps,
  type DiscoInfo,
} from '../xmpp/disco.ts';
import type { XmppStream } from '../xmpp/entity.ts';
import { buildInvisible, buildVisible, invisibleNamespace, type InvisibleNamespace } from '../xmpp/invisible.ts';
import { buildVcardUpdate } from '../xmpp/avatar.ts';
import { cleanDisplayText } from '../xmpp/nick.ts';
import type { PresenceBook } from '../xmpp/presence.ts';
import {
  buildIdle,
  buildLastAnswer,
  buildLastRequest,
  buildTimeAnswer,
  buildVersionAnswer,
  buildVersionRequest,
  lastActiveAt,
  NS_LAST,
  NS_TIME,
  NS_VERSION,
  parseIdle,
  parseLast,
  parseVersion,
} from '../xmpp/software.ts';
import { QUERY_TIMEOUT_MS, stanzaError, type ServiceContext } from './service-context.ts';

export type OwnShow = OwnPresence['show'];

export interface AutoAwayOptions {
  /** Seconds idle before 'away' (default 5 minutes). */
  awayAfterS?: number;
  /** Seconds idle before 'xa' (default 20 minutes). */
  xaAfterS?: number;
  /** How often the idle time is read (default 15 s). */
  pollMs?: number;
}

export const PARLEY_VERSION = '0.1.0';

interface ResourceInfo {
  caps?: Caps;
  idleSince?: number;
}

export class PresenceService {
  readonly #ctx: ServiceContext;
  readonly #book: PresenceBook;
  readonly #idleSeconds: (() => number) | undefined;
  readonly #auto: Required<AutoAwayOptions>;
  #show: OwnShow = 'available';
  #status: string | undefined;
  /** Set while idle has moved us to away or xa. */
  #autoShow: 'away' | 'xa' | undefined;
  #idleSince: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** XEP-0153: undefined = not known yet, null = no photo, else its SHA-1. */
  photoHash: string | null | undefined = undefined;
  /** Caps verification strings being asked for right now (one query per ver). */
  readonly #asking = new Map<string, Promise<DiscoInfo | undefined>>();
  /** Per contact and resource: caps and idle. */
  readonly #resources = new Map<string, Map<string, ResourceInfo>>();
  /** How many caps queries went out (for tests and logs). */
  capsQueries = 0;
  /** The initial presence has gone out on the current session: changes are sent at once. */
  announced = false;
  /** This session's invisibility: XEP-0186 (its namespace) or 'appear-offline'; asked once per session. */
  #invisibility: Promise<InvisibleNamespace | 'appear-offline'> | undefined;
  #invisibilityKnown: OwnPresence['invisibility'];
  /** The XEP-0186 invisible command is in force on this session. */
  #invisibleNow: InvisibleNamespace | undefined;
  /** Whether the last presence that went out was available (appear offline sends unavailable once). */
  #lastSentAvailable = false;

  constructor(ctx: ServiceContext, book: PresenceBook, idleSeconds?: () => number, auto: AutoAwayOptions = {}) {
    this.#ctx = ctx;
    this.#book = book;
    this.#idleSeconds = idleSeconds;
    this.#auto = { awayAfterS: auto.awayAfterS ?? 300, xaAfterS: auto.xaAfterS ?? 1200, pollMs: auto.pollMs ?? 15_000 };
    // The status chosen last (before a restart too).
    const last = ctx.repos.ownStatus.last(ctx.id);
    if (last !== undefined) {
      this.#show = last.show;
      this.#status = last.status === '' ? undefined : last.status;
    }
  }

  get own(): OwnPresence {
    const show = this.#autoShow ?? this.#show;
    const status = this.#status;
    return {
      accountId: this.#ctx.id,
      show,
      ...(status ? { status } : {}),
      ...(this.#autoShow ? { auto: true } : {}),
      recent: this.#ctx.repos.ownStatus.recent(this.#ctx.id).map((r) => ({ show: r.show, status: r.status })),
      ...(this.#invisibilityKnown ? { invisibility: this.#invisibilityKnown } : {}),
    };
  }

  /** Our presence as it goes to the server now. */
  build(): Element {
    const chosen = this.#autoShow ?? this.#show;
    // Invisible with XEP-0186: available to our server, which shows it to nobody.
    if (chosen === 'offline' && this.#invisibleNow === undefined)
      return xml('presence', { type: 'unavailable' }, ...this.#statusEl());
    const show = chosen === 'offline' ? 'available' : chosen;
    const children: Element[] = [];
    if (show !== 'available') children.push(xml('show', {}, show));
    children.push(...this.#statusEl());
    children.push(xml('priority', {}, show === 'away' || show === 'xa' ? '0' : '1'));
    children.push(buildOwnCaps());
    if (this.#idleSince !== undefined && this.#autoShow) children.push(buildIdle(this.#idleSince));
    children.push(buildVcardUpdate(this.photoHash));
    return xml('presence', {}, ...children);
  }

  #statusEl(): Element[] {
    return this.#status ? [xml('status', {}, this.#status)] : [];
  }

  /** The user chose a status. */
  async set(show: OwnShow, status: string | undefined): Promise<OwnPresence> {
    const clean = status !== undefined ? cleanDisplayText(status, 1024) : undefined;
    this.#show = show;
    this.#status = clean;
    this.#autoShow = undefined;
    // Remembered, with or without a message: restored after a restart.
    this.#ctx.repos.ownStatus.use(this.#ctx.id, show, clean ?? '', this.#ctx.now());
    await this.#applyInvisibility();
    await this.resend();
    const own = this.own;
    this.#ctx.emit('presence.own', own);
    return own;
  }

  /** Sends our presence again (when online and the initial one has gone). */
  async resend(): Promise<void> {
    const stream = this.#ctx.stream();
    if (!stream || !this.announced) return;
    await this.#send(stream);
  }

  async #send(stream: XmppStream): Promise<void> {
    const presence = this.build();
    const available = presence.attrs['type'] === undefined;
    // Appearing offline: one unavailable presence says so; more would tell nobody anything.
    if (!available && !this.#lastSentAvailable) return;
    this.#lastSentAvailable = available;
    await stream.entity.send(presence).catch(() => undefined);
  }

  /**
   * The session's first presence (after the archive catch-up): with 'offline' chosen, the
   * XEP-0186 invisible command first where the server has it, else nothing at all (appear
   * offline). The server's answer to "can you do invisible?" is learnt here either way.
   */
  announce(stream: XmppStream): Promise<void> {
    this.announced = true;
    if (this.#show !== 'offline') {
      const sent = this.#send(stream);
      void this.#invisibilityOf(stream);
      return sent;
    }
    return this.#applyInvisibility().then(() => this.#send(stream));
  }

  /** What 'offline' can be on this session: asks the server's disco#info once. */
  #invisibilityOf(stream: XmppStream): Promise<InvisibleNamespace | 'appear-offline'> {
    this.#invisibility ??= (async () => {
      let ns: InvisibleNamespace | undefined;
      try {
        const domain = this.#ctx.id.split('@')[1] ?? this.#ctx.id;
        const el = await stream.iq.get(buildDiscoInfoQuery(), domain, QUERY_TIMEOUT_MS);
        ns = invisibleNamespace(el ? parseDiscoInfo(el) : undefined);
      } catch (err) {
        this.#ctx.log.info('presence', `${this.#ctx.id}: no disco#info from the server`, err);
      }
      const known = ns === undefined ? 'appear-offline' : 'invisible';
      if (this.#invisibilityKnown !== known) {
        this.#invisibilityKnown = known;
        if (this.#ctx.stream() === stream) this.#ctx.emit('presence.own', this.own);
      }
      return ns ?? 'appear-offline';
    })();
    return this.#invisibility;
  }

  #wantsInvisible(): boolean {
    return this.#show === 'offline';
  }

  /** Sends XEP-0186 invisible or visible as the chosen show needs (when the server has it). */
  async #applyInvisibility(): Promise<void> {
    const stream = this.#ctx.stream();
    if (!stream || !this.announced) return;
    if (this.#show === 'offline' && this.#invisibleNow === undefined) {
      const mode = await this.#invisibilityOf(stream);
      // (The user may have chosen something else while the server answered.)
      if (mode === 'appear-offline' || !this.#wantsInvisible()) return;
      try {
        await stream.iq.set(buildInvisible(mode), undefined, QUERY_TIMEOUT_MS);
        this.#invisibleNow = mode;
      } catch (err) {
        // Refused after all: appear offline on this session.
        this.#ctx.log.warn('presence', `${this.#ctx.id}: the server refused XEP-0186 invisible`, err);
        this.#invisibility = Promise.resolve('appear-offline');
        this.#invisibilityKnown = 'appear-offline';
      }
    } else if (this.#show !== 'offline' && this.#invisibleNow !== undefined) {
      const ns = this.#invisibleNow;
      this.#invisibleNow = undefined;
      await stream.iq.set(buildVisible(ns), undefined, QUERY_TIMEOUT_MS).catch((err: unknown) => {
        this.#ctx.log.warn('presence', `${this.#ctx.id}: the server refused XEP-0186 visible`, err);
      });
    }
  }

  /** Starts the idle poll (when the host reports idle time). */
  start(): void {
    if (!this.#idleSeconds || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#pollIdle();
    }, this.#auto.pollMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #pollIdle(): void {
    let idle: number;
    try {
      idle = this.#idleSeconds?.() ?? 0;
    } catch {
      return;
    }
    if (!Number.isFinite(idle) || idle < 0) return;
    // Only a user who is simply available (or free for chat) is moved automatically.
    const movable = this.#show === 'available' || this.#show === 'chat';
    let next: 'away' | 'xa' | undefined;
    if (movable && idle >= this.#auto.xaAfterS) next = 'xa';
    else if (movable && idle >= this.#auto.awayAfterS) next = 'away';
    if (next === this.#autoShow) return;
    this.#autoShow = next;
    this.#idleSince = next ? this.#ctx.now() - Math.floor(idle) * 1000 : undefined;
    this.#ctx.log.info('presence', `${this.#ctx.id}: ${next ? `idle: automatically ${next}` : 'back from idle'}`);
    void this.resend();
    this.#ctx.emit('presence.own', this.own);
  }

  /** Seconds the user has been idle, for XEP-0012 answers. */
  idleSeconds(): number {
    try {
      return this.#idleSeconds?.() ?? 0;
    } catch {
      return 0;
    }
  }

  /** Registers Parley's answers on a new stream. */
  wire(stream: XmppStream): void {
    stream.onIq('get', NS_DISCO_INFO, 'query', (ctx) => {
      const node: unknown = ctx.element.attrs['node'];
      return buildOwnInfo(typeof node === 'string' ? node : undefined) ?? stanzaError('cancel', 'item-not-found');
    });
    stream.onIq('get', NS_VERSION, 'query', () => buildVersionAnswer(PARLEY_VERSION));
    stream.onIq('get', NS_TIME, 'time', () => buildTimeAnswer(this.#ctx.now()));
    stream.onIq('get', NS_LAST, 'query', (ctx) => {
      // Idle time is for contacts who see our presence (and our own account), nobody else.
      const from: unknown = ctx.stanza.attrs['from'];
      const bare = typeof from === 'string' ? from.split('/')[0] : undefined;
      const item = bare ? this.#ctx.repos.contacts.get(this.#ctx.id, bare) : undefined;
      const allowed = bare === this.#ctx.id || item?.subscription === 'from' || item?.subscription === 'both';
      return allowed ? buildLastAnswer(this.idleSeconds()) : stanzaError('cancel', 'forbidden');
    });
  }

  /** A new session: nothing is announced yet; resources come again. */
  reset(): void {
    this.announced = false;
    this.#resources.clear();
    // Invisibility is per session (XEP-0186 §2); the next server may differ too.
    this.#invisibility = undefined;
    this.#invisibleNow = undefined;
    this.#lastSentAvailable = false;
  }

  /** A contact's availability presence (after PresenceBook took it): caps and idle per resource. */
  onPresence(stanza: Element, bare: string, resource: string, available: boolean): void {
    let resources = this.#resources.get(bare);
    if (!available) {
      if (resource) resources?.delete(resource);
      else this.#resources.delete(bare);
      return;
    }
    if (!resources) this.#resources.set(bare, (resources = new Map<string, ResourceInfo>()));
    const caps = parseCaps(stanza);
    const idleSince = parseIdle(stanza, this.#ctx.now());
    resources.set(resource, { ...(caps ? { caps } : {}), ...(idleSince !== undefined ? { idleSince } : {}) });
    const from: unknown = stanza.attrs['from'];
    if (caps && typeof from === 'string') void this.#learnCaps(from, caps);
  }

  /** The client behind a caps hash: from the cache, else asked once (disco#info to the full JID), verified, cached. */
  async #learnCaps(fullJid: string, caps: Caps): Promise<DiscoInfo | undefined> {
    const cached = this.#ctx.caps.get(caps.ver);
    if (cached) return cached;
    const asking = this.#asking.get(caps.ver);
    if (asking) return asking;
    const stream = this.#ctx.stream();
    if (!stream) return undefined;
    const run = (async () => {
      this.capsQueries += 1;
      this.#ctx.log.debug('caps', `${this.#ctx.id}: asking ${fullJid} for caps ${caps.ver}`);
      try {
        const query = await stream.iq.get(buildDiscoInfoQuery(capsNode(caps)), fullJid, QUERY_TIMEOUT_MS);
        const info = query ? parseDiscoInfo(query) : undefined;
        if (!info) return undefined;
        if (!this.#ctx.caps.put(caps.ver, info, caps.hash)) {
          this.#ctx.log.warn('caps', `${this.#ctx.id}: ${fullJid}'s caps ${caps.ver} did not verify: not cached`);
          return info;
        }
        this.#ctx.log.debug('caps', `${this.#ctx.id}: caps ${caps.ver} verified and cached`);
        const bare = fullJid.split('/')[0];
        if (bare) this.#ctx.contactsChanged([bare]);
        return info;
      } catch (err) {
        this.#ctx.log.info('caps', `${this.#ctx.id}: no caps answer from ${fullJid}`, err);
        return undefined;
      } finally {
        this.#asking.delete(caps.ver);
      }
    })();
    this.#asking.set(caps.ver, run);
    return run;
  }

  /** A resource's features from its verified caps (cached, else asked once); undefined without caps. */
  async featuresOf(fullJid: string): Promise<string[] | undefined> {
    const slash = fullJid.indexOf('/');
    if (slash < 0) return undefined;
    const caps = this.#resources.get(fullJid.slice(0, slash))?.get(fullJid.slice(slash + 1))?.caps;
    if (!caps) return undefined;
    return (this.#ctx.caps.get(caps.ver) ?? (await this.#learnCaps(fullJid, caps)))?.features;
  }

  /** The client name from a resource's caps identity, if the cache knows it. */
  #clientName(info: ResourceInfo | undefined): string | undefined {
    const caps = info?.caps;
    const disco = caps ? this.#ctx.caps.get(caps.ver) : undefined;
    const identity = disco?.identities.find((i) => i.category === 'client') ?? disco?.identities[0];
    return cleanDisplayText(identity?.name, 100);
  }

  /** Every connected resource with its client (caps, then XEP-0092 on demand), best first. */
  async resources(bare: string, askVersion = true): Promise<ContactResource[]> {
    const stream = this.#ctx.stream();
    const known = this.#resources.get(bare);
    return Promise.all(
      this.#book.resources(bare).map(async ([resource, p]) => {
        const info = known?.get(resource);
        let client = this.#clientName(info);
        let version: string | undefined;
        let os: string | undefined;
        if (askVersion && stream) {
          try {
            const answer = await stream.iq.get(buildVersionRequest(), `${bare}/${resource}`, QUERY_TIMEOUT_MS);
            const parsed = answer ? parseVersion(answer) : undefined;
            if (parsed) {
              client ??= parsed.name;
              version = parsed.version;
              os = parsed.os;
            }
          } catch {
            // no answer: the caps name is all we know
          }
        }
        return {
          resource,
          show: p.show,
          ...(p.status ? { status: p.status } : {}),
          priority: p.priority,
          ...(client ? { client } : {}),
          ...(version ? { version } : {}),
          ...(os ? { os } : {}),
          ...(info?.idleSince !== undefined ? { idleSince: info.idleSince } : {}),
        };
      }),
    );
  }

  /** XEP-0012 to the bare JID (the server answers for an offline contact): when it was last seen. */
  async lastSeen(bare: string): Promise<{ at: number; status?: string } | undefined> {
    const stream = this.#ctx.stream();
    if (!stream) return undefined;
    try {
      const answer = await stream.iq.get(buildLastRequest(), bare, QUERY_TIMEOUT_MS);
      const last = answer ? parseLast(answer) : undefined;
      if (!last) return undefined;
      return { at: lastActiveAt(last, this.#ctx.now()), ...(last.status ? { status: last.status } : {}) };
    } catch {
      return undefined;
    }
  }
}

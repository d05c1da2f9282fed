/**
 * Profiles and the server's services for one account:
 * - vCards (XEP-0054): ours (read, edit without losing fields we do not manage) and contacts';
 * - avatars: XEP-0084 (PEP metadata events, data fetched by id) and XEP-0153 (the photo hash
 *   in presence, the photo from the vCard), verified and cached on disk by SHA-1; ours
 *   published both ways;
 * - nicknames (XEP-0172) from PEP events;
 * - the blocklist (XEP-0191): fetched on each new session, pushes, block and unblock;
 * - the user directory (XEP-0055) and gateways (XEP-0100, registration by XEP-0077).
 */
import type { Element } from '@xmpp/xml';
import type { FormField, GatewayInfo, Vcard as ContractVcard } from '../../../preload/contract.ts';
import { CoreError } from '../errors.ts';
import {
  buildAvatarDataPublish,
  buildAvatarDataRequest,
  buildAvatarMetadataDisable,
  buildAvatarMetadataPublish,
  parseAvatarData,
  parseAvatarMetadataEvent,
  parseVcardUpdate,
  prepareAvatar,
  sha1Hex,
} from '../xmpp/avatar.ts';
import {
  applyBlockingPush,
  blockedBy,
  buildBlock,
  buildBlocklistRequest,
  buildUnblock,
  NS_BLOCKING,
  normalizeBlockJid,
  parseBlocklist,
  parseBlockingPush,
} from '../xmpp/blocking.ts';
import {
  buildDiscoInfoQuery,
  buildDiscoItemsQuery,
  discoKey,
  parseDiscoInfo,
  parseDiscoItems,
  type DiscoInfo,
  type DiscoItem,
} from '../xmpp/disco.ts';
import {
  buildSearchFormRequest,
  buildSearchSubmit,
  findSearchService,
  parseSearchForm,
  parseSearchResults,
  type SearchForm,
  type SearchResults,
} from '../xmpp/directory.ts';
import type { XmppStream } from '../xmpp/entity.ts';
import { findGateways } from '../xmpp/gateways.ts';
import { parse } from '../xmpp/jid.ts';
import { buildNickPublish, parseNickEvent } from '../xmpp/nick.ts';
import {
  buildRegistrationQuery,
  buildRegistrationSubmit,
  buildRemove,
  checkValues,
  parseRegistrationForm,
  visibleFields,
  type RegistrationFormData,
} from '../xmpp/register.ts';
import { buildRosterRemove } from '../xmpp/roster-ops.ts';
import { buildVcardGet, buildVcardSet, emptyVcard, parseVcard, type Vcard } from '../xmpp/vcard.ts';
import { QUERY_TIMEOUT_MS, queryError, type ServiceContext } from './service-context.ts';

export class ProfileService {
  readonly #ctx: ServiceContext;
  #blocked: Set<string>;
  /** Our card as the server last gave it (its unmanaged elements are kept on edit). */
  #ownCard: Element | undefined;
  #ownVcard: Vcard | undefined;
  /** Contacts whose XEP-0153 photo we are fetching right now. */
  readonly #fetching = new Set<string>();
  readonly #searchForms = new Map<string, SearchForm>();
  readonly #gatewayForms = new Map<string, RegistrationFormData>();
  #serverItems: { items: DiscoItem[]; infos: Map<string, DiscoInfo> } | undefined;
  /** Gateways found on the server this session (their own subscriptions come from a bare domain). */
  readonly gateways = new Set<string>();
  /** Called when our own photo hash changes (the presence carries it). */
  onOwnPhoto: (hash: string | null) => void = () => undefined;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
    this.#blocked = new Set(ctx.repos.blocklist.list(ctx.id));
  }

  // --- blocking (XEP-0191) ----------------------------------------------------------------

  /** Our nickname (from our vCard), for subscription requests (XEP-0172). */
  ownNickname(): string | undefined {
    return this.#ownVcard?.nickname;
  }

  blocklist(): string[] {
    return [...this.#blocked].sort();
  }

  /** The blocklist entry that blocks this JID (full or bare), if any. */
  isBlocked(jid: string): boolean {
    return this.#blocked.size > 0 && blockedBy(this.#blocked, jid) !== undefined;
  }

  #setBlocklist(jids: readonly string[]): void {
    const before = this.#blocked;
    this.#blocked = new Set(jids);
    this.#ctx.repos.blocklist.replace(this.#ctx.id, [...this.#blocked]);
    this.#ctx.emit('blocklist.updated', { accountId: this.#ctx.id, jids: this.blocklist() });
    const affected = new Set<string>();
    for (const j of [...before, ...this.#blocked]) if (before.has(j) !== this.#blocked.has(j)) affected.add(j);
    // What a blocked contact showed before is stale: nothing more comes from them.
    for (const j of this.#blocked) if (!before.has(j)) this.#ctx.forgetPresence(parse(j)?.bare ?? j);
    this.#ctx.contactsChanged([...affected].flatMap((j) => parse(j)?.bare ?? []));
  }

  async block(jid: string): Promise<string[]> {
    const entry = normalizeBlockJid(jid);
    if (!entry) throw new CoreError('bad-request', `"${jid.slice(0, 100)}" is not a valid address.`);
    const stream = this.#ctx.online('Blocking');
    try {
      await stream.iq.set(buildBlock(entry));
    } catch (err) {
      throw queryError(err, 'Blocking');
    }
    if (!this.#blocked.has(entry)) this.#setBlocklist([...this.#blocked, entry]);
    return this.blocklist();
  }

  async unblock(jid: string): Promise<string[]> {
    const entry = normalizeBlockJid(jid);
    if (!entry) throw new CoreError('bad-request', `"${jid.slice(0, 100)}" is not a valid address.`);
    const stream = this.#ctx.online('Unblocking');
    try {
      await stream.iq.set(buildUnblock(entry));
    } catch (err) {
      throw queryError(err, 'Unblocking');
    }
    if (this.#blocked.has(entry)) this.#setBlocklist([...this.#blocked].filter((j) => j !== entry));
    return this.blocklist();
  }

  // --- per stream -----------------------------------------------------------------------

  wire(stream: XmppStream): void {
    for (const name of ['block', 'unblock'])
      stream.onIq('set', NS_BLOCKING, name, (ctx) => {
        const push = parseBlockingPush(ctx.element, ctx.stanza.attrs['from'], this.#ctx.id);
        if (!push) throw new CoreError('bad-request', 'blocking push from a stranger');
        this.#setBlocklist(applyBlockingPush([...this.#blocked], push));
        return true;
      });
  }

  /** A new session: the blocklist and our own vCard (its photo hash goes into our presence). */
  async onSession(stream: XmppStream): Promise<void> {
    this.#serverItems = undefined;
    this.#searchForms.clear();
    this.#gatewayForms.clear();
    const blocklist = stream.iq.get(buildBlocklistRequest(), undefined, QUERY_TIMEOUT_MS).then(
      (el) => {
        const list = el ? parseBlocklist(el) : undefined;
        if (list) this.#setBlocklist(list);
      },
      (err: unknown) => {
        this.#ctx.log.info('blocking', `${this.#ctx.id}: no blocklist on this server`, err);
      },
    );
    const card = this.#fetchOwnCard(stream).then(
      () => {
        const photo = this.#ownVcard?.photo;
        this.onOwnPhoto(photo ? sha1Hex(photo.data) : null);
      },
      (err: unknown) => {
        this.#ctx.log.info('vcard', `${this.#ctx.id}: could not read our vCard`, err);
      },
    );
    await Promise.all([blocklist, card]);
  }

  // --- vCards (XEP-0054) ------------------------------------------------------------------

  async #fetchOwnCard(stream: XmppStream): Promise<Vcard> {
    let el: Element | undefined;
    try {
      el = await stream.iq.get(buildVcardGet(), undefined, QUERY_TIMEOUT_MS);
    } catch (err) {
      if ((err as { condition?: unknown } | null)?.condition !== 'item-not-found') throw err;
    }
    this.#ownCard = el;
    this.#ownVcard = (el && parseVcard(el)) ?? emptyVcard();
    return this.#ownVcard;
  }

  async ownVcard(): Promise<{ vcard: ContractVcard; avatar?: string }> {
    const stream = this.#ctx.online('Reading your profile');
    let card: Vcard;
    try {
      card = await this.#fetchOwnCard(stream);
    } catch (err) {
      throw queryError(err, 'Reading your profile');
    }
    const photo = card.photo;
    if (photo) await this.#ctx.avatars.put(sha1Hex(photo.data), photo.data).catch(() => undefined);
    return { vcard: toContract(card), ...(photo ? { avatar: sha1Hex(photo.data) } : {}) };
  }

  async setOwnVcard(vcard: ContractVcard): Promise<ContractVcard> {
    const stream = this.#ctx.online('Saving your profile');
    try {
      if (!this.#ownVcard) await this.#fetchOwnCard(stream);
      const before = this.#ownVcard?.nickname;
      const next: Vcard = { ...fromContract(vcard), ...(this.#ownVcard?.photo ? { photo: this.#ownVcard.photo } : {}) };
      await stream.iq.set(buildVcardSet(next, this.#ownCard));
      await this.#fetchOwnCard(stream);
      // XEP-0172: our nickname on PEP too, for contacts' lists.
      const nick = this.#ownVcard?.nickname;
      if (nick !== before)
        await stream.iq.set(buildNickPublish(nick ?? '')).catch((err: unknown) => {
          this.#ctx.log.info('nick', `${this.#ctx.id}: could not publish our nickname`, err);
        });
    } catch (err) {
      throw queryError(err, 'Saving your profile');
    }
    return toContract(this.#ownVcard ?? emptyVcard());
  }

  /** A contact's card; undefined when there is none or it could not be read. */
  async contactVcard(bare: string): Promise<Vcard | undefined> {
    const stream = this.#ctx.stream();
    if (!stream) return undefined;
    try {
      const el = await stream.iq.get(buildVcardGet(), bare, QUERY_TIMEOUT_MS);
      return (el && parseVcard(el)) ?? emptyVcard();
    } catch {
      return undefined;
    }
  }

  // --- avatars ------------------------------------------------------------------------------

  /** Our avatar: published on PEP (XEP-0084) and as our vCard photo (XEP-0153); null removes it. */
  async setOwnAvatar(base64: string | null): Promise<string | undefined> {
    const stream = this.#ctx.online('Publishing your picture');
    try {
      if (!this.#ownVcard) await this.#fetchOwnCard(stream);
      const card = this.#ownVcard ?? emptyVcard();
      if (base64 === null) {
        await stream.iq.set(buildAvatarMetadataDisable()).catch((err: unknown) => {
          this.#ctx.log.info('avatar', `${this.#ctx.id}: could not clear the PEP avatar`, err);
        });
        const rest: Vcard = { ...card };
        delete rest.photo;
        await stream.iq.set(buildVcardSet(rest, this.#ownCard));
        await this.#fetchOwnCard(stream);
        this.onOwnPhoto(null);
        return undefined;
      }
      const bytes = Buffer.from(base64, 'base64');
      const prepared = prepareAvatar(bytes);
      if (!prepared.ok)
        throw new CoreError(
          'bad-request',
          `This picture cannot be used (${prepared.reason}): use a PNG, JPEG, GIF or WebP.`,
        );
      const avatar = prepared.avatar;
      await this.#ctx.avatars.put(avatar.id, avatar.data);
      await stream.iq.set(buildVcardSet({ ...card, photo: { type: avatar.type, data: avatar.data } }, this.#ownCard));
      await this.#fetchOwnCard(stream);
      try {
        await stream.iq.set(buildAvatarDataPublish(avatar, 'presence'));
        await stream.iq.set(buildAvatarMetadataPublish(avatar, 'presence'));
      } catch (err) {
        this.#ctx.log.info('avatar', `${this.#ctx.id}: could not publish the avatar on PEP`, err);
      }
      this.onOwnPhoto(avatar.id);
      return avatar.id;
    } catch (err) {
      throw queryError(err, 'Publishing your picture');
    }
  }

  async avatarDataUrl(hash: string): Promise<string> {
    const cached = await this.#ctx.avatars.get(hash);
    if (!cached) throw new CoreError('not-found', 'This picture is not cached.');
    return `data:${cached.type};base64,${cached.data.toString('base64')}`;
  }

  #setAvatar(bare: string, hash: string | undefined): void {
    const item = this.#ctx.repos.contacts.get(this.#ctx.id, bare);
    if (!item || item.avatar === hash) return;
    this.#ctx.repos.contacts.setAvatar(this.#ctx.id, bare, hash);
    this.#ctx.contactsChanged([bare]);
  }

  /** PEP events in a message (avatar metadata, nickname); true when it was one. */
  onPepMessage(stanza: Element): boolean {
    const avatar = parseAvatarMetadataEvent(stanza);
    if (avatar) {
      if (avatar.jid !== this.#ctx.id) void this.#onAvatarMetadata(avatar.jid, avatar.metadata);
      return true;
    }
    const nick = parseNickEvent(stanza);
    if (nick) {
      const item = this.#ctx.repos.contacts.get(this.#ctx.id, nick.jid);
      if (item && item.nick !== nick.nick) {
        this.#ctx.repos.contacts.setNick(this.#ctx.id, nick.jid, nick.nick);
        this.#ctx.contactsChanged([nick.jid]);
      }
      return true;
    }
    return false;
  }

  async #onAvatarMetadata(
    bare: string,
    metadata: NonNullable<ReturnType<typeof parseAvatarMetadataEvent>>['metadata'],
  ): Promise<void> {
    if (metadata.kind === 'removed') {
      this.#setAvatar(bare, undefined);
      return;
    }
    if (metadata.kind !== 'avatar') return;
    const id = metadata.info.id;
    if (await this.#ctx.avatars.has(id)) {
      this.#setAvatar(bare, id);
      return;
    }
    const stream = this.#ctx.stream();
    if (!stream) return;
    try {
      const pubsub = await stream.iq.get(buildAvatarDataRequest(id), bare, QUERY_TIMEOUT_MS);
      const data = parseAvatarData(pubsub, id);
      if (!data.ok) {
        this.#ctx.log.info('avatar', `${this.#ctx.id}: ${bare}'s avatar was refused (${data.reason})`);
        return;
      }
      const put = await this.#ctx.avatars.put(id, data.data);
      if (put.ok) this.#setAvatar(bare, id);
    } catch (err) {
      this.#ctx.log.info('avatar', `${this.#ctx.id}: could not fetch ${bare}'s avatar`, err);
    }
  }

  /** XEP-0153: the photo hash in a contact's presence. */
  onPresence(stanza: Element, bare: string): void {
    const update = parseVcardUpdate(stanza);
    if (!update || update.kind === 'not-ready' || bare === this.#ctx.id) return;
    const item = this.#ctx.repos.contacts.get(this.#ctx.id, bare);
    if (!item) return;
    if (update.kind === 'none') {
      this.#setAvatar(bare, undefined);
      return;
    }
    if (item.avatar === update.hash || this.#fetching.has(bare)) return;
    void this.#fetchVcardPhoto(bare, update.hash);
  }

  async #fetchVcardPhoto(bare: string, hash: string): Promise<void> {
    this.#fetching.add(bare);
    try {
      if (await this.#ctx.avatars.has(hash)) {
        this.#setAvatar(bare, hash);
        return;
      }
      const card = await this.contactVcard(bare);
      const photo = card?.photo;
      if (!photo) return;
      const put = await this.#ctx.avatars.put(hash, photo.data);
      if (put.ok) this.#setAvatar(bare, hash);
      else this.#ctx.log.info('avatar', `${this.#ctx.id}: ${bare}'s vCard photo was refused (${put.reason})`);
    } catch (err) {
      this.#ctx.log.info('avatar', `${this.#ctx.id}: could not fetch ${bare}'s vCard photo`, err);
    } finally {
      this.#fetching.delete(bare);
    }
  }

  // --- the server's services: directory (XEP-0055) and gateways (XEP-0100) ------------------

  async #discoverServer(stream: XmppStream): Promise<{ items: DiscoItem[]; infos: Map<string, DiscoInfo> }> {
    if (this.#serverItems) return this.#serverItems;
    const domain = parse(this.#ctx.id)?.domain ?? '';
    const infos = new Map<string, DiscoInfo>();
    let items: DiscoItem[];
    try {
      const el = await stream.iq.get(buildDiscoItemsQuery(), domain, QUERY_TIMEOUT_MS);
      items = (el && parseDiscoItems(el)?.items) ?? [];
    } catch (err) {
      throw queryError(err, 'Discovering the services of your server');
    }
    const all: DiscoItem[] = [{ jid: domain }, ...items];
    await Promise.all(
      all.map(async (item) => {
        try {
          const el = await stream.iq.get(buildDiscoInfoQuery(item.node), item.jid, QUERY_TIMEOUT_MS);
          const info = el && parseDiscoInfo(el);
          if (info) infos.set(discoKey(item.jid, item.node), info);
        } catch {
          // a service that does not answer is left out
        }
      }),
    );
    this.#serverItems = { items: all, infos };
    return this.#serverItems;
  }

  async directoryForm(service?: string): Promise<{ service: string; instructions?: string; fields: FormField[] }> {
    const stream = this.#ctx.online('Searching the directory');
    let jid = service;
    if (!jid) {
      const { items, infos } = await this.#discoverServer(stream);
      jid = findSearchService(items, infos)[0]?.jid;
      if (!jid) throw new CoreError('not-supported', 'Your server has no user directory.');
    }
    let form: SearchForm | undefined;
    try {
      const el = await stream.iq.get(buildSearchFormRequest(), jid, QUERY_TIMEOUT_MS);
      form = el && parseSearchForm(el);
    } catch (err) {
      throw queryError(err, 'Opening the directory');
    }
    if (!form) throw new CoreError('not-supported', 'The directory sent no search form.');
    this.#searchForms.set(jid, form);
    return {
      service: jid,
      ...(form.instructions ? { instructions: form.instructions } : {}),
      fields: form.fields.filter((f) => f.type !== 'hidden'),
    };
  }

  async directorySearch(service: string, values: Record<string, string>): Promise<SearchResults> {
    const stream = this.#ctx.online('Searching the directory');
    const form = this.#searchForms.get(service);
    if (!form) throw new CoreError('bad-request', 'Open the directory’s search form first.');
    let el: Element | undefined;
    try {
      el = await stream.iq.set(buildSearchSubmit(form, values), service, QUERY_TIMEOUT_MS);
    } catch (err) {
      throw queryError(err, 'Searching the directory');
    }
    const results = el && parseSearchResults(el);
    return results ?? { columns: [], rows: [], truncated: false };
  }

  async listGateways(): Promise<GatewayInfo[]> {
    const stream = this.#ctx.online('Finding gateways');
    const { items, infos } = await this.#discoverServer(stream);
    const found = findGateways(items, infos);
    for (const g of found) this.gateways.add(g.jid);
    return found.map((g) => ({
      ...g,
      registered: this.#ctx.repos.contacts.get(this.#ctx.id, g.jid) !== undefined,
    }));
  }

  async gatewayForm(gateway: string): Promise<{ instructions?: string; fields: FormField[]; registered: boolean }> {
    const stream = this.#ctx.online('Opening the gateway');
    let form: RegistrationFormData | undefined;
    try {
      const el = await stream.iq.get(buildRegistrationQuery(), gateway, QUERY_TIMEOUT_MS);
      form = el && parseRegistrationForm(el);
    } catch (err) {
      throw queryError(err, 'Opening the gateway');
    }
    if (!form) throw new CoreError('not-supported', 'The gateway sent no registration form.');
    this.gateways.add(gateway);
    this.#gatewayForms.set(gateway, form);
    return {
      ...(form.instructions ? { instructions: form.instructions } : {}),
      fields: visibleFields(form),
      registered: form.registered,
    };
  }

  async gatewayRegister(gateway: string, values: Record<string, string>): Promise<void> {
    const stream = this.#ctx.online('Registering with the gateway');
    const form = this.#gatewayForms.get(gateway);
    if (!form) throw new CoreError('bad-request', 'Open the gateway’s form first.');
    const problem = checkValues(form, values);
    if (problem) throw new CoreError('bad-request', problem);
    try {
      await stream.iq.set(buildRegistrationSubmit(form, values), gateway, QUERY_TIMEOUT_MS);
    } catch (err) {
      throw queryError(err, 'Registering with the gateway');
    }
  }

  async gatewayUnregister(gateway: string): Promise<void> {
    const stream = this.#ctx.online('Leaving the gateway');
    try {
      await stream.iq.set(buildRemove(), gateway, QUERY_TIMEOUT_MS);
    } catch (err) {
      throw queryError(err, 'Leaving the gateway');
    }
    // Its contacts and itself leave the roster too.
    const gone = this.#ctx.repos.contacts
      .list(this.#ctx.id)
      .filter((c) => c.jid === gateway || parse(c.jid)?.domain === gateway);
    for (const c of gone) await stream.iq.set(buildRosterRemove(c.jid)).catch(() => undefined);
  }
}

/** Drops undefined values (the contract's optional fields may carry them). */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

function fromContract(v: ContractVcard): Vcard {
  const { emails, phones, addresses, organisation, ...rest } = v;
  const org = organisation ? clean(organisation) : undefined;
  return {
    ...(clean(rest) as Omit<Vcard, 'emails' | 'phones' | 'addresses' | 'organisation' | 'photo'>),
    ...(org && Object.keys(org).length > 0 ? { organisation: org as NonNullable<Vcard['organisation']> } : {}),
    emails: emails.filter((e) => e.address.trim()).map((e) => clean(e) as Vcard['emails'][number]),
    phones: phones.filter((p) => p.number.trim()).map((p) => clean(p) as Vcard['phones'][number]),
    addresses: addresses.map((a) => clean(a) as Vcard['addresses'][number]).filter((a) => Object.keys(a).length > 0),
  };
}

export function toContract(v: Vcard): ContractVcard {
  const rest: Vcard = { ...v };
  delete rest.photo;
  return rest;
}

/**
 * XEP-0077 In-Band Registration, with XEP-0004 data forms, XEP-0158 CAPTCHA
 * forms and XEP-0231 bits of binary (the CAPTCHA image).
 *
 * Pure parsers and builders (never throwing on hostile input), the mapping
 * of the server's errors to clear sentences, and the two requests a
 * signed-in account makes: change its password, delete itself.
 * The pre-authentication session (ask for the form, submit it) lives in
 * accounts/registration.ts.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { FormField as FormFieldSchema, type ErrorCode, type FormField } from '../../../preload/contract.ts';
import { CoreError } from '../errors.ts';
import { parse } from './jid.ts';

export const NS_REGISTER = 'jabber:iq:register';
/** Stream feature: the server takes registrations on this stream (before authentication). */
export const NS_REGISTER_FEATURE = 'http://jabber.org/features/iq-register';
export const NS_DATA = 'jabber:x:data';
export const NS_CAPTCHA = 'urn:xmpp:captcha';
export const NS_MEDIA = 'urn:xmpp:media-element';
export const NS_BOB = 'urn:xmpp:bob';
export const NS_OOB = 'jabber:x:oob';

/** The largest CAPTCHA image we accept (decoded bytes). */
export const MAX_MEDIA_BYTES = 64 * 1024;
const MAX_FIELDS = 100;
const MAX_OPTIONS = 200;
const MAX_LABEL = 500;
const MAX_TEXT = 4096;
const MAX_ERROR_TEXT = 300;
/** Images a browser decodes safely from a data: URI. Never SVG (it is a document, with scripts). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** XEP-0077 §14.2: the legacy fields, with the English label we show for each. */
export const LEGACY_FIELDS: Readonly<Record<string, { label: string; private?: true; hidden?: true }>> = {
  username: { label: 'Username' },
  password: { label: 'Password', private: true },
  nick: { label: 'Nickname' },
  name: { label: 'Full name' },
  first: { label: 'Given name' },
  last: { label: 'Family name' },
  email: { label: 'Email' },
  address: { label: 'Street' },
  city: { label: 'City' },
  state: { label: 'State or region' },
  zip: { label: 'Postal code' },
  phone: { label: 'Telephone' },
  url: { label: 'Web page' },
  date: { label: 'Birth date' },
  misc: { label: 'Other information' },
  text: { label: 'Comment' },
  /** An obsolete session key the server wants back: echoed, never shown. */
  key: { label: 'Key', hidden: true },
};

/** The field types the contract knows (its schema is the one list). */
const FIELD_TYPES = new Set<FormField['type']>(FormFieldSchema.shape.type.options);

/** A media reference still to resolve: `cid:` of a field's CAPTCHA image not carried in the same stanza. */
export interface PendingMedia {
  var: string;
  cid: string;
}

export interface RegistrationFormData {
  /** Which way the answer goes back: the legacy child elements, or a submitted data form. */
  kind: 'legacy' | 'data-form';
  /** The server's text (the data form's first, else the query's); untrusted, text only. */
  instructions?: string;
  /** Every field, hidden ones included (their values are echoed on submit). */
  fields: FormField[];
  /** The data form's FORM_TYPE (jabber:iq:register, urn:xmpp:captcha, …). */
  formType?: string;
  /** The form carries a CAPTCHA (XEP-0158). */
  captcha: boolean;
  /** CAPTCHA images to fetch by XEP-0231 (not in the stanza). */
  pendingMedia: PendingMedia[];
  /** XEP-0066 address of the server's web sign-up, if it gave one. */
  url?: string;
  /** The account exists already (only meaningful on an authenticated stream). */
  registered: boolean;
}

// --- text hygiene ---------------------------------------------------------

/** C0 controls but tab and newline, DEL, and the bidirectional overrides that can disguise text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Server text is untrusted: no control characters (but newlines and tabs), trimmed, bounded. */
export function cleanText(value: string, max = MAX_TEXT): string {
  return value.replace(UNSAFE_CHARS, '').trim().slice(0, max);
}

function attr(el: Element, name: string): string | undefined {
  const value: unknown = el.attrs[name];
  return typeof value === 'string' ? value : undefined;
}

// --- XEP-0231: bits of binary -------------------------------------------

export type MediaResult = { ok: true; uri: string } | { ok: false; reason: 'type' | 'size' | 'encoding' | 'content' };

/** Magic numbers: the bytes must be the image they claim to be. */
function looksLike(type: string, bytes: Buffer): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  switch (type) {
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/gif':
      return starts(0x47, 0x49, 0x46, 0x38);
    case 'image/webp':
      return starts(0x52, 0x49, 0x46, 0x46) && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
    default:
      return false;
  }
}

/**
 * An XEP-0231 `<data xmlns='urn:xmpp:bob' cid=… type=…>base64</data>` as a data: URI,
 * or why not: not an image we render, over 64 KiB, not base64, or not the image it claims.
 */
export function bobToDataUri(data: Element): MediaResult {
  const type = (attr(data, 'type') ?? '').trim().toLowerCase();
  if (!IMAGE_TYPES.has(type)) return { ok: false, reason: 'type' };
  const encoded = data.text().replace(/\s+/gu, '');
  // Judge the size before decoding anything: 4 base64 characters carry 3 bytes.
  if (encoded.length > Math.ceil(MAX_MEDIA_BYTES / 3) * 4) return { ok: false, reason: 'size' };
  if (encoded.length === 0 || encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/u.test(encoded))
    return { ok: false, reason: 'encoding' };
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length > MAX_MEDIA_BYTES) return { ok: false, reason: 'size' };
  if (!looksLike(type, bytes)) return { ok: false, reason: 'content' };
  return { ok: true, uri: `data:${type};base64,${bytes.toString('base64')}` };
}

/** XEP-0231 §3.2: ask for the data behind a cid. */
export function buildBobRequest(cid: string): Element {
  return xml('data', { xmlns: NS_BOB, cid });
}

/** The `<data>` elements carried next to the form: in the query (ejabberd) or in the stanza around it. */
function bobIndex(query: Element): Map<string, Element> {
  const index = new Map<string, Element>();
  const scopes = [query, ...(query.parent ? [query.parent] : [])];
  for (const scope of scopes) {
    for (const data of scope.getChildren('data', NS_BOB)) {
      const cid = attr(data, 'cid');
      if (cid && !index.has(cid)) index.set(cid, data);
    }
  }
  return index;
}

/** The `cid:` of a field's media element, for an image type we render (XEP-0221 `<uri type=…>cid:…</uri>`). */
function mediaCid(field: Element): string | undefined {
  const media = field.getChild('media', NS_MEDIA);
  if (!media) return undefined;
  for (const uri of media.getChildren('uri')) {
    const type = (attr(uri, 'type') ?? '').trim().toLowerCase();
    const text = uri.text().trim();
    if (IMAGE_TYPES.has(type) && /^cid:/iu.test(text) && text.length <= 300) return text.slice(4);
  }
  return undefined;
}

// --- XEP-0004: data forms -------------------------------------------------

function fieldType(value: string | undefined): FormField['type'] {
  if (value === undefined || value === '') return 'text-single';
  if (value === 'jid-multi') return 'text-multi';
  return FIELD_TYPES.has(value as FormField['type']) ? (value as FormField['type']) : 'text-single';
}

interface ParsedDataForm {
  fields: FormField[];
  pending: PendingMedia[];
  formType?: string;
  instructions?: string;
}

/** An XEP-0004 form (`<x xmlns='jabber:x:data' type='form'>`) as fields; CAPTCHA images resolved from `bob`. */
export function parseDataForm(form: Element, bob: ReadonlyMap<string, Element> = new Map()): ParsedDataForm {
  const fields: FormField[] = [];
  const pending: PendingMedia[] = [];
  const seen = new Set<string>();
  let formType: string | undefined;
  let fixedCount = 0;
  for (const field of form.getChildren('field').slice(0, MAX_FIELDS * 2)) {
    if (fields.length >= MAX_FIELDS) break;
    const type = fieldType(attr(field, 'type'));
    let name = cleanText(attr(field, 'var') ?? '', 200);
    if (name === '') {
      if (type !== 'fixed') continue; // a field without a name cannot be answered
      name = `#fixed-${String(++fixedCount)}`;
    }
    if (seen.has(name)) continue;
    seen.add(name);
    const values = field.getChildren('value').map((v) => cleanText(v.text()));
    if (name === 'FORM_TYPE') {
      formType = values[0];
      continue;
    }
    const label = cleanText(attr(field, 'label') ?? '', MAX_LABEL) || (type === 'fixed' ? (values[0] ?? '') : name);
    const multi = type === 'text-multi' || type === 'list-multi';
    const value = multi ? values.join('\n') : values[0];
    const out: FormField = { var: name, type, label, required: field.getChild('required') !== undefined };
    if (value !== undefined && value !== '') out.value = value.slice(0, MAX_TEXT);
    if (type === 'list-single' || type === 'list-multi') {
      out.options = field
        .getChildren('option')
        .slice(0, MAX_OPTIONS)
        .flatMap((o) => {
          const v = o.getChildText('value');
          if (v === null) return [];
          const optionValue = cleanText(v, 1024);
          return [{ label: cleanText(attr(o, 'label') ?? '', MAX_LABEL) || optionValue, value: optionValue }];
        });
    }
    const cid = mediaCid(field);
    if (cid !== undefined) {
      const data = bob.get(cid);
      const resolved = data ? bobToDataUri(data) : undefined;
      if (resolved?.ok) out.media = resolved.uri;
      else if (!data) pending.push({ var: name, cid });
    }
    fields.push(out);
  }
  const instructions = form
    .getChildren('instructions')
    .map((i) => cleanText(i.text()))
    .filter(Boolean)
    .join('\n');
  return { fields, pending, ...(formType ? { formType } : {}), ...(instructions ? { instructions } : {}) };
}

// --- XEP-0077: the registration query -------------------------------------

/** `<query xmlns='jabber:iq:register'/>`: asks for the form (iq get), before or after signing in. */
export function buildRegistrationQuery(): Element {
  return xml('query', { xmlns: NS_REGISTER });
}

/**
 * The answer to a registration get, as a form: the data form when there is
 * one (XEP-0077 §6 says to prefer it), else the legacy fields.
 * Undefined when it is not a registration query at all.
 */
export function parseRegistrationForm(query: Element): RegistrationFormData | undefined {
  if (!query.is('query', NS_REGISTER)) return undefined;
  const queryInstructions = cleanText(query.getChildText('instructions') ?? '');
  const oob = query.getChild('x', NS_OOB)?.getChildText('url');
  const url = oob ? cleanText(oob, 2048) : undefined;
  const registered = query.getChild('registered') !== undefined;
  const common = { registered, ...(url && /^https?:\/\//iu.test(url) ? { url } : {}) };

  const form = query.getChildren('x', NS_DATA).find((x) => (attr(x, 'type') ?? 'form') === 'form');
  if (form) {
    const parsed = parseDataForm(form, bobIndex(query));
    const instructions = parsed.instructions ?? queryInstructions;
    return {
      kind: 'data-form',
      fields: parsed.fields,
      captcha:
        parsed.formType === NS_CAPTCHA || parsed.fields.some((f) => f.media !== undefined) || parsed.pending.length > 0,
      pendingMedia: parsed.pending,
      ...(parsed.formType ? { formType: parsed.formType } : {}),
      ...(instructions ? { instructions } : {}),
      ...common,
    };
  }

  const fields: FormField[] = [];
  for (const child of query.getChildElements()) {
    const known = Object.hasOwn(LEGACY_FIELDS, child.name) ? LEGACY_FIELDS[child.name] : undefined;
    if (!known || child.getNS() !== NS_REGISTER || fields.some((f) => f.var === child.name)) continue;
    const value = cleanText(child.text());
    fields.push({
      var: child.name,
      type: known.hidden ? 'hidden' : known.private ? 'text-private' : 'text-single',
      label: known.label,
      // XEP-0077 legacy fields carry no "required": the server asks for the ones it needs.
      required: child.name === 'username' || child.name === 'password',
      ...(value && child.name !== 'password' ? { value } : {}),
    });
  }
  return {
    kind: 'legacy',
    fields,
    captcha: false,
    pendingMedia: [],
    ...(queryInstructions ? { instructions: queryInstructions } : {}),
    ...common,
  };
}

/** Attaches a CAPTCHA image fetched by XEP-0231 to its field; the form unchanged when the data is unusable. */
export function withMedia(form: RegistrationFormData, fieldVar: string, data: Element): RegistrationFormData {
  const result = bobToDataUri(data);
  return {
    ...form,
    pendingMedia: form.pendingMedia.filter((p) => p.var !== fieldVar),
    fields: result.ok ? form.fields.map((f) => (f.var === fieldVar ? { ...f, media: result.uri } : f)) : form.fields,
  };
}

/** What the user sees: every field but the hidden ones (which the core echoes itself). */
export function visibleFields(form: RegistrationFormData): FormField[] {
  return form.fields.filter((f) => f.type !== 'hidden');
}

const truthy = (v: string) => v === 'true' || v === '1';

/**
 * Checks the user's answers against the form: every required field filled,
 * list choices among the options, nothing too long. Returns a sentence
 * (naming the field by its label) or undefined when all is well.
 */
export function checkValues(form: RegistrationFormData, values: Readonly<Record<string, string>>): string | undefined {
  for (const field of visibleFields(form)) {
    if (field.type === 'fixed') continue;
    const value = Object.hasOwn(values, field.var) ? values[field.var] : undefined;
    if (value !== undefined && value.length > MAX_TEXT) return `“${field.label}” is too long.`;
    const given = value ?? field.value ?? '';
    // A boolean always has an answer (unticked is "0").
    if (field.required && field.type !== 'boolean' && given.trim() === '') return `Fill in “${field.label}”.`;
    if (field.options && field.options.length > 0 && given !== '') {
      const allowed = new Set(field.options.map((o) => o.value));
      const chosen = field.type === 'list-multi' ? given.split('\n') : [given];
      if (chosen.some((c) => !allowed.has(c))) return `Choose one of the offered values for “${field.label}”.`;
    }
  }
  return undefined;
}

/**
 * The registration set: legacy child elements, or a submitted data form
 * echoing FORM_TYPE and the hidden fields exactly as the server sent them.
 * Unknown keys in `values` are ignored; hidden and fixed fields cannot be overridden.
 */
export function buildRegistrationSubmit(form: RegistrationFormData, values: Readonly<Record<string, string>>): Element {
  const valueOf = (field: FormField): string | undefined => {
    if (field.type === 'hidden' || field.type === 'fixed') return field.value;
    return Object.hasOwn(values, field.var) ? values[field.var] : field.value;
  };
  const query = xml('query', { xmlns: NS_REGISTER });
  if (form.kind === 'legacy') {
    for (const field of form.fields) {
      const value = valueOf(field);
      if (value !== undefined && value !== '') query.append(xml(field.var, {}, value));
    }
    return query;
  }
  const x = xml('x', { xmlns: NS_DATA, type: 'submit' });
  if (form.formType !== undefined)
    x.append(xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, form.formType)));
  for (const field of form.fields) {
    if (field.type === 'fixed') continue;
    const value = valueOf(field) ?? (field.type === 'boolean' ? '0' : undefined);
    if (value === undefined) continue;
    let list: string[];
    if (field.type === 'boolean') list = [truthy(value) ? '1' : '0'];
    else if (field.type === 'text-multi' || field.type === 'list-multi')
      list = value === '' ? [] : value.split('\n').map((line) => line.replace(/\r$/u, ''));
    else list = [value];
    if (list.every((v) => v === '')) continue;
    x.append(xml('field', { var: field.var }, ...list.map((v) => xml('value', {}, v))));
  }
  query.append(x);
  return query;
}

// --- signed in: password change and removal (XEP-0077 §3.2, §3.3) ---------

/** `<query><username/><password/></query>`: sets a new password for the signed-in account. */
export function buildPasswordChange(username: string, password: string): Element {
  return xml('query', { xmlns: NS_REGISTER }, xml('username', {}, username), xml('password', {}, password));
}

/** `<query><remove/></query>`: deletes the signed-in account on the server. */
export function buildRemove(): Element {
  return xml('query', { xmlns: NS_REGISTER }, xml('remove'));
}

/** What these functions need of a signed-in stream: `XmppStream` from entity.ts has it. */
export interface IqSetter {
  iq: { set(element: Element, to?: string, timeout?: number): Promise<Element | undefined> };
}

/**
 * Changes the signed-in account's password on its server. `jid` is the
 * account's bare JID. Resolves once the server confirmed; rejects with a
 * CoreError saying why not (nothing changed then).
 */
export async function changePassword(
  stream: IqSetter,
  jid: string,
  newPassword: string,
  timeoutMs?: number,
): Promise<void> {
  const parsed = parse(jid);
  if (!parsed?.local) throw new CoreError('bad-request', `"${jid}" is not a valid address.`);
  if (newPassword === '') throw new CoreError('bad-request', 'Enter a new password.');
  try {
    await stream.iq.set(buildPasswordChange(parsed.local, newPassword), parsed.domain, timeoutMs);
  } catch (err) {
    throw registrationError(err, 'password');
  }
}

/**
 * The typed confirmation must repeat the account's address (any case, spaces
 * around ignored). Throws 'bad-request' otherwise; nothing is sent.
 */
export function checkDeleteConfirmation(jid: string, confirmation: string): void {
  const account = parse(jid)?.bare;
  const typed = parse(confirmation.trim());
  if (account === undefined || typed?.resource !== '' || typed.bare !== account)
    throw new CoreError('bad-request', `Type the account's address (${jid}) exactly to confirm.`);
}

/**
 * Deletes the signed-in account on its server, after checking the typed
 * confirmation. The server usually closes the stream right after its answer.
 */
export async function deleteAccount(
  stream: IqSetter,
  jid: string,
  confirmation: string,
  timeoutMs?: number,
): Promise<void> {
  checkDeleteConfirmation(jid, confirmation);
  const domain = parse(jid)?.domain;
  try {
    await stream.iq.set(buildRemove(), domain, timeoutMs);
  } catch (err) {
    throw registrationError(err, 'remove');
  }
}

// --- errors -----------------------------------------------------------------

export interface StanzaErrorInfo {
  condition: string;
  type?: string;
  text?: string;
  /** A data form in the error (XEP-0077 §3.3: the server wants more, e.g. the old password). */
  form?: Element;
}

/** The `<error/>` of an error stanza (or an `<error/>` itself). */
export function parseStanzaError(stanza: Element): StanzaErrorInfo | undefined {
  const error = stanza.is('error') ? stanza : stanza.getChild('error');
  if (!error) return undefined;
  const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
  const condition = error.getChildElements().find((c) => c.getNS() === NS_STANZAS && c.name !== 'text')?.name;
  if (!condition) return undefined;
  const text = error.getChildText('text', NS_STANZAS);
  const type = attr(error, 'type');
  const form = stanza.getChild('query', NS_REGISTER)?.getChild('x', NS_DATA);
  return {
    condition,
    ...(type ? { type } : {}),
    ...(text?.trim() ? { text: cleanText(text, MAX_ERROR_TEXT) } : {}),
    ...(form ? { form } : {}),
  };
}

/** A StanzaError from xmpp.js's iq caller (or anything shaped like one). */
function errorInfo(err: unknown): StanzaErrorInfo | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { name, condition, text, element } = err as {
    name?: unknown;
    condition?: unknown;
    text?: unknown;
    element?: unknown;
  };
  if (name !== 'StanzaError' || typeof condition !== 'string') return undefined;
  const parent = (element as { parent?: Element | null } | undefined)?.parent ?? undefined;
  const form = parent?.getChild('query', NS_REGISTER)?.getChild('x', NS_DATA);
  return {
    condition,
    ...(typeof text === 'string' && text.trim() ? { text: cleanText(text, MAX_ERROR_TEXT) } : {}),
    ...(form ? { form } : {}),
  };
}

export type RegistrationContext = 'register' | 'password' | 'remove';

const with_ = (sentence: string, text: string | undefined) =>
  text ? `${sentence} The server said: “${text}”` : sentence;

/**
 * Any failure of a registration request as one CoreError with a clear
 * sentence: a stanza error (by condition), a timeout, or a lost connection.
 * The server's own text is quoted where it helps; it is plain text.
 */
export function registrationError(err: unknown, context: RegistrationContext = 'register'): CoreError {
  if (err instanceof CoreError) return err;
  const info = errorInfo(err);
  if (!info) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError')
      return new CoreError(
        'timeout',
        context === 'remove'
          ? 'The server did not answer in time; the account may or may not have been deleted.'
          : 'The server did not answer in time. Try again.',
        { cause: err },
      );
    return new CoreError('network', 'The connection to the server was lost. Try again.', { cause: err });
  }
  return stanzaErrorToCore(info, context, err);
}

const WHAT: Record<RegistrationContext, string> = {
  register: 'creating accounts',
  password: 'changing the password',
  remove: 'deleting accounts',
};

export function stanzaErrorToCore(info: StanzaErrorInfo, context: RegistrationContext, cause?: unknown): CoreError {
  const { condition, text } = info;
  const make = (code: ErrorCode, message: string) =>
    new CoreError(code, message, cause === undefined ? undefined : { cause });
  switch (condition) {
    case 'conflict':
      return make('registration-conflict', 'That address is taken.');
    case 'not-acceptable':
      return make(
        'not-acceptable',
        text
          ? `The server did not accept this: ${text}`
          : 'The server did not accept these details. Check them and try again.',
      );
    case 'jid-malformed':
      return make('not-acceptable', with_('That username is not valid on this server.', text));
    case 'not-allowed':
      return make('not-allowed', with_(`This server does not allow ${WHAT[context]} from Parley.`, text));
    case 'registration-required':
    case 'service-unavailable':
    case 'feature-not-implemented':
      return make('not-allowed', with_(`This server does not offer ${WHAT[context]} from Parley.`, text));
    case 'forbidden':
      return make('not-allowed', with_(`The server refused ${WHAT[context]} from here.`, text));
    case 'not-authorized':
      return make(
        'not-allowed',
        info.form
          ? 'The server wants more details (such as the current password) than Parley can send. Use its website instead.'
          : with_('The server did not authorize this request.', text),
      );
    case 'policy-violation':
    case 'resource-constraint':
      return make('policy-violation', with_('The server is limiting such requests right now. Try again later.', text));
    case 'bad-request':
      return make('bad-request', with_('The server could not understand the request.', text));
    case 'internal-server-error':
    case 'remote-server-timeout':
    case 'remote-server-not-found':
      return make('internal', with_('The server ran into a problem. Try again later.', text));
    default:
      return make('internal', with_(`The server refused the request (${cleanText(condition, 60)}).`, text));
  }
}

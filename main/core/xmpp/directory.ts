/**
 * XEP-0055 Jabber Search (jabber:iq:search): find the server's user directory, fetch its
 * form (the legacy fields, or an XEP-0004 data form), submit it, and read the results
 * (legacy `<item/>`s or a data form's result table) as columns and rows, each row with
 * the user's JID so that it can be added. Pure; parsers never throw on hostile input.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { FormField } from '../../../preload/contract.ts';
import { CoreError } from '../errors.ts';
import { buildSubmitForm, NS_DATA, parseResultTable } from './data-form.ts';
import { discoKey, hasFeature, hasIdentity, type DiscoInfo, type DiscoItem } from './disco.ts';
import { parse } from './jid.ts';
import { cleanText, parseDataForm } from './register.ts';

export const NS_SEARCH = 'jabber:iq:search';

/** At most this many result rows are read. */
export const MAX_ROWS = 500;
const MAX_COLUMNS = 50;
const MAX_TEXT = 4096;
const MAX_NAME = 256;

/** XEP-0055 §2: the legacy search fields, in the order we show them, with their English labels. */
export const LEGACY_SEARCH_FIELDS: Readonly<Record<'first' | 'last' | 'nick' | 'email', string>> = {
  first: 'Given name',
  last: 'Family name',
  nick: 'Nickname',
  email: 'Email',
};
const LEGACY_NAMES = Object.keys(LEGACY_SEARCH_FIELDS) as (keyof typeof LEGACY_SEARCH_FIELDS)[];

function attr(el: Element, name: string): string | undefined {
  const value: unknown = el.attrs[name];
  return typeof value === 'string' ? value : undefined;
}

// --- finding the service ---------------------------------------------------------

export interface SearchService {
  jid: string;
  node?: string;
  /** The service's name (its identity's, else the item's), cleaned. */
  name?: string;
}

/**
 * The search services among a server's disco#items, given their disco#info answers
 * (keyed by `discoKey(jid, node)`; items without an answer are skipped): those with the
 * jabber:iq:search feature, user directories (identity directory/user) first. Openfire's
 * is `search.<domain>`; pass the server's own JID as an item too if it may answer itself.
 */
export function findSearchService(items: readonly DiscoItem[], infos: ReadonlyMap<string, DiscoInfo>): SearchService[] {
  const found: { service: SearchService; directory: boolean }[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = discoKey(item.jid, item.node);
    const info = infos.get(key);
    if (!info || seen.has(key) || !hasFeature(info, NS_SEARCH)) continue;
    seen.add(key);
    const identityName = info.identities.find((i) => i.name !== undefined)?.name;
    const name = cleanText(identityName ?? item.name ?? '', MAX_NAME);
    found.push({
      service: { jid: item.jid, ...(item.node !== undefined ? { node: item.node } : {}), ...(name ? { name } : {}) },
      directory: hasIdentity(info, 'directory', 'user'),
    });
  }
  // A stable sort: the server's order within each group.
  return found.sort((a, b) => Number(b.directory) - Number(a.directory)).map((f) => f.service);
}

// --- the form -------------------------------------------------------------------------

export interface SearchForm {
  /** Which way the answer goes back: legacy child elements, or a submitted data form. */
  kind: 'legacy' | 'data-form';
  /** The service's text; untrusted, plain text. */
  instructions?: string;
  fields: FormField[];
  formType?: string;
}

/** `<query xmlns='jabber:iq:search'/>` (iq get to the service): asks for the form. */
export function buildSearchFormRequest(): Element {
  return xml('query', { xmlns: NS_SEARCH });
}

/**
 * The service's search form: its data form when it has one (XEP-0055 §3), else the legacy
 * fields it offers among first, last, nick and email. Undefined when it is no search query.
 */
export function parseSearchForm(query: Element): SearchForm | undefined {
  if (!query.is('query', NS_SEARCH)) return undefined;
  const queryInstructions = cleanText(query.getChildText('instructions') ?? '');
  const form = query.getChildren('x', NS_DATA).find((x) => (attr(x, 'type') ?? 'form') === 'form');
  if (form) {
    const parsed = parseDataForm(form);
    const instructions = parsed.instructions ?? queryInstructions;
    return {
      kind: 'data-form',
      fields: parsed.fields,
      ...(parsed.formType ? { formType: parsed.formType } : {}),
      ...(instructions ? { instructions } : {}),
    };
  }
  const fields: FormField[] = LEGACY_NAMES.filter((name) => query.getChild(name, NS_SEARCH) !== undefined).map(
    (name) => ({ var: name, type: 'text-single', label: LEGACY_SEARCH_FIELDS[name], required: false }),
  );
  return { kind: 'legacy', fields, ...(queryInstructions ? { instructions: queryInstructions } : {}) };
}

/**
 * The search (iq set to the service): legacy child elements for the filled-in fields, or
 * the data form submitted. Throws 'bad-request' for a value that is too long, or (legacy)
 * when nothing is filled in.
 */
export function buildSearchSubmit(form: SearchForm, values: Readonly<Record<string, string>>): Element {
  for (const field of form.fields) {
    const value = Object.hasOwn(values, field.var) ? values[field.var] : undefined;
    if (value !== undefined && value.length > MAX_TEXT)
      throw new CoreError('bad-request', `“${field.label}” is too long.`);
  }
  const query = xml('query', { xmlns: NS_SEARCH });
  if (form.kind === 'data-form') {
    query.append(buildSubmitForm(form.fields, values, form.formType));
    return query;
  }
  for (const field of form.fields) {
    const value = Object.hasOwn(values, field.var) ? values[field.var]?.trim() : undefined;
    if (value) query.append(xml(field.var, {}, value));
  }
  if (query.children.length === 0) throw new CoreError('bad-request', 'Fill in at least one field to search.');
  return query;
}

// --- the results ---------------------------------------------------------------------------

export interface SearchColumn {
  var: string;
  label: string;
}

export interface SearchRow {
  /** The user's bare JID (rows without a valid one are left out: they could not be added). */
  jid: string;
  /** Cell text by column var (cleaned, bounded). */
  values: Record<string, string>;
}

export interface SearchResults {
  /** The columns to show, besides the JID. */
  columns: SearchColumn[];
  rows: SearchRow[];
  /** More than MAX_ROWS results (or unusable rows were dropped): the list is not complete. */
  truncated: boolean;
}

const userJid = (value: unknown): string | undefined => {
  const jid = parse(typeof value === 'string' ? value.trim() : value);
  return jid?.local ? jid.bare : undefined;
};

/** The search result `<query/>` as columns and rows; undefined when it is no search query. */
export function parseSearchResults(query: Element): SearchResults | undefined {
  if (!query.is('query', NS_SEARCH)) return undefined;
  const form = query.getChildren('x', NS_DATA).find((x) => attr(x, 'type') === 'result');
  if (form) {
    const table = parseResultTable(form, { maxRows: MAX_ROWS, maxColumns: MAX_COLUMNS + 1 });
    if (!table) return { columns: [], rows: [], truncated: false };
    const jidColumn = table.columns.find((c) => c.var === 'jid') ?? table.columns.find((c) => c.type === 'jid-single');
    const columns = table.columns
      .filter((c) => c !== jidColumn)
      .slice(0, MAX_COLUMNS)
      .map((c) => ({ var: c.var, label: c.label }));
    const shown = new Set(columns.map((c) => c.var));
    const rows: SearchRow[] = [];
    for (const record of table.rows) {
      const jid = jidColumn ? userJid(record[jidColumn.var]) : undefined;
      if (!jid) continue;
      rows.push({ jid, values: Object.fromEntries(Object.entries(record).filter(([k]) => shown.has(k))) });
    }
    return { columns, rows, truncated: table.truncated || rows.length < table.rows.length };
  }
  const items = query.getChildren('item');
  const rows: SearchRow[] = [];
  const present = new Set<string>();
  for (const item of items.slice(0, MAX_ROWS)) {
    const jid = userJid(item.attrs['jid']);
    if (!jid) continue;
    const values: Record<string, string> = {};
    for (const name of LEGACY_NAMES) {
      const text = cleanText(item.getChildText(name) ?? '', MAX_TEXT);
      if (text === '') continue;
      values[name] = text;
      present.add(name);
    }
    rows.push({ jid, values });
  }
  return {
    columns: LEGACY_NAMES.filter((n) => present.has(n)).map((n) => ({ var: n, label: LEGACY_SEARCH_FIELDS[n] })),
    rows,
    truncated: items.length > MAX_ROWS || rows.length < Math.min(items.length, MAX_ROWS),
  };
}

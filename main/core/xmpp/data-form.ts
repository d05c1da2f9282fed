/**
 * XEP-0004 data forms: the parts register.ts does not cover.
 *
 * register.ts parses a form to fill in (`parseDataForm`, type 'form') into the contract's
 * `FormField`s. Here: the raw fields of a form (exact values, for XEP-0128 extended disco
 * information, whose values are hashed by XEP-0115), a result table (§3.4: `<reported/>`
 * and `<item/>` rows, e.g. XEP-0055 search results), and a generic submit form.
 * Pure; never throws on hostile input.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { FormField } from '../../../preload/contract.ts';
import { cleanText, NS_DATA } from './register.ts';

export { NS_DATA };

const MAX_VAR = 200;
const MAX_LABEL = 500;
const MAX_CELL = 4096;
const MAX_SUBMIT_VALUE = 4096;

function attr(el: Element, name: string): string | undefined {
  const value: unknown = el.attrs[name];
  return typeof value === 'string' ? value : undefined;
}

// --- raw fields (exact values) ------------------------------------------------

export interface RawField {
  var: string;
  type?: string;
  /** The `<value/>`s' character data, exactly as sent (untrusted: clean before showing). */
  values: string[];
}

export interface RawFieldLimits {
  maxFields: number;
  maxValues: number;
  maxLength: number;
}

export interface RawFields {
  fields: RawField[];
  /** Something was over a limit or without a name and was left out: the fields are not the sender's whole form. */
  incomplete: boolean;
}

/** The fields of a form as sent, without trimming or cleaning (what a hash must see). */
export function parseRawFields(form: Element, limits: RawFieldLimits): RawFields {
  const fields: RawField[] = [];
  let incomplete = false;
  const all = form.getChildren('field');
  if (all.length > limits.maxFields) incomplete = true;
  for (const field of all.slice(0, limits.maxFields)) {
    const name = attr(field, 'var');
    if (name === undefined || name === '' || name.length > limits.maxLength) {
      incomplete = true;
      continue;
    }
    const valueEls = field.getChildren('value');
    if (valueEls.length > limits.maxValues) incomplete = true;
    const values: string[] = [];
    for (const v of valueEls.slice(0, limits.maxValues)) {
      const text = v.text();
      if (text.length > limits.maxLength) incomplete = true;
      else values.push(text);
    }
    const type = attr(field, 'type');
    fields.push({ var: name, ...(type !== undefined && type.length <= 64 ? { type } : {}), values });
  }
  return { fields, incomplete };
}

/** The FORM_TYPE of a form (XEP-0068): the first value of its FORM_TYPE field, if any. */
export function formTypeOf(form: Element): string | undefined {
  const field = form.getChildren('field').find((f) => f.attrs['var'] === 'FORM_TYPE');
  const value = field?.getChildText('value');
  return value === null || value === undefined || value === '' ? undefined : value;
}

// --- result tables (XEP-0004 §3.4) ------------------------------------------------

export interface ResultColumn {
  var: string;
  label: string;
  type?: string;
}

export interface ResultTable {
  columns: ResultColumn[];
  /** One record per `<item/>`, keyed by column var; multiple values joined by newlines. Cleaned text. */
  rows: Record<string, string>[];
  /** More rows (or columns) than the limits: the rest were left out. */
  truncated: boolean;
}

export interface ResultTableLimits {
  maxRows: number;
  maxColumns: number;
}

/**
 * A data form of type 'result' with `<reported/>` columns and `<item/>` rows. Only the
 * reported columns are read from each item (XEP-0004 §3.4: each item has exactly those);
 * undefined when the form has no `<reported/>`.
 */
export function parseResultTable(form: Element, limits: ResultTableLimits): ResultTable | undefined {
  const reported = form.getChild('reported');
  if (!reported) return undefined;
  const columns: ResultColumn[] = [];
  const seen = new Set<string>();
  let truncated = false;
  for (const field of reported.getChildren('field')) {
    const name = cleanText(attr(field, 'var') ?? '', MAX_VAR);
    if (name === '' || seen.has(name) || name === 'FORM_TYPE') continue;
    if (columns.length >= limits.maxColumns) {
      truncated = true;
      break;
    }
    seen.add(name);
    const type = attr(field, 'type');
    columns.push({
      var: name,
      label: cleanText(attr(field, 'label') ?? '', MAX_LABEL) || name,
      ...(type !== undefined && type.length <= 64 ? { type } : {}),
    });
  }
  const rows: Record<string, string>[] = [];
  const items = form.getChildren('item');
  if (items.length > limits.maxRows) truncated = true;
  for (const item of items.slice(0, limits.maxRows)) {
    const cells = new Map<string, string>();
    for (const field of item.getChildren('field')) {
      const name = cleanText(attr(field, 'var') ?? '', MAX_VAR);
      if (!seen.has(name) || cells.has(name)) continue;
      const value = field
        .getChildren('value')
        .slice(0, 100)
        .map((v) => cleanText(v.text(), MAX_CELL))
        .filter((v) => v !== '')
        .join('\n')
        .slice(0, MAX_CELL);
      cells.set(name, value);
    }
    // fromEntries defines own properties: a var named "__proto__" cannot reach the prototype.
    rows.push(Object.fromEntries(cells));
  }
  return { columns, rows, truncated };
}

// --- submitting ----------------------------------------------------------------

const truthy = (v: string) => v === 'true' || v === '1';

/**
 * `<x xmlns='jabber:x:data' type='submit'>` answering `fields` (as parsed by register.ts's
 * `parseDataForm`): FORM_TYPE echoed, hidden fields echoed exactly as the sender gave them
 * (they cannot be overridden), fixed fields left out, booleans as 1/0, multi-value fields
 * split on newlines. Unknown keys in `values` are ignored; empty answers are left out.
 */
export function buildSubmitForm(
  fields: readonly FormField[],
  values: Readonly<Record<string, string>>,
  formType?: string,
): Element {
  const x = xml('x', { xmlns: NS_DATA, type: 'submit' });
  if (formType !== undefined) x.append(xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, formType)));
  for (const field of fields) {
    if (field.type === 'fixed' || field.var === 'FORM_TYPE') continue;
    const given =
      field.type === 'hidden' ? field.value : Object.hasOwn(values, field.var) ? values[field.var] : field.value;
    const value = (given ?? (field.type === 'boolean' ? '0' : undefined))?.slice(0, MAX_SUBMIT_VALUE);
    if (value === undefined) continue;
    let list: string[];
    if (field.type === 'boolean') list = [truthy(value) ? '1' : '0'];
    else if (field.type === 'text-multi' || field.type === 'list-multi')
      list = value === '' ? [] : value.split('\n').map((line) => line.replace(/\r$/u, ''));
    else list = [value];
    if (list.every((v) => v === '')) continue;
    x.append(xml('field', { var: field.var }, ...list.map((v) => xml('value', {}, v))));
  }
  return x;
}

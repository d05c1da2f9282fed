/**
 * Languages, message tables and locale-aware formatting.
 * The language follows the Language setting (features/settings: switched live, no
 * reload); `?lang=` in the address (tests) wins over it, and "System" means
 * `navigator.language`. Any zh* becomes zh-CN, everything else English.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

type Widen<T> = T extends (...args: infer A) => string ? (...args: A) => string : string;
/** The shape every table must have: exactly the keys of `en`. */
export type Messages = { readonly [K in keyof typeof en]: Widen<(typeof en)[K]> };

export const languages = { en, 'zh-CN': zhCN } satisfies Record<string, Messages>;
export type Language = keyof typeof languages;

/** The setting's values (preload/settings.ts LanguageSetting). */
export type LanguageChoice = 'system' | Language;

export function pickLanguage(
  query: string | null,
  navigatorLanguage: string | undefined,
  setting: LanguageChoice = 'system',
): Language {
  const chosen = setting === 'system' ? undefined : setting;
  const wanted = (query ?? chosen ?? navigatorLanguage ?? 'en').toLowerCase();
  return wanted.startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * A count in a sentence by the language's plural rules (Intl.PluralRules): `forms` has
 * at least the 'other' category; Chinese has only that one, English 'one' and 'other'.
 */
export function plural(
  lang: Language,
  count: number,
  forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string },
): string {
  const form = forms[new Intl.PluralRules(lang).select(count)] ?? forms.other;
  return form.replaceAll('{n}', new Intl.NumberFormat(lang).format(count));
}

export interface I18n {
  lang: Language;
  t: Messages;
  /** "14:03" */
  time: (ms: number) => string;
  /** Full date and time, for tooltips. */
  dateTime: (ms: number) => string;
  /** Day separator: "Today", "Yesterday", else a date. */
  day: (ms: number, now?: number) => string;
  /** Short relative stamp for lists: time today, "Yesterday", weekday this week, else a date. */
  stamp: (ms: number, now?: number) => string;
  /** Locale-aware name comparison for sorting. */
  compare: (a: string, b: string) => number;
}

export function createI18n(lang: Language): I18n {
  const t = languages[lang];
  const timeFmt = new Intl.DateTimeFormat(lang, { timeStyle: 'short' });
  const fullFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'short' });
  const weekdayFmt = new Intl.DateTimeFormat(lang, { weekday: 'short' });
  const dateFmt = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short' });
  const yearFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
  const dayFmt = new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long' });
  const dayYearFmt = new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const sameYear = (a: number, b: number): boolean => new Date(a).getFullYear() === new Date(b).getFullYear();
  const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
  const DAY = 86_400_000;
  const startOfDay = (ms: number): number => new Date(ms).setHours(0, 0, 0, 0);

  return {
    lang,
    t,
    time: (ms) => timeFmt.format(ms),
    dateTime: (ms) => fullFmt.format(ms),
    stamp(ms, now = Date.now()) {
      const days = Math.round((startOfDay(now) - startOfDay(ms)) / DAY);
      if (days <= 0) return timeFmt.format(ms);
      if (days === 1) return t.yesterday;
      if (days < 7) return weekdayFmt.format(ms);
      return sameYear(ms, now) ? dateFmt.format(ms) : yearFmt.format(ms);
    },
    day(ms, now = Date.now()) {
      const days = Math.round((startOfDay(now) - startOfDay(ms)) / DAY);
      if (days === 0) return t.today;
      if (days === 1) return t.yesterday;
      return (sameYear(ms, now) ? dayFmt : dayYearFmt).format(ms);
    },
    compare: (a, b) => collator.compare(a, b),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

export function I18nProvider({ value, children }: { value: I18n; children: ReactNode }): ReactNode {
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

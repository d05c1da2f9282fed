/**
 * The user's settings in the renderer: loaded from the core ('settings.get'), kept live by
 * 'settings.changed' (another window, the tray), changed with 'settings.update'. It also
 * applies what the whole page follows at once, without a reload: the language (the
 * I18nProvider below it; `?lang=` in the address still wins, for tests) and the theme
 * (`data-theme` on <html>; none for "System", where the CSS follows the OS).
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { applySettingsPatch, GeneralSettings, type Settings, type SettingsPatch } from '../../../preload/settings.ts';
import { useClient } from '../../app/core.ts';
import { useLive } from '../../app/useLive.ts';
import { createI18n, I18nProvider, pickLanguage } from '../../i18n/index.ts';

export interface SettingsState {
  /** undefined until loaded */
  settings: Settings | undefined;
  error: unknown;
  /** Applies a change in the core (which validates it); resolves to the new settings. */
  update: (patch: SettingsPatch) => Promise<Settings>;
}

const SettingsContext = createContext<SettingsState | null>(null);

export function useSettings(): SettingsState {
  const state = useContext(SettingsContext);
  if (state === null) throw new Error('useSettings outside <SettingsProvider>');
  return state;
}

/** The theme as <html data-theme> says it: absent for "System" (the CSS follows prefers-color-scheme). */
export function applyTheme(root: HTMLElement, theme: Settings['general']['theme']): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}

type Appearance = Pick<Settings['general'], 'language' | 'theme'>;
const APPEARANCE_KEY = 'parley.appearance';

/** The cached appearance, if it is one (anything else in storage is ignored). */
function readAppearance(): Appearance | undefined {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(APPEARANCE_KEY) ?? 'null');
    const parsed = GeneralSettings.pick({ language: true, theme: true }).safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function writeAppearance(value: Appearance): void {
  try {
    localStorage.setItem(APPEARANCE_KEY, JSON.stringify(value));
  } catch {
    // No storage (private mode, quota): the next start waits for the core.
  }
}

export function SettingsProvider({ children }: { children: ReactNode }): ReactNode {
  const client = useClient();
  const {
    data,
    error,
    update: apply,
    reload,
  } = useLive<Settings>(
    'settings',
    () => client.call('settings.get', {}),
    (set) =>
      client.on('settings.changed', (next) => {
        set(() => next);
      }),
  );
  /** The control follows at once; the core's answer (or, when it refuses, its settings) replaces the guess. */
  const update = useCallback(
    async (patch: SettingsPatch) => {
      apply((s) => {
        try {
          return applySettingsPatch(s, patch);
        } catch {
          return s; // invalid: the core says why
        }
      });
      try {
        const next = await client.call('settings.update', patch);
        apply(() => next);
        return next;
      } catch (err) {
        reload();
        throw err;
      }
    },
    [client, apply, reload],
  );

  // Until the core answers, the last language and theme seen here (no flash of the wrong ones).
  const [cached] = useState(readAppearance);
  const query = new URLSearchParams(location.search).get('lang');
  const lang = pickLanguage(query, navigator.language, data?.general.language ?? cached?.language);
  const i18n = useMemo(() => createI18n(lang), [lang]);
  const theme = data?.general.theme ?? cached?.theme ?? 'system';
  useEffect(() => {
    if (data !== undefined) writeAppearance({ language: data.general.language, theme: data.general.theme });
  }, [data]);

  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t.appName;
  }, [lang, i18n]);
  useLayoutEffect(() => {
    applyTheme(document.documentElement, theme);
  }, [theme]);

  const value = useMemo(() => ({ settings: data, error, update }), [data, error, update]);
  return (
    <SettingsContext.Provider value={value}>
      <I18nProvider value={i18n}>{children}</I18nProvider>
    </SettingsContext.Provider>
  );
}

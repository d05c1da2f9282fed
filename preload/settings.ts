/**
 * The user's settings: one schema for the core (which stores them through its settings
 * port: electron-store in Electron, a JSON file in plain Node), the contract and the
 * renderer's settings window. Pure zod, like the contract.
 *
 * `parseSettings` turns whatever was stored into complete settings: a missing, unknown or
 * invalid value falls back to its default and is reported as a warning, never thrown.
 */
import * as z from 'zod';

export const SETTINGS_VERSION = 1;

export const LanguageSetting = z.enum(['system', 'en', 'zh-CN']);
export const ThemeSetting = z.enum(['system', 'light', 'dark']);
/** What a notification shows: sender and text; the sender only ("New message from Alice"); neither ("New message"). */
export const NotificationContent = z.enum(['full', 'sender', 'none']);
export const LogLevelSetting = z.enum(['error', 'warn', 'info', 'debug']);

export const GeneralSettings = z.object({
  language: LanguageSetting,
  theme: ThemeSetting,
  startAtLogin: z.boolean(),
  startMinimized: z.boolean(),
  /** Closing the window hides it to the tray instead of quitting. */
  closeToTray: z.boolean(),
  /** The first-time "Parley keeps running in the tray" hint was shown. */
  closeToTrayHintShown: z.boolean(),
});

export const NotificationSettings = z.object({
  enabled: z.boolean(),
  sound: z.boolean(),
  /** Notifications are muted until this time (epoch ms); null: not muted. */
  mutedUntil: z.number().int().nonnegative().nullable(),
});

export const PrivacySettings = z.object({
  /** Send chat states (XEP-0085: typing, paused). */
  sendChatStates: z.boolean(),
  /** Send read markers (XEP-0333 displayed). */
  sendReadMarkers: z.boolean(),
  notificationContent: NotificationContent,
});

export const FileSettings = z.object({
  /** Where accepted files go: a full path (POSIX, Windows drive or UNC); empty: the OS downloads folder. */
  downloadsDir: z
    .string()
    .max(4096)
    .regex(/^$|^(?:\/|[A-Za-z]:[\\/]|\\\\)/u, 'a full path, or empty')
    .refine((dir) => !dir.includes('\0'), 'no NUL'),
  /** Accept files from roster contacts without asking, up to `autoAcceptMaxBytes` (default off). */
  autoAcceptFromContacts: z.boolean(),
  autoAcceptMaxBytes: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 40),
});

export const AdvancedSettings = z.object({
  logLevel: LogLevelSetting,
});

export const sections = {
  general: GeneralSettings,
  notifications: NotificationSettings,
  privacy: PrivacySettings,
  files: FileSettings,
  advanced: AdvancedSettings,
} as const;
export type SettingsSection = keyof typeof sections;

export const Settings = z.object({ version: z.literal(SETTINGS_VERSION), ...sections });
export type Settings = z.infer<typeof Settings>;

/** A change: any subset of sections, each any subset of its fields (no defaults filled in). */
export const SettingsPatch = z
  .object({
    general: GeneralSettings.partial().strict(),
    notifications: NotificationSettings.partial().strict(),
    privacy: PrivacySettings.partial().strict(),
    files: FileSettings.partial().strict(),
    advanced: AdvancedSettings.partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const defaultSettings: Settings = Object.freeze<Settings>({
  version: SETTINGS_VERSION,
  general: {
    language: 'system',
    theme: 'system',
    startAtLogin: false,
    startMinimized: false,
    closeToTray: true,
    closeToTrayHintShown: false,
  },
  notifications: { enabled: true, sound: true, mutedUntil: null },
  privacy: { sendChatStates: true, sendReadMarkers: true, notificationContent: 'full' },
  files: { downloadsDir: '', autoAcceptFromContacts: false, autoAcceptMaxBytes: 10 * 1024 * 1024 },
  advanced: { logLevel: 'info' },
});

/**
 * Complete settings from anything stored: each valid field is kept, every other one takes
 * its default and adds a warning ("general.theme: invalid value, using the default").
 */
export function parseSettings(stored: unknown): { settings: Settings; warnings: string[] } {
  const warnings: string[] = [];
  const root = isRecord(stored) ? stored : {};
  if (stored !== undefined && !isRecord(stored)) warnings.push('settings: not an object, using the defaults');
  const out: Record<string, unknown> = { version: SETTINGS_VERSION };
  for (const [name, schema] of Object.entries(sections) as [SettingsSection, z.ZodObject][]) {
    const given = root[name];
    const section = isRecord(given) ? given : {};
    if (given !== undefined && !isRecord(given)) warnings.push(`${name}: not an object, using the defaults`);
    const fields: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
      const fallback = (defaultSettings[name] as Record<string, unknown>)[key];
      if (!(key in section)) {
        fields[key] = fallback;
        continue;
      }
      const parsed = field.safeParse(section[key]);
      if (parsed.success) fields[key] = parsed.data;
      else {
        fields[key] = fallback;
        warnings.push(`${name}.${key}: invalid value, using the default`);
      }
    }
    out[name] = fields;
  }
  return { settings: Settings.parse(out), warnings };
}

/** `settings` with `patch` applied (the patch must already be valid). */
export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  const next = { ...settings } as Record<string, unknown>;
  for (const name of Object.keys(patch) as SettingsSection[]) {
    next[name] = { ...settings[name], ...patch[name] };
  }
  return Settings.parse(next);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

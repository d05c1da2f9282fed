/**
 * The settings window: a full-size dialog with one tab per section ("Accounts", "General",
 * "Notifications", "Privacy", "Files", "Advanced": role tablist/tab/tabpanel, arrow keys,
 * Home and End move between tabs). Every control applies at once through the core
 * ('settings.update', validated there); nothing waits for a "Save".
 */
import { useEffect, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { AccountState } from '../../../preload/contract.ts';
import { FileSettings, type Settings, type SettingsPatch } from '../../../preload/settings.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Spinner } from '../../app/ui.tsx';
import { useI18n, type Messages } from '../../i18n/index.ts';
import { AccountsPanel } from '../accounts/AccountsDialog.tsx';
import { BlockedList } from '../roster-actions/ServiceDialogs.tsx';
import { useSettings } from './SettingsProvider.tsx';

export const SETTINGS_TABS = ['accounts', 'general', 'notifications', 'privacy', 'files', 'advanced'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

const tabLabel = (tab: SettingsTab, t: Messages): string =>
  ({
    accounts: t.settingsTabAccounts,
    general: t.settingsTabGeneral,
    notifications: t.settingsTabNotifications,
    privacy: t.settingsTabPrivacy,
    files: t.settingsTabFiles,
    advanced: t.settingsTabAdvanced,
  })[tab];

const MB = 1024 * 1024;
/** The schema's limit (2^40 bytes) in whole megabytes. */
const MAX_MB = 2 ** 20;

export interface SettingsDialogProps {
  accounts: readonly AccountState[];
  put: (account: AccountState) => void;
  onRemoved: (accountId: string) => void;
  onAddAccount: () => void;
  onSignIn: (account: AccountState) => void;
  onClose: () => void;
  initialTab?: SettingsTab;
}

export function SettingsDialog({ initialTab = 'general', onClose, ...accountProps }: SettingsDialogProps): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const { settings, update } = useSettings();
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const [error, setError] = useState<string | null>(null);
  const tabId = (name: SettingsTab): string => `${id}-tab-${name}`;

  const change = (patch: SettingsPatch): void => {
    setError(null);
    update(patch).catch((err: unknown) => {
      setError(t.settingsSaveFailed(errorText(err, t)));
    });
  };

  const onTabKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const i = SETTINGS_TABS.indexOf(tab);
    const last = SETTINGS_TABS.length - 1;
    const next =
      e.key === 'ArrowDown' || e.key === 'ArrowRight'
        ? (i + 1) % SETTINGS_TABS.length
        : e.key === 'ArrowUp' || e.key === 'ArrowLeft'
          ? (i - 1 + SETTINGS_TABS.length) % SETTINGS_TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    const name = SETTINGS_TABS[next] ?? tab;
    setTab(name);
    document.getElementById(tabId(name))?.focus();
  };

  return (
    <Dialog title={t.settings} size="lg" className="settings-dialog" onClose={onClose}>
      <div className="settings-layout">
        <div
          role="tablist"
          aria-label={t.settingsSections}
          aria-orientation="vertical"
          className="settings-tabs"
          onKeyDown={onTabKey}
        >
          {SETTINGS_TABS.map((name) => (
            <button
              key={name}
              id={tabId(name)}
              type="button"
              role="tab"
              className="settings-tab"
              aria-selected={name === tab}
              aria-controls={`${id}-panel`}
              tabIndex={name === tab ? 0 : -1}
              data-autofocus={name === tab ? true : undefined}
              onClick={() => {
                setTab(name);
              }}
            >
              {tabLabel(name, t)}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={tabId(tab)} className="settings-panel" tabIndex={0}>
          <h2 className="settings-panel-title">{tabLabel(tab, t)}</h2>
          <div className="form-error" role="alert">
            {error}
          </div>
          {tab === 'accounts' ? (
            <AccountsPanel {...accountProps} />
          ) : settings === undefined ? (
            <p role="status">
              <Spinner /> {t.settingsLoading}
            </p>
          ) : tab === 'general' ? (
            <GeneralTab settings={settings} change={change} />
          ) : tab === 'notifications' ? (
            <NotificationsTab settings={settings} change={change} />
          ) : tab === 'privacy' ? (
            <PrivacyTab settings={settings} change={change} accounts={accountProps.accounts} />
          ) : tab === 'files' ? (
            <FilesTab settings={settings} change={change} />
          ) : (
            <AdvancedTab settings={settings} change={change} />
          )}
        </div>
      </div>
    </Dialog>
  );
}

interface TabProps {
  settings: Settings;
  change: (patch: SettingsPatch) => void;
}

/** A labelled <select> (a combobox for assistive technology) over a fixed set of values. */
function Choice<V extends string>({
  label,
  value,
  options,
  onChange,
  hint,
}: {
  label: string;
  value: V;
  options: readonly (readonly [V, string])[];
  onChange: (value: V) => void;
  hint?: string;
}): ReactNode {
  const id = useId();
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        onChange={(e) => {
          const picked = options.find(([v]) => v === e.target.value);
          if (picked) onChange(picked[0]);
        }}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

function Check({
  label,
  checked,
  onChange,
  hint,
  disabled = false,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}): ReactNode {
  const id = useId();
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint === undefined ? undefined : `${id}-hint`}
          onChange={(e) => {
            onChange(e.target.checked);
          }}
        />
        <span>{label}</span>
      </label>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint check-hint">
          {hint}
        </p>
      )}
    </>
  );
}

function GeneralTab({ settings, change }: TabProps): ReactNode {
  const { t } = useI18n();
  const g = settings.general;
  return (
    <>
      <section className="settings-section">
        <h3>{t.settingsAppearance}</h3>
        <Choice
          label={t.settingsLanguage}
          value={g.language}
          hint={t.settingsLanguageHint}
          options={[
            ['system', t.settingsLanguageSystem],
            ['en', t.settingsLanguageEnglish],
            ['zh-CN', t.settingsLanguageChinese],
          ]}
          onChange={(language) => {
            change({ general: { language } });
          }}
        />
        <Choice
          label={t.settingsTheme}
          value={g.theme}
          options={[
            ['system', t.settingsThemeSystem],
            ['light', t.settingsThemeLight],
            ['dark', t.settingsThemeDark],
          ]}
          onChange={(theme) => {
            change({ general: { theme } });
          }}
        />
      </section>
      <section className="settings-section">
        <h3>{t.settingsStartup}</h3>
        <Check
          label={t.settingsStartAtLogin}
          checked={g.startAtLogin}
          onChange={(startAtLogin) => {
            change({ general: { startAtLogin } });
          }}
        />
        <Check
          label={t.settingsStartMinimized}
          checked={g.startMinimized}
          onChange={(startMinimized) => {
            change({ general: { startMinimized } });
          }}
        />
        <Check
          label={t.settingsCloseToTray}
          checked={g.closeToTray}
          onChange={(closeToTray) => {
            change({ general: { closeToTray } });
          }}
        />
      </section>
    </>
  );
}

/** 08:00 tomorrow, local time: "until tomorrow". */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}

function NotificationsTab({ settings, change }: TabProps): ReactNode {
  const { t, dateTime } = useI18n();
  const n = settings.notifications;
  const [now, setNow] = useState(() => Date.now());
  const muted = n.mutedUntil !== null && n.mutedUntil > now;
  useEffect(() => {
    if (n.mutedUntil === null || n.mutedUntil <= now) return undefined;
    // Shows "not muted" again when the time comes.
    const timer = setTimeout(
      () => {
        setNow(Date.now());
      },
      Math.min(n.mutedUntil - now + 100, 2 ** 31 - 1),
    );
    return () => {
      clearTimeout(timer);
    };
  }, [n.mutedUntil, now]);
  const mute = (until: number): void => {
    setNow(Date.now());
    change({ notifications: { mutedUntil: until } });
  };
  return (
    <section className="settings-section">
      <Check
        label={t.settingsNotificationsEnabled}
        checked={n.enabled}
        onChange={(enabled) => {
          change({ notifications: { enabled } });
        }}
      />
      <Check
        label={t.settingsNotificationsSound}
        checked={n.sound}
        disabled={!n.enabled}
        onChange={(sound) => {
          change({ notifications: { sound } });
        }}
      />
      <fieldset className="settings-fieldset">
        <legend>{t.settingsNotificationsMute}</legend>
        {muted && n.mutedUntil !== null ? (
          <div className="settings-row">
            <span role="status">{t.settingsMutedUntil(dateTime(n.mutedUntil))}</span>
            <button
              type="button"
              className="button secondary small"
              onClick={() => {
                change({ notifications: { mutedUntil: null } });
              }}
            >
              {t.settingsUnmute}
            </button>
          </div>
        ) : (
          <div className="settings-row">
            <span>{t.settingsMuteFor}</span>
            <button
              type="button"
              className="button secondary small"
              onClick={() => {
                mute(Date.now() + 3600_000);
              }}
            >
              {t.settingsMuteOneHour}
            </button>
            <button
              type="button"
              className="button secondary small"
              onClick={() => {
                mute(tomorrowMorning(Date.now()));
              }}
            >
              {t.settingsMuteUntilTomorrow}
            </button>
          </div>
        )}
      </fieldset>
    </section>
  );
}

function PrivacyTab({ settings, change, accounts }: TabProps & { accounts: readonly AccountState[] }): ReactNode {
  const { t } = useI18n();
  const p = settings.privacy;
  const [blockedFor, setBlockedFor] = useState<string | null>(null);
  const account = accounts.find((a) => a.id === blockedFor) ?? accounts[0];
  return (
    <>
      <section className="settings-section">
        <h3>{t.settingsPrivacyHeading}</h3>
        <Check
          label={t.settingsSendChatStates}
          hint={t.settingsSendChatStatesHint}
          checked={p.sendChatStates}
          onChange={(sendChatStates) => {
            change({ privacy: { sendChatStates } });
          }}
        />
        <Check
          label={t.settingsSendReadMarkers}
          hint={t.settingsSendReadMarkersHint}
          checked={p.sendReadMarkers}
          onChange={(sendReadMarkers) => {
            change({ privacy: { sendReadMarkers } });
          }}
        />
        <Choice
          label={t.settingsNotificationContent}
          value={p.notificationContent}
          options={[
            ['full', t.settingsContentFull],
            ['sender', t.settingsContentSender],
            ['none', t.settingsContentNone],
          ]}
          onChange={(notificationContent) => {
            change({ privacy: { notificationContent } });
          }}
        />
      </section>
      {account !== undefined && (
        <section className="settings-section">
          <h3>{t.settingsBlockedHeading}</h3>
          {accounts.length > 1 && (
            <Choice
              label={t.settingsBlockedFor}
              value={account.id}
              options={accounts.map((a) => [a.id, a.jid] as const)}
              onChange={setBlockedFor}
            />
          )}
          {account.status === 'online' ? (
            <BlockedList key={account.id} accountId={account.id} />
          ) : (
            <p className="hint">{t.settingsBlockedOffline}</p>
          )}
        </section>
      )}
    </>
  );
}

function FilesTab({ settings, change }: TabProps): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const f = settings.files;
  const [folder, setFolder] = useState(f.downloadsDir);
  const storedMb = Math.max(1, Math.round(f.autoAcceptMaxBytes / MB));
  const [mb, setMb] = useState(String(storedMb));
  useEffect(() => {
    setFolder(f.downloadsDir);
  }, [f.downloadsDir]);
  useEffect(() => {
    setMb(String(storedMb));
  }, [storedMb]);
  const parsedMb = /^\d{1,7}$/u.test(mb.trim()) ? Number(mb.trim()) : NaN;
  const mbValid = Number.isInteger(parsedMb) && parsedMb >= 1 && parsedMb <= MAX_MB;
  const folderValid = FileSettings.shape.downloadsDir.safeParse(folder.trim()).success;
  const commitFolder = (): void => {
    const value = folder.trim();
    if (value !== f.downloadsDir && folderValid) change({ files: { downloadsDir: value } });
  };
  const commitMb = (): void => {
    if (mbValid && parsedMb !== storedMb) change({ files: { autoAcceptMaxBytes: parsedMb * MB } });
  };
  return (
    <section className="settings-section">
      <div className="settings-field">
        <label htmlFor={`${id}-folder`}>{t.settingsDownloadsFolder}</label>
        <input
          id={`${id}-folder`}
          type="text"
          spellCheck={false}
          autoCapitalize="none"
          maxLength={4096}
          value={folder}
          aria-invalid={!folderValid}
          aria-describedby={folderValid ? `${id}-folder-hint` : `${id}-folder-error ${id}-folder-hint`}
          onChange={(e) => {
            setFolder(e.target.value);
          }}
          onBlur={commitFolder}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitFolder();
          }}
        />
        {!folderValid && (
          <p id={`${id}-folder-error`} className="field-error">
            {t.settingsDownloadsInvalid}
          </p>
        )}
        <p id={`${id}-folder-hint`} className="hint">
          {t.settingsDownloadsHint}
        </p>
      </div>
      <Check
        label={t.settingsAutoAccept}
        checked={f.autoAcceptFromContacts}
        onChange={(autoAcceptFromContacts) => {
          change({ files: { autoAcceptFromContacts } });
        }}
      />
      <div className="settings-field settings-indented">
        <label htmlFor={`${id}-max`}>{t.settingsAutoAcceptMax}</label>
        <input
          id={`${id}-max`}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_MB}
          step={1}
          className="settings-number"
          disabled={!f.autoAcceptFromContacts}
          value={mb}
          aria-invalid={!mbValid}
          aria-describedby={`${id}-max-hint`}
          onChange={(e) => {
            setMb(e.target.value);
          }}
          onBlur={commitMb}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitMb();
          }}
        />
        <p id={`${id}-max-hint`} className="hint">
          {t.settingsAutoAcceptHint(mbValid ? parsedMb : storedMb)}
        </p>
      </div>
    </section>
  );
}

function AdvancedTab({ settings, change }: TabProps): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  const open = (folder: 'logs' | 'data'): void => {
    setError(null);
    client.call('app.openFolder', { folder }).catch((err: unknown) => {
      setError(errorText(err, t));
    });
  };
  return (
    <>
      <section className="settings-section">
        <Choice
          label={t.settingsLogLevel}
          value={settings.advanced.logLevel}
          hint={t.settingsLogHint}
          options={[
            ['error', t.settingsLogError],
            ['warn', t.settingsLogWarn],
            ['info', t.settingsLogInfo],
            ['debug', t.settingsLogDebug],
          ]}
          onChange={(logLevel) => {
            change({ advanced: { logLevel } });
          }}
        />
      </section>
      <section className="settings-section">
        <h3>{t.settingsFolders}</h3>
        <div className="settings-row">
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              open('logs');
            }}
          >
            {t.settingsOpenLogs}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              open('data');
            }}
          >
            {t.settingsOpenData}
          </button>
        </div>
        <div className="form-error" role="alert">
          {error}
        </div>
      </section>
    </>
  );
}

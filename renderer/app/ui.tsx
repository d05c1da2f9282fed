/**
 * Small shared pieces: avatar, presence dot, spinner, icons. No style attributes (the CSP
 * has no 'unsafe-inline'): computed values go through the CSSOM.
 */
import { useCallback, type ReactNode } from 'react';
import type { Show } from '../../preload/contract.ts';
import { useI18n, type Messages } from '../i18n/index.ts';
import { hsluvToRgb, hueAngle, initials, THEME_LIGHTNESS, toHex } from './consistent-color.ts';

/** A stable colour slot (0–7) per address (the account chips). */
function hue(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return h % 8;
}

/**
 * Per address: the light and the dark theme's colour, as consistentColor() gives them (the
 * initials are white and black: styles.css). Bounded, like the initials per name.
 */
const palettes = new Map<string, readonly [light: string, dark: string]>();
const initialsOf = new Map<string, string>();

function paletteOf(jid: string): readonly [light: string, dark: string] {
  let palette = palettes.get(jid);
  if (palette === undefined) {
    const hue = hueAngle(jid);
    palette = [toHex(hsluvToRgb(hue, 100, THEME_LIGHTNESS.light)), toHex(hsluvToRgb(hue, 100, THEME_LIGHTNESS.dark))];
    if (palettes.size >= 20_000) palettes.clear();
    palettes.set(jid, palette);
  }
  return palette;
}

function placeholderText(name: string, jid: string): string {
  const key = `${name}\u0000${jid}`;
  let text = initialsOf.get(key);
  if (text === undefined) {
    text = initials(name) || initials(jid) || '?';
    if (initialsOf.size >= 20_000) initialsOf.clear();
    initialsOf.set(key, text);
  }
  return text;
}

/**
 * A placeholder avatar: the name's initials on the address's XEP-0392 colour, one colour
 * per theme (styles.css picks it with light-dark(), following the Theme setting), with an optional presence dot.
 */
export function Avatar({
  name,
  jid,
  show,
  size = 'md',
}: {
  name: string;
  jid: string;
  show?: Show | undefined;
  size?: 'sm' | 'md' | 'lg';
}): ReactNode {
  const paint = useCallback(
    (el: HTMLSpanElement | null) => {
      if (el === null) return;
      const [light, dark] = paletteOf(jid);
      el.style.setProperty('--avatar-light', light);
      el.style.setProperty('--avatar-dark', dark);
    },
    [jid],
  );
  const text = placeholderText(name, jid);
  return (
    <span ref={paint} className={`avatar avatar-${size}`} aria-hidden="true">
      {text}
      {show !== undefined && <span className={`dot dot-${presenceClass(show)}`} />}
    </span>
  );
}

export function presenceClass(show: Show): 'online' | 'away' | 'busy' | 'offline' {
  switch (show) {
    case 'chat':
    case 'available':
      return 'online';
    case 'away':
    case 'xa':
      return 'away';
    case 'dnd':
      return 'busy';
    case 'offline':
      return 'offline';
  }
}

export function presenceText(show: Show, t: Messages): string {
  switch (show) {
    case 'chat':
      return t.showChat;
    case 'available':
      return t.showAvailable;
    case 'away':
      return t.showAway;
    case 'xa':
      return t.showXa;
    case 'dnd':
      return t.showDnd;
    case 'offline':
      return t.showOffline;
  }
}

export function Spinner({ label }: { label?: string }): ReactNode {
  return (
    <span
      className="spinner"
      role={label === undefined ? undefined : 'img'}
      aria-label={label}
      aria-hidden={label === undefined}
    />
  );
}

function Icon({ children, className = '' }: { children: ReactNode; className?: string }): ReactNode {
  return (
    <svg
      className={`icon ${className}`}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

const stroke = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

export const Icons = {
  clock: () => (
    <Icon>
      <circle cx="12" cy="12" r="8.5" {...stroke} />
      <path d="M12 7.5V12l3 2" {...stroke} />
    </Icon>
  ),
  check: () => (
    <Icon>
      <path d="M5 12.5l4.5 4.5L19 7.5" {...stroke} />
    </Icon>
  ),
  checks: () => (
    <Icon>
      <path d="M2.5 12.5L7 17l9.5-9.5M12 16l1 1 9.5-9.5" {...stroke} />
    </Icon>
  ),
  alert: () => (
    <Icon>
      <circle cx="12" cy="12" r="9" {...stroke} />
      <path d="M12 7.5v5.5M12 16.5v.01" {...stroke} />
    </Icon>
  ),
  send: () => (
    <Icon>
      <path d="M4 12l16-8-6 16-2.5-6.5L4 12z" {...stroke} />
    </Icon>
  ),
  back: () => (
    <Icon>
      <path d="M15 5l-7 7 7 7" {...stroke} />
    </Icon>
  ),
  plug: () => (
    <Icon className="icon-xl">
      <path d="M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0V8zM12 17v4M4 4l16 16" {...stroke} />
    </Icon>
  ),
  warning: () => (
    <Icon className="icon-warning">
      <path d="M12 3.5l9.5 16.5h-19L12 3.5z" {...stroke} />
      <path d="M12 10v4.5M12 17.5v.01" {...stroke} />
    </Icon>
  ),
  close: () => (
    <Icon>
      <path d="M6 6l12 12M18 6L6 18" {...stroke} />
    </Icon>
  ),
  accounts: () => (
    <Icon>
      <circle cx="9" cy="8.5" r="3.5" {...stroke} />
      <path d="M2.5 20c.8-3.6 3.3-5.5 6.5-5.5s5.7 1.9 6.5 5.5" {...stroke} />
      <path d="M16 5.2a3.5 3.5 0 0 1 0 6.6M18 14.8c1.9.7 3.1 2.4 3.5 5.2" {...stroke} />
    </Icon>
  ),
  plus: () => (
    <Icon>
      <path d="M12 5v14M5 12h14" {...stroke} />
    </Icon>
  ),
  refresh: () => (
    <Icon>
      <path d="M20 11a8 8 0 0 0-14.3-4.9L4 8M4 13a8 8 0 0 0 14.3 4.9L20 16" {...stroke} />
      <path d="M4 3.5V8h4.5M20 20.5V16h-4.5" {...stroke} />
    </Icon>
  ),
  lock: () => (
    <Icon>
      <rect x="5" y="10.5" width="14" height="10" rx="2" {...stroke} />
      <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" {...stroke} />
    </Icon>
  ),
  search: () => (
    <Icon>
      <circle cx="10.5" cy="10.5" r="6" {...stroke} />
      <path d="M15 15l5 5" {...stroke} />
    </Icon>
  ),
  reply: () => (
    <Icon>
      <path d="M10 8L5 12.5l5 4.5" {...stroke} />
      <path d="M5.5 12.5H14a5 5 0 0 1 5 5V19" {...stroke} />
    </Icon>
  ),
  react: () => (
    <Icon>
      <path d="M20.5 11.5a8.5 8.5 0 1 1-8-8.5" {...stroke} />
      <path d="M8.5 14c.8 1.2 2 1.9 3.5 1.9s2.7-.7 3.5-1.9M9 9.5v.01M15 9.5v.01M19 2.5v5M16.5 5h5" {...stroke} />
    </Icon>
  ),
  pencil: () => (
    <Icon>
      <path d="M4 20l1-4.5L16 4.5a2.1 2.1 0 0 1 3 3L8 18.5 4 20z" {...stroke} />
      <path d="M14 6.5l3 3" {...stroke} />
    </Icon>
  ),
  trash: () => (
    <Icon>
      <path d="M4.5 6.5h15M9.5 6.5V4.5h5v2M6.5 6.5l1 13h9l1-13M10 10.5v6M14 10.5v6" {...stroke} />
    </Icon>
  ),
  more: () => (
    <Icon>
      <path d="M6 12v.01M12 12v.01M18 12v.01" {...stroke} strokeWidth={3} />
    </Icon>
  ),
  arrowDown: () => (
    <Icon>
      <path d="M12 5v14M6 13l6 6 6-6" {...stroke} />
    </Icon>
  ),
  chat: () => (
    <Icon className="icon-xl">
      <path d="M4 5.5h16v10H9l-5 4v-14z" {...stroke} />
      <path d="M8 9.5h8M8 12.5h5" {...stroke} />
    </Icon>
  ),
};

/** The app mark: a speech bubble. */
export function Logo(): ReactNode {
  const { t } = useI18n();
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
        <rect x="2" y="3" width="28" height="21" rx="7" className="logo-bubble" />
        <path d="M9 24l-2 6 8-6z" className="logo-bubble" />
        <circle cx="10.5" cy="13.5" r="2" className="logo-dot" />
        <circle cx="16" cy="13.5" r="2" className="logo-dot" />
        <circle cx="21.5" cy="13.5" r="2" className="logo-dot" />
      </svg>
      <span className="logo-text">{t.appName}</span>
    </span>
  );
}

/** Which account something belongs to: a dot in the account's colour and its address. */
export function AccountChip({ jid }: { jid: string }): ReactNode {
  const { t } = useI18n();
  return (
    <span className="account-chip" title={t.viaAccount(jid)}>
      <span className={`chip-dot hue-${String(hue(jid))}`} aria-hidden="true" />
      <span className="chip-text">{jid}</span>
    </span>
  );
}

/** Just the account's colour dot, where its address does not fit (a tab: the address is in its tooltip). */
export function AccountDot({ jid }: { jid: string }): ReactNode {
  return <span className={`chip-dot hue-${String(hue(jid))}`} aria-hidden="true" />;
}

/**
 * An account picker (dialogs, search, the roster actions): one option per account, by address,
 * after an optional first option `all` (value ''); labelled by a <label htmlFor={id}> or `label`.
 */
export function AccountSelect({
  accounts,
  value,
  onChange,
  id,
  label,
  all,
}: {
  accounts: readonly { id: string; jid: string }[];
  value: string;
  onChange: (accountId: string) => void;
  id?: string;
  label?: string;
  all?: string;
}): ReactNode {
  return (
    <select
      id={id}
      aria-label={label}
      value={value}
      onChange={(e) => {
        onChange(e.target.value);
      }}
    >
      {all !== undefined && <option value="">{all}</option>}
      {accounts.map((a) => (
        <option key={a.id} value={a.id}>
          {a.jid}
        </option>
      ))}
    </select>
  );
}

/** The "Remember password" checkbox with its explanation (sign-in and account editor). */
export function RememberPasswordField({
  id,
  checked,
  onChange,
  disabled,
  t,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled: boolean;
  t: Messages;
}): ReactNode {
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => {
            onChange(e.target.checked);
          }}
          disabled={disabled}
          aria-describedby={`${id}-remember-hint`}
        />
        <span>{t.rememberPassword}</span>
      </label>
      <p id={`${id}-remember-hint`} className="hint check-hint">
        {t.rememberPasswordHint}
      </p>
    </>
  );
}

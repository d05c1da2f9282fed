/**
 * The app's keyboard shortcuts, as a pure function of a key event: which
 * command a key press means. Ctrl and Cmd are the same modifier ("mod"), so
 * one keymap serves Windows, Linux and macOS.
 *
 *   mod+N          new conversation
 *   mod+F          search messages (mod+Shift+F too)
 *   mod+K          quick switcher
 *   mod+1 … mod+9  the nth open tab
 *
 * mod+Tab / mod+Shift+Tab and mod+W are the tab strip's own (features/chat/useTabs.ts).
 */
export type Shortcut =
  { kind: 'new-conversation' } | { kind: 'search' } | { kind: 'quick-switcher' } | { kind: 'tab'; index: number };

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The letter or digit of a key press, independent of Shift and of the keyboard layout where possible. */
function baseKey(e: KeyLike): string {
  if (e.code !== undefined) {
    const letter = /^Key([A-Z])$/u.exec(e.code);
    if (letter?.[1] !== undefined) return letter[1].toLowerCase();
    const digit = /^(?:Digit|Numpad)([0-9])$/u.exec(e.code);
    if (digit?.[1] !== undefined) return digit[1];
  }
  return e.key.toLowerCase();
}

export function shortcutOf(e: KeyLike): Shortcut | undefined {
  // Exactly one of Ctrl and Cmd, and no Alt (AltGr is Ctrl+Alt on Windows: it types characters).
  if (e.ctrlKey === e.metaKey || e.altKey) return undefined;
  const key = baseKey(e);
  if (key === 'f') return { kind: 'search' };
  if (e.shiftKey) return undefined;
  if (key === 'n') return { kind: 'new-conversation' };
  if (key === 'k') return { kind: 'quick-switcher' };
  if (/^[1-9]$/u.test(key)) return { kind: 'tab', index: Number(key) - 1 };
  return undefined;
}

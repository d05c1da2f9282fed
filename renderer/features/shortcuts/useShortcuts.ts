/**
 * The keymap hook the main view mounts: turns the shortcuts of ./keymap.ts
 * into the view's actions. While a modal dialog is open the page behind it is
 * inert, so no shortcut acts (the dialog's own Escape closes it).
 */
import { useEffect, useRef } from 'react';
import { shortcutOf } from './keymap.ts';

export interface ShortcutActions {
  newConversation: () => void;
  search: () => void;
  quickSwitcher: () => void;
  /** The open tabs' keys, in order. */
  tabs: readonly string[];
  selectTab: (key: string) => void;
}

export function useShortcuts(actions: ShortcutActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || document.querySelector('dialog[open]') !== null) return;
      const shortcut = shortcutOf(e);
      if (shortcut === undefined) return;
      const act = latest.current;
      switch (shortcut.kind) {
        case 'new-conversation':
          e.preventDefault();
          act.newConversation();
          return;
        case 'search':
          e.preventDefault();
          act.search();
          return;
        case 'quick-switcher':
          e.preventDefault();
          act.quickSwitcher();
          return;
        case 'tab': {
          const key = act.tabs[shortcut.index];
          // Like browsers: with fewer tabs the key does nothing, and the page keeps it.
          if (key === undefined) return;
          e.preventDefault();
          act.selectTab(key);
          return;
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, []);
}

/** Puts the cursor in "Search messages" (the panel may only mount on this render). */
export function focusSearchField(): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLInputElement>('.search-panel input[type="search"]')?.focus();
  });
}

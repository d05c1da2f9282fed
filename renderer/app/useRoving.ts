/**
 * Roving tabindex for a list of focusable items: one Tab stop per list,
 * arrows / Home / End move between items (the elements inside the list
 * marked `data-roving`, in the order of `keys`). Tracks the item by key, so a
 * re-sorted list (a contact coming online) keeps focus on the same item.
 */
import { useState, type KeyboardEvent } from 'react';

export interface Roving {
  tabIndex: (key: string) => 0 | -1;
  onFocus: (key: string) => void;
  onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
}

export function useRoving(keys: readonly string[], activeKey: string | null): Roving {
  const [focused, setFocused] = useState<string | null>(null);
  const current =
    focused !== null && keys.includes(focused)
      ? focused
      : activeKey !== null && keys.includes(activeKey)
        ? activeKey
        : (keys[0] ?? null);

  return {
    tabIndex: (key) => (key === current ? 0 : -1),
    onFocus: setFocused,
    onKeyDown(e) {
      const i = current === null ? 0 : keys.indexOf(current);
      const last = keys.length - 1;
      const next =
        e.key === 'ArrowDown'
          ? Math.min(last, i + 1)
          : e.key === 'ArrowUp'
            ? Math.max(0, i - 1)
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? last
                : null;
      if (next === null || last < 0) return;
      e.preventDefault();
      // Items carry data-roving (also inside a group); anything else (a group heading) is skipped.
      const items = e.currentTarget.querySelectorAll<HTMLElement>('[data-roving]');
      items[next]?.focus();
    },
  };
}

/** Enter or Space on a list item activates it, like a button. */
export function activateOnKey(action: () => void): (e: KeyboardEvent<HTMLElement>) => void {
  return (e) => {
    if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    action();
  };
}

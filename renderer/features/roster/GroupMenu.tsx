/**
 * A roster group's context menu (right click on its heading, the Menu key or Shift+F10):
 * "Rename group…". Positioned at the point it was opened from; Escape or Tab closes it and
 * returns focus to the heading, arrows move between items, a click outside dismisses it.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/index.ts';

interface Props {
  /** The group's name as shown. */
  name: string;
  at: { x: number; y: number };
  onRename: () => void;
  /** Closes the menu; `refocus`: put focus back on the heading it came from. */
  onDismiss: (refocus: boolean) => void;
}

export function GroupMenu({ name, at, onRename, onDismiss }: Props): ReactNode {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;

  useEffect(() => {
    const menu = ref.current;
    if (menu === null) return undefined;
    // Fixed at the point, kept inside the window.
    const box = menu.getBoundingClientRect();
    menu.style.left = `${String(Math.max(0, Math.min(at.x, window.innerWidth - box.width)))}px`;
    menu.style.top = `${String(Math.max(0, Math.min(at.y, window.innerHeight - box.height)))}px`;
    menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (e: MouseEvent): void => {
      if (!menu.contains(e.target as Node)) dismiss.current(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('mousedown', onDown);
    };
  }, [at]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(index + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      onDismiss(true);
    }
    e.stopPropagation();
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={t.groupActions(name)}
      className="action-menu contact-menu group-menu"
      onKeyDown={onKeyDown}
    >
      <button type="button" className="menu-item" role="menuitem" tabIndex={-1} onClick={onRename}>
        {t.renameGroup}
      </button>
    </div>
  );
}

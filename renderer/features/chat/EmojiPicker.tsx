/**
 * A popover grid of emoji buttons, each named by its shortcode: the composer's
 * "Emoji" picker (every emoji) and a message's "React" picker (a few common
 * ones). One Tab stop; arrows move in two dimensions, Home/End go to the
 * first/last, Enter or Space picks, Escape closes (the opener takes focus back).
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/index.ts';
import { EMOJI, emojiFor } from './emoji.ts';

/** Columns of the picker's grid: keep in step with `.emoji-grid` in styles.css. */
const COLUMNS = 8;

/** The reaction picker's choices, by shortcode (emoji.ts). */
const REACTION_NAMES = ['thumbsup', 'heart', 'joy', 'open_mouth', 'cry', 'tada', 'pray', 'fire'] as const;
export const REACTIONS: readonly (readonly [name: string, emoji: string])[] = REACTION_NAMES.flatMap((name) => {
  const emoji = emojiFor(name);
  return emoji === undefined ? [] : [[name, emoji] as const];
});

export function EmojiPicker({
  id,
  label,
  onPick,
  onClose,
  choices = EMOJI,
  className = '',
}: {
  id?: string | undefined;
  label: string;
  onPick: (emoji: string) => void;
  onClose: () => void;
  choices?: readonly (readonly [name: string, emoji: string])[];
  className?: string;
}): ReactNode {
  const { lang } = useI18n();
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  const buttons = (): NodeListOf<HTMLButtonElement> | undefined => grid.current?.querySelectorAll('button');

  useEffect(() => {
    buttons()?.[0]?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    const last = choices.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: Math.min(last, active + 1),
      ArrowLeft: Math.max(0, active - 1),
      ArrowDown: active + COLUMNS <= last ? active + COLUMNS : active,
      ArrowUp: active - COLUMNS >= 0 ? active - COLUMNS : active,
      Home: 0,
      End: last,
    };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    setActive(next);
    buttons()?.[next]?.focus();
  };

  return (
    <div
      id={id}
      className={`emoji-picker ${className}`}
      role="dialog"
      aria-label={label}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div className="emoji-grid" ref={grid}>
        {choices.map(([name, emoji], i) => (
          <button
            key={name}
            type="button"
            className="emoji"
            // English names it by shortcode; elsewhere the emoji itself is the name: screen readers
            // say it in the user's language (CLDR), and the shortcode stays in the tooltip.
            aria-label={lang === 'en' ? name : undefined}
            title={`:${name}:`}
            tabIndex={i === active ? 0 : -1}
            onFocus={() => {
              setActive(i);
            }}
            onClick={() => {
              onPick(emoji);
            }}
          >
            {emoji}
          </button>
        ))}
      </div>
    </div>
  );
}

/**
 * The conversation's own actions, from the header: mute its notifications (until unmuted)
 * and turn its sound off, export its history (plain text or JSON, saved as a download) and
 * delete its local history (after a confirmation; the server's archive keeps its copy).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Conversation } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { Icons } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';

interface Props {
  accountId: string;
  peer: string;
  name: string;
  /** The history was deleted: close the conversation. */
  onDeleted: () => void;
  onError: (message: string) => void;
  /** Notifications muted until this time (epoch ms); null or absent: not muted. */
  mutedUntil?: number | null | undefined;
  /** A new message plays a sound (absent: on). */
  sound?: boolean | undefined;
  /** The conversation as the core answered a change (mute, sound). */
  onConversation?: ((c: Conversation) => void) | undefined;
}

/** "Mute" without an end: until the user unmutes. */
const MUTED_FOREVER = Number.MAX_SAFE_INTEGER;

function save(filename: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

export function ConversationMenu({
  accountId,
  peer,
  name,
  onDeleted,
  onError,
  mutedUntil,
  sound,
  onConversation,
}: Props): ReactNode {
  const { t } = useI18n();
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return undefined;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const exportAs = (format: 'text' | 'json') => {
    close();
    client.call('conversation.export', { accountId, peer, format }).then(
      ({ filename, mime, content }) => {
        save(filename, mime, content);
      },
      (err: unknown) => {
        onError(errorText(err, t));
      },
    );
  };
  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[next]?.focus();
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  const muted = mutedUntil != null && mutedUntil > Date.now();
  const change = (patch: { mutedUntil?: number | null; sound?: boolean }) => {
    close();
    client.call('conversation.update', { accountId, peer, ...patch }).then(
      (c) => {
        onConversation?.(c);
      },
      (err: unknown) => {
        onError(errorText(err, t));
      },
    );
  };
  const items: readonly { label: string; run: () => void; danger?: boolean }[] = [
    {
      label: muted ? t.unmuteConversation : t.muteConversation,
      run: () => {
        change({ mutedUntil: muted ? null : MUTED_FOREVER });
      },
    },
    {
      label: sound === false ? t.soundOn : t.soundOff,
      run: () => {
        change({ sound: sound === false });
      },
    },
    {
      label: t.exportText,
      run: () => {
        exportAs('text');
      },
    },
    {
      label: t.exportJson,
      run: () => {
        exportAs('json');
      },
    },
    {
      label: t.deleteHistory,
      danger: true,
      run: () => {
        setOpen(false);
        setConfirming(true);
      },
    },
  ];

  return (
    <div className="conversation-menu">
      {muted && (
        <span className="conversation-muted" role="img" aria-label={t.mutedLabel} title={t.mutedLabel}>
          <svg className="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
            <path
              d="M9 4.6A6 6 0 0 1 18 9.5V13l1.5 3M6.3 6.6A6 6 0 0 0 6 9.5V13l-2 4h13M10 20a2.2 2.2 0 0 0 4 0M3 3l18 18"
              fill="none"
              stroke="currentColor"
              strokeWidth={2}
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </span>
      )}
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label={t.conversationOptions}
        title={t.conversationOptions}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        <Icons.more />
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          className="action-menu below conversation-menu-list"
          aria-label={t.conversationOptions}
          onKeyDown={onMenuKey}
        >
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger === true ? 'menu-item danger' : 'menu-item'}
              onClick={item.run}
            >
              <span>{item.label}</span>
            </button>
          ))}
        </div>
      )}
      {confirming && (
        <Dialog
          title={t.deleteHistoryTitle(name)}
          tone="alert"
          size="sm"
          onClose={() => {
            setConfirming(false);
          }}
        >
          <p>{t.deleteHistoryBody}</p>
          <div className="form-actions">
            <button
              type="button"
              className="button secondary"
              data-autofocus
              onClick={() => {
                setConfirming(false);
              }}
            >
              {t.cancel}
            </button>
            <button
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                client.call('conversation.deleteHistory', { accountId, peer }).then(
                  () => {
                    setBusy(false);
                    setConfirming(false);
                    onDeleted();
                  },
                  (err: unknown) => {
                    setBusy(false);
                    setConfirming(false);
                    onError(errorText(err, t));
                  },
                );
              }}
            >
              {t.deleteHistory}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

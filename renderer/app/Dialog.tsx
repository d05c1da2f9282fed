/**
 * A modal dialog on the native <dialog> element (showModal): the rest of the
 * page is inert, Escape closes, Tab wraps inside it, focus goes to the first
 * control (or the one marked autoFocus) and returns where it was on close.
 * Labelled by its title (aria-labelledby), described by its body when given.
 */
import { useEffect, useEffectEvent, useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Icons } from './ui.tsx';
import { useI18n } from '../i18n/index.ts';

const FOCUSABLE =
  'button:not(:disabled), input:not(:disabled), textarea:not(:disabled), select:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])';

interface Props {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** The element whose text describes the dialog (an id inside it). */
  describedBy?: string | undefined;
  /** 'alert': a warning or a confirmation (stronger styling; still role="dialog"). */
  tone?: 'normal' | 'alert';
  size?: 'sm' | 'md' | 'lg';
  className?: string;
}

export function Dialog({
  title,
  onClose,
  children,
  describedBy,
  tone = 'normal',
  size = 'md',
  className = '',
}: Props): ReactNode {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useEffectEvent(onClose);

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const preferred = dialog.querySelector<HTMLElement>('[data-autofocus]');
    (preferred ?? dialog.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // Back to the control that opened it, if it is still there.
      if (opener?.isConnected === true) opener.focus();
    };
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return undefined;
    const onCancel = (e: Event): void => {
      e.preventDefault(); // React decides when the dialog goes away
      close();
    };
    // If the browser closed it anyway (a cancel it did not let us prevent), follow. The event
    // is queued: a close of our own (StrictMode's effect re-run reopens at once) is long undone.
    const onNativeClose = (): void => {
      if (dialog.isConnected && !dialog.open) close();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
    };
  }, []);

  /** Keep Tab inside the dialog (the platform would let it reach the browser's own UI). */
  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>): void => {
    if (e.key !== 'Tab') return;
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.closest('dialog') === e.currentTarget && el.offsetParent !== null,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size} dialog-${tone} ${className}`}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
    >
      <header className="dialog-header">
        {tone === 'alert' && <Icons.warning />}
        <h1 id={titleId}>{title}</h1>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t.close} title={t.close}>
          <Icons.close />
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}

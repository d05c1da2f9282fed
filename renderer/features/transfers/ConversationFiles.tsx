/**
 * Files in a conversation (issue 6): the composer's "Send file" button, dropping files onto
 * the conversation (with an overlay saying where they go), and the conversation's transfers
 * as file bubbles above the composer (offers with Accept / Decline, progress, Cancel).
 */
import { useCallback, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useClient } from '../../app/core.ts';
import { useI18n } from '../../i18n/index.ts';
import { bareOf } from './format.ts';
import { PaperclipIcon } from './icons.tsx';
import { transferStore } from './store.ts';
import { PreparingItems, SendErrorItems, TransferItem } from './TransferItem.tsx';
import { useTransfers } from './useTransfers.ts';

/** Sends files to a conversation (the core chooses how: directly, or by upload). */
export function useSendFiles(accountId: string, peer: string): (files: File[]) => void {
  const client = useClient();
  return useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      void transferStore(client).send(files, { accountId, peer });
    },
    [client, accountId, peer],
  );
}

const hasFiles = (e: DragEvent): boolean => e.dataTransfer.types.includes('Files');

/** Drag-and-drop of files onto an element: spread `handlers` on it, show an overlay while `dragging`. */
export function useFileDrop(onFiles: (files: File[]) => void): {
  dragging: boolean;
  handlers: {
    onDragEnter: (e: DragEvent) => void;
    onDragOver: (e: DragEvent) => void;
    onDragLeave: (e: DragEvent) => void;
    onDrop: (e: DragEvent) => void;
  };
} {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  return {
    dragging,
    handlers: {
      onDragEnter: (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setDragging(true);
      },
      onDragOver: (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      },
      onDrop: (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        onFiles([...e.dataTransfer.files]);
      },
    },
  };
}

export function DropOverlay({ name }: { name: string }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="drop-overlay" aria-hidden="true">
      <PaperclipIcon />
      <span>{t.dropFilesHere(name)}</span>
    </div>
  );
}

/** "Send file": a button in the composer with its (hidden) file input; several files at once. */
export function SendFileButton({ onFiles }: { onFiles: (files: File[]) => void }): ReactNode {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="icon-button send-file-button"
        aria-label={t.sendFile}
        title={t.sendFile}
        onClick={() => {
          input.current?.click();
        }}
      >
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={t.sendFileInput}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          onFiles(files);
        }}
      />
    </>
  );
}

/**
 * Finished transfers of earlier runs (transfer history) shown in a conversation: the newest few,
 * so that their files can still be opened there; the transfers view lists them all.
 */
const MAX_EARLIER = 3;

/** This conversation's transfers, newest first: active ones, and finished ones until dismissed. */
export function ConversationTransfers({ accountId, peer }: { accountId: string; peer: string }): ReactNode {
  const { t } = useI18n();
  const { store, transfers, preparing, errors } = useTransfers();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const bare = peer.toLowerCase();
  const mine = transfers.filter(
    (tr) =>
      tr.accountId === accountId &&
      !hidden.has(tr.id) &&
      (bareOf(tr.peer) === bare ||
        // A finished upload is the file message itself; while it runs, its progress is here.
        (store.uploadedFor(tr.id)?.peer === peer && tr.state !== 'completed')),
  );
  const earlier = new Set(
    mine
      .filter((tr) => store.fromHistory(tr.id))
      .slice(-MAX_EARLIER)
      .map((tr) => tr.id),
  );
  const shown = mine.filter((tr) => !store.fromHistory(tr.id) || earlier.has(tr.id));
  const prep = preparing.filter((p) => p.accountId === accountId && p.peer === peer);
  const errs = errors.filter((e) => e.accountId === accountId && e.peer === peer);
  if (shown.length === 0 && prep.length === 0 && errs.length === 0) return null;
  return (
    <ul className="transfer-list conversation-transfers" aria-label={t.transfersInConversation}>
      <PreparingItems items={prep} store={store} showPeer={false} />
      <SendErrorItems errors={errs} store={store} />
      {[...shown].reverse().map((tr) => (
        <TransferItem
          key={tr.id}
          transfer={tr}
          showPeer={false}
          for={store.uploadedFor(tr.id)?.peer}
          onDismiss={() => {
            setHidden((h) => new Set(h).add(tr.id));
          }}
        />
      ))}
    </ul>
  );
}

/**
 * Issue 6: an inline preview of a received image (a completed incoming transfer, or a shared
 * link once downloaded). The preview is generated locally: the core reads the saved file and
 * answers a data: URL only when its bytes are PNG, JPEG, GIF or WebP ('transfer.preview');
 * nothing remote is ever loaded. Anything else shows no preview at all. A click opens the
 * file with the system's viewer ('transfer.open').
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { Transfer } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { useI18n } from '../../i18n/index.ts';

/** Names and types worth asking the core about (it checks the bytes itself). */
const IMAGE_NAME = /\.(?:png|jpe?g|jfif|gif|webp)$/iu;
const IMAGE_TYPE = /^image\/(?:png|jpeg|gif|webp)$/iu;
/** The core refuses larger files: not even asked. */
const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

/** Whether a finished transfer may be an image we can preview. */
export function mayPreview(tr: Transfer): boolean {
  if (tr.direction !== 'in' || tr.state !== 'completed' || tr.path === undefined) return false;
  if (tr.size > MAX_PREVIEW_BYTES) return false;
  return IMAGE_NAME.test(tr.path) || IMAGE_NAME.test(tr.name) || IMAGE_TYPE.test(tr.mimeType ?? '');
}

/** Previews kept for rows that scroll away and back (a few: each can be megabytes). */
const CACHE_SIZE = 16;
const cache = new Map<string, string | null>();

function remember(key: string, value: string | null): void {
  cache.delete(key);
  cache.set(key, value);
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHE_SIZE) break;
    cache.delete(oldest);
  }
}

export function ImagePreview({ transfer: tr, tab }: { transfer: Transfer; tab?: number }): ReactNode {
  const client = useClient();
  const { t } = useI18n();
  const key = `${tr.accountId}\n${tr.id}`;
  const eligible = mayPreview(tr);
  const [src, setSrc] = useState<string | null | undefined>(() => cache.get(key));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!eligible) return undefined;
    const known = cache.get(key);
    if (known !== undefined) {
      setSrc(known);
      return undefined;
    }
    let live = true;
    client.call('transfer.preview', { accountId: tr.accountId, id: tr.id }).then(
      ({ dataUrl }) => {
        remember(key, dataUrl);
        if (live) setSrc(dataUrl);
      },
      () => {
        // Not an image after all, too large, or gone: no preview (the file bubble stays).
        remember(key, null);
        if (live) setSrc(null);
      },
    );
    return () => {
      live = false;
    };
  }, [client, key, eligible, tr.accountId, tr.id]);

  if (!eligible || typeof src !== 'string') return null;
  return (
    <div className="image-preview">
      <button
        type="button"
        className="image-preview-button"
        aria-label={t.imagePreviewOpen(tr.name)}
        {...(tab === undefined ? {} : { tabIndex: tab })}
        onClick={() => {
          setError(null);
          client.call('transfer.open', { accountId: tr.accountId, id: tr.id, reveal: false }).catch((err: unknown) => {
            setError(errorText(err, t));
          });
        }}
      >
        <img src={src} alt={tr.name} decoding="async" draggable={false} />
      </button>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * File transfer (issue 6): inline previews of received images, generated here from the saved
 * file (the renderer cannot read files, and nothing remote is ever loaded for a preview). Only
 * a completed incoming transfer's own file qualifies (never a path from the renderer); it must
 * really be PNG, JPEG, GIF or WebP by its first bytes (the name and the announced media type
 * say nothing), and at most MAX_PREVIEW_BYTES. SVG is never one (it can carry scripts).
 */
import { open } from 'node:fs/promises';
import { CoreError } from '../errors.ts';

/** The largest file a preview is made of (8 MiB: the data: URL goes over the RPC link whole). */
export const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

export type PreviewType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ascii = (text: string): number[] => Array.from(Buffer.from(text, 'latin1'));
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

/** The image type by its magic bytes, or undefined when it is none of the four. */
export function imageTypeOf(bytes: Uint8Array): PreviewType | undefined {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return 'image/gif';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  return undefined;
}

/** A data: URL of the image in `bytes`; CoreError when it is too large or not an image we show. */
export function previewOf(bytes: Uint8Array): string {
  if (bytes.length > MAX_PREVIEW_BYTES) throw new CoreError('not-acceptable', 'The image is too large to preview.');
  const type = imageTypeOf(bytes);
  if (!type) throw new CoreError('not-acceptable', 'This file is not an image Parley can preview.');
  return `data:${type};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64')}`;
}

/**
 * Reads `file` (a received transfer's saved path, from `receivedFile`) into a data: URL. The
 * size is checked on the open handle (not the path's, which could change in between), and
 * reading stops one byte beyond it.
 */
export async function previewFile(file: string): Promise<string> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw new CoreError('not-found', 'The file cannot be read.', { cause: err });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CoreError('not-acceptable', 'This file is not an image Parley can preview.');
    if (info.size > MAX_PREVIEW_BYTES) throw new CoreError('not-acceptable', 'The image is too large to preview.');
    // One byte more than expected: a file that grew beyond the limit meanwhile is caught by previewOf.
    const buffer = Buffer.alloc(Math.min(info.size, MAX_PREVIEW_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return previewOf(buffer.subarray(0, length));
  } finally {
    await handle.close();
  }
}

/**
 * The media type announced with a file we send (issue 6): XEP-0096's `mime-type`, Jingle's
 * `<media-type/>` (XEP-0234), an upload's Content-Type (XEP-0363). The type the renderer
 * announced for a staged file (the browser's `File.type`) when it is a plain one, else the
 * name's extension through a small built-in table; the bytes are never sniffed here.
 */

/** type/subtype of word characters, dots, pluses and dashes (no parameters, no spaces). */
const PLAIN_TYPE = /^[a-z0-9][\w.+-]{0,126}\/[a-z0-9][\w.+-]{0,126}$/iu;

// prettier-ignore
const BY_EXTENSION: Readonly<Record<string, string>> = {
  // images
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', jfif: 'image/jpeg', gif: 'image/gif',
  webp: 'image/webp', avif: 'image/avif', heic: 'image/heic', bmp: 'image/bmp', tif: 'image/tiff',
  tiff: 'image/tiff', svg: 'image/svg+xml', ico: 'image/vnd.microsoft.icon',
  // audio and video
  mp3: 'audio/mpeg', m4a: 'audio/mp4', aac: 'audio/aac', ogg: 'audio/ogg', oga: 'audio/ogg',
  opus: 'audio/opus', flac: 'audio/flac', wav: 'audio/wav', mp4: 'video/mp4', m4v: 'video/mp4',
  mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', avi: 'video/x-msvideo',
  // documents and text
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', html: 'text/html',
  htm: 'text/html', xml: 'application/xml', json: 'application/json', rtf: 'application/rtf',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation', doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  epub: 'application/epub+zip',
  // archives
  zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip', bz2: 'application/x-bzip2',
  xz: 'application/x-xz', '7z': 'application/x-7z-compressed', tar: 'application/x-tar',
  rar: 'application/vnd.rar',
};

/** A plain media type as given (lower-cased), or undefined. */
export function plainMediaType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return PLAIN_TYPE.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/** The type for a file name's extension (case-insensitive), or undefined when the table has none. */
export function mediaTypeOfName(name: string): string | undefined {
  const base = name.split(/[\\/]/u).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return undefined;
  const ext = base.slice(dot + 1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

/**
 * The media type to announce for `name`: `announced` (the renderer's, for a staged file) when
 * it is plain and not the generic application/octet-stream, else the extension's, else undefined.
 */
export function mediaTypeFor(name: string, announced?: string): string | undefined {
  const given = plainMediaType(announced);
  if (given !== undefined && given !== 'application/octet-stream') return given;
  return mediaTypeOfName(name) ?? given;
}

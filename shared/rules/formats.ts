/**
 * Content formats as the rule profiles name them. A profile lists format ids ("mp4",
 * "mkv", "jpg" …); the checks find a file's id from its bytes and ffprobe, never from
 * its name, and compare the name's extension separately (EXTENSION_MISMATCH).
 */
export const VIDEO_FORMATS = [
  'mp4',
  'mov',
  'm4v',
  '3gp',
  'mkv',
  'webm',
  'avi',
  'wmv',
  'flv',
  'rmvb',
  'ts',
  'mpg',
  'ogv',
  'm4a',
] as const;
export const IMAGE_FORMATS = ['jpg', 'png', 'gif', 'webp', 'heic', 'avif', 'bmp', 'tiff'] as const;
export const DOCUMENT_FORMATS = ['pdf'] as const;

export type VideoFormat = (typeof VIDEO_FORMATS)[number];
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export type FormatId = VideoFormat | ImageFormat | (typeof DOCUMENT_FORMATS)[number];
export const ALL_FORMATS: readonly string[] = [...VIDEO_FORMATS, ...IMAGE_FORMATS, ...DOCUMENT_FORMATS];

/** Spellings a person may type in a profile, folded to the canonical id. */
const ALIASES: Record<string, string> = {
  jpeg: 'jpg',
  jpe: 'jpg',
  tif: 'tiff',
  heif: 'heic',
  rm: 'rmvb',
  mpeg: 'mpg',
  '3g2': '3gp',
  mts: 'ts',
  m2ts: 'ts',
  asf: 'wmv',
  qt: 'mov',
};

export function normalizeFormatId(raw: string): string {
  const s = raw.trim().toLowerCase().replace(/^\./, '');
  return ALIASES[s] ?? s;
}

/**
 * Which content formats a file extension may honestly hold. The ISO-BMFF family
 * (mp4/mov/m4v/3gp) shares one container, and phones write `.mov` files with an mp4
 * brand and the reverse, so any member matches any other; likewise mkv/webm.
 */
const ISO_FAMILY = ['mp4', 'mov', 'm4v', '3gp', 'm4a'];
const MATROSKA_FAMILY = ['mkv', 'webm'];

export function formatsForExtension(ext: string | null): string[] {
  if (!ext) return [];
  const id = normalizeFormatId(ext);
  if (ISO_FAMILY.includes(id)) return ISO_FAMILY;
  if (MATROSKA_FAMILY.includes(id)) return MATROSKA_FAMILY;
  return ALL_FORMATS.includes(id) ? [id] : [];
}

export const extensionMatches = (ext: string | null, format: string): boolean =>
  formatsForExtension(ext).includes(format);

/** The extension a fixed or renamed file of this format gets. */
export const extensionFor = (format: string): string => (format === 'rmvb' ? 'rmvb' : format);

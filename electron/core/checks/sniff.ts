import fsp from 'node:fs/promises';

/**
 * What a file is, from its first bytes (never from its name). Images and PDFs are known
 * here; video containers are confirmed by ffprobe, but the ISO brand and the Matroska
 * DocType (mp4 vs mov vs 3gp, mkv vs webm) are only visible in these bytes.
 */
export interface Sniffed {
  kind: 'video' | 'photo' | 'document' | null;
  format: string | null;
}

const ascii = (b: Uint8Array, start: number, len: number) =>
  String.fromCharCode(...b.subarray(start, Math.min(b.length, start + len)));
const startsWith = (b: Uint8Array, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);

const HEIF_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1'];

function isoBrand(b: Uint8Array): Sniffed | null {
  if (ascii(b, 4, 4) !== 'ftyp') {
    // old QuickTime files start straight with a moov/mdat/wide/free box
    return ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(ascii(b, 4, 4))
      ? { kind: 'video', format: 'mov' }
      : null;
  }
  const major = ascii(b, 8, 4);
  const boxSize = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
  const compat: string[] = [];
  for (let i = 16; i + 4 <= Math.min(boxSize, b.length, 64); i += 4) compat.push(ascii(b, i, 4));
  if (major === 'avif' || major === 'avis') return { kind: 'photo', format: 'avif' };
  // a generic HEIF brand with AV1 inside: AVIF (libvips decodes it), not an HEVC HEIC
  const hevc = compat.some((c) => HEIF_BRANDS.includes(c) && c !== 'mif1' && c !== 'msf1');
  if ((major === 'mif1' || major === 'msf1') && !hevc && compat.some((c) => c === 'avif' || c === 'avis')) {
    return { kind: 'photo', format: 'avif' };
  }
  if (HEIF_BRANDS.includes(major) || (major === 'mif1' && compat.some((c) => HEIF_BRANDS.includes(c)))) {
    return { kind: 'photo', format: 'heic' };
  }
  if (major === 'qt  ') return { kind: 'video', format: 'mov' };
  if (major.startsWith('3gp') || major.startsWith('3g2')) return { kind: 'video', format: '3gp' };
  if (major.startsWith('M4V')) return { kind: 'video', format: 'm4v' };
  if (major.startsWith('M4A') || major === 'M4B ') return { kind: 'video', format: 'm4a' };
  return { kind: 'video', format: 'mp4' };
}

export function sniffBytes(b: Uint8Array): Sniffed {
  if (b.length >= 3 && startsWith(b, [0xff, 0xd8, 0xff])) return { kind: 'photo', format: 'jpg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'photo', format: 'png' };
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return { kind: 'photo', format: 'gif' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { kind: 'photo', format: 'webp' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'AVI ') return { kind: 'video', format: 'avi' };
  if (ascii(b, 0, 2) === 'BM' && b.length >= 26 && b[14] >= 12 && b[15] === 0) return { kind: 'photo', format: 'bmp' };
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]))
    return { kind: 'photo', format: 'tiff' };
  if (ascii(b, 0, 5) === '%PDF-') return { kind: 'document', format: 'pdf' };
  if (b.length >= 12) {
    const iso = isoBrand(b);
    if (iso) return iso;
  }
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) {
    // the EBML header names the DocType within its first few dozen bytes
    return { kind: 'video', format: ascii(b, 0, 64).includes('webm') ? 'webm' : 'mkv' };
  }
  if (startsWith(b, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return { kind: 'video', format: 'wmv' };
  if (ascii(b, 0, 3) === 'FLV' && b[3] === 1) return { kind: 'video', format: 'flv' };
  if (ascii(b, 0, 4) === '.RMF') return { kind: 'video', format: 'rmvb' };
  if (ascii(b, 0, 4) === 'OggS') return { kind: 'video', format: 'ogv' };
  if (startsWith(b, [0x00, 0x00, 0x01, 0xba])) return { kind: 'video', format: 'mpg' };
  if (b.length >= 377 && b[0] === 0x47 && b[188] === 0x47 && b[376] === 0x47) return { kind: 'video', format: 'ts' };
  return { kind: null, format: null };
}

/** ffprobe's container name → our format id, for containers the magic bytes left open. */
export function formatFromContainer(container: string, sniffed: string | null): string | null {
  const names = container.split(',');
  if (sniffed && names.some((n) => ['mov', 'mp4', 'matroska', 'webm'].includes(n))) return sniffed;
  const map: Record<string, string> = {
    mov: 'mp4',
    matroska: 'mkv',
    webm: 'webm',
    avi: 'avi',
    asf: 'wmv',
    flv: 'flv',
    rm: 'rmvb',
    mpegts: 'ts',
    mpeg: 'mpg',
    ogg: 'ogv',
  };
  for (const n of names) if (map[n]) return map[n];
  return sniffed ?? names[0] ?? null;
}

export async function readHead(file: string, bytes = 4096): Promise<Uint8Array> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
  } finally {
    await fh.close();
  }
}

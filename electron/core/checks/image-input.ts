import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { ffmpegToBuffer } from '../media/ffmpeg';
import { readHeif } from './heif-decoder';
import { readHead, sniffBytes } from './sniff';

/**
 * What sharp is handed for a photo. The bundled libvips has no BMP loader (that needs
 * ImageMagick) and no HEVC decoder, yet scanners and old Windows tools still write .bmp
 * and iPhones save HEIC: the bundled ffmpeg decodes a BMP into a PNG in memory, libheif
 * (WASM, heif-decoder.ts) a HEIC into RGBA pixels, and sharp works on those. The declared
 * size is read from the header first, so a decompression bomb is refused before anything
 * decodes it.
 */
export interface ImageInput {
  input: string | Buffer;
  /** `input` holds raw pixels of this layout (a decoded HEIC) */
  raw: { width: number; height: number; channels: 4 } | null;
  /** the file's own format when its pixels were converted (the checks judge that one) */
  convertedFrom: 'bmp' | 'heic' | null;
  /** BMP / HEIC: the size its header declares (HEIC: with its rotation applied) */
  declared: { width: number; height: number } | null;
}

/** Image decodes stop after this, like libvips work (IMAGE_TIMEOUT) and every ffmpeg run. */
export const DECODE_TIMEOUT_MS = 120_000;

export async function openImage(
  file: string,
  maxPixels: number,
  opts: { signal?: AbortSignal } = {},
): Promise<ImageInput> {
  const head = await readHead(file, 64);
  const format = sniffBytes(head).format;
  if (format === 'heic') {
    const heif = await readHeif(file, { maxPixels, timeoutMs: DECODE_TIMEOUT_MS, signal: opts.signal });
    const declared = { width: heif.width, height: heif.height };
    if (!heif.pixels) return { input: file, raw: null, convertedFrom: 'heic', declared };
    return { input: heif.pixels, raw: { ...declared, channels: 4 }, convertedFrom: 'heic', declared };
  }
  if (format !== 'bmp') return { input: file, raw: null, convertedFrom: null, declared: null };
  const declared = bmpSize(head);
  if (!declared || declared.width * declared.height > maxPixels)
    return { input: file, raw: null, convertedFrom: 'bmp', declared };
  const png = await ffmpegToBuffer(['-i', file, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png'], {
    timeoutMs: DECODE_TIMEOUT_MS,
    maxBytes: declared.width * declared.height * 8 + 1_000_000,
  });
  return { input: png, raw: null, convertedFrom: 'bmp', declared };
}

/** A sharp pipeline on an opened image (raw pixels need their layout named). */
export const sharpOf = (img: ImageInput, options: SharpOptions = {}): Sharp =>
  sharp(img.input, img.raw ? { ...options, raw: img.raw } : options);

/** Width and height from a BMP's DIB header (height is negative for top-down rows). */
export function bmpSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 26) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dib = dv.getUint32(14, true);
  const width = dib === 12 ? dv.getUint16(18, true) : dv.getInt32(18, true);
  const height = Math.abs(dib === 12 ? dv.getUint16(20, true) : dv.getInt32(22, true));
  return width > 0 && height > 0 ? { width, height } : null;
}

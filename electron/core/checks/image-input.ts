import { ffmpegToBuffer } from '../media/ffmpeg';
import { readHead, sniffBytes } from './sniff';

/**
 * What sharp is handed for a photo. The bundled libvips has no BMP loader (that needs
 * ImageMagick), yet scanners and old Windows tools still write .bmp: the bundled ffmpeg
 * decodes those into a PNG in memory and sharp works on that. The declared size is read
 * from the BMP header first, so a decompression bomb is refused before either decodes it.
 */
export interface ImageInput {
  input: string | Buffer;
  /** the file's own format when its pixels were converted (the checks judge that one) */
  convertedFrom: 'bmp' | null;
  /** BMP: the size its header declares */
  declared: { width: number; height: number } | null;
}

export async function openImage(file: string, maxPixels: number): Promise<ImageInput> {
  const head = await readHead(file, 64);
  if (sniffBytes(head).format !== 'bmp') return { input: file, convertedFrom: null, declared: null };
  const declared = bmpSize(head);
  if (!declared || declared.width * declared.height > maxPixels) return { input: file, convertedFrom: 'bmp', declared };
  const png = await ffmpegToBuffer(['-i', file, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png'], {
    timeoutMs: 120_000,
    maxBytes: declared.width * declared.height * 8 + 1_000_000,
  });
  return { input: png, convertedFrom: 'bmp', declared };
}

/** Width and height from a BMP's DIB header (height is negative for top-down rows). */
export function bmpSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 26) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dib = dv.getUint32(14, true);
  const width = dib === 12 ? dv.getUint16(18, true) : dv.getInt32(18, true);
  const height = Math.abs(dib === 12 ? dv.getUint16(20, true) : dv.getInt32(22, true));
  return width > 0 && height > 0 ? { width, height } : null;
}

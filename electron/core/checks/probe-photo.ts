import type { Metadata } from 'sharp';
import { isAppError } from '../../../shared/api/result';
import type { PhotoFacts } from '../../../shared/rules/facts';
import { HeifUnreadable, type HeifProblem } from './heif-decoder';
import { openImage, sharpOf, type ImageInput } from './image-input';
import { laplacianVariance } from './sharpness';

/**
 * The most pixels ProofPack will ever decode (≈ a 12000 × 8000 photo, 400 MB as RGBA).
 * A PNG can declare 30000 × 30000 in 100 bytes: the header is read first and such a
 * file is refused before a single pixel is allocated.
 */
export const MAX_DECODE_PIXELS = 100_000_000;
/** libvips work on one image is stopped after this, like every ffmpeg run has a timeout. */
export const IMAGE_TIMEOUT = { seconds: 120 };

export type PhotoProbe =
  | {
      ok: true;
      facts: PhotoFacts;
      format: string | null;
      /** the opened image, for the label scan to reuse (a HEIC or BMP is decoded once) */
      image: ImageInput;
    }
  | { ok: false; reason: HeifProblem | 'timeout'; detail: string };

const FORMAT_IDS: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  heif: 'heic',
  tiff: 'tiff',
  avif: 'avif',
};

export async function probePhoto(
  file: string,
  opts: { maxPixels?: number; signal?: AbortSignal } = {},
): Promise<PhotoProbe> {
  const maxPixels = opts.maxPixels ?? MAX_DECODE_PIXELS;
  let meta: Metadata;
  let img: ImageInput;
  try {
    img = await openImage(file, maxPixels, { signal: opts.signal });
    if (img.convertedFrom && typeof img.input === 'string') {
      // not converted: a header declaring too many pixels (refused below) or none at all
      if (!img.declared) return { ok: false, reason: 'damaged', detail: `unreadable ${img.convertedFrom} header` };
      meta = { ...img.declared } as Metadata;
    } else {
      // metadata() parses the header only: no pixel is decoded here
      meta = await sharpOf(img, { limitInputPixels: false }).metadata();
    }
  } catch (e) {
    return failed(e);
  }
  const width = meta.width ?? null;
  const height = meta.height ?? null;
  const base: PhotoFacts = {
    width,
    height,
    orientation: meta.orientation ?? null,
    sharpness: null,
    decodeRefused: false,
    maxDecodePixels: maxPixels,
  };
  const format = img.convertedFrom ?? formatId(meta);
  if (!width || !height || width * height > maxPixels) {
    return { ok: true, format, image: img, facts: { ...base, decodeRefused: true } };
  }
  try {
    const { data, info } = await sharpOf(img, { limitInputPixels: maxPixels, failOn: 'error' })
      .flatten({ background: '#ffffff' })
      .greyscale()
      .resize({ width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true })
      .timeout(IMAGE_TIMEOUT)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const gray = info.channels === 1 ? data : firstChannel(data, info.channels);
    const sharpness = round(laplacianVariance(gray, info.width, info.height));
    return { ok: true, format, image: img, facts: { ...base, sharpness } };
  } catch (e) {
    return failed(e);
  }
}

/** libvips names AVIF and HEIC both "heif": the compression tells them apart. */
const formatId = (meta: Metadata): string | null =>
  meta.format === 'heif' && meta.compression === 'av1'
    ? 'avif'
    : meta.format
      ? (FORMAT_IDS[meta.format] ?? meta.format)
      : null;

function failed(e: unknown): PhotoProbe {
  if (isAppError(e) && e.code === 'CANCELLED') throw e;
  if (isAppError(e) && e.code === 'TIMEOUT') return { ok: false, reason: 'timeout', detail: e.message };
  const reason = e instanceof HeifUnreadable ? e.reason : 'damaged';
  return { ok: false, reason, detail: (e as Error).message };
}

function firstChannel(data: Buffer, channels: number): Uint8Array {
  const out = new Uint8Array(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels];
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;

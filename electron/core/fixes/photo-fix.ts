import fsp from 'node:fs/promises';
import { AppError } from '../../../shared/api/result';
import { openImage, sharpOf } from '../checks/image-input';
import { IMAGE_TIMEOUT, MAX_DECODE_PIXELS } from '../checks/probe-photo';
import type { PhotoPlan } from './plan';

/**
 * Photos: EXIF orientation applied to the pixels (some platform viewers ignore the
 * flag and show the label sideways), then the best quality that fits: JPEG quality
 * steps first, then 20 % smaller each round. PNG stays PNG only when it already fits.
 */
const QUALITIES = [92, 86, 80, 72, 64];

export async function runPhotoPlan(src: string, plan: PhotoPlan, out: string, signal?: AbortSignal): Promise<void> {
  if (plan.renameOnly) {
    await fsp.copyFile(src, out);
    return;
  }
  const budget = Math.floor(plan.maxBytes * 0.98);
  // BMP: decoded by ffmpeg; HEIC: by libheif, upright by its own rotation (irot/imir)
  const img = await openImage(src, MAX_DECODE_PIXELS, { signal });
  const meta = await sharpOf(img, { limitInputPixels: MAX_DECODE_PIXELS }).metadata();
  const swap = (meta.orientation ?? 1) >= 5; // 5–8 rotate by 90°: width and height trade places
  const w0 = (swap ? meta.height : meta.width) ?? 0;
  const h0 = (swap ? meta.width : meta.height) ?? 0;
  let longSide = Math.min(Math.max(w0, h0), plan.maxLongSidePx ?? Infinity);
  for (let round = 0; round < 12; round++) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
    const base = () =>
      sharpOf(img, { limitInputPixels: MAX_DECODE_PIXELS })
        .rotate()
        .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
        .timeout(IMAGE_TIMEOUT);
    if (plan.format === 'png') {
      const buf = await base().png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer();
      if (buf.length <= budget) return fsp.writeFile(out, buf);
    } else {
      for (const quality of QUALITIES) {
        const buf = await base().flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true }).toBuffer();
        if (buf.length <= budget) return fsp.writeFile(out, buf);
      }
    }
    longSide = Math.max(64, Math.floor(longSide * 0.8));
  }
  throw new AppError('MEDIA_FAILED', 'The photo could not be made small enough');
}

import fsp from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_TIMEOUT, MAX_DECODE_PIXELS } from '../checks/probe-photo';
import { openImage, sharpOf } from '../checks/image-input';
import type { Chapter } from '../../../shared/domain/types';
import { runFfmpeg } from '../media/ffmpeg';

/** A small JPEG for the summary PDF; `atMs` for key frames of a video. */
export interface Thumb {
  jpeg: Uint8Array;
  atMs: number | null;
  step: string | null;
}

const WIDTH = 320;

/**
 * Key frames of a video: one at each checklist mark the packer made (what the mark
 * shows is exactly what a reviewer wants to see), or at 10 % / 50 % / 90 % when the
 * video has no marks. Input seeking (-ss before -i) and decoding key frames only keep
 * each grab to one decoded frame, however long or heavy the video.
 */
export async function videoKeyFrames(
  file: string,
  durationMs: number | null,
  chapters: Chapter[],
  tmpDir: string,
  signal?: AbortSignal,
): Promise<Thumb[]> {
  const points: { atMs: number; step: string | null }[] = chapters.length
    ? chapters.slice(0, 6).map((c) => ({ atMs: c.atMs, step: c.step }))
    : durationMs && durationMs > 1000
      ? [0.1, 0.5, 0.9].map((r) => ({ atMs: Math.round(durationMs * r), step: null }))
      : [{ atMs: 0, step: null }];
  const out: Thumb[] = [];
  await fsp.mkdir(tmpDir, { recursive: true });
  for (const [i, p] of points.entries()) {
    const at = durationMs ? Math.min(p.atMs, Math.max(0, durationMs - 200)) : p.atMs;
    const target = path.join(tmpDir, `frame-${process.pid}-${Date.now()}-${i}.jpg`);
    try {
      await grabFrame(file, at, target, signal);
      out.push({ jpeg: await fsp.readFile(target), atMs: p.atMs, step: p.step });
    } catch (e) {
      if (signal?.aborted) throw e;
      // a frame that cannot be grabbed (seek past a truncated end) is left out, not fatal
    } finally {
      await fsp.rm(target, { force: true });
    }
  }
  return out;
}

/**
 * The key frame at or before `atMs` as a JPEG `WIDTH` wide at `target`: only that one frame
 * is decoded (no decoding up to the exact time), on one thread so a concurrent packet copy
 * or a stream to a viewer keeps a core.
 */
export async function grabFrame(file: string, atMs: number, target: string, signal?: AbortSignal): Promise<void> {
  await runFfmpeg({
    inputs: [{ file, options: ['-skip_frame', 'nokey', '-threads', '1', '-ss', (atMs / 1000).toFixed(3)] }],
    output: target,
    outputOptions: ['-frames:v', '1', '-vf', `scale=${WIDTH}:-2`, '-q:v', '5', '-threads', '1', '-f', 'image2'],
    signal,
    timeoutMs: 60_000,
  });
}

/** A photo (or an image document) scaled down, upright by its EXIF orientation. */
export async function imageThumb(file: string): Promise<Thumb | null> {
  try {
    // a BMP goes through ffmpeg first, a HEIC through libheif: the bundled libvips reads neither
    const img = await openImage(file, MAX_DECODE_PIXELS);
    const jpeg = await sharpOf(img, { limitInputPixels: MAX_DECODE_PIXELS })
      .timeout(IMAGE_TIMEOUT)
      .rotate()
      .resize({ width: WIDTH, height: WIDTH, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 72 })
      .toBuffer();
    return { jpeg, atMs: null, step: null };
  } catch {
    return null; // not an image sharp can read (a PDF voucher): the PDF lists it without a picture
  }
}

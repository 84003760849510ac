import { isAppError } from '../../../shared/api/result';
import { openImage, sharpOf, type ImageInput } from './image-input';
import { IMAGE_TIMEOUT } from './probe-photo';
import { normalizeCode } from '../../../shared/rules/evaluate';
import type { LabelFacts } from '../../../shared/rules/facts';
import { decodeRgba } from '../media/barcode';
import { ffmpegRawFrames } from '../media/ffmpeg';
import type { VideoIndex } from './probe-video';

/**
 * Is the shipping label readable? Barcodes are decoded in the photo, or in frames
 * sampled from the video. Sampling is what makes a 10-minute video take seconds:
 *  - only keyframes are decoded (`-skip_frame nokey`): recorders write one every
 *    0.5–1 s, and a keyframe decodes without the frames before it;
 *  - at most `maxFrames` of them, evenly spread, plus the moments the packer marked
 *    as "label" in the checklist, which are read first;
 *  - it stops at the first frame that shows the expected tracking number (or, with none
 *    expected, any code);
 *  - ffmpeg decodes the next frames while zxing reads the current one (two processes).
 */
export interface LabelScanOptions {
  formats: string[];
  expected: string | null;
  signal?: AbortSignal;
  lowPriority?: boolean;
}

class Collector {
  codes = new Set<string>();
  frames = 0;
  foundAtSec: number | null = null;
  private want: string | null;
  constructor(expected: string | null) {
    this.want = expected ? normalizeCode(expected) : null;
  }
  /** true when scanning can stop */
  add(texts: string[], atSec: number | null): boolean {
    this.frames++;
    for (const t of texts) this.codes.add(t.trim());
    const hit = this.want ? texts.some((t) => normalizeCode(t) === this.want) : texts.length > 0;
    if (hit && this.foundAtSec === null) this.foundAtSec = atSec;
    return hit;
  }
  result(expected: string | null): LabelFacts {
    const codes = [...this.codes];
    const want = expected ? normalizeCode(expected) : null;
    return {
      scanned: true,
      codes,
      expected,
      framesScanned: this.frames,
      foundAtSec: this.foundAtSec,
      matched: want ? codes.some((c) => normalizeCode(c) === want) : null,
    };
  }
}

const MAX_FRAME_SIDE = 1920;

function frameSize(width: number, height: number) {
  const k = Math.min(1, MAX_FRAME_SIDE / Math.max(width, height));
  const even = (n: number) => Math.max(2, Math.round((n * k) / 2) * 2);
  return { w: even(width), h: even(height) };
}

/** The keyframes a rule "one every `step` s after the last one taken" would pick. */
export function pickEvery(keyframes: number[], step: number): number[] {
  const out: number[] = [];
  for (const k of keyframes) if (!out.length || k - out[out.length - 1] >= step - 1e-6) out.push(k);
  return out;
}

export async function scanVideoLabel(
  file: string,
  video: { width: number; height: number; durationSec: number; maxKeyframeIntervalSec: number | null },
  index: VideoIndex,
  opts: LabelScanOptions & { hintsSec?: number[]; maxFrames?: number },
): Promise<LabelFacts> {
  const col = new Collector(opts.expected);
  const { w, h } = frameSize(video.width, video.height);
  const frameBytes = w * h * 4;
  const maxFrames = opts.maxFrames ?? 150;
  const duration = Math.max(video.durationSec, 0.001);
  const step = Math.max(1, duration / maxFrames);
  const vf = (select: string) => [
    '-vf',
    `${select},scale=${w}:${h}:flags=bilinear`,
    '-vsync',
    'vfr',
    '-pix_fmt',
    'rgba',
    '-f',
    'rawvideo',
  ];
  const stream = { signal: opts.signal, lowPriority: opts.lowPriority, timeoutMs: 10 * 60_000 };
  let done = false;
  const read = async (frame: Buffer, atSec: number | null) => {
    const found = await decodeRgba(frame, w, h, opts.formats);
    done = col.add(
      found.map((f) => f.text),
      atSec,
    );
    // let the event loop breathe between frames (recording chunks keep flowing)
    await new Promise((r) => setImmediate(r));
    return !done;
  };

  // 1) the moments marked "label" in the checklist: a few keyframes around each
  for (const hint of (opts.hintsSec ?? []).slice(0, 4)) {
    if (done) break;
    const from = Math.max(0, hint - 1);
    await hintPass(() =>
      ffmpegRawFrames(
        [
          '-ss',
          String(from),
          '-skip_frame',
          'nokey',
          '-noautorotate',
          '-i',
          file,
          '-t',
          '4',
          ...vf('select=1'),
          '-frames:v',
          '6',
        ],
        frameBytes,
        (f) => read(f, null),
        stream,
      ),
    );
  }
  // 2) an even spread over the whole video, keyframes only when there are enough of them
  if (!done) {
    const sparse = !index.keyframes.length || (video.maxKeyframeIntervalSec ?? Infinity) > Math.max(4, step * 2);
    const predicted = sparse ? [] : pickEvery(index.keyframes, step);
    const select = `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${(step - 1e-6).toFixed(6)})'`;
    const spread = (keyOnly: boolean) =>
      ffmpegRawFrames(
        [
          ...(keyOnly ? ['-skip_frame', 'nokey'] : []),
          '-noautorotate',
          '-i',
          file,
          ...vf(select),
          '-frames:v',
          String(maxFrames + 1),
        ],
        frameBytes,
        (f, i) => read(f, keyOnly ? (predicted[i] ?? null) : i * step),
        stream,
      );
    if (sparse) await spread(false);
    else {
      try {
        await spread(true);
      } catch (e) {
        // some decoders refuse to skip frames (ffmpeg 4.1's frame-threaded Theora fails
        // with "Final thread update failed"): decode every frame instead
        if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'TIMEOUT')) throw e;
        if (!done) await spread(false);
      }
    }
  }
  return col.result(opts.expected);
}

/** The hint pass only saves time: a decoder that fails on it leaves the even spread to do the work. */
async function hintPass(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'TIMEOUT')) throw e;
  }
}

/**
 * Barcodes in a photo: first at ≤2048 px (fast, enough for a label filling part of the
 * frame), then at up to 4096 px when nothing was found in a larger photo (small label).
 * `autoOrient` applies EXIF orientation first; the pixel bound was checked by the caller.
 */
export async function scanPhotoLabel(
  file: string,
  size: { width: number; height: number },
  opts: LabelScanOptions & { maxPixels: number; image?: ImageInput },
): Promise<LabelFacts> {
  const col = new Collector(opts.expected);
  const long = Math.max(size.width, size.height);
  // the probe's opened image when given: a HEIC or BMP is not decoded a second time
  const img = opts.image ?? (await openImage(file, opts.maxPixels, { signal: opts.signal }));
  for (const side of long > 2048 ? [2048, Math.min(long, 4096)] : [long]) {
    const { data, info } = await sharpOf(img, { limitInputPixels: opts.maxPixels, failOn: 'none' })
      .rotate()
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .timeout(IMAGE_TIMEOUT)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const found = await decodeRgba(data, info.width, info.height, opts.formats);
    if (
      col.add(
        found.map((f) => f.text),
        null,
      ) ||
      found.length
    )
      break;
  }
  return col.result(opts.expected);
}

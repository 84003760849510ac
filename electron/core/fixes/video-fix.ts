import fsp from 'node:fs/promises';
import path from 'node:path';
import { runFfmpeg } from '../media/ffmpeg';
import type { VideoPlan } from './plan';

/**
 * Runs one video plan as ONE ffmpeg pass: remux, transcode, compress, trim and split
 * all happen in the same read of the source (the segment muxer writes the parts).
 *
 * Frame timing: `-vsync passthrough` keeps every frame's own timestamp. Without it,
 * Chromium's WebM (which declares 1000 fps) is "filled up" to 1000 fps by duplicating
 * frames, and a recording with a pause would get the pause filled with copies.
 */
export interface RunVideoOptions {
  signal?: AbortSignal;
  onProgress?: (ratio: number) => void;
  /** overrides plan.maxrateKbps (the fixer tightens it when an output came out too big) */
  maxrateKbps?: number | null;
  /** x264 preset: veryfast is ~3.4× realtime at 720p on 2 cores with good quality per bit */
  preset?: string;
}

/**
 * x264 keeps its VBV buffer size in bits as a 32-bit int: a short clip's byte budget
 * gives a rate whose 2× buffer passes 2^31 bits (PDD: any part or trim under ~2.3 s) and
 * the encoder refuses to open. 400 Mbit/s is far beyond what x264 produces at these
 * sizes, so the cap never costs quality, and at that rate even 2.3 s stays well under
 * every size limit.
 */
const MAX_RATE_KBPS = 400_000;

/** Writes `<stem>.mp4`, or `<stem>.part01.mp4` … for a split; returns the files in order. */
export async function runVideoPlan(
  src: string,
  plan: VideoPlan,
  stem: string,
  opts: RunVideoOptions = {},
): Promise<string[]> {
  const durationSec = plan.range ? plan.range.endSec - plan.range.startSec : null;
  const input = { file: src, options: plan.range ? ['-ss', plan.range.startSec.toFixed(3)] : [] };
  const out: string[] = [];
  if (plan.range) out.push('-t', durationSec!.toFixed(3));
  out.push('-map', '0:v:0');
  if (plan.audio !== 'none') out.push('-map', '0:a:0');
  const wanted = opts.maxrateKbps !== undefined ? opts.maxrateKbps : plan.maxrateKbps;
  const maxrate = wanted ? Math.min(wanted, MAX_RATE_KBPS) : null;
  if (plan.video === 'copy') {
    out.push('-c:v', 'copy');
  } else {
    out.push(
      '-c:v',
      'libx264',
      '-preset',
      opts.preset ?? 'veryfast',
      '-crf',
      '23',
      '-pix_fmt',
      'yuv420p',
      '-vsync',
      'passthrough',
    );
    // capped CRF: the quality CRF gives, but never more bits than the limit allows
    if (maxrate) out.push('-maxrate', `${maxrate}k`, '-bufsize', `${maxrate * 2}k`);
    if (plan.cuts.length) out.push('-force_key_frames', plan.cuts.map((c) => c.toFixed(3)).join(','));
  }
  if (plan.audio === 'copy') out.push('-c:a', 'copy');
  else if (plan.audio === 'aac') out.push('-c:a', 'aac', '-b:a', '96k');
  else out.push('-an');
  out.push('-sn', '-dn', '-map_metadata', '0', '-max_muxing_queue_size', '4096', '-avoid_negative_ts', 'make_zero');

  let output: string;
  if (plan.cuts.length) {
    // the segment muxer cuts at the first keyframe at or after each time: a hair early
    // so float rounding never pushes a cut to the keyframe after the planned one
    out.push(
      '-f',
      'segment',
      '-segment_times',
      plan.cuts.map((c) => Math.max(0, c - 0.0005).toFixed(4)).join(','),
      '-segment_start_number',
      '1',
      '-reset_timestamps',
      '1',
      '-segment_format',
      'mp4',
      '-segment_format_options',
      'movflags=+faststart',
    );
    output = `${stem}.part%02d.mp4`;
  } else {
    out.push('-movflags', '+faststart', '-f', 'mp4');
    output = `${stem}.mp4`;
  }
  await fsp.mkdir(path.dirname(stem), { recursive: true });
  await runFfmpeg({
    inputs: [input],
    output,
    outputOptions: out,
    durationMs: durationSec != null ? durationSec * 1000 : undefined,
    onProgress: (p) => p.ratio != null && opts.onProgress?.(p.ratio),
    signal: opts.signal,
    timeoutMs: 6 * 60 * 60_000,
  });
  if (!plan.cuts.length) return [output];
  const base = path.basename(stem);
  const files = (await fsp.readdir(path.dirname(stem)))
    .filter((f) => f.startsWith(`${base}.part`) && f.endsWith('.mp4'))
    .sort();
  return files.map((f) => path.join(path.dirname(stem), f));
}

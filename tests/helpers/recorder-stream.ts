import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ffmpegPath } from '../../electron/core/media/binaries';

/**
 * A fragmented H.264 MP4 shaped like Chromium's MediaRecorder output (empty moov, one
 * fragment per keyframe), cut into roughly one-second chunks as the station sends them.
 */
export function recorderLikeStream(
  dir: string,
  seconds: number,
  opts: { width?: number; height?: number; fps?: number } = {},
) {
  const { width = 640, height = 360, fps = 30 } = opts;
  const file = path.join(dir, `rec-${seconds}s-${width}x${height}.mp4`);
  if (!fs.existsSync(file)) {
    execFileSync(ffmpegPath(), [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=${fps}`,
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-profile:v',
      'baseline',
      '-pix_fmt',
      'yuv420p',
      '-g',
      String(Math.round(fps / 2)),
      '-movflags',
      'frag_keyframe+empty_moov+default_base_moof',
      '-f',
      'mp4',
      file,
    ]);
  }
  const bytes = fs.readFileSync(file);
  const perSecond = Math.ceil(bytes.length / seconds);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += perSecond) chunks.push(new Uint8Array(bytes.subarray(i, i + perSecond)));
  return { file, chunks, bytes: bytes.length };
}

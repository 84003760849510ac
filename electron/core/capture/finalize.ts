import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import { probe, runFfmpeg, type ProbeResult } from '../media/ffmpeg';
import { publishFile, sha256File } from '../storage/files';

export interface FinalizedMedia {
  finalPath: string;
  ext: string;
  sha256: string;
  bytes: number;
  durationMs: number | null;
  width: number | null;
  height: number | null;
}

/**
 * Turns a recording's raw MediaRecorder stream (fragmented MP4, Matroska or WebM, possibly
 * cut short by a crash) into a playable file with a duration: a stream copy, no
 * re-encode. H.264 goes into MP4 with the index at the front (fast start); other codecs
 * (VP8/VP9 from a WebM-only recorder) into Matroska, which the platforms accept too.
 */
export async function finalizeRecording(
  partPath: string,
  finalPathNoExt: string,
  opts: { timeoutMs?: number } = {},
): Promise<FinalizedMedia> {
  const size = (await fsp.stat(partPath).catch(() => null))?.size ?? 0;
  if (size === 0)
    throw new AppError('MEDIA_UNREADABLE', 'The recording is empty (no chunk was stored)', {
      partPath,
      problem: 'recording-empty',
    });
  const source = await probe(partPath, { timeoutMs: 30_000 }).catch(() => null);
  const video = source?.streams.find((s) => s.codec_type === 'video');
  if (!video)
    throw new AppError('MEDIA_UNREADABLE', 'The recording holds no readable video', {
      partPath,
      problem: 'recording-no-video',
    });
  const ext = video.codec_name === 'h264' ? 'mp4' : 'mkv';
  const finalPath = `${finalPathNoExt}.${ext}`;
  const tmp = `${finalPath}.tmp-${process.pid}`;
  await fsp.mkdir(path.dirname(finalPath), { recursive: true });
  await removeStaleTemps(finalPath);
  try {
    await runFfmpeg({
      inputs: [{ file: partPath }],
      output: tmp,
      outputOptions: [
        '-map',
        '0:v:0',
        '-map',
        '0:a:0?',
        '-c',
        'copy',
        ...(ext === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'matroska']),
      ],
      timeoutMs: opts.timeoutMs ?? 10 * 60_000,
    });
    const out = await probe(tmp, { timeoutMs: 30_000 });
    const dims = dimensions(out);
    // a part holding only the header (killed before its first complete fragment) remuxes
    // "successfully" into a file with no frames: that is not footage
    if (!dims.durationMs || !out.streams.some((st) => st.codec_type === 'video')) {
      throw new AppError('MEDIA_UNREADABLE', 'The recording holds no complete video fragment', {
        partPath,
        problem: 'recording-incomplete',
      });
    }
    const hash = sha256File(tmp);
    const stat = await fsp.stat(tmp);
    const sha256 = await hash;
    await publishFile(tmp, finalPath);
    return { finalPath, ext, sha256, bytes: stat.size, ...dims };
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** temp outputs of an earlier attempt that was killed mid-remux (same final name) */
async function removeStaleTemps(finalPath: string): Promise<void> {
  const dir = path.dirname(finalPath);
  const prefix = `${path.basename(finalPath)}.tmp-`;
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) await fsp.rm(path.join(dir, name), { force: true });
  }
}

function dimensions(p: ProbeResult) {
  const v = p.streams.find((s) => s.codec_type === 'video');
  const d = Number(p.format.duration ?? v?.duration);
  return {
    durationMs: Number.isFinite(d) ? Math.round(d * 1000) : null,
    width: v?.width ?? null,
    height: v?.height ?? null,
  };
}

import { execFile } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';
import { AppError } from '../../../shared/api/result';
import { ffmpegPath, ffprobePath } from './binaries';
import { parseFfmpegProgress, parseInputDuration, type FfmpegProgress } from './progress';
import { probeThroughFfmpeg } from './ffmpeg-pipes';
import { firstLine, lastError } from './stderr-lines';

// the spawned-pipe tools live next door; importers keep using this module
export { ffmpegRawFrames, ffmpegToBuffer, ffprobePackets, fromBanner, type PacketInfo } from './ffmpeg-pipes';

/**
 * The one place fluent-ffmpeg is used (it is archived upstream: keeping it behind this
 * adapter means replacing it touches one file). Every run has a timeout and is killed
 * when it passes, or when its AbortSignal fires.
 */

export interface ProbeStream {
  index: number;
  codec_type: 'video' | 'audio' | 'subtitle' | 'data' | string;
  codec_name?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  pix_fmt?: string;
  /** H.264 profile name ("High", "Constrained Baseline"…) and level ×10 (31 = 3.1) */
  profile?: string;
  level?: number;
  tags?: Record<string, string>;
  side_data_list?: { rotation?: number }[];
  /** attached_pic = 1: cover art stored as a one-frame "video" stream, not footage */
  disposition?: { attached_pic?: number; [k: string]: number | undefined };
}
export interface ProbeResult {
  format: {
    format_name: string;
    format_long_name?: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
    nb_streams?: number;
    tags?: Record<string, string>;
  };
  streams: ProbeStream[];
}

export interface ProbeOptions {
  timeoutMs?: number;
  /** extra ffprobe args, e.g. ['-show_packets'] */
  extraArgs?: string[];
  signal?: AbortSignal;
}

export function ffprobeJson<T = ProbeResult>(file: string, opts: ProbeOptions = {}): Promise<T> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'];
  args.push(...(opts.extraArgs ?? []), '-i', file);
  return new Promise((resolve, reject) => {
    execFile(
      ffprobePath(),
      args,
      { timeout: opts.timeoutMs ?? 30_000, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, signal: opts.signal },
      (err, stdout, stderr) => {
        if (err) {
          const killed = (err as { killed?: boolean }).killed;
          if (opts.signal?.aborted) return reject(new AppError('CANCELLED', 'Probe cancelled'));
          if (!killed && (err as { signal?: string | null }).signal) {
            // ffprobe itself crashed (the bundled Linux build segfaults on every MPEG-TS):
            // let the bundled ffmpeg demux the file and probe its stream copy instead
            return resolve(probeThroughFfmpeg<T>(file, args.slice(0, -2), opts));
          }
          return reject(
            killed
              ? new AppError('TIMEOUT', `ffprobe timed out on ${file}`)
              : new AppError('MEDIA_UNREADABLE', firstLine(stderr) || err.message, { file }),
          );
        }
        try {
          resolve(JSON.parse(stdout) as T);
        } catch {
          reject(new AppError('MEDIA_UNREADABLE', 'ffprobe printed no readable result', { file }));
        }
      },
    );
  });
}

export const probe = (file: string, opts?: ProbeOptions) => ffprobeJson<ProbeResult>(file, opts);

export interface FfmpegRunOptions {
  inputs: { file: string; options?: string[] }[];
  output: string;
  outputOptions: string[];
  /** for progress ratios; read from the input banner when not given */
  durationMs?: number | null;
  onProgress?: (p: FfmpegProgress) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export function runFfmpeg(opts: FfmpegRunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new AppError('CANCELLED', 'Cancelled'));
    const cmd = ffmpeg().setFfmpegPath(ffmpegPath());
    for (const input of opts.inputs) {
      cmd.input(input.file);
      if (input.options?.length) cmd.inputOptions(input.options);
    }
    cmd.outputOptions(['-y', '-nostdin', ...opts.outputOptions]).output(opts.output);
    let total = opts.durationMs ?? null;
    const tail: string[] = [];
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => {
      cmd.kill('SIGKILL');
      finish(new AppError('CANCELLED', 'Cancelled'));
    };
    const timer = setTimeout(
      () => {
        cmd.kill('SIGKILL');
        finish(new AppError('TIMEOUT', `ffmpeg took longer than ${opts.timeoutMs} ms`));
      },
      opts.timeoutMs ?? 60 * 60_000,
    );
    opts.signal?.addEventListener('abort', onAbort);
    cmd.on('stderr', (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (total === null) total = parseInputDuration(line);
      const p = parseFfmpegProgress(line, total);
      if (p && opts.onProgress) opts.onProgress(p);
    });
    cmd.on('error', (err: Error) => {
      finish(new AppError('MEDIA_FAILED', lastError(tail) || err.message, { output: opts.output }));
    });
    cmd.on('end', () => finish());
    cmd.run();
  });
}

/** Version banner of the bundled ffmpeg (diagnostics and the About box). */
export function ffmpegVersion(): Promise<string> {
  return new Promise((resolve) => {
    execFile(ffmpegPath(), ['-version'], { timeout: 10_000 }, (err, stdout) =>
      resolve(err ? 'unavailable' : firstLine(stdout)),
    );
  });
}

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import os from 'node:os';
import { AppError } from '../../../shared/api/result';
import { ffmpegPath, ffprobePath } from './binaries';
import type { ProbeOptions, ProbeResult } from './ffmpeg';
import { parseInputDuration } from './progress';
import { firstLine, lastError } from './stderr-lines';

/**
 * ffmpeg/ffprobe spawned directly, their output read as it comes (fluent-ffmpeg stays in
 * ffmpeg.ts): packet listings and raw frames are read line by line / frame by frame, never
 * buffered whole, so a 10-minute 1080p file costs a few MB of memory. `lowPriority` renices
 * the child so background checks never take CPU from a running recording.
 */

export interface PacketInfo {
  stream: number;
  /** seconds; null when the container stores none */
  pts: number | null;
  dts: number | null;
  duration: number | null;
  size: number;
  key: boolean;
}

interface StreamOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  lowPriority?: boolean;
}

function spawnTool(bin: string, args: string[], opts: StreamOptions & { stdin?: boolean }) {
  const child = spawn(bin, args, {
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    windowsHide: true,
  }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
  if (opts.lowPriority && child.pid) {
    try {
      os.setPriority(child.pid, 10);
    } catch {
      /* not permitted on this system: run at normal priority */
    }
  }
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  let killedBy: 'timeout' | 'abort' | 'caller' | null = null;
  const kill = (why: 'timeout' | 'abort' | 'caller') => {
    if (!killedBy) killedBy = why;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('timeout'), opts.timeoutMs ?? 120_000);
  const onAbort = () => kill('abort');
  opts.signal?.addEventListener('abort', onAbort);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => reject(new AppError('MEDIA_FAILED', e.message)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (killedBy === 'abort') return reject(new AppError('CANCELLED', 'Cancelled'));
      if (killedBy === 'timeout')
        return reject(new AppError('TIMEOUT', `${toolName(bin)} took longer than ${opts.timeoutMs ?? 120_000} ms`));
      if (killedBy === 'caller' || code === 0) return resolve();
      reject(
        new AppError(
          'MEDIA_UNREADABLE',
          lastError(stderr.split(/\r?\n/)) || firstLine(stderr) || `exit code ${code ?? signal}`,
          signal ? { crashed: signal } : undefined,
        ),
      );
    });
  });
  if (opts.signal?.aborted) kill('abort');
  return { child, exited, stop: () => kill('caller'), stderr: () => stderr };
}
const toolName = (bin: string) => bin.split(/[\\/]/).pop() ?? bin;

/**
 * Every packet of the file (all streams, or `select` e.g. 'v:0'), in file order, passed
 * to `onPacket` as ffprobe prints it. Reads the whole file but keeps no copy of it.
 */
export async function ffprobePackets(
  file: string,
  onPacket: (p: PacketInfo) => void,
  opts: StreamOptions & { select?: string } = {},
): Promise<void> {
  const args = ['-v', 'error'];
  if (opts.select) args.push('-select_streams', opts.select);
  args.push('-show_entries', 'packet=stream_index,pts_time,dts_time,duration_time,size,flags', '-of', 'compact=p=0');
  let seen = 0;
  const count = (p: PacketInfo) => {
    seen++;
    onPacket(p);
  };
  try {
    await readPackets(spawnTool(ffprobePath(), [...args, '-i', file], opts), count);
  } catch (e) {
    // a crash before the first packet (see ffprobeJson): list the packets of ffmpeg's copy
    if (seen > 0 || !(e instanceof AppError && (e.details as { crashed?: string } | undefined)?.crashed)) throw e;
    const piped = spawnThroughFfmpeg(file, args, opts);
    await Promise.all([readPackets(piped.tool, onPacket), piped.done]);
  }
}

async function readPackets(tool: ReturnType<typeof spawnTool>, onPacket: (p: PacketInfo) => void): Promise<void> {
  let rest = '';
  const num = (s: string | undefined) => (s === undefined || s === 'N/A' || s === '' ? null : Number(s));
  tool.child.stdout.setEncoding('utf8');
  tool.child.stdout.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      const f: Record<string, string> = {};
      for (const kv of line.split('|')) {
        const eq = kv.indexOf('=');
        if (eq > 0) f[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      onPacket({
        stream: Number(f.stream_index ?? 0),
        pts: num(f.pts_time),
        dts: num(f.dts_time),
        duration: num(f.duration_time),
        size: Number(f.size ?? 0),
        key: (f.flags ?? '').startsWith('K'),
      });
    }
  });
  await tool.exited;
}

/**
 * Runs ffmpeg writing fixed-size raw frames to stdout and hands each to `onFrame`
 * (reading pauses while it works: back-pressure, bounded memory). `onFrame` returns
 * false to stop early; ffmpeg is then killed, which is a normal end.
 */
export async function ffmpegRawFrames(
  args: string[],
  frameBytes: number,
  onFrame: (frame: Buffer, index: number) => Promise<boolean | void> | boolean | void,
  opts: StreamOptions = {},
): Promise<number> {
  const tool = spawnTool(ffmpegPath(), ['-v', 'error', '-nostdin', ...args, 'pipe:1'], opts);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  let stopped = false;
  let failure: unknown = null;
  let chain = Promise.resolve();
  tool.child.stdout.on('data', (chunk: Buffer) => {
    if (stopped) return;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < frameBytes) return;
    tool.child.stdout.pause();
    chain = chain.then(async () => {
      let all = Buffer.concat(pending);
      while (!stopped && all.length >= frameBytes) {
        const frame = all.subarray(0, frameBytes);
        all = all.subarray(frameBytes);
        try {
          if ((await onFrame(frame, index++)) === false) stopped = true;
        } catch (e) {
          failure = e;
          stopped = true;
        }
      }
      pending = all.length ? [Buffer.from(all)] : [];
      pendingBytes = all.length;
      if (stopped) tool.stop();
      else tool.child.stdout.resume();
    });
  });
  await tool.exited;
  await chain;
  if (failure) throw failure;
  return index;
}

// ---------------------------------------------------------------------------------------
// When ffprobe crashes on a container its ffmpeg sibling reads fine (the bundled Linux
// ffprobe dies with SIGSEGV on any MPEG-TS, i.e. camcorder .mts/.m2ts and DVR exports),
// ffmpeg demuxes the file and stream-copies it, timestamps kept (-copyts), into NUT (it
// takes every codec as it is, e.g. ADTS AAC that Matroska refuses) on a pipe that ffprobe
// reads. Nothing is decoded or written to disk. ffmpeg's own input banner supplies what
// the copy cannot carry: container name, duration, start.

function spawnThroughFfmpeg(file: string, probeArgs: string[], opts: StreamOptions) {
  const copy = ['-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-copyts', '-f', 'nut', 'pipe:1'];
  const demux = spawnTool(
    ffmpegPath(),
    ['-hide_banner', '-nostdin', '-nostats', '-v', 'info', '-i', file, ...copy],
    opts,
  );
  const tool = spawnTool(ffprobePath(), [...probeArgs, '-i', 'pipe:0'], { ...opts, stdin: true });
  const stdin = tool.child.stdin!;
  stdin.on('error', () => {
    /* ffprobe stops reading once it has what it needs: EPIPE is expected */
  });
  demux.child.stdout.pipe(stdin);
  // the banner comes first; later warnings about a damaged stream must not push it out
  let head = '';
  demux.child.stderr.on('data', (d: Buffer) => {
    if (head.length < 16_000) head += d.toString('utf8');
  });
  const done = tool.exited.finally(() => {
    // ffprobe may finish before it has read all that ffmpeg wrote: the pipe then stops
    // and leaves ffmpeg's stdout paused, so it never ends, the process never 'close's
    // and the probe never settled (seen on short camera parts). Drain the rest.
    demux.child.stdout.unpipe(stdin);
    demux.child.stdout.resume();
    demux.stop();
  });
  // ffmpeg's exit code says nothing once ffprobe has stopped reading; its banner matters
  const banner = demux.exited.then(
    () => head,
    () => head,
  );
  return { tool, done, banner };
}

export async function probeThroughFfmpeg<T>(file: string, probeArgs: string[], opts: ProbeOptions): Promise<T> {
  const piped = spawnThroughFfmpeg(file, probeArgs, { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 30_000 });
  let out = '';
  piped.tool.child.stdout.setEncoding('utf8');
  piped.tool.child.stdout.on('data', (d: string) => (out += d));
  await piped.done;
  const banner = await piped.banner;
  let result: ProbeResult;
  try {
    result = JSON.parse(out) as ProbeResult;
  } catch {
    throw new AppError('MEDIA_UNREADABLE', 'ffprobe printed no readable result', { file });
  }
  Object.assign(result.format, fromBanner(banner));
  return result as T;
}

/** Container, duration and start from ffmpeg's `Input #0, mpegts, from …` banner. */
export function fromBanner(banner: string): { format_name?: string; duration?: string; start_time?: string } {
  const out: { format_name?: string; duration?: string; start_time?: string } = {};
  const input = /Input #0, ([^\s]+), from/.exec(banner);
  if (input) out.format_name = input[1];
  const ms = parseInputDuration(banner);
  if (ms != null) out.duration = (ms / 1000).toFixed(3);
  const start = /Duration:[^\n]*?start:\s*(-?[\d.]+)/.exec(banner);
  if (start) out.start_time = start[1];
  return out;
}

/** Everything ffmpeg writes to stdout (`args` end before the output), at most `maxBytes`. */
export async function ffmpegToBuffer(args: string[], opts: StreamOptions & { maxBytes: number }): Promise<Buffer> {
  const tool = spawnTool(ffmpegPath(), ['-v', 'error', '-nostdin', ...args, 'pipe:1'], opts);
  const chunks: Buffer[] = [];
  let bytes = 0;
  let overflow = false;
  tool.child.stdout.on('data', (d: Buffer) => {
    bytes += d.length;
    if (bytes > opts.maxBytes) {
      overflow = true;
      tool.stop();
    } else chunks.push(d);
  });
  await tool.exited;
  if (overflow) throw new AppError('MEDIA_FAILED', `ffmpeg output over ${opts.maxBytes} bytes`);
  return Buffer.concat(chunks);
}

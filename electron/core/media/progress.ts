/**
 * Pure parsing of ffmpeg's stderr progress lines, e.g.
 * `frame=  912 fps=228 q=-1.0 size=    5120kB time=00:00:30.40 bitrate=1379.7kbits/s speed=7.6x`
 */
export interface FfmpegProgress {
  /** media time reached, ms */
  timeMs: number;
  frame: number | null;
  speed: number | null;
  /** 0..1 when the total duration is known */
  ratio: number | null;
}

const TIME_RE = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const FRAME_RE = /frame=\s*(\d+)/;
const SPEED_RE = /speed=\s*([\d.]+(?:e[+-]?\d+)?)x/; // ffmpeg prints 1.79e+03x for fast copies

export function parseTimecode(text: string): number | null {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  return Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

export function parseFfmpegProgress(line: string, totalMs?: number | null): FfmpegProgress | null {
  const t = TIME_RE.exec(line);
  if (!t) return null;
  const timeMs = t[1] === '-' ? 0 : (parseTimecode(`${t[2]}:${t[3]}:${t[4]}`) ?? 0);
  const frame = FRAME_RE.exec(line);
  const speed = SPEED_RE.exec(line);
  const ratio = totalMs && totalMs > 0 ? Math.max(0, Math.min(1, timeMs / totalMs)) : null;
  return {
    timeMs,
    frame: frame ? Number(frame[1]) : null,
    speed: speed ? Number(speed[1]) : null,
    ratio,
  };
}

/** `Duration: 00:01:00.03, start: …` from ffmpeg's input banner. */
export function parseInputDuration(line: string): number | null {
  const m = /Duration:\s*(\d+:\d{2}:\d{2}(?:\.\d+)?)/.exec(line);
  return m ? parseTimecode(m[1]) : null;
}

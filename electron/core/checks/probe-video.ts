import { isAppError } from '../../../shared/api/result';
import type { VideoFacts } from '../../../shared/rules/facts';
import { ffprobePackets, probe, type PacketInfo, type ProbeResult, type ProbeStream } from '../media/ffmpeg';

/**
 * Video facts from the container header and from every packet's timestamp: the real
 * duration (MediaRecorder WebM has none in its header), continuity gaps, keyframes,
 * truncation. The keyframe index and byte offsets are kept for the fixer, which splits
 * at keyframes without decoding anything.
 */
export interface VideoIndex {
  /** keyframe times of the first video stream, seconds from the file's start, ascending */
  keyframes: number[];
  /** bytes of all packets (every stream) that play before each keyframe */
  bytesBefore: number[];
  totalPacketBytes: number;
  /** the file's start time as ffmpeg subtracts it (filters see t = pts - startSec) */
  startSec: number;
  endSec: number;
}

export interface VideoProbe {
  facts: VideoFacts;
  index: VideoIndex;
  container: string;
  probeScore: number | null;
}

const MIN_GAP_SEC = 0.5;

const ratio = (r: string | undefined): number | null => {
  if (!r) return null;
  const [n, d] = r.split('/').map(Number);
  return d ? n / d : Number.isFinite(n) ? n : null;
};

export async function probeVideo(
  file: string,
  opts: { signal?: AbortSignal; lowPriority?: boolean; header?: ProbeResult } = {},
): Promise<VideoProbe> {
  const header = opts.header ?? (await probe(file, { timeoutMs: 30_000, signal: opts.signal }));
  const v = header.streams.find(isFootage);
  const a = header.streams.find((s) => s.codec_type === 'audio');
  const fmt = header.format as ProbeResult['format'] & { start_time?: string; probe_score?: number };

  // packet scan: times of every stream, sizes, keyframes of the first video stream
  const times: number[] = [];
  const sizes: number[] = [];
  const videoPts: number[] = [];
  const keyPts: number[] = [];
  let videoEnd = -Infinity;
  let anyEnd = -Infinity;
  let scanError: string | null = null;
  const onPacket = (p: PacketInfo) => {
    const t = p.pts ?? p.dts;
    if (t == null || !Number.isFinite(t)) return;
    times.push(t);
    sizes.push(p.size);
    anyEnd = Math.max(anyEnd, t + (p.duration ?? 0));
    if (v && p.stream === v.index) {
      videoPts.push(t);
      if (p.key) keyPts.push(t);
      videoEnd = Math.max(videoEnd, t + (p.duration ?? 0));
    }
  };
  try {
    await ffprobePackets(file, onPacket, { signal: opts.signal, timeoutMs: 180_000, lowPriority: opts.lowPriority });
  } catch (e) {
    if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'TIMEOUT')) throw e;
    // a damaged tail: what was read so far still counts (truncation is judged below)
    scanError = (e as Error).message;
  }

  videoPts.sort((x, y) => x - y);
  keyPts.sort((x, y) => x - y);
  const declaredStart = Number(fmt.start_time);
  const firstT = times.length ? minOf(times) : 0;
  const startSec = Number.isFinite(declaredStart) ? declaredStart : firstT;

  const gaps: VideoFacts['gaps'] = [];
  for (let i = 1; i < videoPts.length; i++) {
    const gap = videoPts[i] - videoPts[i - 1];
    if (gap > MIN_GAP_SEC) gaps.push({ atSec: round(videoPts[i - 1] - startSec), gapSec: round(gap) });
  }
  const span = videoPts.length > 1 ? videoPts[videoPts.length - 1] - videoPts[0] : 0;
  const keyGaps = keyPts.slice(1).map((k, i) => k - keyPts[i]);
  if (keyPts.length) keyGaps.push(videoEnd - keyPts[keyPts.length - 1]);

  const containerDuration = Number(fmt.duration);
  const packetDuration = times.length ? Math.max(anyEnd, videoEnd) - Math.min(startSec, firstT) : null;
  const hasContainerDuration = Number.isFinite(containerDuration) && containerDuration > 0;
  const durationSec = hasContainerDuration ? containerDuration : packetDuration;
  let truncated: VideoFacts['truncated'] = null;
  if (hasContainerDuration && packetDuration != null && v) {
    const missing = containerDuration - packetDuration;
    if (missing > Math.max(1, containerDuration * 0.05)) {
      truncated = { declaredSec: round(containerDuration), presentSec: round(Math.max(0, packetDuration)) };
    }
  }

  // bytes that play before each keyframe: sort packets by time, prefix sums, binary search
  const order = times.map((_, i) => i).sort((x, y) => times[x] - times[y]);
  const prefix = new Float64Array(order.length + 1);
  const sortedTimes = new Float64Array(order.length);
  order.forEach((idx, i) => {
    sortedTimes[i] = times[idx];
    prefix[i + 1] = prefix[i] + sizes[idx];
  });
  const bytesBefore = keyPts.map((k) => prefix[lowerBound(sortedTimes, k - 1e-6)]);

  const facts: VideoFacts = {
    durationSec: durationSec != null ? round(durationSec) : null,
    durationSource: hasContainerDuration ? 'container' : durationSec != null ? 'packets' : null,
    hasVideo: !!v,
    hasAudio: !!a,
    videoCodec: v?.codec_name ?? null,
    audioCodec: a?.codec_name ?? null,
    pixFmt: v?.pix_fmt ?? null,
    width: v?.width ?? null,
    height: v?.height ?? null,
    fps: span > 0 ? round((videoPts.length - 1) / span) : null,
    declaredFps: ratio(v?.r_frame_rate) != null ? round(ratio(v?.r_frame_rate)!) : null,
    frames: videoPts.length,
    keyframes: keyPts.length,
    maxKeyframeIntervalSec: keyGaps.length ? round(-minOf(keyGaps.map((g) => -g))) : null,
    gaps,
    truncated,
  };
  if (scanError && !truncated && videoPts.length === 0 && v) {
    // header promised a video stream but no packet could be read
    facts.truncated = { declaredSec: round(hasContainerDuration ? containerDuration : 0), presentSec: 0 };
  }
  return {
    facts,
    container: fmt.format_name,
    probeScore: typeof fmt.probe_score === 'number' ? fmt.probe_score : Number(fmt.probe_score ?? NaN) || null,
    index: {
      keyframes: keyPts.map((k) => k - startSec),
      bytesBefore,
      totalPacketBytes: prefix[order.length],
      startSec,
      endSec: durationSec ?? 0,
    },
  };
}

/**
 * A video stream that is footage, not cover art. Cover art is told by its disposition,
 * never by its codec: USB webcams and DVRs record Motion-JPEG (AVI/MOV) footage, which
 * is real video. Without a disposition (old ffprobe), a lone mjpeg/png "stream" of one
 * frame is still taken for a picture.
 */
export function isFootage(s: ProbeStream): boolean {
  if (s.codec_type !== 'video') return false;
  if (s.disposition) return !s.disposition.attached_pic;
  return !((s.codec_name === 'mjpeg' || s.codec_name === 'png') && Number(s.nb_frames ?? 2) <= 1);
}

/** Math.min over a huge array without spreading it onto the stack. */
function minOf(xs: number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

function lowerBound(xs: Float64Array, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * What the probes found out about one file, independent of any profile. The pure rule
 * evaluation turns these facts plus a profile into findings, so the same facts can be
 * re-judged against another platform without touching the file again.
 */
export type ContentKind = 'video' | 'photo' | 'document' | 'unknown';

export type UnreadableReason =
  | 'empty'
  | 'missing'
  | 'not-a-file'
  | 'unrecognised'
  | 'damaged'
  | 'truncated'
  | 'timeout'
  | 'too-big'
  | 'unsupported-format';

export interface VideoFacts {
  durationSec: number | null;
  /** where the duration came from: the container header, or the packets when it has none */
  durationSource: 'container' | 'packets' | null;
  hasVideo: boolean;
  hasAudio: boolean;
  videoCodec: string | null;
  audioCodec: string | null;
  pixFmt: string | null;
  width: number | null;
  height: number | null;
  /** measured from the packets (frames / span) */
  fps: number | null;
  /** what the header claims (Chromium WebM says 1000) */
  declaredFps: number | null;
  frames: number;
  keyframes: number;
  maxKeyframeIntervalSec: number | null;
  /** pauses in the video timestamps longer than 0.5 s */
  gaps: { atSec: number; gapSec: number }[];
  /** declared duration is longer than the data actually present */
  truncated: { declaredSec: number; presentSec: number } | null;
}

export interface PhotoFacts {
  width: number | null;
  height: number | null;
  /** EXIF orientation 1–8 (1 = upright) */
  orientation: number | null;
  /** Laplacian variance of the greyscale image at ≤1024 px; null when not decoded */
  sharpness: number | null;
  /** declared pixel count over the safety bound: never decoded */
  decodeRefused: boolean;
  maxDecodePixels: number;
}

export interface LabelFacts {
  /** false when the label check was not run (disabled, unreadable file) */
  scanned: boolean;
  codes: string[];
  /** the tracking number the codes were compared with */
  expected: string | null;
  matched: boolean | null;
  framesScanned: number;
  /** video: media time of the first frame where the expected (or any) code was read */
  foundAtSec: number | null;
}

export interface ProbeFacts {
  name: string;
  bytes: number;
  /** the name's extension, lower case, without the dot */
  ext: string | null;
  kind: ContentKind;
  /** the content format id (see formats.ts), from magic bytes and ffprobe */
  format: string | null;
  /** ffprobe's own container name, for diagnostics */
  container: string | null;
  unreadable: UnreadableReason | null;
  /** a short technical reason when unreadable or when a probe step failed */
  detail: string | null;
  video: VideoFacts | null;
  photo: PhotoFacts | null;
  label: LabelFacts | null;
  /** a probe step failed unexpectedly (the rest of the facts still hold) */
  checkError: string | null;
}

import type { ProbeFacts } from './facts';
import { DEFAULT_SEVERITY, type Finding, type FindingCode, type FindingParams, type FixId } from './findings';
import { extensionMatches } from './formats';
import type { RuleProfile } from './profile-schema';

/**
 * Pure rules: probe facts + a profile → findings. No I/O, so every rule is unit-tested
 * and a stored set of facts can be re-judged against another profile.
 */
export interface EvaluateOptions {
  /** the evidence row says this is a document (voucher, red-stamp proof): no label rule */
  expectDocument?: boolean;
}

/** Codecs that go into MP4 as they are (no re-encode) and play everywhere. */
const COPYABLE_VIDEO = new Set(['h264']);
const COPYABLE_AUDIO = new Set(['aac']);
const PLAYABLE_PIX = new Set(['yuv420p', 'yuvj420p']);

/** Can this video become an MP4 by a stream copy, or must it be re-encoded? */
export function videoNeedsEncode(f: ProbeFacts): boolean {
  const v = f.video;
  if (!v) return true;
  return !COPYABLE_VIDEO.has(v.videoCodec ?? '') || (v.pixFmt != null && !PLAYABLE_PIX.has(v.pixFmt));
}
export const audioNeedsEncode = (f: ProbeFacts): boolean =>
  !!f.video?.hasAudio && !COPYABLE_AUDIO.has(f.video.audioCodec ?? '');

export function evaluate(facts: ProbeFacts, profile: RuleProfile, opts: EvaluateOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add = (code: FindingCode, params: FindingParams = {}, fix?: FixId) => {
    const severity = profile.severities[code] ?? DEFAULT_SEVERITY[code];
    out.push(fix ? { code, severity, params, fix } : { code, severity, params });
  };

  if (facts.unreadable) {
    add('FILE_UNREADABLE', { reason: facts.unreadable });
    return out;
  }
  if (facts.kind === 'video') evaluateVideo(facts, profile, add);
  else if (facts.kind === 'photo') evaluatePhoto(facts, profile, add, opts);
  else if (facts.kind === 'document') evaluateDocument(facts, profile, add);
  else add('FILE_UNREADABLE', { reason: 'unrecognised' });

  if (facts.checkError) add('CHECK_FAILED', { detail: facts.checkError.slice(0, 200) });
  return out;
}

type Add = (code: FindingCode, params?: FindingParams, fix?: FixId) => void;

function evaluateVideo(f: ProbeFacts, p: RuleProfile, add: Add) {
  const v = f.video!;
  const rules = p.video;
  if (!v.hasVideo) {
    add('NO_VIDEO_STREAM', { audio: v.hasAudio ? 1 : 0 });
    return;
  }
  const toMp4: FixId = videoNeedsEncode(f) ? 'transcode' : 'remux';
  const format = f.format ?? 'unknown';
  if (!rules.formats.value.includes(format)) {
    add('FORMAT_NOT_ACCEPTED', { format, accepted: rules.formats.value.join(', ') }, toMp4);
  }
  if (!extensionMatches(f.ext, format)) add('EXTENSION_MISMATCH', { ext: f.ext ?? '', format }, toMp4);
  if (v.truncated) {
    add('FILE_TRUNCATED', { declaredSec: v.truncated.declaredSec, presentSec: v.truncated.presentSec }, 'remux');
  }
  if (v.durationSource === 'packets') add('DURATION_MISSING', {}, 'remux');

  const duration = v.durationSec ?? 0;
  const tooLong = duration > rules.maxDurationSec.value;
  const tooLarge = f.bytes > rules.maxBytes.value;
  const lengthFix: FixId = rules.overLengthFix === 'trim' ? 'trim' : 'split';
  if (tooLong) add('VIDEO_TOO_LONG', { durationSec: round(duration), limitSec: rules.maxDurationSec.value }, lengthFix);
  if (tooLarge) {
    // one continuous file when the shorter encode still looks good, else parts
    add('VIDEO_TOO_LARGE', { bytes: f.bytes, limitBytes: rules.maxBytes.value }, tooLong ? lengthFix : 'compress');
  }
  if (v.width && v.height) {
    const shortSide = Math.min(v.width, v.height);
    if (shortSide < rules.minShortSidePx.value) {
      add('LOW_RESOLUTION', { width: v.width, height: v.height, minPx: rules.minShortSidePx.value });
    }
  }
  const gaps = v.gaps.filter((g) => g.gapSec > rules.maxGapSec.value);
  if (gaps.length) {
    const worst = gaps.reduce((a, b) => (b.gapSec > a.gapSec ? b : a));
    add('DISCONTINUOUS', {
      count: gaps.length,
      maxGapSec: round(worst.gapSec),
      atSec: round(worst.atSec),
      limitSec: rules.maxGapSec.value,
    });
  }
  if (p.label.checkVideos) evaluateLabel(f, add);
}

function evaluatePhoto(f: ProbeFacts, p: RuleProfile, add: Add, opts: EvaluateOptions) {
  const ph = f.photo!;
  const rules = p.photo;
  const format = f.format ?? 'unknown';
  if (ph.decodeRefused) {
    add('PHOTO_TOO_MANY_PIXELS', { width: ph.width ?? 0, height: ph.height ?? 0, limitPixels: ph.maxDecodePixels });
    return; // nothing else can be learnt without decoding it, and it must not be decoded
  }
  // a document may be an image (a photographed voucher): judge it by the document list
  const accepted = opts.expectDocument ? p.document.formats.value : rules.formats.value;
  if (!accepted.includes(format))
    add('FORMAT_NOT_ACCEPTED', { format, accepted: accepted.join(', ') }, 'photo-reencode');
  if (!extensionMatches(f.ext, format)) add('EXTENSION_MISMATCH', { ext: f.ext ?? '', format }, 'photo-reencode');
  const maxBytes = opts.expectDocument ? p.document.maxBytes.value : rules.maxBytes.value;
  if (f.bytes > maxBytes) add('PHOTO_TOO_LARGE', { bytes: f.bytes, limitBytes: maxBytes }, 'photo-reencode');
  const maxSide = rules.maxLongSidePx?.value;
  if (maxSide && ph.width && ph.height && Math.max(ph.width, ph.height) > maxSide) {
    add('PHOTO_TOO_LARGE', { width: ph.width, height: ph.height, limitPx: maxSide }, 'photo-reencode');
  }
  if (ph.sharpness != null && ph.sharpness < rules.minSharpness.value) {
    add('PHOTO_BLURRY', { score: round(ph.sharpness), min: rules.minSharpness.value });
  }
  if (ph.orientation != null && ph.orientation > 1)
    add('PHOTO_ROTATED', { orientation: ph.orientation }, 'photo-reencode');
  if (p.label.checkPhotos && !opts.expectDocument) evaluateLabel(f, add);
}

function evaluateDocument(f: ProbeFacts, p: RuleProfile, add: Add) {
  const format = f.format ?? 'unknown';
  if (!p.document.formats.value.includes(format)) {
    add('FORMAT_NOT_ACCEPTED', { format, accepted: p.document.formats.value.join(', ') });
  }
  if (!extensionMatches(f.ext, format)) add('EXTENSION_MISMATCH', { ext: f.ext ?? '', format });
  if (f.bytes > p.document.maxBytes.value)
    add('DOCUMENT_TOO_LARGE', { bytes: f.bytes, limitBytes: p.document.maxBytes.value });
}

function evaluateLabel(f: ProbeFacts, add: Add) {
  const l = f.label;
  if (!l || !l.scanned) return;
  if (l.codes.length === 0) {
    add('LABEL_NOT_FOUND', { frames: l.framesScanned });
    return;
  }
  if (l.expected && l.matched === false) {
    add('LABEL_MISMATCH', { expected: l.expected, found: l.codes.slice(0, 5).join(', ') });
  }
}

/**
 * Rules over a set of files submitted together (e.g. Shopee: 3 photos per set).
 * The packet builder calls this with the files it is about to bundle.
 */
export function evaluateSet(kinds: readonly ('video' | 'photo' | 'document')[], profile: RuleProfile): Finding[] {
  const out: Finding[] = [];
  const count = (k: string) => kinds.filter((x) => x === k).length;
  const limits: [string, number | undefined][] = [
    ['video', profile.video.maxFilesPerSet?.value],
    ['photo', profile.photo.maxFilesPerSet?.value],
  ];
  for (const [kind, limit] of limits) {
    if (limit != null && count(kind) > limit) {
      out.push({
        code: 'TOO_MANY_FILES',
        severity: profile.severities.TOO_MANY_FILES ?? DEFAULT_SEVERITY.TOO_MANY_FILES,
        params: { kind, count: count(kind), limit },
      });
    }
  }
  return out;
}

/** Normalise a barcode or typed tracking number for comparison. */
export const normalizeCode = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

/**
 * Two decimals, half up, as people round: 4.475 s is 4.48 s. `n * 100` alone gives
 * 447.49999999999994 for 4.475 (binary floats), which Math.round would take down.
 */
export const round = (n: number) => Math.round(Number((n * 100).toFixed(6))) / 100;

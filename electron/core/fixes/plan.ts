import { audioNeedsEncode, evaluate, videoNeedsEncode } from '../../../shared/rules/evaluate';
import type { ProbeFacts } from '../../../shared/rules/facts';
import type { FixId } from '../../../shared/rules/findings';
import type { RuleProfile } from '../../../shared/rules/profile-schema';
import { evenCuts, planCopySplit, type SplitIndex } from './split-plan';

/**
 * Decides, from the facts and the profile, the one ffmpeg (or sharp) pass that makes a
 * file compliant: copy what can be copied, encode only what must be, cut at keyframes.
 * Pure, so every decision is unit-tested without media.
 */
export interface FixRequest {
  /** one continuous clip by in/out points (seconds) */
  trim?: { startSec: number; endSec: number };
  /** split into parts even when the profile prefers a trimmed clip */
  forceSplit?: boolean;
  /** the evidence is a document (voucher …): judged by the document rules */
  expectDocument?: boolean;
}

export interface VideoPlan {
  kind: 'video';
  steps: FixId[];
  video: 'copy' | 'h264';
  audio: 'copy' | 'aac' | 'none';
  /** ceiling for the encoder (capped CRF), kbit/s; null = quality only */
  maxrateKbps: number | null;
  range: { startSec: number; endSec: number } | null;
  /** part boundaries in output time; [] = one file */
  cuts: number[];
  /** limits every output must meet (the fixer verifies and tightens if one does not) */
  maxBytes: number;
  maxDurationSec: number;
}

export interface PhotoPlan {
  kind: 'photo';
  steps: FixId[];
  /** jpg or png when re-encoding; the content's own format when only renaming */
  format: string;
  /** only the extension was wrong: copy the bytes under the right name */
  renameOnly: boolean;
  maxBytes: number;
  maxLongSidePx: number | null;
}

export type NoFix =
  | { kind: 'nothing' }
  | {
      kind: 'unfixable';
      reason: 'unfixable' | 'needsTrim' | 'trimTooLong' | 'trimOutside' | 'noFit';
      params: Record<string, number>;
    };

export type FixPlan = VideoPlan | PhotoPlan | NoFix;

/** Fraction of a byte limit left free: ABR encoders overshoot, and MP4 indexes cost bytes. */
export const SIZE_MARGIN = 0.04;
/** A part may end up to one frame longer than its cut: stay this far under the limit. */
export const DURATION_MARGIN_SEC = 0.5;
const AAC_KBPS = 96;

/** Below this, a re-encode looks worse than splitting into more parts (bits per pixel per frame). */
export function minVideoKbps(width: number, height: number, fps: number): number {
  return Math.max(200, Math.round((width * height * Math.min(fps || 30, 60) * 0.012) / 1000));
}

export function planFix(
  facts: ProbeFacts,
  profile: RuleProfile,
  index: SplitIndex | null,
  req: FixRequest = {},
): FixPlan {
  const findings = evaluate(facts, profile, { expectDocument: req.expectDocument });
  if (facts.unreadable || (facts.kind === 'video' && !facts.video?.hasVideo)) return unfixable('unfixable');
  // nothing a fix can change: either fine, or only a retake helps (blur, wrong label …)
  const nothingToDo = (): NoFix =>
    findings.some((f) => f.severity === 'block') ? unfixable('unfixable') : { kind: 'nothing' };
  if (facts.kind === 'photo') {
    if (facts.photo?.decodeRefused) return unfixable('unfixable');
    return findings.some((f) => f.fix === 'photo-reencode') ? planPhoto(facts, profile, req) : nothingToDo();
  }
  if (facts.kind !== 'video' || !facts.video) return nothingToDo();

  const v = facts.video;
  const rules = profile.video;
  const D = v.durationSec ?? 0;
  const maxDur = rules.maxDurationSec.value;
  const maxBytes = rules.maxBytes.value;
  const fixes = new Set(findings.map((f) => f.fix).filter(Boolean) as FixId[]);
  const budgetBytes = maxBytes * (1 - SIZE_MARGIN);
  const encodeVideo = videoNeedsEncode(facts);
  const minKbps = minVideoKbps(v.width ?? 1280, v.height ?? 720, v.fps ?? 30);
  const base = { kind: 'video' as const, maxBytes, maxDurationSec: maxDur };

  /** kbit/s for the video of a part of `sec` seconds so that it fits the byte budget */
  const kbpsFor = (sec: number) => Math.floor((budgetBytes * 8) / Math.max(sec, 0.1) / 1000 - AAC_KBPS);

  if (req.trim) {
    const { startSec, endSec } = req.trim;
    if (!(startSec >= 0 && endSec > startSec && endSec <= D + 0.5)) return unfixable('trimOutside', { durationSec: D });
    const len = Math.min(endSec, D) - startSec;
    if (len > maxDur) return unfixable('trimTooLong', { durationSec: len, limitSec: maxDur });
    // a clip of exactly the limit would come out a frame or an AAC packet longer: keep 0.1 s spare
    const end = Math.min(endSec, D, startSec + maxDur - 0.1);
    const kbps = kbpsFor(end - startSec);
    if (kbps < minKbps / 2) return unfixable('noFit');
    return {
      ...base,
      steps: ['trim'],
      video: 'h264',
      audio: v.hasAudio ? 'aac' : 'none',
      maxrateKbps: kbps,
      range: { startSec, endSec: end },
      cuts: [],
    };
  }
  if (fixes.size === 0) return nothingToDo();

  const tooLong = D > maxDur;
  const tooLarge = facts.bytes > maxBytes;
  if (tooLong && rules.overLengthFix === 'trim' && !req.forceSplit) return unfixable('needsTrim', { limitSec: maxDur });
  const audio: VideoPlan['audio'] = !v.hasAudio ? 'none' : audioNeedsEncode(facts) ? 'aac' : 'copy';
  const toMp4: FixId = encodeVideo ? 'transcode' : 'remux';

  if (!tooLong && !tooLarge) {
    return {
      ...base,
      steps: [toMp4],
      video: encodeVideo ? 'h264' : 'copy',
      audio,
      maxrateKbps: null,
      range: null,
      cuts: [],
    };
  }
  // one continuous, smaller file when the bitrate that fits still looks good
  if (!tooLong && tooLarge && kbpsFor(D) >= minKbps) {
    return {
      ...base,
      steps: ['compress'],
      video: 'h264',
      audio: v.hasAudio ? 'aac' : 'none',
      maxrateKbps: kbpsFor(D),
      range: null,
      cuts: [],
    };
  }
  // parts: a stream copy cut at keyframes when the codecs allow it …
  const partLimits = { maxDurationSec: maxDur - DURATION_MARGIN_SEC, maxBytes: budgetBytes };
  if (!encodeVideo && index) {
    const cuts = planCopySplit(index, partLimits);
    if (cuts) {
      const steps: FixId[] = fixes.has('remux') || fixes.has('transcode') ? [toMp4, 'split'] : ['split'];
      return { ...base, steps, video: 'copy', audio, maxrateKbps: null, range: null, cuts };
    }
  }
  // … else an encode with keyframes forced at equal cuts, as many parts as quality needs
  let parts = Math.max(1, Math.ceil(D / partLimits.maxDurationSec));
  while (kbpsFor(D / parts) < minKbps && parts < 200) parts++;
  return {
    ...base,
    steps: encodeVideo ? ['transcode', 'split'] : ['split'],
    video: 'h264',
    audio: v.hasAudio ? 'aac' : 'none',
    maxrateKbps: kbpsFor(D / parts),
    range: null,
    cuts: evenCuts(D, parts),
  };
}

function planPhoto(facts: ProbeFacts, profile: RuleProfile, req: FixRequest): PhotoPlan {
  const ph = facts.photo!;
  const accepted = req.expectDocument ? profile.document.formats.value : profile.photo.formats.value;
  const maxBytes = req.expectDocument ? profile.document.maxBytes.value : profile.photo.maxBytes.value;
  const maxSide = profile.photo.maxLongSidePx?.value ?? null;
  const formatOk = accepted.includes(facts.format ?? '');
  const sizeOk = facts.bytes <= maxBytes && (!maxSide || Math.max(ph.width ?? 0, ph.height ?? 0) <= maxSide);
  const upright = (ph.orientation ?? 1) <= 1;
  const format: 'jpg' | 'png' =
    facts.format === 'png' && accepted.includes('png') && sizeOk
      ? 'png'
      : accepted.includes('jpg') || !accepted.includes('png')
        ? 'jpg'
        : 'png';
  if (formatOk && sizeOk && upright) {
    return {
      kind: 'photo',
      steps: ['photo-reencode'],
      format: facts.format!,
      renameOnly: true,
      maxBytes,
      maxLongSidePx: maxSide,
    };
  }
  return { kind: 'photo', steps: ['photo-reencode'], format, renameOnly: false, maxBytes, maxLongSidePx: maxSide };
}

function unfixable(
  reason: Extract<NoFix, { kind: 'unfixable' }>['reason'],
  params: Record<string, number> = {},
): NoFix {
  return { kind: 'unfixable', reason, params };
}

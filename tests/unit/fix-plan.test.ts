import { describe, expect, it } from 'vitest';
import { planFix, minVideoKbps, type VideoPlan } from '../../electron/core/fixes/plan';
import { evenCuts, firstOversizePart, planCopySplit, type SplitIndex } from '../../electron/core/fixes/split-plan';
import { builtinProfile } from '../../shared/rules/builtin';
import type { ProbeFacts, VideoFacts } from '../../shared/rules/facts';
import { ProfileSchema } from '../../shared/rules/profile-schema';

const pdd = builtinProfile('pdd')!;
const shopee = builtinProfile('shopee')!;
const MiB = 1024 * 1024;

/** a recording with a keyframe every `gop` s and a constant byte rate */
function index(durationSec: number, bytesPerSec: number, gop = 1): SplitIndex {
  const keyframes: number[] = [];
  for (let t = 0; t < durationSec - 1e-9; t += gop) keyframes.push(Math.round(t * 1000) / 1000);
  return {
    keyframes,
    bytesBefore: keyframes.map((k) => k * bytesPerSec),
    totalBytes: durationSec * bytesPerSec,
    durationSec,
  };
}

function facts(v: Partial<VideoFacts>, bytes: number, format = 'mp4'): ProbeFacts {
  return {
    name: `x.${format}`,
    bytes,
    ext: format,
    kind: 'video',
    format,
    container: null,
    unreadable: null,
    detail: null,
    photo: null,
    label: null,
    checkError: null,
    video: {
      durationSec: 60,
      durationSource: 'container',
      hasVideo: true,
      hasAudio: true,
      videoCodec: 'h264',
      audioCodec: 'aac',
      pixFmt: 'yuv420p',
      width: 1280,
      height: 720,
      fps: 30,
      declaredFps: 30,
      frames: 1800,
      keyframes: 60,
      maxKeyframeIntervalSec: 1,
      gaps: [],
      truncated: null,
      ...v,
    },
  };
}

describe('keyframe split planning', () => {
  it('splits a 15-minute recording into two balanced parts, each under both limits', () => {
    const ix = index(900, 0.5 * MiB); // 450 MiB
    const cuts = planCopySplit(ix, { maxDurationSec: 599.5, maxBytes: 288 * MiB })!;
    expect(cuts).toEqual([450]);
  });

  it('cuts by bytes when size binds before length', () => {
    const ix = index(500, 1 * MiB); // 500 MiB in 8:20
    const cuts = planCopySplit(ix, { maxDurationSec: 599.5, maxBytes: 288 * MiB })!;
    expect(cuts.length).toBe(1);
    expect(
      firstOversizePart(
        ix,
        cuts.map((c) => ix.keyframes.indexOf(c)),
        { maxDurationSec: 599.5, maxBytes: 288 * MiB },
      ),
    ).toBe(-1);
    expect(cuts[0]).toBeGreaterThanOrEqual(212);
    expect(cuts[0]).toBeLessThanOrEqual(288);
  });

  it('returns nothing to cut when the file fits, and null when keyframes are too sparse', () => {
    expect(planCopySplit(index(100, 1000), { maxDurationSec: 600, maxBytes: MiB })).toEqual([]);
    // a single keyframe at 0 (MediaRecorder's default): no copy split can exist
    expect(planCopySplit(index(900, 1000, 900), { maxDurationSec: 600, maxBytes: 10 * MiB })).toBeNull();
  });

  it('every part meets the limits for many shapes (property check)', () => {
    for (const [dur, rate, gop, maxD, maxB] of [
      [1234, 300_000, 2, 600, 100 * MiB],
      [61, 1_000_000, 0.5, 60, 30 * MiB],
      [3600, 50_000, 4, 600, 20 * MiB],
      [25, 100_000, 1, 4, 150_000],
    ]) {
      const ix = index(dur, rate, gop);
      const lim = { maxDurationSec: maxD, maxBytes: maxB };
      const cuts = planCopySplit(ix, lim);
      expect(cuts).not.toBeNull();
      expect(
        firstOversizePart(
          ix,
          cuts!.map((c) => ix.keyframes.indexOf(c)),
          lim,
        ),
      ).toBe(-1);
      expect([...cuts!].sort((a, b) => a - b)).toEqual(cuts);
    }
    expect(evenCuts(90, 3)).toEqual([30, 60]);
  });
});

describe('fix planning', () => {
  const tiny = ProfileSchema.parse({
    ...pdd,
    id: 'tiny',
    video: {
      ...pdd.video,
      maxDurationSec: { value: 10, basis: 'assumed' },
      maxBytes: { value: 2 * MiB, basis: 'assumed' },
    },
  });

  it('has nothing to do for a compliant file', () => {
    expect(planFix(facts({}, 5 * MiB), pdd, index(60, 80_000))).toEqual({ kind: 'nothing' });
  });

  it('remuxes what can be copied and transcodes what cannot', () => {
    const mkvInMp4Name = { ...facts({}, 5 * MiB, 'mkv'), ext: 'mp4' };
    expect(planFix(mkvInMp4Name, pdd, null)).toMatchObject({
      kind: 'video',
      steps: ['remux'],
      video: 'copy',
      audio: 'copy',
      cuts: [],
    });
    const webm = facts({ videoCodec: 'vp8', audioCodec: 'opus' }, 5 * MiB, 'webm');
    expect(planFix(webm, pdd, null)).toMatchObject({
      steps: ['transcode'],
      video: 'h264',
      audio: 'aac',
      maxrateKbps: null,
    });
    const opusInMkv = facts({ audioCodec: 'opus' }, 5 * MiB, 'webm');
    expect(planFix(opusInMkv, pdd, null)).toMatchObject({ steps: ['remux'], video: 'copy', audio: 'aac' });
    const highBitDepth = { ...facts({ pixFmt: 'yuv444p' }, 5 * MiB, 'mp4'), ext: 'avi' };
    expect(planFix(highBitDepth, pdd, null)).toMatchObject({ steps: ['transcode'], video: 'h264' });
  });

  it('compresses a too-large file of fitting length to a bitrate from the duration', () => {
    const p = planFix(facts({ durationSec: 8 }, 3 * MiB), tiny, index(8, (3 * MiB) / 8)) as VideoPlan;
    expect(p).toMatchObject({ steps: ['compress'], video: 'h264', cuts: [] });
    // budget (2 MiB minus 4 %) over 8 s, minus 96 kbit/s of audio
    expect(p.maxrateKbps).toBe(Math.floor((2 * MiB * 0.96 * 8) / 8 / 1000 - 96));
  });

  it('splits a too-long recording by stream copy at keyframes', () => {
    const p = planFix(facts({ durationSec: 900 }, 450 * MiB), pdd, index(900, 0.5 * MiB)) as VideoPlan;
    expect(p).toMatchObject({ steps: ['split'], video: 'copy', audio: 'copy', cuts: [450] });
  });

  it('encodes with forced keyframes when keyframes are too sparse to copy-split', () => {
    const p = planFix(
      facts({ durationSec: 900, maxKeyframeIntervalSec: 900 }, 100 * MiB),
      pdd,
      index(900, (100 * MiB) / 900, 900),
    ) as VideoPlan;
    expect(p).toMatchObject({ steps: ['split'], video: 'h264', cuts: [450] });
    expect(p.maxrateKbps).toBeGreaterThan(minVideoKbps(1280, 720, 30));
  });

  it('splits into more parts rather than crushing quality', () => {
    // 9 s of 1080p in 0.8 MiB: one part would leave fewer kbit/s than 1080p needs
    const small = ProfileSchema.parse({
      ...tiny,
      video: { ...tiny.video, maxBytes: { value: Math.round(0.8 * MiB), basis: 'assumed' } },
    });
    const p = planFix(facts({ durationSec: 9, width: 1920, height: 1080 }, 6 * MiB, 'webm'), small, null) as VideoPlan;
    expect(p.cuts).toEqual([4.5]);
    expect(p.cuts.length).toBeGreaterThan(0);
    expect(p.maxrateKbps!).toBeGreaterThanOrEqual(minVideoKbps(1920, 1080, 30));
  });

  it('asks for in/out points where the profile wants one clip, and validates them', () => {
    const long = facts({ durationSec: 300 }, 20 * MiB);
    expect(planFix(long, shopee, index(300, 70_000))).toEqual({
      kind: 'unfixable',
      reason: 'needsTrim',
      params: { limitSec: 60 },
    });
    expect(planFix(long, shopee, index(300, 70_000), { forceSplit: true })).toMatchObject({
      kind: 'video',
      steps: ['split'],
    });
    expect(planFix(long, shopee, null, { trim: { startSec: 10, endSec: 80 } })).toMatchObject({
      reason: 'trimTooLong',
    });
    expect(planFix(long, shopee, null, { trim: { startSec: 290, endSec: 400 } })).toMatchObject({
      reason: 'trimOutside',
    });
    const t = planFix(long, shopee, null, { trim: { startSec: 10, endSec: 70 } }) as VideoPlan;
    expect(t).toMatchObject({ steps: ['trim'], video: 'h264', range: { startSec: 10, endSec: 69.9 } });
  });

  it('cannot fix what only a new recording or photo can', () => {
    expect(
      planFix({ ...facts({ hasVideo: false }, 1000), video: { ...facts({}, 1).video!, hasVideo: false } }, pdd, null),
    ).toMatchObject({ reason: 'unfixable' });
    const mismatch = {
      ...facts({}, 5 * MiB),
      label: { scanned: true, codes: ['YT1'], expected: 'SF1', matched: false, framesScanned: 9, foundAtSec: null },
    };
    expect(planFix(mismatch, pdd, null)).toMatchObject({ kind: 'unfixable', reason: 'unfixable' });
  });

  it('plans photos: rename when only the extension is wrong, else re-encode', () => {
    const base: ProbeFacts = {
      name: 'p.png',
      bytes: MiB,
      ext: 'png',
      kind: 'photo',
      format: 'jpg',
      container: null,
      unreadable: null,
      detail: null,
      video: null,
      label: null,
      checkError: null,
      photo: { width: 4000, height: 3000, orientation: 1, sharpness: 100, decodeRefused: false, maxDecodePixels: 1e8 },
    };
    expect(planFix(base, pdd, null)).toMatchObject({ kind: 'photo', renameOnly: true, format: 'jpg' });
    expect(planFix({ ...base, ext: 'jpg', photo: { ...base.photo!, orientation: 6 } }, pdd, null)).toMatchObject({
      renameOnly: false,
      format: 'jpg',
    });
    expect(planFix({ ...base, ext: 'webp', format: 'webp' }, pdd, null)).toMatchObject({
      renameOnly: false,
      format: 'jpg',
    });
    expect(planFix({ ...base, ext: 'jpg', bytes: 20 * MiB }, pdd, null)).toMatchObject({
      renameOnly: false,
      maxBytes: 10 * MiB,
    });
    expect(planFix({ ...base, photo: { ...base.photo!, decodeRefused: true } }, pdd, null)).toMatchObject({
      kind: 'unfixable',
    });
    expect(planFix({ ...base, ext: 'jpg', photo: { ...base.photo!, sharpness: 2 } }, pdd, null)).toEqual({
      kind: 'nothing',
    }); // blur: a warning no fix removes
  });
});

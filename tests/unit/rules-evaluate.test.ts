import { describe, expect, it } from 'vitest';
import { translate, LANGS } from '../../shared/i18n';
import { BUILTIN_PROFILES, builtinProfile } from '../../shared/rules/builtin';
import { describeFinding, formatDuration } from '../../shared/rules/describe';
import { evaluate, evaluateSet, round } from '../../shared/rules/evaluate';
import type { ProbeFacts, VideoFacts } from '../../shared/rules/facts';
import { DEFAULT_SEVERITY, FINDING_CODES, stateOf } from '../../shared/rules/findings';
import { extensionMatches } from '../../shared/rules/formats';
import { parseProfile, parseProfileJson, ProfileSchema, ruleValues } from '../../shared/rules/profile-schema';

const pdd = builtinProfile('pdd')!;
const shopee = builtinProfile('shopee')!;
const MiB = 1024 * 1024;

function video(over: Partial<VideoFacts> = {}, file: Partial<ProbeFacts> = {}): ProbeFacts {
  return {
    name: 'a.mp4',
    bytes: 10 * MiB,
    ext: 'mp4',
    kind: 'video',
    format: 'mp4',
    container: 'mov,mp4,m4a,3gp,3g2,mj2',
    unreadable: null,
    detail: null,
    photo: null,
    checkError: null,
    label: {
      scanned: true,
      codes: ['SF1234567890123'],
      expected: 'SF1234567890123',
      matched: true,
      framesScanned: 3,
      foundAtSec: 2,
    },
    video: {
      durationSec: 120,
      durationSource: 'container',
      hasVideo: true,
      hasAudio: false,
      videoCodec: 'h264',
      audioCodec: null,
      pixFmt: 'yuv420p',
      width: 1280,
      height: 720,
      fps: 30,
      declaredFps: 30,
      frames: 3600,
      keyframes: 120,
      maxKeyframeIntervalSec: 1,
      gaps: [],
      truncated: null,
      ...over,
    },
    ...file,
  };
}

function photo(over: Partial<NonNullable<ProbeFacts['photo']>> = {}, file: Partial<ProbeFacts> = {}): ProbeFacts {
  return {
    name: 'p.jpg',
    bytes: 2 * MiB,
    ext: 'jpg',
    kind: 'photo',
    format: 'jpg',
    container: null,
    unreadable: null,
    detail: null,
    video: null,
    checkError: null,
    label: {
      scanned: true,
      codes: ['SF1234567890123'],
      expected: 'SF1234567890123',
      matched: true,
      framesScanned: 1,
      foundAtSec: null,
    },
    photo: {
      width: 1920,
      height: 1080,
      orientation: 1,
      sharpness: 150,
      decodeRefused: false,
      maxDecodePixels: 100e6,
      ...over,
    },
    ...file,
  };
}

const codes = (f: ProbeFacts, p = pdd) => evaluate(f, p).map((x) => x.code);

describe('built-in profiles', () => {
  it('hold the documented Pinduoduo and Shopee numbers', () => {
    expect(pdd.video.maxBytes).toMatchObject({ value: 300 * 1024 * 1024, basis: 'documented' });
    expect(pdd.video.maxDurationSec).toMatchObject({ value: 600, basis: 'documented' });
    expect(pdd.video.formats.value).toEqual(['wmv', 'avi', '3gp', 'mov', 'mp4', 'flv', 'rmvb', 'mkv', 'm4v']);
    expect(pdd.video.formats.value).not.toContain('webm');
    expect(pdd.deadlines.evidenceHoursAfterSignFor?.value).toBe(24);
    expect(pdd.deadlines.evidenceHoursProofBeforeRefusal?.value).toBe(48);
    expect(pdd.deadlines.appealDaysAfterRefund?.value).toBe(7);
    expect(pdd.photo.maxBytes.basis).toBe('assumed'); // the guide gives no photo limit
    expect(shopee.video).toMatchObject({
      maxDurationSec: { value: 60 },
      maxBytes: { value: 30 * MiB },
      overLengthFix: 'trim',
    });
    expect(shopee.video.formats.value).toEqual(['mp4', 'mov']);
    expect(shopee.photo).toMatchObject({ maxBytes: { value: 10 * MiB }, maxFilesPerSet: { value: 3 } });
    expect(shopee.photo.formats.value).toEqual(['jpg', 'png']);
  });

  it('lists every rule value with its basis for the settings page', () => {
    const rows = ruleValues(pdd);
    expect(rows.find((r) => r.path === 'video.maxBytes')).toMatchObject({ basis: 'documented' });
    expect(rows.find((r) => r.path === 'video.minShortSidePx')).toMatchObject({ value: 720, basis: 'assumed' });
    for (const p of BUILTIN_PROFILES) expect(ProfileSchema.parse(p)).toEqual(p);
  });
});

describe('profile validation', () => {
  it('reports each problem with its path', () => {
    const bad = {
      ...pdd,
      id: 'Bad Id!',
      video: {
        ...pdd.video,
        maxBytes: { value: -5, basis: 'documented' },
        formats: { value: ['mp4', 'xyz'], basis: 'assumed' },
      },
    };
    const r = parseProfile(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toContain('id');
    expect(paths).toContain('video.maxBytes.value');
    expect(paths).toContain('video.formats.value');
    expect(r.issues.find((i) => i.path === 'video.formats.value')?.message).toMatch(/Unknown format/);
  });

  it('refuses JSON syntax errors and unknown keys, folds format spellings', () => {
    expect(parseProfileJson('{ not json')).toMatchObject({ ok: false, issues: [{ path: '(json)' }] });
    expect(parseProfile({ ...pdd, surprise: 1 }).ok).toBe(false);
    const r = parseProfile({
      ...shopee,
      id: 'mine',
      photo: { ...shopee.photo, formats: { value: ['JPEG', '.png', 'jpg'], basis: 'documented' } },
    });
    expect(r.ok && r.profile.photo.formats.value).toEqual(['jpg', 'png']);
  });
});

describe('video rules', () => {
  it('passes a compliant recording', () => {
    expect(evaluate(video(), pdd)).toEqual([]);
  });

  it('flags size and length, with the fix the profile prefers', () => {
    const long = evaluate(video({ durationSec: 601 }), pdd);
    expect(long).toEqual([
      expect.objectContaining({
        code: 'VIDEO_TOO_LONG',
        severity: 'block',
        fix: 'split',
        params: { durationSec: 601, limitSec: 600 },
      }),
    ]);
    expect(evaluate(video({}, { bytes: 300 * MiB + 1 }), pdd)).toEqual([
      expect.objectContaining({ code: 'VIDEO_TOO_LARGE', fix: 'compress' }),
    ]);
    expect(evaluate(video({ durationSec: 61 }), shopee).find((f) => f.code === 'VIDEO_TOO_LONG')?.fix).toBe('trim');
    expect(evaluate(video({ durationSec: 600 }), pdd)).toEqual([]); // exactly the limit is allowed
  });

  it('judges the container by content and the name separately', () => {
    const webm = video({ videoCodec: 'vp8' }, { format: 'webm', ext: 'webm' });
    expect(evaluate(webm, pdd)).toEqual([expect.objectContaining({ code: 'FORMAT_NOT_ACCEPTED', fix: 'transcode' })]);
    expect(codes(video({}, { ext: 'avi' }))).toEqual(['EXTENSION_MISMATCH']);
    expect(evaluate(video({}, { format: 'mkv', ext: 'mp4' }), pdd)[0]).toMatchObject({
      code: 'EXTENSION_MISMATCH',
      fix: 'remux',
    });
    expect(codes(video({}, { ext: 'mov' }))).toEqual([]); // iso family: a .mov holding an mp4 brand is fine
    expect(codes(video({ durationSec: 30 }, { format: '3gp', ext: '3gp' }), shopee)).toEqual(['FORMAT_NOT_ACCEPTED']);
    expect(extensionMatches('webm', 'mkv')).toBe(true);
    expect(extensionMatches(null, 'mp4')).toBe(false);
  });

  it('flags missing picture, low resolution, gaps, truncation, missing duration', () => {
    expect(codes(video({ hasVideo: false, hasAudio: true }))).toEqual(['NO_VIDEO_STREAM']);
    expect(codes(video({ width: 640, height: 480 }))).toEqual(['LOW_RESOLUTION']);
    expect(codes(video({ width: 720, height: 1280 }))).toEqual([]); // portrait 720p
    const gaps = evaluate(
      video({
        gaps: [
          { atSec: 3, gapSec: 0.8 },
          { atSec: 10, gapSec: 4.2 },
        ],
      }),
      pdd,
    );
    expect(gaps).toEqual([
      expect.objectContaining({
        code: 'DISCONTINUOUS',
        severity: 'warn',
        params: expect.objectContaining({ count: 1, maxGapSec: 4.2, atSec: 10 }),
      }),
    ]);
    expect(codes(video({ truncated: { declaredSec: 120, presentSec: 30 } }))).toEqual(['FILE_TRUNCATED']);
    expect(codes(video({ durationSource: 'packets' }))).toEqual(['DURATION_MISSING']);
  });

  it('checks the label against the tracking number', () => {
    const none = video(
      {},
      { label: { scanned: true, codes: [], expected: 'SF1', matched: false, framesScanned: 40, foundAtSec: null } },
    );
    expect(evaluate(none, pdd)).toEqual([
      expect.objectContaining({ code: 'LABEL_NOT_FOUND', severity: 'warn', params: { frames: 40 } }),
    ]);
    const wrong = video(
      {},
      {
        label: {
          scanned: true,
          codes: ['YT9999'],
          expected: 'SF1',
          matched: false,
          framesScanned: 40,
          foundAtSec: null,
        },
      },
    );
    expect(evaluate(wrong, pdd)).toEqual([
      expect.objectContaining({
        code: 'LABEL_MISMATCH',
        severity: 'block',
        params: { expected: 'SF1', found: 'YT9999' },
      }),
    ]);
    const unknownOrder = video(
      {},
      { label: { scanned: true, codes: ['YT9999'], expected: null, matched: null, framesScanned: 1, foundAtSec: 0 } },
    );
    expect(codes(unknownOrder)).toEqual([]);
    expect(codes(video({}, { label: null }))).toEqual([]); // not scanned: no verdict
  });

  it('lets a profile override severities', () => {
    const lenient = { ...pdd, severities: { LOW_RESOLUTION: 'info' as const, VIDEO_TOO_LONG: 'warn' as const } };
    const f = evaluate(video({ width: 640, height: 360, durationSec: 700 }), lenient);
    expect(f.map((x) => [x.code, x.severity])).toEqual([
      ['VIDEO_TOO_LONG', 'warn'],
      ['LOW_RESOLUTION', 'info'],
    ]);
    expect(stateOf(f)).toBe('warn');
  });
});

describe('photo and document rules', () => {
  it('passes a sharp label photo, flags blur, size, rotation, format', () => {
    expect(evaluate(photo(), pdd)).toEqual([]);
    expect(codes(photo({ sharpness: 4 }))).toEqual(['PHOTO_BLURRY']);
    expect(evaluate(photo({}, { bytes: 11 * MiB }), pdd)[0]).toMatchObject({
      code: 'PHOTO_TOO_LARGE',
      fix: 'photo-reencode',
    });
    expect(evaluate(photo({ orientation: 6 }), pdd)[0]).toMatchObject({
      code: 'PHOTO_ROTATED',
      severity: 'info',
      fix: 'photo-reencode',
    });
    expect(codes(photo({}, { format: 'webp', ext: 'webp' }))).toEqual(['FORMAT_NOT_ACCEPTED']);
    expect(codes(photo({}, { ext: 'png' }))).toEqual(['EXTENSION_MISMATCH']);
  });

  it('refuses a decompression bomb and says nothing else about it', () => {
    const bomb = photo(
      { width: 30000, height: 30000, decodeRefused: true, sharpness: null },
      { format: 'png', ext: 'png', label: null },
    );
    expect(evaluate(bomb, pdd)).toEqual([
      expect.objectContaining({
        code: 'PHOTO_TOO_MANY_PIXELS',
        severity: 'block',
        params: { width: 30000, height: 30000, limitPixels: 100e6 },
      }),
    ]);
  });

  it('judges documents by the document list and skips the label', () => {
    const pdf: ProbeFacts = {
      ...photo(),
      kind: 'document',
      format: 'pdf',
      ext: 'pdf',
      photo: null,
      label: null,
      bytes: 12 * MiB,
    };
    expect(codes(pdf)).toEqual(['DOCUMENT_TOO_LARGE']);
    const voucher = photo(
      {},
      { label: { scanned: false, codes: [], expected: null, matched: null, framesScanned: 0, foundAtSec: null } },
    );
    expect(evaluate(voucher, pdd, { expectDocument: true })).toEqual([]);
  });

  it('reports unreadable files with the reason only', () => {
    const f: ProbeFacts = { ...video(), kind: 'unknown', video: null, label: null, unreadable: 'empty' };
    expect(evaluate(f, pdd)).toEqual([{ code: 'FILE_UNREADABLE', severity: 'block', params: { reason: 'empty' } }]);
  });

  it('limits files per set where the profile does (Shopee: 3 photos)', () => {
    expect(evaluateSet(['photo', 'photo', 'photo', 'video'], shopee)).toEqual([]);
    expect(evaluateSet(['photo', 'photo', 'photo', 'photo'], shopee)).toEqual([
      expect.objectContaining({ code: 'TOO_MANY_FILES', params: { kind: 'photo', count: 4, limit: 3 } }),
    ]);
    expect(evaluateSet(Array(10).fill('photo'), pdd)).toEqual([]);
  });
});

describe('finding messages', () => {
  it('exist for every code in both languages and fill in readable values', () => {
    for (const lang of LANGS) {
      for (const code of FINDING_CODES) {
        expect(translate(lang, `finding.${code}`)).not.toBe(`finding.${code}`);
        expect(DEFAULT_SEVERITY[code]).toBeDefined();
      }
    }
    const f = evaluate(video({ durationSec: 754 }, { bytes: 400 * MiB }), pdd);
    expect(describeFinding('en', f[0])).toBe('The video runs 12:34, over the 10:00 limit');
    expect(describeFinding('zh-CN', f[1])).toBe('视频 400.0 MB，超过上限 300.0 MB');
    expect(describeFinding('en', { code: 'FILE_UNREADABLE', severity: 'block', params: { reason: 'empty' } })).toMatch(
      /empty \(0 bytes\)/,
    );
    expect(formatDuration(3725.5)).toBe('1:02:05.5');
  });
});

describe('numbers in findings', () => {
  it('round to two decimals half up, as people do, whatever binary floats make of them', () => {
    // 4.475 * 100 is 447.49999999999994 in binary floats: a 4475 ms gap must still read 4.48 s
    expect([round(4.475), round(1.005), round(0.125), round(2.5), round(300.004), round(0)]).toEqual([
      4.48, 1.01, 0.13, 2.5, 300, 0,
    ]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../electron/core/checks/check-file';
import { loadProfileFile } from '../../electron/core/checks/profile-store';
import { runFfmpeg } from '../../electron/core/media/ffmpeg';
import { builtinProfile } from '../../shared/rules/builtin';
import type { FindingCode } from '../../shared/rules/findings';
import {
  ACCEPTED_VIDEO_FORMATS,
  BAD_FILE_KINDS,
  makeBadFile,
  makeLargeVideo,
  makeLongVideo,
  makeVideo,
  otherTrackingNo,
  sampleTrackingNo,
  sceneJpegFile,
  type BadFileKind,
} from '../fixtures';
import { useTempDirs } from '../helpers/temp';

// Every check runs on real files through the bundled ffprobe/ffmpeg, sharp and zxing-wasm.
const tmp = useTempDirs();
const pdd = builtinProfile('pdd')!;
const TN = sampleTrackingNo('SF', 7);
const check = (file: string, opts: { expected?: string | null; profile?: typeof pdd } = {}) =>
  checkFile(file, opts.profile ?? pdd, { lang: 'en', expected: opts.expected ?? null });
const codesOf = (r: { findings: { code: FindingCode }[] }) => r.findings.map((f) => f.code);

describe('every accepted container is recognised by content and passes', () => {
  it.each([...ACCEPTED_VIDEO_FORMATS])('%s', async (format) => {
    const file = await makeVideo({ format, audio: true, durationSec: 2 });
    const r = await check(file);
    expect(r.kind).toBe('video');
    expect(r.probe.format).toBe(format);
    expect(r.ok).toBe(true);
    expect(r.probe.video).toMatchObject({ hasVideo: true, width: 320, height: 240 });
    expect(r.probe.video!.durationSec!).toBeGreaterThan(1.8);
    expect(r.probe.video!.durationSec!).toBeLessThan(2.3);
    // small fixture: only the advisory findings
    expect(codesOf(r).filter((c) => !['LOW_RESOLUTION', 'LABEL_NOT_FOUND'].includes(c))).toEqual([]);
  });

  it('WebM is refused by Pinduoduo, with a transcode fix', async () => {
    const r = await check(await makeVideo({ format: 'webm', audio: true }));
    expect(r.ok).toBe(false);
    expect(r.findings[0]).toMatchObject({
      code: 'FORMAT_NOT_ACCEPTED',
      severity: 'block',
      fix: 'transcode',
      params: { format: 'webm' },
    });
    expect(r.findings[0].message).toMatch(/webm is not accepted/);
  });
});

const EXPECTED: Record<BadFileKind, { code: FindingCode | null; reason?: string }> = {
  empty: { code: 'FILE_UNREADABLE', reason: 'empty' },
  'truncated-mp4': { code: 'FILE_TRUNCATED' },
  'truncated-mp4-no-moov': { code: 'FILE_UNREADABLE', reason: 'damaged' },
  'random-bytes-mp4': { code: 'FILE_UNREADABLE', reason: 'unrecognised' },
  'audio-only-m4a': { code: 'NO_VIDEO_STREAM' },
  'audio-only-mp4': { code: 'NO_VIDEO_STREAM' },
  'mp4-named-avi': { code: 'EXTENSION_MISMATCH' },
  'jpeg-named-png': { code: 'EXTENSION_MISMATCH' },
  'png-huge-dimensions': { code: 'PHOTO_TOO_MANY_PIXELS' },
  'text-named-jpg': { code: 'FILE_UNREADABLE', reason: 'unrecognised' },
  'symlink-outside': { code: null }, // a check reads what the link points to; importers refuse links
  'garbage-mkv': { code: 'FILE_UNREADABLE', reason: 'damaged' },
  'mkv-no-frames': { code: 'FILE_UNREADABLE', reason: 'damaged' },
};

describe('bad files get the right finding and nothing crashes', () => {
  it.each([...BAD_FILE_KINDS])('%s', async (kind) => {
    const before = process.memoryUsage().rss;
    const r = await check(await makeBadFile(kind));
    const want = EXPECTED[kind];
    if (want.code === null) {
      expect(r.findings.filter((f) => f.severity === 'block')).toEqual([]);
      return;
    }
    expect(codesOf(r)).toContain(want.code);
    expect(r.ok).toBe(false);
    const f = r.findings.find((x) => x.code === want.code)!;
    expect(f.severity).toBe('block');
    if (want.reason) expect(f.params.reason).toBe(want.reason);
    expect(f.message.length).toBeGreaterThan(10);
    // the 30000×30000 PNG must not have been decoded (≈2.7 GB of pixels)
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });

  it('a decompression bomb is refused from its header', async () => {
    const r = await check(await makeBadFile('png-huge-dimensions'));
    expect(r.probe.photo).toMatchObject({ width: 30000, height: 30000, decodeRefused: true, sharpness: null });
    expect(r.findings.map((f) => f.code)).toEqual(['PHOTO_TOO_MANY_PIXELS']);
  });
});

describe('limits, continuity, duration', () => {
  it('over-long: 10:01 against the 10-minute limit', async () => {
    const r = await check(await makeLongVideo());
    expect(r.findings.find((f) => f.code === 'VIDEO_TOO_LONG')).toMatchObject({
      severity: 'block',
      fix: 'split',
      params: { limitSec: 600 },
    });
    expect(r.probe.video!.durationSec).toBeCloseTo(601, 0);
  });

  it('over-size against a profile loaded from a JSON file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'small.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...pdd,
        id: 'small',
        video: { ...pdd.video, maxBytes: { value: 1024 * 1024, basis: 'assumed' } },
      }),
    );
    const profile = loadProfileFile(file);
    const video = await makeLargeVideo({ minBytes: 1.5 * 1024 * 1024, width: 320, height: 240 });
    const r = await check(video, { profile });
    expect(r.findings.find((f) => f.code === 'VIDEO_TOO_LARGE')).toMatchObject({
      severity: 'block',
      fix: 'compress',
      params: { limitBytes: 1024 * 1024 },
    });
    expect(r.profile).toEqual({ id: 'small', version: 1 });
  });

  it.runIf(process.env.PROOFPACK_SLOW)('over-size against the real 300 MB limit', async () => {
    const r = await check(await makeLargeVideo());
    expect(codesOf(r)).toContain('VIDEO_TOO_LARGE');
  });

  it('a timestamp gap is found where it is', async () => {
    const r = await check(await makeVideo({ format: 'mp4', durationSec: 4, gapAtSec: 2, gapSec: 3 }));
    const f = r.findings.find((x) => x.code === 'DISCONTINUOUS')!;
    expect(f.severity).toBe('warn');
    expect(Number(f.params.maxGapSec)).toBeGreaterThan(2.9);
    expect(Number(f.params.atSec)).toBeGreaterThan(1.8);
    expect(Number(f.params.atSec)).toBeLessThan(2.1);
  });

  it('a MediaRecorder-style WebM without a duration gets one from its packets', async () => {
    const file = path.join(tmp(), 'live.webm');
    await runFfmpeg({
      inputs: [{ file: 'testsrc2=size=320x240:rate=30:duration=3', options: ['-f', 'lavfi'] }],
      output: file,
      outputOptions: [
        '-c:v',
        'libvpx',
        '-deadline',
        'realtime',
        '-cpu-used',
        '8',
        '-b:v',
        '300k',
        '-f',
        'webm',
        '-live',
        '1',
      ],
    });
    const r = await check(file);
    expect(r.probe.video).toMatchObject({ durationSource: 'packets' });
    expect(r.probe.video!.durationSec!).toBeCloseTo(3, 0);
    expect(codesOf(r)).toEqual(expect.arrayContaining(['FORMAT_NOT_ACCEPTED', 'DURATION_MISSING']));
  });
});

describe('photos and labels', () => {
  const scene = (variant: 'ok' | 'blurred' | 'no-label' | 'wrong-label') =>
    sceneJpegFile({ trackingNo: TN, variant, width: 1920, height: 1080 });

  it('a sharp photo with the right label passes', async () => {
    const r = await check(await scene('ok'), { expected: TN });
    expect(r.findings).toEqual([]);
    expect(r.probe.label).toMatchObject({ scanned: true, matched: true, codes: [TN] });
    expect(r.probe.photo!.sharpness!).toBeGreaterThan(35);
  });

  it('blurred photo, photo without a label, photo with a wrong label', async () => {
    const blurred = await check(await scene('blurred'), { expected: TN });
    expect(codesOf(blurred)).toContain('PHOTO_BLURRY');
    expect(blurred.probe.photo!.sharpness!).toBeLessThan(35);
    expect(codesOf(await check(await scene('no-label'), { expected: TN }))).toEqual(['LABEL_NOT_FOUND']);
    const wrong = await check(await scene('wrong-label'), { expected: TN });
    expect(wrong.findings).toEqual([
      expect.objectContaining({
        code: 'LABEL_MISMATCH',
        severity: 'block',
        params: { expected: TN, found: otherTrackingNo(TN) },
      }),
    ]);
  });

  it('reads the label in sampled video frames, and notices the wrong parcel', async () => {
    const file = await makeVideo({ format: 'mp4', durationSec: 6, width: 1280, height: 720, labelTrackingNo: TN });
    const right = await check(file, { expected: TN });
    expect(right.findings).toEqual([]);
    expect(right.probe.label).toMatchObject({ matched: true });
    expect(right.probe.label!.framesScanned).toBeLessThanOrEqual(6);
    const wrong = await check(file, { expected: otherTrackingNo(TN) });
    expect(codesOf(wrong)).toEqual(['LABEL_MISMATCH']);
    const plain = await check(await makeVideo({ format: 'mp4', durationSec: 3, width: 1280, height: 720 }), {
      expected: TN,
    });
    expect(codesOf(plain)).toEqual(['LABEL_NOT_FOUND']);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../electron/core/checks/check-file';
import { fixFile } from '../../electron/core/fixes/fix-file';
import type { FixRequest } from '../../electron/core/fixes/plan';
import { probe } from '../../electron/core/media/ffmpeg';
import { sha256File } from '../../electron/core/storage/files';
import { builtinProfile } from '../../shared/rules/builtin';
import { ProfileSchema, type RuleProfile } from '../../shared/rules/profile-schema';
import { cachedFile, labelPngFile, makeVideo, runFfmpeg, sampleTrackingNo, sceneJpegFile } from '../fixtures';
import { paramsKey } from '../fixtures/cache';
import { useTempDirs } from '../helpers/temp';

/**
 * Media the other suites never produce, found by exploratory QA on the bundled
 * ffmpeg 4.1 / ffprobe: Motion-JPEG webcam footage, MPEG-TS (camcorder .mts, DVR
 * exports) on which the bundled Linux ffprobe segfaults, and cover art that must
 * still not count as footage.
 */
const tmp = useTempDirs();
const pdd = builtinProfile('pdd')!;
const shopee = builtinProfile('shopee')!;
const check = (file: string, profile: RuleProfile = pdd) => checkFile(file, profile, { lang: 'en', expected: null });
const codesOf = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);
const ADVISORY = ['LOW_RESOLUTION', 'LABEL_NOT_FOUND'];

/** A fixture made by one bundled-ffmpeg command, cached like the shared generators. */
const made = (name: string, args: (out: string) => string[]) =>
  cachedFile('unseen', `${paramsKey('unseen', { name, args: args('OUT') })}-${name}`, (out) => runFfmpeg(args(out)));

const testsrc = (sec: number) => ['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=15:duration=${sec}`];
const sine = (sec: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${sec}`];

/** MPEG-TS as camcorders and DVRs write it: H.264 + ADTS AAC; optionally a 2 s recorder stall at 1 s. */
const makeTs = (opts: { audio: boolean; gap?: boolean; ext?: string }) =>
  made(`clip.${opts.ext ?? 'ts'}`, (out) => [
    ...testsrc(3),
    ...(opts.audio ? sine(3) : []),
    ...(opts.gap ? ['-vf', 'setpts=PTS-STARTPTS+gte(T\\,1)*2/TB', '-vsync', 'passthrough'] : []),
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    ...(opts.audio ? ['-c:a', 'aac', '-shortest'] : []),
    '-f',
    'mpegts',
    out,
  ]);

async function fix(src: string, profile: RuleProfile, req: FixRequest = {}) {
  const out = tmp('pp-unseen-fix-');
  const before = await sha256File(src);
  const r = await fixFile(src, profile, req, {
    workDir: path.join(out, '.work'),
    outputPath: (part, parts, ext) => path.join(out, parts > 1 ? `out.part${part}.${ext}` : `out.${ext}`),
  });
  expect(await sha256File(src)).toBe(before); // the original is only read
  return r;
}

describe('Motion-JPEG footage (USB webcams, DVRs) is video, not cover art', () => {
  it.each(['avi', 'mov', 'mkv'] as const)('MJPEG in %s passes Pinduoduo', async (format) => {
    const file = await makeVideo({ format, codec: 'mjpeg', durationSec: 2 });
    const r = await check(file);
    expect(r.kind).toBe('video');
    expect(r.probe.video).toMatchObject({ hasVideo: true, videoCodec: 'mjpeg', width: 320, height: 240 });
    expect(r.probe.video!.frames).toBeGreaterThanOrEqual(29);
    expect(codesOf(r).filter((c) => !ADVISORY.includes(c))).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('MJPEG AVI is transcoded for Shopee (MP4/MOV only) into a passing H.264 MP4', async () => {
    const src = await makeVideo({ format: 'avi', codec: 'mjpeg', durationSec: 2 });
    const before = await check(src, shopee);
    expect(before.findings.find((f) => f.code === 'FORMAT_NOT_ACCEPTED')).toMatchObject({ fix: 'transcode' });
    const r = await fix(src, shopee);
    expect(r.status).toBe('done');
    if (r.status !== 'done') return;
    const after = await check(r.outputs[0].file, shopee);
    expect(after.ok).toBe(true);
    expect(after.probe.video).toMatchObject({ videoCodec: 'h264', hasVideo: true });
    expect(after.probe.video!.durationSec!).toBeGreaterThan(1.8);
  });

  it('an audio file with embedded cover art still has no video stream', async () => {
    const cover = await made('cover.png', (out) => ['-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', out]);
    const file = await made('cover-art.mp4', (out) => [
      ...sine(2),
      '-i',
      cover,
      '-map',
      '0:a',
      '-map',
      '1:v',
      '-c:a',
      'aac',
      '-c:v',
      'mjpeg',
      '-disposition:v:0',
      'attached_pic',
      '-f',
      'mp4',
      out,
    ]);
    const raw = await probe(file);
    expect(raw.streams.some((s) => s.codec_type === 'video' && s.disposition?.attached_pic === 1)).toBe(true);
    const r = await check(file);
    expect(codesOf(r)).toEqual(['NO_VIDEO_STREAM']);
    expect(r.ok).toBe(false);
  });
});

describe('MPEG-TS is read although the bundled ffprobe crashes on it', () => {
  it('probe() returns the real container, duration and streams', async () => {
    const file = await makeTs({ audio: true });
    const p = await probe(file);
    expect(p.format.format_name).toBe('mpegts');
    expect(Number(p.format.duration)).toBeGreaterThan(2.8);
    expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  });

  it.each(['ts', 'mts', 'm2ts'])('.%s: recognised as ts, not accepted by Pinduoduo, remuxable', async (ext) => {
    const r = await check(await makeTs({ audio: true, ext }));
    expect(r.kind).toBe('video');
    expect(r.probe).toMatchObject({ format: 'ts', unreadable: null });
    expect(r.probe.video).toMatchObject({ hasVideo: true, hasAudio: true, width: 320, height: 240, truncated: null });
    expect(r.probe.video!.frames).toBe(45);
    expect(r.probe.video!.durationSec!).toBeGreaterThan(2.8);
    expect(r.probe.video!.durationSec!).toBeLessThan(3.3);
    expect(r.findings[0]).toMatchObject({ code: 'FORMAT_NOT_ACCEPTED', severity: 'block', fix: 'remux' });
    expect(codesOf(r).filter((c) => !ADVISORY.includes(c))).toEqual(['FORMAT_NOT_ACCEPTED']);
  });

  it('a stall inside a TS is found by the packet scan', async () => {
    const r = await check(await makeTs({ audio: false, gap: true }));
    const gap = r.findings.find((f) => f.code === 'DISCONTINUOUS');
    expect(gap?.params).toMatchObject({ count: 1 });
    expect(Number(gap!.params.maxGapSec)).toBeGreaterThan(1.9);
  });

  it('fix remuxes a TS into a passing MP4 with the same duration', async () => {
    const src = await makeTs({ audio: true });
    const r = await fix(src, pdd);
    expect(r.status).toBe('done');
    if (r.status !== 'done') return;
    expect(r.applied).toContain('remux');
    const out = r.outputs[0].file;
    expect(fs.existsSync(out)).toBe(true);
    const after = await check(out);
    expect(after.ok).toBe(true);
    expect(after.probe.format).toBe('mp4');
    expect(after.probe.video).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', frames: 45 });
    expect(Math.abs(after.probe.video!.durationSec! - 3)).toBeLessThan(0.2);
  });
});

describe('BMP photos (no libvips loader) are decoded through the bundled ffmpeg', () => {
  const TN = sampleTrackingNo('SF', 11);
  const bmpScene = async () => {
    const jpg = await sceneJpegFile({ trackingNo: TN, width: 1280, height: 720 });
    return made('scene.bmp', (out) => ['-i', jpg, '-c:v', 'bmp', '-pix_fmt', 'bgr24', out]);
  };

  it('is judged by its own format, with its pixels read (label, sharpness)', async () => {
    const r = await checkFile(await bmpScene(), pdd, { lang: 'en', expected: TN });
    expect(r.kind).toBe('photo');
    expect(r.probe).toMatchObject({ format: 'bmp', unreadable: null });
    expect(r.probe.photo).toMatchObject({ width: 1280, height: 720, decodeRefused: false });
    expect(r.probe.photo!.sharpness).toBeGreaterThan(0);
    expect(r.probe.label).toMatchObject({ matched: true });
    expect(codesOf(r)).toEqual(['FORMAT_NOT_ACCEPTED']);
    expect(r.findings[0]).toMatchObject({ fix: 'photo-reencode', params: { format: 'bmp' } });
  });

  it('fix re-encodes it into a passing JPEG that still shows the label', async () => {
    const r = await fix(await bmpScene(), pdd);
    expect(r.status).toBe('done');
    if (r.status !== 'done') return;
    const out = r.outputs[0].file;
    expect(out.endsWith('.jpg')).toBe(true);
    const after = await checkFile(out, pdd, { lang: 'en', expected: TN });
    expect(after.ok).toBe(true);
    expect(after.probe).toMatchObject({ format: 'jpg' });
    expect(after.probe.photo).toMatchObject({ width: 1280, height: 720 });
    expect(after.probe.label).toMatchObject({ matched: true });
  });

  it('a BMP header declaring 30000×30000 is refused before anything decodes it', async () => {
    const dir = tmp('pp-unseen-bmp-');
    const header = Buffer.alloc(54);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(54, 2);
    header.writeUInt32LE(54, 10);
    header.writeUInt32LE(40, 14); // BITMAPINFOHEADER
    header.writeInt32LE(30000, 18);
    header.writeInt32LE(30000, 22);
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(24, 28);
    const file = path.join(dir, 'bomb.bmp');
    fs.writeFileSync(file, header);
    const r = await check(file);
    expect(codesOf(r)).toEqual(['PHOTO_TOO_MANY_PIXELS']);
    expect(r.probe.photo).toMatchObject({ width: 30000, height: 30000, decodeRefused: true });
  });

  it('a HEIC with garbage after its file-type box is damaged (real HEICs are decoded: heic.test.ts)', async () => {
    const dir = tmp('pp-unseen-heic-');
    // the HEIF file-type box an iPhone writes, then bytes that are no HEIF boxes
    const ftyp = Buffer.alloc(24);
    ftyp.writeUInt32BE(24, 0);
    ftyp.write('ftypheic', 4, 'latin1');
    ftyp.write('mif1heic', 16, 'latin1');
    const file = path.join(dir, 'IMG_0001.HEIC');
    fs.writeFileSync(file, Buffer.concat([ftyp, Buffer.alloc(4000, 7)]));
    const r = await check(file);
    expect(codesOf(r)).toEqual(['FILE_UNREADABLE']);
    expect(r.probe.unreadable).toBe('damaged');
  });
});

describe('short clips and parts are encoded although their byte budget is huge', () => {
  // a 1.5 s clip may use 300 MiB: the rate cap that gives overflowed x264's 32-bit buffer size
  it('fix --trim of a 1.5 s clip under Pinduoduo', async () => {
    const src = await makeVideo({ format: 'mp4', durationSec: 2 });
    const r = await fix(src, pdd, { trim: { startSec: 0, endSec: 1.5 } });
    expect(r.status).toBe('done');
    if (r.status !== 'done') return;
    const after = await check(r.outputs[0].file);
    expect(after.ok).toBe(true);
    expect(Math.abs(after.probe.video!.durationSec! - 1.5)).toBeLessThan(0.15);
  });

  it('a transcode split into ≤ 2 s parts (MPEG-4 AVI, 2 s limit)', async () => {
    const src = await makeVideo({ format: 'avi', durationSec: 5 });
    const short = ProfileSchema.parse({
      ...pdd,
      id: 'short',
      video: { ...pdd.video, maxDurationSec: { value: 2, basis: 'assumed' } },
    });
    const r = await fix(src, short);
    expect(r.status).toBe('done');
    if (r.status !== 'done') return;
    expect(r.applied).toEqual(['transcode', 'split']);
    expect(r.outputs.length).toBeGreaterThanOrEqual(3);
    let total = 0;
    for (const o of r.outputs) {
      const c = await check(o.file, short);
      expect(c.ok).toBe(true);
      total += c.probe.video!.durationSec!;
    }
    expect(Math.abs(total - 5)).toBeLessThan(0.3);
  });
});

describe('AVI and WMV cut off mid-file are FILE_TRUNCATED (their headers declare the whole)', () => {
  /** the first `ratio` of a file, as a copy that stopped or a half-finished download leaves it */
  const cut = (src: string, ratio: number) => {
    const out = path.join(tmp('pp-unseen-cut-'), `cut-${path.basename(src)}`);
    const bytes = fs.readFileSync(src);
    fs.writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * ratio)));
    return out;
  };

  it.each(['avi', 'wmv'] as const)('%s', async (format) => {
    const whole = await makeVideo({ format, durationSec: 4 });
    expect(codesOf(await check(whole))).not.toContain('FILE_TRUNCATED');
    const r = await check(cut(whole, 0.45));
    expect(r.ok).toBe(false);
    const t = r.findings.find((f) => f.code === 'FILE_TRUNCATED');
    expect(t).toMatchObject({ severity: 'block', fix: 'remux' });
    expect(Number(t!.params.declaredSec)).toBeGreaterThan(3.8);
    expect(Number(t!.params.presentSec)).toBeLessThan(3);
    expect(r.probe.video!.truncated).not.toBeNull();
  });

  it('fix keeps what is there as a passing MP4', async () => {
    const src = cut(await makeVideo({ format: 'wmv', durationSec: 4 }), 0.6);
    const r = await fix(src, pdd);
    expect(r.status).toBe('done');
    if (r.status !== 'done') return;
    const after = await check(r.outputs[0].file);
    expect(after.ok).toBe(true);
    expect(after.probe.video!.durationSec!).toBeGreaterThan(1);
  });
});

describe('a decoder that cannot skip to keyframes still gets its label read', () => {
  it('Ogg Theora (frame-threaded in ffmpeg 4.1): label found, no CHECK_FAILED', async () => {
    const TN = sampleTrackingNo('SF', 23);
    const label = await labelPngFile({ trackingNo: TN });
    const file = await made('label.ogv', (out) => [
      ...['-loop', '1', '-framerate', '5', '-t', '3', '-i', label],
      ...['-vf', 'format=yuv420p', '-c:v', 'libtheora', '-q:v', '7', '-g', '5', '-f', 'ogg', out],
    ]);
    const r = await checkFile(file, pdd, { lang: 'en', expected: TN });
    expect(r.probe.video).toMatchObject({ videoCodec: 'theora', hasVideo: true });
    expect(r.probe.video!.maxKeyframeIntervalSec!).toBeLessThan(2); // the keyframe-only pass is tried first
    expect(codesOf(r)).not.toContain('CHECK_FAILED');
    expect(r.probe.label).toMatchObject({ matched: true });
    expect(codesOf(r)).toEqual(['FORMAT_NOT_ACCEPTED']);
  });
});

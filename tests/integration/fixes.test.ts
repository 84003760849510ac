import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../electron/core/checks/check-file';
import { fixFile, type FixResult } from '../../electron/core/fixes/fix-file';
import type { FixRequest } from '../../electron/core/fixes/plan';
import { ffprobePackets, probe } from '../../electron/core/media/ffmpeg';
import { sha256File } from '../../electron/core/storage/files';
import { builtinProfile } from '../../shared/rules/builtin';
import { ProfileSchema, type RuleProfile } from '../../shared/rules/profile-schema';
import { makeBadFile, makeLongVideo, makeVideo, maxPacketGapSec, sampleTrackingNo, sceneJpegFile } from '../fixtures';
import { useTempDirs } from '../helpers/temp';

// Every output is re-checked by the same checks and by ffprobe; every original is hashed
// before and after: a fix never touches it.
const tmp = useTempDirs();
const pdd = builtinProfile('pdd')!;
const shopee = builtinProfile('shopee')!;
const withVideo = (p: RuleProfile, maxDurationSec: number, maxBytes: number) =>
  ProfileSchema.parse({
    ...p,
    id: 'test',
    video: {
      ...p.video,
      maxDurationSec: { value: maxDurationSec, basis: 'assumed' },
      maxBytes: { value: maxBytes, basis: 'assumed' },
    },
  });

async function fix(src: string, profile: RuleProfile, req: FixRequest = {}) {
  const out = tmp('pp-fix-');
  const before = await sha256File(src);
  const progress: number[] = [];
  const r = await fixFile(src, profile, req, {
    workDir: path.join(out, '.work'),
    onProgress: (x) => progress.push(x),
    outputPath: (part, parts, ext) =>
      path.join(out, parts > 1 ? `out.part${String(part).padStart(2, '0')}.${ext}` : `out.${ext}`),
  });
  expect(await sha256File(src)).toBe(before);
  expect(fs.existsSync(path.join(out, '.work')) ? fs.readdirSync(path.join(out, '.work')) : []).toEqual([]);
  return { r, out, progress };
}

async function recheck(r: FixResult, profile: RuleProfile) {
  expect(r.status).toBe('done');
  if (r.status !== 'done') throw new Error('not done');
  const reports = [];
  for (const o of r.outputs) {
    const c = await checkFile(o.file, profile, { lang: 'en' });
    expect(c.findings.filter((f) => f.severity === 'block')).toEqual([]);
    if (c.kind === 'video') {
      const p = await probe(o.file);
      expect(p.format.format_name).toContain('mp4');
      expect(p.streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
      const audio = p.streams.find((s) => s.codec_type === 'audio');
      if (audio) expect(audio.codec_name).toBe('aac');
      const head = fs
        .readFileSync(o.file)
        .subarray(0, 64 * 1024)
        .toString('latin1');
      expect(head.indexOf('moov')).toBeGreaterThan(-1); // fast start: index before the media data
    }
    reports.push(c);
  }
  return reports;
}

const videoFrames = async (file: string) => {
  let n = 0;
  await ffprobePackets(file, () => n++, { select: 'v:0' });
  return n;
};

describe('video fixes', () => {
  it('transcodes WebM (VP8 + Opus) to MP4 H.264 + AAC, keeping every frame at its own time', async () => {
    const src = await makeVideo({ format: 'webm', durationSec: 4, audio: true, gapAtSec: 2, gapSec: 3 });
    const { r, progress } = await fix(src, pdd);
    expect(r).toMatchObject({ status: 'done', applied: ['transcode'] });
    const [c] = await recheck(r, pdd);
    // no frame invented to fill the pause (vsync passthrough), none dropped
    expect(await videoFrames((r as { outputs: { file: string }[] }).outputs[0].file)).toBe(await videoFrames(src));
    expect(await maxPacketGapSec((r as { outputs: { file: string }[] }).outputs[0].file)).toBeGreaterThan(2.9);
    expect(c.probe.video!.durationSec!).toBeCloseTo(7, 0);
    expect(progress.at(-1)).toBe(1);
  });

  it('remuxes H.264 in the wrong container without re-encoding', async () => {
    const src = await makeBadFile('mp4-named-avi');
    const mkv = await makeVideo({ format: 'mkv', durationSec: 2, audio: true });
    // a profile taking only MP4, so the Matroska file needs a new container
    const mp4Only = ProfileSchema.parse({
      ...pdd,
      id: 'mp4only',
      video: { ...pdd.video, formats: { value: ['mp4'], basis: 'assumed' } },
    });
    for (const file of [src, mkv]) {
      const { r } = await fix(file, mp4Only);
      expect(r).toMatchObject({ status: 'done', applied: ['remux'] });
      await recheck(r, pdd);
      const out = (r as { outputs: { file: string }[] }).outputs[0].file;
      expect(await videoFrames(out)).toBe(await videoFrames(file));
    }
  });

  it('compresses a too-large file under the limit, at the same length', async () => {
    const src = await makeVideo({ format: 'mp4', durationSec: 6, width: 640, height: 360, audio: true });
    const limit = Math.floor(fs.statSync(src).size * 0.6);
    const profile = withVideo(pdd, 600, limit);
    const { r } = await fix(src, profile);
    expect(r).toMatchObject({ status: 'done', applied: ['compress'] });
    const [c] = await recheck(r, profile);
    expect(c.probe.bytes).toBeLessThanOrEqual(limit);
    expect(c.probe.video!.durationSec!).toBeCloseTo(6, 0);
  });

  it('splits a 10:01 recording at keyframes into numbered parts with contiguous timestamps', async () => {
    const src = await makeLongVideo();
    const { r } = await fix(src, pdd);
    expect(r).toMatchObject({ status: 'done', applied: ['split'] });
    const reports = await recheck(r, pdd);
    const outs = (
      r as { outputs: { file: string; part: number; parts: number; sourceStartSec: number; sourceEndSec: number }[] }
    ).outputs;
    expect(outs.map((o) => [path.basename(o.file), o.part, o.parts])).toEqual([
      ['out.part01.mp4', 1, 2],
      ['out.part02.mp4', 2, 2],
    ]);
    expect(outs[0].sourceStartSec).toBe(0);
    expect(outs[0].sourceEndSec).toBe(outs[1].sourceStartSec);
    const total = reports.reduce((s, c) => s + c.probe.video!.durationSec!, 0);
    expect(total).toBeCloseTo(601, 0);
    for (const c of reports) expect(c.probe.video!.durationSec!).toBeLessThanOrEqual(600);
    // stream copy: every frame of the source is in exactly one part
    expect((await videoFrames(outs[0].file)) + (await videoFrames(outs[1].file))).toBe(await videoFrames(src));
  });

  it('transcodes and splits in one pass when the codec cannot be copied (WMV)', async () => {
    const src = await makeVideo({ format: 'wmv', durationSec: 9, audio: true });
    const profile = withVideo(pdd, 4, 50 * 1024 * 1024);
    const { r } = await fix(src, profile);
    expect(r).toMatchObject({ status: 'done', applied: ['transcode', 'split'] });
    const reports = await recheck(r, profile);
    expect(reports.length).toBe(3);
    for (const c of reports) expect(c.probe.video!.durationSec!).toBeLessThanOrEqual(4);
  });

  it('trims to one clip by in/out points for a Shopee-style profile', async () => {
    const src = await makeVideo({ format: 'mp4', durationSec: 75, width: 320, height: 240, fps: 10 });
    const plain = await fix(src, shopee);
    expect(plain.r).toEqual({ status: 'unfixable', reason: 'needsTrim', params: { limitSec: 60 } });
    const { r } = await fix(src, shopee, { trim: { startSec: 10, endSec: 70 } });
    expect(r).toMatchObject({ status: 'done', applied: ['trim'] });
    const [c] = await recheck(r, shopee);
    expect(c.probe.video!.durationSec!).toBeGreaterThan(59);
    expect(c.probe.video!.durationSec!).toBeLessThanOrEqual(60);
  });

  it('says so when nothing can be fixed', async () => {
    expect((await fix(await makeBadFile('audio-only-mp4'), pdd)).r).toMatchObject({ status: 'unfixable' });
    expect((await fix(await makeBadFile('png-huge-dimensions'), pdd)).r).toMatchObject({ status: 'unfixable' });
    expect((await fix(await makeVideo({ format: 'mp4', width: 1280, height: 720 }), pdd)).r).toEqual({
      status: 'nothing',
    });
  });
});

describe('photo fixes', () => {
  const TN = sampleTrackingNo('ZTO', 3);

  it('turns an EXIF-rotated photo upright in its pixels', async () => {
    const dir = tmp();
    const src = path.join(dir, 'rotated.jpg');
    // the camera stored it sideways with orientation 6 (rotate 90° clockwise to view)
    const upright = await sharp(await sceneJpegFile({ trackingNo: TN, width: 1600, height: 900 }))
      .rotate(-90)
      .jpeg()
      .toBuffer();
    await sharp(upright).withMetadata({ orientation: 6 }).toFile(src);
    expect((await checkFile(src, pdd, { lang: 'en' })).findings.map((f) => f.code)).toContain('PHOTO_ROTATED');
    const { r } = await fix(src, pdd);
    const [c] = await recheck(r, pdd);
    expect(c.findings.map((f) => f.code)).not.toContain('PHOTO_ROTATED');
    const meta = await sharp((r as { outputs: { file: string }[] }).outputs[0].file).metadata();
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([1600, 900, 1]);
  });

  it('re-encodes a photo over the size limit and converts unaccepted formats', async () => {
    const src = await sceneJpegFile({ trackingNo: TN, width: 3000, height: 2000, quality: 100 });
    const limit = Math.floor(fs.statSync(src).size / 3);
    const small = ProfileSchema.parse({
      ...pdd,
      id: 'small',
      photo: { ...pdd.photo, maxBytes: { value: limit, basis: 'assumed' } },
    });
    const { r } = await fix(src, small);
    const [c] = await recheck(r, small);
    expect(c.probe.bytes).toBeLessThanOrEqual(limit);
    expect(c.probe.label).toMatchObject({ codes: [TN] }); // still readable

    const webp = path.join(tmp(), 'photo.webp');
    await sharp(src).webp().toFile(webp);
    const conv = await fix(webp, pdd);
    const [cc] = await recheck(conv.r, pdd);
    expect(cc.probe.format).toBe('jpg');
    expect(path.extname((conv.r as { outputs: { file: string }[] }).outputs[0].file)).toBe('.jpg');
  });

  it('renames a JPEG named .png without re-encoding it', async () => {
    const src = await makeBadFile('jpeg-named-png');
    const { r } = await fix(src, pdd);
    const out = (r as { outputs: { file: string }[] }).outputs[0].file;
    expect(path.extname(out)).toBe('.jpg');
    expect(await sha256File(out)).toBe(await sha256File(src));
  });
});

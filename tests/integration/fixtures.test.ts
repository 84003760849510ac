import { lstat, readFile, realpath, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  ALL_VIDEO_FORMATS,
  BAD_FILE_KINDS,
  decodeTexts,
  extractFramePng,
  formatDurationSec,
  labelPngFile,
  makeBadFile,
  makeLabelY4m,
  makeLargeVideo,
  makeLongVideo,
  makeSymlinkOutside,
  makeVideo,
  maxPacketGapSec,
  otherTrackingNo,
  probe,
  readY4mFrame,
  renderLabelPng,
  renderSceneJpeg,
  sampleOrderNo,
  sampleTrackingNo,
  type VideoFormat,
} from '../fixtures';

// The fixtures are what every other media test trusts, so each generator is checked
// against the real tools: the bundled ffprobe for containers, zxing-wasm for barcodes.

const tn = sampleTrackingNo('SF', 1);
const orderNo = sampleOrderNo(1);

/** Variance of a 4-neighbour Laplacian on greyscale ≤ 1024 px: low = blurred. */
async function sharpness(img: Buffer): Promise<number> {
  const { data, info } = await sharp(img)
    .greyscale()
    .resize({ width: 1024, withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 1; y < info.height - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const l = data[i - 1] + data[i + 1] + data[i - w] + data[i + w] - 4 * data[i];
      sum += l;
      sq += l * l;
      n++;
    }
  }
  return sq / n - (sum / n) ** 2;
}

describe('couriers', () => {
  it('gives deterministic, distinct tracking numbers', () => {
    expect(sampleTrackingNo('SF', 1)).toBe(tn);
    expect(tn).toMatch(/^SF\d{13}$/);
    expect(sampleTrackingNo('SF', 2)).not.toBe(tn);
    expect(otherTrackingNo(tn)).not.toBe(tn);
    expect(otherTrackingNo(tn)).toHaveLength(tn.length);
  });
});

describe('label PNG', () => {
  it('is a 800×1200 PNG whose Code128 reads as the tracking number and QR as the order', async () => {
    const png = await renderLabelPng({ trackingNo: tn, orderNo });
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 800, 1200]);
    const texts = await decodeTexts(png);
    expect(texts).toContain(tn);
    expect(texts).toContain(orderNo);
    expect(texts.every((t) => t === tn || t === orderNo)).toBe(true);
  });

  it('still reads when rotated 8°, not when heavily blurred', async () => {
    expect(await decodeTexts(await renderLabelPng({ trackingNo: tn, rotationDeg: 8 }))).toContain(tn);
    expect(await decodeTexts(await renderLabelPng({ trackingNo: tn, blur: 6 }))).toEqual([]);
  });

  it('escapes odd order numbers in the text and encodes them exactly', async () => {
    const odd = 'A/B.<&>"x';
    const texts = await decodeTexts(
      await renderLabelPng({ trackingNo: 'YT1234567', orderNo: odd, courier: 'YTO', width: 400, height: 600 }),
    );
    expect(texts).toContain('YT1234567');
    expect(texts).toContain(odd);
  });

  it('memoises files by parameters', async () => {
    const a = await labelPngFile({ trackingNo: tn, orderNo });
    const before = await stat(a);
    const b = await labelPngFile({ orderNo, trackingNo: tn });
    expect(b).toBe(a);
    expect((await stat(b)).mtimeMs).toBe(before.mtimeMs);
    expect(await labelPngFile({ trackingNo: tn })).not.toBe(a);
  });
});

describe('scene JPEG', () => {
  it('ok / blurred / no-label / wrong-label behave as named', async () => {
    const ok = await renderSceneJpeg({ trackingNo: tn, orderNo });
    const meta = await sharp(ok).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1920, 1080]);
    expect(await decodeTexts(ok)).toContain(tn);

    const blurred = await renderSceneJpeg({ trackingNo: tn, variant: 'blurred' });
    expect(await decodeTexts(blurred)).toEqual([]);
    expect(await sharpness(blurred)).toBeLessThan((await sharpness(ok)) / 4);

    expect(await decodeTexts(await renderSceneJpeg({ trackingNo: tn, variant: 'no-label' }))).toEqual([]);
    const wrong = await decodeTexts(await renderSceneJpeg({ trackingNo: tn, variant: 'wrong-label' }));
    expect(wrong).toContain(otherTrackingNo(tn));
    expect(wrong).not.toContain(tn);
  });
});

const EXPECTED: Record<VideoFormat, { format: string; video: string; audio: string }> = {
  mp4: { format: 'mp4', video: 'h264', audio: 'aac' },
  mov: { format: 'mov', video: 'h264', audio: 'aac' },
  m4v: { format: 'mp4', video: 'h264', audio: 'aac' },
  '3gp': { format: '3gp', video: 'h264', audio: 'aac' },
  mkv: { format: 'matroska', video: 'h264', audio: 'aac' },
  avi: { format: 'avi', video: 'mpeg4', audio: 'mp3' },
  wmv: { format: 'asf', video: 'wmv2', audio: 'wmav2' },
  flv: { format: 'flv', video: 'flv1', audio: 'mp3' },
  rmvb: { format: 'rm', video: 'rv20', audio: 'ac3' },
  webm: { format: 'webm', video: 'vp8', audio: 'opus' },
};

describe('makeVideo', () => {
  it.each(ALL_VIDEO_FORMATS)('%s: right container, codecs, size and duration', async (format) => {
    const file = await makeVideo({ format, durationSec: 3, audio: true });
    expect(path.extname(file)).toBe(`.${format}`);
    const p = await probe(file);
    expect(p.format.format_name.split(',')).toContain(EXPECTED[format].format);
    const v = p.streams.find((s) => s.codec_type === 'video');
    expect(v?.codec_name).toBe(EXPECTED[format].video);
    expect([v?.width, v?.height]).toEqual([320, 240]);
    expect(p.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe(EXPECTED[format].audio);
    expect(Math.abs(Number(p.format.duration) - 3)).toBeLessThanOrEqual(0.1);
    expect(await maxPacketGapSec(file)).toBeLessThan(0.2);
  });

  it('makes H.263 + AMR 3gp at a legal size and refuses an illegal one', async () => {
    const p = await probe(await makeVideo({ format: '3gp', codec: 'h263', width: 176, height: 144, audio: true }));
    expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['amr_nb', 'h263']);
    await expect(makeVideo({ format: '3gp', codec: 'h263', width: 320, height: 240 })).rejects.toThrow(/h263/);
  });

  it.each(['mp4', 'mkv', 'mov', 'flv', 'wmv', 'webm', 'avi'] as const)(
    '%s: a gap makes packet times jump by > 1 s',
    async (format) => {
      const file = await makeVideo({ format, durationSec: 4, gapAtSec: 2, gapSec: 3, audio: true });
      const gap = await maxPacketGapSec(file, 'v');
      expect(gap).toBeGreaterThan(1);
      expect(gap).toBeLessThan(3.5);
      expect(Math.abs((await formatDurationSec(file)) - 7)).toBeLessThanOrEqual(0.1);
    },
  );

  it('refuses a gap RealMedia cannot store', async () => {
    await expect(makeVideo({ format: 'rmvb', gapAtSec: 1, gapSec: 2, durationSec: 3 })).rejects.toThrow(/rmvb/);
  });

  it('films a label whose barcode decodes in extracted frames, and moves', async () => {
    const file = await makeVideo({
      format: 'mp4',
      width: 1280,
      height: 720,
      fps: 30,
      durationSec: 3,
      labelTrackingNo: tn,
    });
    const p = await probe(file);
    expect(Math.abs(Number(p.format.duration) - 3)).toBeLessThanOrEqual(0.1);
    const f0 = await extractFramePng(file, 0);
    const f1 = await extractFramePng(file, 1.2);
    expect(await decodeTexts(f0)).toContain(tn);
    expect(await decodeTexts(f1)).toContain(tn);
    const a = await sharp(f0).greyscale().raw().toBuffer();
    const b = await sharp(f1).greyscale().raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
    expect(diff / a.length).toBeGreaterThan(2); // not a still image
  });
});

describe('large and long videos', () => {
  it('makeLargeVideo reaches the byte target with a short duration', async () => {
    const minBytes = 6 * 1024 * 1024;
    const file = await makeLargeVideo({ minBytes, width: 640, height: 360 });
    expect((await stat(file)).size).toBeGreaterThanOrEqual(minBytes);
    const p = await probe(file);
    expect(p.streams[0].codec_name).toBe('h264');
    expect(Number(p.format.duration)).toBeLessThan(10);
  });

  it('makeLongVideo is over 10 minutes and tiny', async () => {
    const file = await makeLongVideo();
    expect(Math.abs((await formatDurationSec(file)) - 601)).toBeLessThanOrEqual(0.1);
    expect((await stat(file)).size).toBeLessThan(20 * 1024 * 1024);
  });
});

describe('label y4m', () => {
  it('is a 4:2:0 y4m Chromium can loop, with a readable label in its first frame', async () => {
    const file = await makeLabelY4m({ trackingNo: tn, seconds: 1 });
    expect(path.isAbsolute(file)).toBe(true);
    const first = await readY4mFrame(file, 0);
    expect(first.header).toMatch(/^YUV4MPEG2 W1280 H720 F30:1 /);
    expect(first.header).toMatch(/ C420/);
    const frameBytes = 1280 * 720 * 1.5 + 6;
    expect((await stat(file)).size).toBe(Buffer.byteLength(first.header) + 1 + 30 * frameBytes);
    expect(await decodeTexts({ data: first.y, width: first.width, height: first.height, channels: 1 })).toContain(tn);
    const last = await readY4mFrame(file, 29);
    expect(await decodeTexts({ data: last.y, width: last.width, height: last.height, channels: 1 })).toContain(tn);
    expect(Math.abs((await formatDurationSec(file)) - 1)).toBeLessThanOrEqual(0.1);
  });
});

describe('bad files', () => {
  it('makes every kind, each bad in the way its name says', async () => {
    const f = Object.fromEntries(
      await Promise.all(BAD_FILE_KINDS.map(async (k) => [k, await makeBadFile(k)] as const)),
    );
    const unreadable = (file: string) => expect(probe(file)).rejects.toThrow();

    expect((await stat(f.empty)).size).toBe(0);
    await unreadable(f.empty);

    const whole = await stat(await makeVideo({ format: 'mp4', durationSec: 3, audio: true }));
    expect((await stat(f['truncated-mp4'])).size).toBe(Math.floor(whole.size * 0.3));
    await unreadable(f['truncated-mp4-no-moov']);
    await unreadable(f['random-bytes-mp4']);

    for (const k of ['audio-only-m4a', 'audio-only-mp4'] as const) {
      const p = await probe(f[k]);
      expect(p.streams.map((s) => s.codec_type)).toEqual(['audio']);
    }
    expect(path.extname(f['audio-only-m4a'])).toBe('.m4a');

    expect(path.extname(f['mp4-named-avi'])).toBe('.avi');
    expect((await probe(f['mp4-named-avi'])).format.format_name).toContain('mp4');
    expect(path.extname(f['jpeg-named-png'])).toBe('.png');
    expect((await sharp(f['jpeg-named-png']).metadata()).format).toBe('jpeg');

    const png = await readFile(f['png-huge-dimensions']);
    expect(png.length).toBeLessThan(200);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([30000, 30000]);
    const meta = await sharp(png, { limitInputPixels: false }).metadata(); // header is valid (CRC ok)
    expect([meta.width, meta.height]).toEqual([30000, 30000]);
    await expect(sharp(png).metadata()).rejects.toThrow(/pixel limit/);

    expect(path.extname(f['text-named-jpg'])).toBe('.jpg');
    await expect(sharp(f['text-named-jpg']).metadata()).rejects.toThrow();

    const link = f['symlink-outside'];
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(path.dirname(await realpath(link))).not.toBe(path.dirname(link));

    const mkv = await readFile(f['garbage-mkv']);
    expect(mkv.subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
    await unreadable(f['garbage-mkv']);
    await unreadable(f['mkv-no-frames']);
  });

  it('makeSymlinkOutside puts an escaping link into a chosen folder', async () => {
    const dir = path.join(path.dirname(await makeBadFile('empty')), 'chosen');
    const { link, target } = await makeSymlinkOutside({ dir, name: 'escape.mp4' });
    expect(path.dirname(link)).toBe(dir);
    expect(await realpath(link)).toBe(await realpath(target));
    expect(target.startsWith(dir + path.sep)).toBe(false);
    await utimes(target, new Date(), new Date()); // target is a real file
  });
});

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FixJobResult } from '../../shared/api/calls/checks';
import type { Id } from '../../shared/domain/id';
import { builtinProfile } from '../../shared/rules/builtin';
import { checkFile } from '../../electron/core/checks/check-file';
import { MAX_HEIF_BYTES, readHeif } from '../../electron/core/checks/heif-decoder';
import { sniffBytes } from '../../electron/core/checks/sniff';
import { createCore, type Core } from '../../electron/core/core';
import { fixFile } from '../../electron/core/fixes/fix-file';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { imageThumb } from '../../electron/core/packets/thumbnails';
import { sha256File } from '../../electron/core/storage/files';
import { heicSceneFile, otherTrackingNo, sampleTrackingNo, type HeicSceneOptions } from '../fixtures';
import { useTempDirs } from '../helpers/temp';

/**
 * iPhone photos (HEIC: HEVC in a HEIF container) are decoded by libheif (WASM) and then
 * judged like any photo. The fixtures are encoded by heif-enc; rotation (irot) and a
 * lying size (ispe) are edited into the boxes, as iPhones and crafted files carry them.
 */
const tmp = useTempDirs();
const pdd = builtinProfile('pdd')!;
const TN = sampleTrackingNo('ZTO', 9);
const codesOf = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);
const scene = (extra: Partial<HeicSceneOptions> = {}) =>
  heicSceneFile({ trackingNo: TN, width: 1280, height: 720, courier: 'ZTO', ...extra });

/** A copy under an iPhone-like name, so the extension matches its content. */
const asIphoneFile = async (src: string, name = 'IMG_0417.HEIC') => {
  const file = path.join(tmp('pp-heic-'), name);
  fs.copyFileSync(src, file);
  return file;
};

/** Mean colour around a point given as fractions of the picture (the scene's blue cup is at 0.83, 0.65). */
async function colourAt(image: string | Buffer, fx: number, fy: number) {
  const meta = await sharp(image).metadata();
  const size = Math.round(Math.min(meta.width!, meta.height!) * 0.06);
  const left = Math.round(meta.width! * fx - size / 2);
  const top = Math.round(meta.height! * fy - size / 2);
  // stats() reads its input, not the pipeline's output: cut the patch out first
  const patch = await sharp(image).extract({ left, top, width: size, height: size }).png().toBuffer();
  const { channels } = await sharp(patch).stats();
  return { r: channels[0].mean, g: channels[1].mean, b: channels[2].mean };
}
const isBlue = (c: { r: number; b: number }) => c.b > c.r + 60;

async function fixToDir(src: string) {
  const out = tmp('pp-heic-fix-');
  const before = await sha256File(src);
  const r = await fixFile(
    src,
    pdd,
    {},
    {
      workDir: path.join(out, '.work'),
      outputPath: (part, parts, ext) => path.join(out, `out.${ext}`),
    },
  );
  expect(await sha256File(src)).toBe(before); // the original is only read
  expect(r.status).toBe('done');
  if (r.status !== 'done') throw new Error('not done');
  return r.outputs[0].file;
}

describe('iPhone HEIC photos are read and checked like any photo', () => {
  it('size, sharpness and the label barcode are read; the format is what the platform refuses', async () => {
    const file = await asIphoneFile(await scene());
    const r = await checkFile(file, pdd, { lang: 'en', expected: TN });
    expect(r.kind).toBe('photo');
    expect(r.probe).toMatchObject({ format: 'heic', ext: 'heic', unreadable: null });
    expect(r.probe.photo).toMatchObject({ width: 1280, height: 720, decodeRefused: false });
    expect(r.probe.photo!.sharpness).toBeGreaterThan(pdd.photo.minSharpness.value);
    expect(r.probe.label).toMatchObject({ matched: true, codes: [TN] });
    // PDD accepts JPG and PNG only: the one finding is the format, fixed by re-encoding
    expect(codesOf(r)).toEqual(['FORMAT_NOT_ACCEPTED']);
    expect(r.findings[0]).toMatchObject({ fix: 'photo-reencode', params: { format: 'heic', accepted: 'jpg, png' } });
  });

  it('a label of another parcel is caught in a HEIC too (the barcode is really decoded)', async () => {
    const file = await scene({ variant: 'wrong-label' });
    const r = await checkFile(file, pdd, { lang: 'en', expected: TN });
    expect(r.findings.find((f) => f.code === 'LABEL_MISMATCH')).toMatchObject({
      params: { expected: TN, found: otherTrackingNo(TN) },
    });
  });

  it('the photo fix writes a JPEG that passes, still showing the label; the HEIC is kept', async () => {
    const out = await fixToDir(await asIphoneFile(await scene()));
    expect(path.extname(out)).toBe('.jpg');
    const after = await checkFile(out, pdd, { lang: 'en', expected: TN });
    expect(after.ok).toBe(true);
    expect(after.findings).toEqual([]);
    expect(after.probe).toMatchObject({ format: 'jpg' });
    expect(after.probe.photo).toMatchObject({ width: 1280, height: 720, orientation: null });
    expect(after.probe.label).toMatchObject({ matched: true });
  });

  it('a HEIC stored sideways with an irot shows upright: size, checks, fix and thumbnail', async () => {
    const file = await scene({ irot: 1 });
    // the coded picture is 720 × 1280; the file says "turn it a quarter anticlockwise"
    const r = await checkFile(file, pdd, { lang: 'en', expected: TN });
    expect(r.probe.photo).toMatchObject({ width: 1280, height: 720 });
    expect(r.probe.label).toMatchObject({ matched: true });
    const out = await fixToDir(file);
    expect(await sharp(out).metadata()).toMatchObject({ width: 1280, height: 720 });
    expect(isBlue(await colourAt(out, 0.83, 0.65))).toBe(true); // the cup is on the right, not upside down
    expect(isBlue(await colourAt(out, 0.17, 0.35))).toBe(false);
    const thumb = await imageThumb(file);
    expect(thumb).not.toBeNull();
    const tj = Buffer.from(thumb!.jpeg);
    expect(await sharp(tj).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 180 });
    expect(isBlue(await colourAt(tj, 0.83, 0.65))).toBe(true);
  });
});

describe('HEIC files that cannot or must not be decoded', () => {
  it('a header declaring 30000 × 30000 is refused by the pixel limit before anything decodes it', async () => {
    const file = await scene({ declare: { width: 30000, height: 30000 } });
    const r = await checkFile(file, pdd, { lang: 'en', expected: TN });
    expect(codesOf(r)).toEqual(['PHOTO_TOO_MANY_PIXELS']);
    expect(r.probe.photo).toMatchObject({ width: 30000, height: 30000, decodeRefused: true });
    const direct = await readHeif(file, { maxPixels: 100_000_000, timeoutMs: 120_000 });
    expect(direct).toMatchObject({ width: 30000, height: 30000, pixels: null });
    // a lower limit applies to an honest header just the same
    const small = await checkFile(await scene(), pdd, { lang: 'en', maxDecodePixels: 1280 * 720 - 1 });
    expect(codesOf(small)).toEqual(['PHOTO_TOO_MANY_PIXELS']);
  });

  it('a HEIC cut off in its image data is reported as incomplete', async () => {
    const full = fs.readFileSync(await scene());
    const file = path.join(tmp('pp-heic-cut-'), 'IMG_0418.HEIC');
    fs.writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.6)));
    const r = await checkFile(file, pdd, { lang: 'en', expected: TN });
    expect(r.probe.unreadable).toBe('truncated');
    expect(r.findings).toEqual([expect.objectContaining({ code: 'FILE_UNREADABLE', severity: 'block' })]);
    expect(r.findings[0].message).toMatch(/incomplete/);
    expect(r.probe.detail).toMatch(/end of file/i);
  });

  it('a HEIC whose boxes are garbage is damaged; one holding a codec the decoder lacks says what to do', async () => {
    const dir = tmp('pp-heic-bad-');
    const garbage = path.join(dir, 'IMG_0419.HEIC');
    const ftyp = fs.readFileSync(await scene()).subarray(0, 28);
    fs.writeFileSync(garbage, Buffer.concat([ftyp, Buffer.alloc(4000, 7)]));
    const g = await checkFile(garbage, pdd, { lang: 'en' });
    expect(codesOf(g)).toEqual(['FILE_UNREADABLE']);
    expect(g.probe.unreadable).toBe('damaged');

    // a HEIF container with AV1 inside that calls itself "heic"
    const av1 = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c00' } })
      .avif()
      .toBuffer();
    av1.write('heic', 8, 'latin1');
    const odd = path.join(dir, 'odd.heic');
    fs.writeFileSync(odd, av1);
    const o = await checkFile(odd, pdd, { lang: 'en' });
    expect(o.probe.unreadable).toBe('unsupported-format');
    expect(o.findings[0].message).toMatch(/export it as JPG/);
  });

  it('a HEIC too big to load into the decoder is refused without reading it', async () => {
    const file = path.join(tmp('pp-heic-big-'), 'IMG_0420.HEIC');
    fs.writeFileSync(file, fs.readFileSync(await scene()));
    fs.truncateSync(file, MAX_HEIF_BYTES + 1); // sparse: costs no disk
    const r = await checkFile(file, pdd, { lang: 'en' });
    expect(r.probe.unreadable).toBe('too-big');
    expect(r.probe.detail).toBe(`HEIC: file of ${MAX_HEIF_BYTES + 1} bytes`);
    expect(codesOf(r)).toEqual(['FILE_UNREADABLE']);
  });

  it('a decode is stopped by its timeout and by cancel', async () => {
    const file = await scene();
    // 0 ms: the timer fires before the worker has even loaded the decoder
    await expect(readHeif(file, { maxPixels: 100_000_000, timeoutMs: 0 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    const ac = new AbortController();
    const pending = readHeif(file, { maxPixels: 100_000_000, timeoutMs: 120_000, signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('AVIF is told apart from HEIC (brand and compression), and libvips keeps decoding it', async () => {
    const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#0c0' } })
      .avif()
      .toBuffer();
    const mif1 = Buffer.from(avif);
    mif1.write('mif1', 8, 'latin1'); // major brand mif1, compatible avif: still AVIF
    expect(sniffBytes(mif1)).toEqual({ kind: 'photo', format: 'avif' });
    const file = path.join(tmp('pp-avif-'), 'photo.avif');
    fs.writeFileSync(file, avif);
    const r = await checkFile(file, pdd, { lang: 'en' });
    expect(r.probe).toMatchObject({ format: 'avif', unreadable: null });
    expect(r.probe.photo).toMatchObject({ width: 64, height: 48 });
    expect(codesOf(r)).toContain('FORMAT_NOT_ACCEPTED');
    expect(codesOf(r)).not.toContain('EXTENSION_MISMATCH');
  });
});

/** The background check's stored result, once there (polled: checks run off the request). */
async function checked(core: Core, evidenceId: Id) {
  for (let i = 0; i < 2400; i++) {
    const c = await core.handlers['checks.forEvidence']({ evidenceId });
    if (c) return c;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no check result for evidence ${evidenceId}`);
}

describe('a HEIC imported as evidence', () => {
  it('is checked in the background, and its fix is a linked JPEG; the HEIC stays as it was', async () => {
    const core: Core = await createCore({ dataDir: tmp(), mode: 'web' });
    try {
      const order = await findOrCreateOrder(core.ctx.db, TN, 'tracking');
      const bytes = fs.readFileSync(await scene());
      const ev = await core.handlers['evidence.import']({ orderId: order.id, name: 'IMG_0417.HEIC', data: bytes });
      expect(ev).toMatchObject({ kind: 'photo', width: 1280, height: 720 });
      const check = await checked(core, ev.id);
      expect(check).toMatchObject({ state: 'block', expectedCode: TN });
      expect(check.findings.map((f) => f.code)).toEqual(['FORMAT_NOT_ACCEPTED']);
      expect(check.facts.label).toMatchObject({ matched: true });

      const started = await core.handlers['fixes.start']({ evidenceId: ev.id });
      const result = (await core.ctx.jobs.wait(started.jobId)) as FixJobResult;
      const outId = result.outputs[0].evidenceId;
      const detail = await core.handlers['orders.get']({ id: order.id });
      const out = detail.evidence.find((e) => e.id === outId)!;
      expect(out).toMatchObject({ origin: 'fixed', parentId: ev.id, kind: 'photo', mime: 'image/jpeg' });
      expect(out.path).toMatch(/\.jpg$/);
      expect(await sha256File(path.join(core.ctx.paths.root, ev.path))).toBe(ev.sha256);
      expect(await checked(core, outId)).toMatchObject({ state: 'ok' });
    } finally {
      await core.close();
    }
  });
});

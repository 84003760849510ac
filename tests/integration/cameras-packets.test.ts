import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCameraPart } from '../../electron/core/cameras/camera-parts-repo';
import { TITLE_CARD_MS } from '../../electron/core/cameras/title-card';
import { createCore, type Core } from '../../electron/core/core';
import { ffmpegPath } from '../../electron/core/media/binaries';
import { probe } from '../../electron/core/media/ffmpeg';
import type { PacketManifest } from '../../electron/core/packets/manifest';
import type { BatchExportResult } from '../../electron/core/packets/packet-service';
import { verifyPacket } from '../../electron/core/packets/verify';
import type { CaseDetail, ExportResult } from '../../shared/domain/cases';
import type { Evidence } from '../../shared/domain/types';
import type { RuleProfile } from '../../shared/rules/profile-schema';
import { decodeTexts } from '../fixtures/barcodes';
import { labelPngFile } from '../fixtures/label';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const TRACKING = 'SF5566778899001';

let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

async function call<T>(c: Core, name: string, input: unknown): Promise<T> {
  const r = await c.dispatch(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** what a network camera's feed writes: H.264 in MPEG-TS, here 4 s of the parcel's label */
async function cameraStream(dir: string): Promise<Buffer> {
  const label = await labelPngFile({ trackingNo: TRACKING });
  const out = path.join(dir, 'camera.ts');
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-y', '-loop', '1', '-framerate', '15', '-t', '4', '-i', label],
    ...['-vf', 'scale=640:360,format=yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '8', '-bf', '0'],
    ...['-f', 'mpegts', out],
  ]);
  return fs.readFileSync(out);
}

/**
 * One scan recorded by the PC camera and a network camera: the webcam's recording through
 * the page's path, the camera's through the same crash-safe path a camera take uses
 * (a video/mp2t part named in camera_parts under the webcam's recording as its take).
 */
async function twoViews(c: Core): Promise<{ webcam: Evidence; camera: Evidence }> {
  const h = c.handlers;
  const { chunks } = recorderLikeStream(tmp('pp-media-'), 3);
  const web = await h['capture.start']({ code: TRACKING, mode: 'outbound', mime: 'video/mp4;codecs=avc1' });
  let seq = 0;
  for (const data of chunks) await h['capture.chunk']({ recordingId: web.id, seq: seq++, data });
  const webcam = await h['capture.stop']({ recordingId: web.id });
  const cam = await h['capture.start']({ code: TRACKING, mode: 'outbound', mime: 'video/mp2t' });
  await insertCameraPart(c.ctx.db, {
    recordingId: cam.id,
    cameraId: 'cam-1',
    cameraName: 'Overhead',
    role: 'main',
    takeId: web.id,
    partNo: 1,
    gapMs: null,
    lostAt: null,
  });
  await h['capture.chunk']({ recordingId: cam.id, seq: 0, data: await cameraStream(tmp('pp-cam-')) });
  const camera = await h['capture.stop']({ recordingId: cam.id });
  return { webcam, camera };
}

async function exportCase(c: Core, caseId: string): Promise<ExportResult> {
  const { jobId } = await call<{ jobId: string }>(c, 'packets.export', {
    caseIds: [caseId],
    zip: false,
    outDir: tmp('pp-out-'),
    allowIncomplete: true,
  });
  const batch = (await c.ctx.jobs.wait(jobId)) as BatchExportResult;
  const r = batch.results[0];
  if (!r.ok) throw new Error(r.error.message);
  return r.result;
}

const manifestOf = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as PacketManifest;

function frameAt(file: string, seconds: number): Buffer {
  return execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-f', 'image2', '-c:v', 'png', 'pipe:1'],
  ]);
}

describe(`packets of a scan with two views (${testEngine}, real ffmpeg)`, () => {
  it('carry both views; a profile that takes one video gets them side by side in one file', async () => {
    core = await createCore({ dataDir: tmp(), mode: 'cli' });
    const c = core;
    const { webcam, camera } = await twoViews(c);
    const created = await call<CaseDetail>(c, 'cases.create', {
      orderNo: TRACKING,
      appealType: 'responsibility',
      scenario: 'damaged',
    });
    const packing = created.checklist.items.find((i) => i.requirement === 'packing-video')!;
    expect(packing.evidence.map((e) => e.evidenceId).sort()).toEqual([webcam.id, camera.id].sort());

    // the profile takes several videos: each view is its own file
    const both = await exportCase(c, created.case.id);
    const videos = both.files.filter((f) => f.kind === 'video');
    expect(videos.map((f) => f.evidenceId).sort()).toEqual([webcam.id, camera.id].sort());
    expect(manifestOf(both.packet.dir).files.some((f) => f.views)).toBe(false);

    // the platform takes one video per set: one composite of both views
    const profile = await call<RuleProfile>(c, 'profiles.get', { id: created.case.profileId });
    await call(c, 'profiles.save', {
      profile: { ...profile, video: { ...profile.video, maxFilesPerSet: { value: 1, basis: 'assumed' } } },
    });
    const one = await exportCase(c, created.case.id);
    const single = one.files.filter((f) => f.kind === 'video');
    expect(single).toHaveLength(1);
    expect(single[0].evidenceId).toBeNull();
    const entry = manifestOf(one.packet.dir).files.find((f) => f.name === single[0].name)!;
    expect(entry.origin).toBe('side-by-side');
    expect(entry.views!.map((v) => [v.evidenceId, v.sha256])).toEqual([
      [webcam.id, webcam.sha256],
      [camera.id, camera.sha256],
    ]);
    const file = path.join(one.packet.dir, single[0].name);
    const v = (await probe(file)).streams.find((s) => s.codec_type === 'video')!;
    // both 640×360 views at the same height, next to each other
    expect([v.codec_name, v.width, v.height]).toEqual(['h264', 1280, 360]);
    // the camera's view (right half) shows the parcel's label, in step with the webcam's
    const frame = frameAt(file, 3);
    expect(await decodeTexts(frame)).toContain(TRACKING);
    // the composite is as long as the longer view placed on the shared clock
    // (the camera clip's title card plays before its start time)
    const span = (e: Evidence, leadMs: number) => {
      const start = Date.parse(e.capturedAt) - leadMs;
      return [start, start + e.durationMs!];
    };
    const [a, b] = [span(webcam, 0), span(camera, TITLE_CARD_MS)];
    const expected = Math.max(a[1], b[1]) - Math.min(a[0], b[0]);
    expect(Math.abs(entry.durationMs! - expected)).toBeLessThanOrEqual(1000);
    expect((await verifyPacket(one.packet.dir)).ok).toBe(true);
  });
});

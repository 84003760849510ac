import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { camerasFile } from '../../electron/core/cameras/camera-store';
import { probe } from '../../electron/core/media/ffmpeg';
import { TITLE_CARD_MS } from '../../electron/core/cameras/title-card';
import { decodeTexts } from '../fixtures/barcodes';
import { labelPngFile } from '../fixtures/label';
import { frameAt, isCardColour, partsOfTake, sleep, waiterFor } from '../helpers/camera-test-kit';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { startRtspServer, type RtspTestServer } from '../helpers/rtsp-camera';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const TRACKING = 'SF1234567890123';

let server: RtspTestServer | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await server?.close();
  core = null;
  server = null;
});

const waitFor = waiterFor(() => core);

/** a core with one RTSP camera of the label, connected and sending keyframes */
async function stationWithCamera(opts: { moving?: boolean; gop?: number } = {}) {
  server = await startRtspServer();
  const label = await labelPngFile({ trackingNo: TRACKING });
  await server.startCamera('overhead', label, opts);
  const dir = tmp();
  core = await createCore({
    dataDir: dir,
    mode: 'cli',
    cameras: {
      connectCameras: true,
      // the product's stall limit: a shorter one took a busy machine's pause for a drop
      feed: { stallMs: 5000, retryMs: 300, maxRetryMs: 1000 },
      idleTickMs: 300,
    },
  });
  const cam = await core.handlers['cameras.add']({ url: server.cameraUrl('overhead'), name: 'Overhead' });
  const c = core;
  await waitFor('the camera to be live', () => c.cameras.hub.feed(cam.id)?.preroll());
  return { dir, core: c, cam, label };
}

describe('network cameras (RTSP on 127.0.0.1, real ffmpeg)', () => {
  it('camera add / list keep the password in the data folder only (0600) and never print it', async () => {
    const dir = tmp();
    const c = await createCore({ dataDir: dir, mode: 'cli' });
    await c.close();
    const bin = path.resolve(__dirname, '../../bin/proofpack.mjs');
    const run = (args: string[]) =>
      execFileSync(process.execPath, [bin, ...args], {
        encoding: 'utf8',
        env: { ...process.env, PROOFPACK_LANG: 'en' },
      });
    const added = JSON.parse(
      run([
        'camera',
        'add',
        '--data-dir',
        dir,
        '--url',
        'rtsp://admin:s3cret%21@192.0.2.10:554/Streaming/Channels/101',
        '--name',
        'Desk 1',
        '--json',
      ]),
    );
    expect(added).toMatchObject({ name: 'Desk 1', role: 'main', kind: 'rtsp', username: 'admin', hasPassword: true });
    expect(added.url).toBe('rtsp://192.0.2.10:554/Streaming/Channels/101');
    run([
      'camera',
      'add',
      '--data-dir',
      dir,
      '--url',
      'http://192.0.2.11/mjpg/video.mjpg',
      '--role',
      'closeup',
      '--json',
    ]);
    const listed = run(['camera', 'list', '--data-dir', dir, '--json']);
    expect(listed).not.toContain('s3cret');
    expect(JSON.parse(listed).map((x: { role: string; kind: string }) => `${x.role}:${x.kind}`)).toEqual([
      'main:rtsp',
      'closeup:mjpeg',
    ]);
    // the password is in the data folder, readable by this user only
    expect(fs.readFileSync(camerasFile(dir), 'utf8')).toContain('s3cret!');
    if (process.platform !== 'win32') expect(fs.statSync(camerasFile(dir)).mode & 0o777).toBe(0o600);
    // a third camera, or a bad URL, is a usage error (exit 2)
    expect(() => run(['camera', 'add', '--data-dir', dir, '--url', 'rtsp://192.0.2.12/x'])).toThrow();
    expect(() => run(['camera', 'add', '--data-dir', dir, '--url', 'ftp://x/y'])).toThrow();
  });

  it('scan → record: the saved file is the camera stream copied (H.264), shows the label, lasts as long as the scan', async () => {
    const { dir, core: c, cam } = await stationWithCamera();
    // Settings → Cameras: the test button and the live preview
    expect(await c.handlers['cameras.test']({ id: cam.id })).toMatchObject({
      ok: true,
      codec: 'h264',
      width: 640,
      streamCopy: true,
    });
    expect(await c.handlers['cameras.test']({ url: server!.cameraUrl('nobody') })).toMatchObject({ ok: false });
    const snap = await c.handlers['cameras.snapshot']({ id: cam.id });
    expect(await decodeTexts(Buffer.from(snap.dataUrl.split(',')[1], 'base64'))).toContain(TRACKING);
    const takeId = randomUUID();
    const t0 = Date.now();
    // the keyframe the file must start with: the camera's latest at the scan (same tick)
    const latestKeyframeAt = c.cameras.hub.feed(cam.id)!.preroll()!.keyframeAt;
    c.cameras.afterCaptureStart(takeId, { code: TRACKING, mode: 'outbound' }, t0);
    await waitFor('the first part', async () => (await partsOfTake(c, takeId)).length === 1);
    await sleep(4000); // the recording runs for a while; no assertion is timed
    const t1 = Date.now();
    const [result] = await c.cameras.stopTakes(takeId);
    expect(result.failures).toEqual([]);
    expect(result.saved).toHaveLength(1);
    const ev = result.saved[0];
    const file = path.join(dir, ev.path);
    const p = await probe(file);
    expect(p.streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
    // a stream copy starts at the camera's latest keyframe before the scan, and the file's
    // start time says so (how long before the scan depends on the camera and the machine)
    expect(Date.parse(ev.capturedAt)).toBe(latestKeyframeAt);
    const preroll = t0 - latestKeyframeAt;
    expect(preroll).toBeGreaterThanOrEqual(0);
    // the title card, then from that start to the stop scan (within 1 s), then the card again
    const card = TITLE_CARD_MS;
    const expected = card + (t1 - t0 + preroll) + card;
    expect(
      Math.abs(ev.durationMs! - expected),
      `file ${ev.durationMs} ms, expected ${expected} ms`,
    ).toBeLessThanOrEqual(1000);
    expect(await decodeTexts(frameAt(file, card / 1000 + 1))).toContain(TRACKING);
    // first and last frames: the card (its colour, not the label's white) with the order's barcode
    for (const at of [0.1, (ev.durationMs! - 300) / 1000]) {
      const png = frameAt(file, at);
      expect(await isCardColour(png), `frame at ${at} s is the card`).toBe(true);
      expect(await decodeTexts(png)).toContain(TRACKING);
    }
    expect(await isCardColour(frameAt(file, card / 1000 + 1))).toBe(false);
    // one stream, copied after an H.264 card encoded to match it
    expect(p.streams.filter((s) => s.codec_type === 'video')).toHaveLength(1);
    expect(await partsOfTake(c, takeId)).toMatchObject([
      { part_no: 1, gap_ms: null, card_ms: card, status: 'finalized', station_id: c.ctx.db.stationId },
    ]);
  });

  it('a camera that drops mid-recording is reconnected: two parts of the same order, the gap recorded', async () => {
    const { core: c, label } = await stationWithCamera();
    const takeId = randomUUID();
    c.cameras.afterCaptureStart(takeId, { code: TRACKING, mode: 'outbound' }, Date.now());
    await waitFor('the first part', async () => (await partsOfTake(c, takeId)).length === 1);
    await sleep(2500);
    await server!.restart(); // the NVR restarts: every stream is cut
    // the footage before the drop is saved
    await waitFor('the first part to be saved', async () => (await partsOfTake(c, takeId))[0]?.status === 'finalized');
    await server!.startCamera('overhead', label);
    await waitFor('the second part', async () => (await partsOfTake(c, takeId)).length === 2, 200);
    await sleep(2000);
    const [result] = await c.cameras.stopTakes(takeId);
    expect(result.failures).toEqual([]);
    expect(result.saved).toHaveLength(2);
    expect(new Set(result.saved.map((e) => e.orderId)).size).toBe(1);
    const parts = await partsOfTake(c, takeId);
    expect(parts.map((p) => p.part_no)).toEqual([1, 2]);
    expect(parts[1].gap_ms).toBeGreaterThan(0);
    expect(result.gapsMs).toEqual([parts[1].gap_ms]);
    // the order lists both parts and the gap between them
    const view = await c.handlers['cameras.parts']({ orderId: result.saved[0].orderId });
    expect(view.map((v) => v.gapMs)).toEqual([null, parts[1].gap_ms]);
    // the continuity check reports the gap on the part that follows it, not on the first
    const [first, second] = parts.map((p) => p.evidence_id!);
    const check = async (evidenceId: string) =>
      (await c.handlers['checks.run']({ evidenceId })).findings.find((f) => f.code === 'DISCONTINUOUS');
    expect(await check(first)).toBeUndefined();
    // (a restart means a new RTSP connection: always longer than the profiles' 1 s limit)
    expect(parts[1].gap_ms).toBeGreaterThan(1000);
    expect(await check(second)).toMatchObject({
      params: { atSec: TITLE_CARD_MS / 1000, maxGapSec: Math.round(parts[1].gap_ms! / 10) / 100 },
    });
  });

  it('webcam + RTSP camera on one scan: two files whose start times differ by at most 100 ms', async () => {
    // a camera sending a keyframe every 2 frames: a stream copy can only start at a keyframe
    const { core: c } = await stationWithCamera({ moving: true, gop: 2 });
    const h = c.handlers;
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 3);
    const session = await h['capture.start']({ code: TRACKING, mode: 'outbound', mime: 'video/mp4;codecs=avc1' });
    let seq = 0;
    for (const data of chunks) await h['capture.chunk']({ recordingId: session.id, seq: seq++, data });
    await waitFor('the camera part', async () => (await partsOfTake(c, session.id)).length === 1);
    await sleep(2000);
    const webcam = await h['capture.stop']({ recordingId: session.id });
    const parts = await partsOfTake(c, session.id);
    expect(parts[0].status).toBe('finalized'); // stopped together with the webcam
    const detail = await h['orders.get']({ id: webcam.orderId });
    const camera = detail.evidence.find((e) => e.id === parts[0].evidence_id)!;
    expect(detail.evidence).toHaveLength(2);
    expect(Math.abs(Date.parse(camera.capturedAt) - Date.parse(webcam.capturedAt))).toBeLessThanOrEqual(100);
  });

  it('a station killed mid-recording loses at most 1 s of the camera: the part is recovered at the next start', async () => {
    server = await startRtspServer();
    await server.startCamera('overhead', await labelPngFile({ trackingNo: TRACKING }));
    const dir = tmp();
    const setup = await createCore({ dataDir: dir, mode: 'cli' });
    await setup.handlers['cameras.add']({ url: server.cameraUrl('overhead') });
    await setup.close();
    const station = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '../helpers/camera-station-process.ts'), dir, TRACKING],
      { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const t0 = await new Promise<number>((resolve, reject) => {
      let out = '';
      station.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /recording (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      station.once('exit', (c) => reject(new Error(`station exited (${c}) before recording`)));
    });
    await sleep(3000);
    const exited = new Promise((r) => station.once('exit', r));
    const killedAt = Date.now();
    station.kill('SIGKILL'); // no shutdown code runs: a crash or a power cut for the app
    await exited;
    // the next start recovers the part (its ffmpeg died with the pipe it wrote to)
    core = await createCore({ dataDir: dir, mode: 'cli', recover: true });
    const c = core;
    const recovered = c.ctx.startupNotices.filter((n) => n.code === 'recording.recovered');
    expect(recovered).toHaveLength(1);
    const ev = (await c.handlers['evidence.recent']({ limit: 5 }))[0];
    expect(ev.origin).toBe('recovered');
    // what the part holds reaches to within 1 s of the kill (flushed every 250 ms); the
    // recovered clip gets its title cards too
    expect(ev.durationMs! - 2 * TITLE_CARD_MS).toBeGreaterThanOrEqual(killedAt - t0 - 1000);
  });

  it('a recording with a still picture and no scan is saved and stopped after the idle time', async () => {
    const { core: c } = await stationWithCamera();
    await c.handlers['cameras.setIdleStop']({ minutes: 0.05 }); // 3 s for the test
    const notices: string[] = [];
    c.ctx.events.onAny((e, p) => {
      if (e === 'notice') notices.push((p as { code: string }).code);
    });
    const takeId = randomUUID();
    c.cameras.afterCaptureStart(takeId, { code: TRACKING, mode: 'outbound' }, Date.now());
    await waitFor('the auto-stop', () => notices.includes('recording.autoStopped'), 200);
    const parts = await partsOfTake(c, takeId);
    expect(parts).toHaveLength(1);
    expect(parts[0].status).toBe('finalized');
    expect(c.cameras.hub.activeTakeIds()).toEqual([]);
  });

  it('a recording whose picture moves is not auto-stopped', async () => {
    const { core: c } = await stationWithCamera({ moving: true });
    await c.handlers['cameras.setIdleStop']({ minutes: 0.05 });
    const takeId = randomUUID();
    c.cameras.afterCaptureStart(takeId, { code: TRACKING, mode: 'outbound' }, Date.now());
    // ten comparisons of new keyframes (8 frames apart at 15 fps) span more than the 3 s idle time
    await waitFor('ten motion comparisons', () => c.cameras.idle.comparisons >= 10, 200);
    expect(c.cameras.hub.activeTakeIds()).toEqual([takeId]);
    await c.cameras.stopTakes(takeId);
  });
});

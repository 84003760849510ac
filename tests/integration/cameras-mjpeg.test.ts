import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { probe } from '../../electron/core/media/ffmpeg';
import { TITLE_CARD_MS } from '../../electron/core/cameras/title-card';
import { decodeTexts } from '../fixtures/barcodes';
import { labelPngFile } from '../fixtures/label';
import { frameAt, isCardColour, partsOfTake, sleep, waiterFor } from '../helpers/camera-test-kit';
import { startMjpegCamera, type MjpegTestCamera } from '../helpers/mjpeg-camera';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const TRACKING = 'YT9876543210987';
const USER = 'admin';
const PASSWORD = 'Pack3r-s3cret!';

let camera: MjpegTestCamera | null = null;
let core: Core | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await core?.close();
  await camera?.close();
  core = null;
  camera = null;
});

const waitFor = waiterFor(() => core);

/** everything the station prints while the test runs (still printed: only read here) */
function stationOutput(): () => string {
  const spies = (['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m));
  return () => spies.flatMap((s) => s.mock.calls.flat().map(String)).join('\n');
}

/** a station recording one MJPEG camera of the label, connected and sending keyframes */
async function stationWithMjpegCamera(dir = tmp()) {
  core = await createCore({
    dataDir: dir,
    mode: 'cli',
    cameras: { connectCameras: true, feed: { stallMs: 5000, retryMs: 300, maxRetryMs: 1000 } },
  });
  const c = core;
  const [cam] = (await c.handlers['cameras.list']({})).cameras;
  await waitFor('the camera to be live', () => c.cameras.hub.feed(cam.id)?.preroll());
  return { dir, core: c, cam };
}

describe('network cameras: HTTP MJPEG on 127.0.0.1 (real ffmpeg on both ends)', () => {
  it('a camera behind basic auth: scan → record → an H.264 MP4 that shows the label and lasts as long as the scans; the password is never printed', async () => {
    const output = stationOutput();
    const label = await labelPngFile({ trackingNo: TRACKING });
    camera = await startMjpegCamera(label, { fps: 10, auth: { username: USER, password: PASSWORD } });
    const dir = tmp();
    // added from the CLI, with the credentials in the URL
    const setup = await createCore({ dataDir: dir, mode: 'cli' });
    await setup.close();
    const bin = path.resolve(__dirname, '../../bin/proofpack.mjs');
    const run = (args: string[]) =>
      execFileSync(process.execPath, [bin, ...args], {
        encoding: 'utf8',
        env: { ...process.env, PROOFPACK_LANG: 'en' },
      });
    const withCredentials = camera.url().replace('http://', `http://${USER}:${encodeURIComponent(PASSWORD)}@`);
    const cli = [
      run(['camera', 'add', '--data-dir', dir, '--url', withCredentials, '--name', 'Label cam', '--json']),
      run(['camera', 'list', '--data-dir', dir, '--json']),
    ];
    expect(JSON.parse(cli[0])).toMatchObject({ kind: 'mjpeg', url: camera.url(), username: USER, hasPassword: true });
    for (const out of cli) expect(out).not.toContain('s3cret');

    const { core: c, cam } = await stationWithMjpegCamera(dir);
    expect(camera.served).toBeGreaterThan(0);
    expect(camera.refused).toBeGreaterThan(0); // ffmpeg answered the challenge with the stored password
    // the test button: MJPEG is read, and cannot be stream-copied
    expect(await c.handlers['cameras.test']({ id: cam.id })).toMatchObject({
      ok: true,
      codec: 'mjpeg',
      width: 640,
      streamCopy: false,
    });
    const wrong = await c.handlers['cameras.test']({ url: camera.url(), username: USER, password: 'wrong-Pa55' });
    expect(wrong).toMatchObject({ ok: false });
    expect(wrong.error).not.toContain('wrong-Pa55');

    const takeId = randomUUID();
    const t0 = Date.now();
    const latestKeyframeAt = c.cameras.hub.feed(cam.id)!.preroll()!.keyframeAt;
    c.cameras.afterCaptureStart(takeId, { code: TRACKING, mode: 'outbound' }, t0);
    await waitFor('the first part', async () => (await partsOfTake(c, takeId)).length === 1);
    await sleep(6000); // the recording runs for a while; no assertion is timed
    const t1 = Date.now();
    const [result] = await c.cameras.stopTakes(takeId);
    expect(result.failures).toEqual([]);
    expect(result.saved).toHaveLength(1);
    const ev = result.saved[0];
    const file = path.join(dir, ev.path);
    expect(file).toMatch(/\.mp4$/);
    const p = await probe(file);
    expect(p.format.format_name).toContain('mp4');
    expect(p.streams.filter((s) => s.codec_type === 'video').map((s) => s.codec_name)).toEqual(['h264']);
    // the file starts at the keyframe the camera's encoder made last before the scan
    expect(Date.parse(ev.capturedAt)).toBe(latestKeyframeAt);
    const preroll = t0 - latestKeyframeAt;
    expect(preroll).toBeGreaterThanOrEqual(0);
    // card, the footage from that keyframe to the stop scan (within 1 s), card: the
    // pictures carry no time, so this holds only if each is stamped when it arrived
    const expected = TITLE_CARD_MS + (t1 - t0 + preroll) + TITLE_CARD_MS;
    expect(
      Math.abs(ev.durationMs! - expected),
      `file ${ev.durationMs} ms, expected ${expected} ms`,
    ).toBeLessThanOrEqual(1000);
    const middle = frameAt(file, TITLE_CARD_MS / 1000 + 1);
    expect(await decodeTexts(middle)).toContain(TRACKING);
    expect(await isCardColour(middle)).toBe(false);
    for (const at of [0.1, (ev.durationMs! - 300) / 1000]) {
      const png = frameAt(file, at);
      expect(await isCardColour(png), `frame at ${at} s is the card`).toBe(true);
      expect(await decodeTexts(png)).toContain(TRACKING);
    }
    expect(output()).not.toContain('s3cret');
    expect(JSON.stringify(await c.handlers['cameras.list']({}))).not.toContain('s3cret');
  });

  it('a camera switched off mid-recording and back on: two parts of the same order, the gap recorded', async () => {
    const output = stationOutput();
    const label = await labelPngFile({ trackingNo: TRACKING });
    camera = await startMjpegCamera(label, { fps: 10, auth: { username: USER, password: PASSWORD } });
    const dir = tmp();
    const setup = await createCore({ dataDir: dir, mode: 'cli' });
    await setup.handlers['cameras.add']({ url: camera.url(), username: USER, password: PASSWORD });
    await setup.close();
    const { core: c } = await stationWithMjpegCamera(dir);
    const takeId = randomUUID();
    c.cameras.afterCaptureStart(takeId, { code: TRACKING, mode: 'outbound' }, Date.now());
    await waitFor('the first part', async () => (await partsOfTake(c, takeId)).length === 1);
    await sleep(2500);
    await camera.powerOff();
    await waitFor('the first part to be saved', async () => (await partsOfTake(c, takeId))[0]?.status === 'finalized');
    // the station tries again while the camera is off (refused connections), not only once
    await sleep(1500);
    await camera.powerOn();
    await waitFor('the second part', async () => (await partsOfTake(c, takeId)).length === 2, 200);
    await sleep(2000);
    const [result] = await c.cameras.stopTakes(takeId);
    expect(result.failures).toEqual([]);
    expect(result.saved).toHaveLength(2);
    expect(new Set(result.saved.map((e) => e.orderId)).size).toBe(1);
    const parts = await partsOfTake(c, takeId);
    expect(parts.map((p) => [p.part_no, p.status])).toEqual([
      [1, 'finalized'],
      [2, 'finalized'],
    ]);
    // off for at least the 1.5 s the test waited
    expect(parts[1].gap_ms).toBeGreaterThanOrEqual(1500);
    expect(result.gapsMs).toEqual([parts[1].gap_ms]);
    const view = await c.handlers['cameras.parts']({ orderId: result.saved[0].orderId });
    expect(view.map((v) => v.gapMs)).toEqual([null, parts[1].gap_ms]);
    const check = async (evidenceId: string) =>
      (await c.handlers['checks.run']({ evidenceId })).findings.find((f) => f.code === 'DISCONTINUOUS');
    expect(await check(parts[0].evidence_id!)).toBeUndefined();
    expect(await check(parts[1].evidence_id!)).toMatchObject({
      params: { atSec: TITLE_CARD_MS / 1000, maxGapSec: Math.round(parts[1].gap_ms! / 10) / 100 },
    });
    // both parts are H.264 and show the label
    for (const e of result.saved) {
      const file = path.join(dir, e.path);
      expect((await probe(file)).streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
      expect(await decodeTexts(frameAt(file, TITLE_CARD_MS / 1000 + 0.5))).toContain(TRACKING);
    }
    expect(output()).toContain('lost'); // the drop was logged…
    expect(output()).not.toContain('s3cret'); // …without the password
  });
});

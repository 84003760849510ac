import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { ffmpegPath, ffprobePath } from '../../electron/core/media/binaries';
import { launchChromium, openStation, startApp, tempDataDir } from '../e2e/harness';
import { makeLabelY4m } from '../fixtures';
import { cpuSeconds, descendants } from './proc-tree';
import type { BenchRow } from './types';

/**
 * Recording cost of the webcam path on this machine: Chromium drawing the camera and the
 * overlay on a canvas and MediaRecorder encoding it (H.264), the app writing the chunks;
 * against ffmpeg encoding the same picture with libx264 `veryfast` at the same rate, in
 * the same run. CPU = user + system time of the processes doing the work (/proc) per
 * wall second (% of one core); delivered fps and dropped frames are counted in the
 * saved file against the frames the recording's length should hold.
 */
const cpuOfTree = (root: number) => cpuSeconds(descendants(root));

function framesIn(file: string): { frames: number; seconds: number } {
  const out = execFileSync(ffprobePath(), [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
    ...['-show_entries', 'stream=nb_read_packets:format=duration', '-of', 'json', file],
  ]).toString();
  const j = JSON.parse(out) as { streams: { nb_read_packets: string }[]; format: { duration: string } };
  return { frames: Number(j.streams[0].nb_read_packets), seconds: Number(j.format.duration) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(w: number, h: number, seconds: number): Promise<BenchRow> {
  const code = `SF${w}0000000001`.slice(0, 15);
  const y4m = await makeLabelY4m({ trackingNo: code, width: w, height: h, fps: 30, seconds: 1 });
  const dir = tempDataDir('pp-bench-webcam-');
  const setup = await createCore({ dataDir: dir, mode: 'cli' });
  await setup.handlers['settings.update']({ videoWidth: w, videoHeight: h, fps: 30 });
  await setup.close();
  const app = await startApp(dir);
  const browser = await launchChromium({ y4m });
  const ours = { cpuPct: 0, fps: 0, dropped: 0, path: '?' };
  try {
    const page = await openStation(browser, app);
    // as a packer's first scan comes: after the station has looked at the camera's frames
    await page.waitForSelector('[data-testid="preview"][data-camera-frames]');
    await page.fill('[data-testid="manual-code"]', code);
    await page.press('[data-testid="manual-code"]', 'Enter');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    ours.path =
      (await page.$eval('[data-testid="preview"]', (c) => (c as HTMLCanvasElement).dataset.recordPath)) ?? '?';
    await sleep(2000); // the recorder settles
    if (ours.path === 'frames')
      ours.path += ` in the ${
        (await page.$eval('[data-testid="preview"]', (c) => (c as HTMLCanvasElement).dataset.framesIn)) ?? '?'
      }`;
    const c0 = cpuOfTree(process.pid); // Chromium and the app server are this process's children
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const wall = (Date.now() - t0) / 1000;
    const cpu = cpuOfTree(process.pid) - c0;
    await page.click('[data-testid="toggle"]');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'), undefined, {
      timeout: 120_000,
    });
    ours.cpuPct = (cpu / wall) * 100;
  } finally {
    await browser.close();
    await app.stop();
  }
  const after = await createCore({ dataDir: dir, mode: 'cli' });
  try {
    const [saved] = await after.handlers['evidence.recent']({ limit: 1 });
    const f = framesIn(path.join(dir, saved.path));
    ours.fps = f.frames / f.seconds;
    ours.dropped = Math.max(0, 1 - f.frames / (f.seconds * 30));
  } finally {
    await after.close();
  }
  // the naive way: ffmpeg encodes the same picture at the same rate with libx264 veryfast
  const out = path.join(dir, 'naive.mp4');
  const tx = spawn(
    ffmpegPath(),
    [
      ...['-v', 'error', '-re', '-stream_loop', '-1', '-i', y4m, '-t', String(seconds + 2)],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-f', 'mp4', '-y', out],
    ],
    { stdio: 'ignore' },
  );
  const spawnedAt = Date.now();
  const exited = new Promise((r) => tx.once('exit', r));
  await sleep(1000);
  const n0 = cpuOfTree(process.pid);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const naivePct = ((cpuOfTree(process.pid) - n0) / ((Date.now() - t0) / 1000)) * 100;
  await exited;
  // how much of real time the naive encoder kept up with (it drops nothing: it falls behind)
  const naiveSpeed = framesIn(out).seconds / ((Date.now() - spawnedAt) / 1000);
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    name: `webcam ${w}x${h}p30 (overlay + MediaRecorder): CPU % of one core vs libx264 veryfast`,
    ours_ms: Math.round(ours.cpuPct * 10) / 10,
    naive_ms: Math.round(naivePct * 10) / 10,
    ratio: ours.cpuPct > 0 ? Math.round((naivePct / ours.cpuPct) * 10) / 10 : null,
    goal: '1080p30 ≤ 1 % dropped frames',
    note:
      `values are % of one core, not ms; picture made from the ${ours.path.startsWith('frames') ? `camera's ${ours.path} (frame-overlay.ts)` : 'preview canvas'}; delivered ${ours.fps.toFixed(1)} fps, ${(ours.dropped * 100).toFixed(1)} % dropped ` +
      `(frames in the saved file vs 30 per second of it); libx264 encoded ${(naiveSpeed * 100).toFixed(0)} % of real time; ` +
      `${seconds} s recorded; ours = Chromium (all processes, headless, no GPU) + the app server`,
  };
}

export async function benchWebcamRecord(opts: { seconds?: number } = {}): Promise<BenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env.PROOFPACK_BENCH_WEBCAM_SECONDS ?? 20);
  // PROOFPACK_BENCH_WEBCAM_HEIGHTS=1080 measures one size only (repeated runs of the hard case)
  const heights = (process.env.PROOFPACK_BENCH_WEBCAM_HEIGHTS ?? '720,1080').split(',').map(Number);
  const rows: BenchRow[] = [];
  for (const h of heights) rows.push(await measure(Math.round((h * 16) / 9), h, seconds));
  return rows;
}

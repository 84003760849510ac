import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TITLE_CARD_MS } from '../../electron/core/cameras/title-card';
import { createCore } from '../../electron/core/core';
import { ffmpegPath, ffprobePath } from '../../electron/core/media/binaries';
import { cachedFile } from '../fixtures/cache';
import { startRtspServer } from '../helpers/rtsp-camera';
import type { BenchRow } from './types';

/**
 * Recording cost of an RTSP H.264 camera on this machine: our path (ffmpeg stream copy →
 * TS pipe → fsync'd part → remux at stop) against ffmpeg transcoding the same stream with
 * libx264 veryfast, in the same run. CPU is read from /proc (user + system time of the
 * processes doing the work), "% of one core" = CPU seconds / wall seconds × 100; the
 * delivered frame rate is counted in the files written.
 */
/** USER_HZ: /proc reports CPU time in these ticks on Linux */
const TICK = 100;

function cpuSeconds(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK; // utime + stime, in clock ticks
  } catch {
    return 0;
  }
}

/** frames in a file and its duration (s) */
function framesIn(file: string): { frames: number; seconds: number } {
  const out = execFileSync(ffprobePath(), [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
    ...['-show_entries', 'stream=nb_read_packets:format=duration', '-of', 'json', file],
  ]).toString();
  const j = JSON.parse(out) as { streams: { nb_read_packets: string }[]; format: { duration: string } };
  return { frames: Number(j.streams[0].nb_read_packets), seconds: Number(j.format.duration) };
}

const cameraClip = (w: number, h: number) =>
  cachedFile('camera', `camera-${w}x${h}p30.mp4`, async (tmp) => {
    execFileSync(ffmpegPath(), [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=30`, '-t', '10'],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-g',
        '60',
        '-b:v',
        h >= 1080 ? '4M' : '2M',
        '-pix_fmt',
        'yuv420p',
        tmp,
      ],
    ]);
  });

async function measure(w: number, h: number, seconds: number): Promise<BenchRow> {
  const server = await startRtspServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-cam-'));
  try {
    await server.startCamera('cam', await cameraClip(w, h), { loopVideo: true });
    const core = await createCore({ dataDir: dir, mode: 'cli', cameras: { connectCameras: true } });
    let ours: { cpuPct: number; fps: number; speed: number };
    try {
      const cam = await core.handlers['cameras.add']({ url: server.cameraUrl('cam') });
      const feed = core.cameras.hub.feed(cam.id)!;
      while (!feed.preroll()) await new Promise((r) => setTimeout(r, 100));
      const takeId = randomUUID();
      const pid = feed.pid!;
      const c0 = cpuSeconds(pid);
      const n0 = process.cpuUsage();
      const t0 = Date.now();
      core.cameras.afterCaptureStart(takeId, { code: `BENCH-${w}`, mode: 'outbound' }, t0);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const wall = (Date.now() - t0) / 1000;
      const ffCpu = cpuSeconds(pid) - c0;
      const n = process.cpuUsage(n0);
      const [result] = await core.cameras.stopTakes(takeId);
      const file = path.join(dir, result.saved[0].path);
      const nodeCpu = (n.user + n.system) / 1e6;
      // the saved clip opens and ends with a title card (encoded at save, after the
      // measured time): only the camera's own frames count as delivered
      const f = framesIn(file);
      const cardFrames = 2 * Math.ceil((TITLE_CARD_MS / 1000) * 30);
      const footage = { frames: f.frames - cardFrames, seconds: f.seconds - cardFrames / 30 };
      ours = { cpuPct: ((ffCpu + nodeCpu) / wall) * 100, fps: footage.frames / wall, speed: footage.seconds / wall };
    } finally {
      await core.close();
    }
    // the naive way: decode and re-encode the same camera stream with libx264 veryfast
    const out = path.join(dir, 'transcoded.mp4');
    const spawnedAt = Date.now();
    const tx = spawn(
      ffmpegPath(),
      [
        ...['-v', 'error', '-i', server.cameraUrl('cam'), '-map', '0:v:0', '-c:v', 'libx264', '-preset', 'veryfast'],
        ...['-f', 'mp4', '-y', out],
      ],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    await new Promise((r) => setTimeout(r, 3000)); // connect and probe, as ours did before the scan
    const c0 = cpuSeconds(tx.pid!);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const wall = (Date.now() - t0) / 1000;
    const txCpu = cpuSeconds(tx.pid!) - c0;
    const exited = new Promise((r) => tx.once('exit', r));
    tx.stdin.end('q'); // ffmpeg finishes the file on "q"
    await exited;
    const f = framesIn(out);
    const txWall = (Date.now() - spawnedAt) / 1000;
    const naive = {
      cpuPct: (txCpu / wall) * 100,
      fps: f.frames / txWall,
      speed: f.seconds / txWall,
    };
    return {
      name: `RTSP H.264 camera ${w}x${h}p30: CPU % of one core (stream copy vs libx264 veryfast)`,
      ours_ms: Math.round(ours.cpuPct * 10) / 10,
      naive_ms: Math.round(naive.cpuPct * 10) / 10,
      ratio: ours.cpuPct > 0 ? Math.round((naive.cpuPct / ours.cpuPct) * 10) / 10 : null,
      goal: 'stream copy ≤ 10 % of one core',
      note:
        `values are % of one core, not ms; delivered fps (frames written per wall second) ours ${ours.fps.toFixed(1)} (footage ${(ours.speed * 100).toFixed(0)} % of wall time), ` +
        `transcode ${naive.fps.toFixed(1)} (${(naive.speed * 100).toFixed(0)} % of wall time incl. connect); ` +
        `${seconds} s each; ours = camera ffmpeg + the app process (pipe, fsync'd writes)`,
    };
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCameraRecord(opts: { seconds?: number } = {}): Promise<BenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env.PROOFPACK_BENCH_CAMERA_SECONDS ?? 20);
  return [await measure(1280, 720, seconds), await measure(1920, 1080, seconds)];
}

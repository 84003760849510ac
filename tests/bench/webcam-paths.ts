import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ffprobePath } from '../../electron/core/media/binaries';
import { launchChromium } from '../e2e/harness';
import { makeLabelY4m } from '../fixtures';
import type { BenchRow } from './types';

/**
 * Which way of putting the overlay on webcam frames keeps up in headless Chromium without
 * a GPU, measured in one browser, one run: (a) "canvas" — today's path, every camera frame
 * drawn on a canvas plus the overlay text, MediaRecorder on canvas.captureStream();
 * (b) "frames" — MediaStreamTrackProcessor → VideoFrame.copyTo (I420) → only the overlay
 * rectangle's pixels overwritten → new VideoFrame → MediaStreamTrackGenerator, recorded by
 * the same MediaRecorder settings (H.264, 500 ms keyframes, 250 ms slices). Delivered fps
 * and dropped % are counted in the recorded file (ffprobe) against 30 per second of it.
 */

/** direct: the camera track recorded with no overlay — the encoder's ceiling on this machine */
type Path = 'canvas' | 'frames' | 'direct';

/** runs inside the page: record `seconds` of the camera by one path, return the file */
async function recordInPage(args: { w: number; h: number; seconds: number; path: Path }) {
  const { w, h, seconds } = args;
  const cam = await navigator.mediaDevices.getUserMedia({
    video: { width: { exact: w }, height: { exact: h }, frameRate: 30 },
  });
  const camTrack = cam.getVideoTracks()[0];
  const boxW = Math.round(w * 0.45);
  const boxH = Math.round(h * 0.12);
  const text = () => `SF0000000001  ${new Date(Math.floor(Date.now() / 1000) * 1000).toISOString()}  1.250 kg`;
  let recTrack: MediaStreamTrack;
  let stopPipe = () => {};
  let processed = 0;
  let pipeError = '';
  let fmtSeen = '';
  if (args.path === 'direct') {
    recTrack = camTrack.clone();
    processed = 1;
  } else if (args.path === 'canvas') {
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = cam;
    await video.play();
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d')!;
    let on = true;
    const draw = () => {
      if (!on) return;
      ctx.drawImage(video, 0, 0, w, h);
      ctx.fillStyle = 'rgba(0,0,0,0.6)';
      ctx.fillRect(0, 0, boxW, boxH);
      ctx.fillStyle = '#fff';
      ctx.font = `${Math.round(boxH * 0.4)}px sans-serif`;
      ctx.fillText(text(), 8, boxH * 0.6);
      processed++;
      video.requestVideoFrameCallback(draw);
    };
    video.requestVideoFrameCallback(draw);
    recTrack = canvas.captureStream(30).getVideoTracks()[0];
    stopPipe = () => {
      on = false;
    };
  } else {
    const W = window as unknown as {
      MediaStreamTrackProcessor: new (o: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };
      MediaStreamTrackGenerator: new (o: { kind: string }) => MediaStreamTrack & { writable: WritableStream };
    };
    const proc = new W.MediaStreamTrackProcessor({ track: camTrack });
    const gen = new W.MediaStreamTrackGenerator({ kind: 'video' });
    // overlay patch: rendered to RGBA only when the text changes, converted to I420 once
    const patch = new OffscreenCanvas(boxW, boxH);
    const pctx = patch.getContext('2d')!;
    let lastText = '';
    let pY = new Uint8Array(0);
    let pU = new Uint8Array(0);
    let pV = new Uint8Array(0);
    const renderPatch = (t: string) => {
      pctx.fillStyle = '#000';
      pctx.fillRect(0, 0, boxW, boxH);
      pctx.fillStyle = '#fff';
      pctx.font = `${Math.round(boxH * 0.4)}px sans-serif`;
      pctx.fillText(t, 8, boxH * 0.6);
      const px = pctx.getImageData(0, 0, boxW, boxH).data;
      pY = new Uint8Array(boxW * boxH);
      const cw = boxW >> 1;
      const ch = boxH >> 1;
      pU = new Uint8Array(cw * ch);
      pV = new Uint8Array(cw * ch);
      for (let i = 0, j = 0; i < px.length; i += 4, j++) {
        pY[j] = (66 * px[i] + 129 * px[i + 1] + 25 * px[i + 2] + 128) / 256 + 16;
      }
      for (let y = 0; y < ch; y++)
        for (let x = 0; x < cw; x++) {
          const i = (y * 2 * boxW + x * 2) * 4;
          const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
          pU[y * cw + x] = (-38 * r - 74 * g + 112 * b + 128) / 256 + 128;
          pV[y * cw + x] = (112 * r - 94 * g - 18 * b + 128) / 256 + 128;
        }
    };
    let buf = new Uint8Array(0);
    const transformer = new TransformStream<VideoFrame, VideoFrame>({
      async transform(frame, ctl) {
        const t = text();
        if (t !== lastText) renderPatch((lastText = t));
        const cw = frame.codedWidth;
        const chh = frame.codedHeight;
        // copyTo converts only to RGB: the camera's own layout is kept (I420 or NV12)
        const fmt = frame.format;
        if (fmt !== 'I420' && fmt !== 'NV12') throw new Error(`camera format ${fmt}`);
        const size = frame.allocationSize();
        if (buf.length !== size) buf = new Uint8Array(size);
        const layout = await frame.copyTo(buf);
        const [ly, lu, lv] = layout;
        for (let y = 0; y < boxH; y++) buf.set(pY.subarray(y * boxW, (y + 1) * boxW), ly.offset + y * ly.stride);
        const pcw = boxW >> 1;
        for (let y = 0; y < boxH >> 1; y++) {
          if (fmt === 'I420') {
            buf.set(pU.subarray(y * pcw, (y + 1) * pcw), lu.offset + y * lu.stride);
            buf.set(pV.subarray(y * pcw, (y + 1) * pcw), lv.offset + y * lv.stride);
          } else {
            const row = lu.offset + y * lu.stride;
            for (let x = 0; x < pcw; x++) {
              buf[row + 2 * x] = pU[y * pcw + x];
              buf[row + 2 * x + 1] = pV[y * pcw + x];
            }
          }
        }
        fmtSeen = fmt;
        const out = new VideoFrame(buf, {
          format: fmt,
          codedWidth: cw,
          codedHeight: chh,
          timestamp: frame.timestamp,
          duration: frame.duration ?? undefined,
          layout,
        });
        frame.close();
        processed++;
        ctl.enqueue(out);
      },
    });
    const ac = new AbortController();
    proc.readable
      .pipeThrough(transformer)
      .pipeTo(gen.writable, { signal: ac.signal })
      .catch((e: Error) => (pipeError = String(e)));
    recTrack = gen;
    stopPipe = () => ac.abort();
  }
  const mime = ['video/mp4;codecs=avc1', 'video/x-matroska;codecs=avc1', 'video/webm;codecs=h264'].find((m) =>
    MediaRecorder.isTypeSupported(m),
  )!;
  const rec = new MediaRecorder(new MediaStream([recTrack]), {
    mimeType: mime,
    videoBitsPerSecond: 4_000_000,
    videoKeyFrameIntervalDuration: 500,
  } as MediaRecorderOptions);
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const stopped = new Promise((r) => rec.addEventListener('stop', r, { once: true }));
  await new Promise((r) => setTimeout(r, 1500)); // settle, as the app's bench does
  const p0 = processed;
  if (pipeError || processed === 0) throw new Error(`pipe: ${pipeError} after ${processed} frames`);
  rec.start(250);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  rec.stop();
  await stopped;
  const perSec = (processed - p0) / seconds;
  stopPipe();
  recTrack.stop();
  camTrack.stop();
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { b64: btoa(bin), mime, perSec, fmt: fmtSeen };
}

function framesIn(file: string) {
  const out = execFileSync(ffprobePath(), [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
    ...['-show_entries', 'stream=nb_read_packets:format=duration', '-of', 'json', file],
  ]).toString();
  const j = JSON.parse(out) as { streams: { nb_read_packets: string }[]; format: { duration: string } };
  return { frames: Number(j.streams[0].nb_read_packets), seconds: Number(j.format.duration) };
}

async function measure(w: number, h: number, seconds: number) {
  const y4m = await makeLabelY4m({
    trackingNo: `SF${w}000000001`.slice(0, 15),
    width: w,
    height: h,
    fps: 30,
    seconds: 1,
  });
  // getUserMedia needs a secure context: a blank page from 127.0.0.1
  const server = http.createServer((_q, s) => s.end('<!doctype html><title>bench</title>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await launchChromium({ y4m });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-paths-'));
  const res: Record<Path, { fmt: string; fps: number; dropped: number; perSec: number }> = {} as never;
  try {
    for (const p of ['canvas', 'frames', 'direct'] as Path[]) {
      const page = await browser.newPage();
      await page.addInitScript('window.__name = (f) => f');
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const r = await page.evaluate(recordInPage, { w, h, seconds, path: p }).catch((e: Error) => {
        throw new Error(`${p} path: ${e.message}`);
      });
      await page.close();
      const file = path.join(dir, `${p}.${r.mime.includes('mp4') ? 'mp4' : 'mkv'}`);
      fs.writeFileSync(file, Buffer.from(r.b64, 'base64'));
      const f = framesIn(file);
      res[p] = {
        fmt: r.fmt,
        fps: f.frames / f.seconds,
        dropped: Math.max(0, 1 - f.frames / (f.seconds * 30)),
        perSec: r.perSec,
      };
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (x: { fmt: string; fps: number; dropped: number; perSec: number }) =>
    `${x.fps.toFixed(1)} fps in file, ${(x.dropped * 100).toFixed(1)} % dropped, ${x.perSec.toFixed(1)} frames/s overlaid${x.fmt ? ` (${x.fmt})` : ''}`;
  const row: BenchRow = {
    name: `webcam ${w}x${h}p30 overlay path: delivered fps, frame processor (ours) vs canvas drawImage (naive)`,
    ours_ms: Math.round(res.frames.fps * 10) / 10,
    naive_ms: Math.round(res.canvas.fps * 10) / 10,
    ratio: res.canvas.fps > 0 ? Math.round((res.frames.fps / res.canvas.fps) * 100) / 100 : null,
    goal: '1080p30 ≤ 1 % dropped frames',
    note: `values are fps, not ms; ratio = frames/canvas; frames: ${fmt(res.frames)}; canvas: ${fmt(res.canvas)}; no overlay (encoder ceiling): ${res.direct.fps.toFixed(1)} fps, ${(res.direct.dropped * 100).toFixed(1)} % dropped; ${seconds} s each, same browser`,
  };
  return row;
}

export async function benchWebcamPaths(opts: { seconds?: number } = {}): Promise<BenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env.PROOFPACK_BENCH_WEBCAM_SECONDS ?? 10);
  return [await measure(1280, 720, seconds), await measure(1920, 1080, seconds)];
}

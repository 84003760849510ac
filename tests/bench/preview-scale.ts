import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { launchChromium } from '../e2e/harness';
import { makeLabelY4m } from '../fixtures';
import type { BenchRow } from './types';

/**
 * The station's preview while a recording runs (frame-preview.ts): one camera frame made
 * small for the screen. Ours: VideoFrame.copyTo + frame-scale.ts's integer box filter +
 * putImageData. Naive: canvas drawImage of the camera's <video> at the same size (what the
 * preview did before), smoothed as browsers draw by default. Both in one headless Chromium
 * without a GPU, on the same camera frames, timed in the page.
 */
const ROUNDS = 40;

declare global {
  interface Window {
    FrameScale: typeof import('../../renderer/src/station/frame-scale');
  }
}

/** runs inside the page: ms per preview frame by each way */
async function timeInPage(args: { w: number; h: number; th: number; rounds: number }) {
  const { w, h, th, rounds } = args;
  const tw = Math.round((w * th) / h) & ~1;
  const cam = await navigator.mediaDevices.getUserMedia({ video: { width: { exact: w }, height: { exact: h } } });
  const track = cam.getVideoTracks()[0]!;
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = cam;
  await video.play();
  const P = (
    window as unknown as {
      MediaStreamTrackProcessor: new (o: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };
    }
  ).MediaStreamTrackProcessor;
  const reader = new P({ track: track.clone() }).readable.getReader();
  const canvas = document.createElement('canvas');
  canvas.width = tw;
  canvas.height = th;
  const ctx = canvas.getContext('2d', { alpha: false })!;
  const image = new ImageData(tw, th);
  let scratch = new Uint8Array(0);
  const ours = async () => {
    const frame = (await reader.read()).value!;
    const t = performance.now();
    if (scratch.length !== frame.allocationSize()) scratch = new Uint8Array(frame.allocationSize());
    const layout = await frame.copyTo(scratch);
    const { FrameScale } = window;
    const picture = { buf: scratch, layout, nv12: frame.format === 'NV12', w, h };
    FrameScale.scaleToRgba(picture, image.data, tw, th, FrameScale.matrixOf(frame.colorSpace));
    ctx.putImageData(image, 0, 0);
    ctx.getImageData(0, 0, 1, 1); // the canvas has really been drawn
    frame.close();
    return performance.now() - t;
  };
  const naive = async () => {
    await new Promise((r) => setTimeout(r, 34)); // a new camera frame
    const t = performance.now();
    ctx.drawImage(video, 0, 0, tw, th);
    ctx.getImageData(0, 0, 1, 1);
    return performance.now() - t;
  };
  const res = { ours: [] as number[], naive: [] as number[] };
  for (let i = 0; i < rounds + 3; i++) {
    // alternated, so both meet the same moments of a shared machine; 3 warm-up rounds
    const [a, b] = [await ours(), await naive()];
    if (i >= 3) {
      res.ours.push(a);
      res.naive.push(b);
    }
  }
  await reader.cancel();
  cam.getTracks().forEach((t) => t.stop());
  return { ...res, tw };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(w: number, h: number, th: number, script: string): Promise<BenchRow> {
  const y4m = await makeLabelY4m({ trackingNo: 'SF1234567890123', width: w, height: h, fps: 30, seconds: 1 });
  // getUserMedia needs a secure context: a blank page from 127.0.0.1
  const server = http.createServer((_q, s) => s.end('<!doctype html><title>bench</title>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await launchChromium({ y4m });
  try {
    const page = await browser.newPage();
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.addScriptTag({ content: script });
    const r = await page.evaluate(timeInPage, { w, h, th, rounds: ROUNDS });
    const ours = median(r.ours);
    const naive = median(r.naive);
    return {
      name: `preview of a ${w}x${h} camera at ${r.tw}x${th}: ms per frame, 2×2 average in integers (ours) vs canvas drawImage (naive)`,
      ours_ms: Math.round(ours * 100) / 100,
      naive_ms: Math.round(naive * 100) / 100,
      ratio: ours > 0 ? Math.round((naive / ours) * 10) / 10 : null,
      goal: 'the preview leaves the recording its frames (1080p30 ≤ 1 % dropped)',
      note: `medians of ${ROUNDS} alternated frames in one headless Chromium without a GPU; ours = copyTo + scaleToRgba + putImageData`,
    };
  } finally {
    await browser.close();
    server.close();
  }
}

export async function benchPreviewScale(): Promise<BenchRow[]> {
  const bundle = await build({
    entryPoints: [path.join(__dirname, '../../renderer/src/station/frame-scale.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'FrameScale',
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  return [await measure(1280, 720, 540, script), await measure(1920, 1080, 360, script)];
}

import {
  layoutOverlayBox,
  paintOverlayBox,
  recordingBorderWidth,
  REC_COLOR,
  type OverlayBox,
  type OverlayInfo,
} from './overlay';

/**
 * The recorded picture made from the camera's own frames rather than from the preview
 * canvas. Why: on a PC without a usable GPU, drawing every 1080p frame on a canvas and
 * reading it back for MediaRecorder kept up with only ~12 of 30 frames a second, so
 * recordings lost most of their frames (bench: webcam-overlay-paths). Here each camera
 * frame (VideoFrame, I420 or NV12) is copied once to memory, the overlay box — rendered on
 * a small canvas only when its text changes, once a second — is blended into its pixels,
 * and the frame goes on to MediaRecorder through a MediaStreamTrackGenerator: ~29 fps at
 * 1080p on the same machine. The box and the red recording frame are the ones the preview
 * shows, drawn by the same code (overlay.ts).
 */
type Processor = new (o: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };
type Generator = new (o: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> };
const FORMATS = new Set(['I420', 'NV12']);

function breakoutApi(): { Processor: Processor; Generator: Generator } | null {
  const w = window as unknown as { MediaStreamTrackProcessor?: Processor; MediaStreamTrackGenerator?: Generator };
  return w.MediaStreamTrackProcessor && w.MediaStreamTrackGenerator
    ? { Processor: w.MediaStreamTrackProcessor, Generator: w.MediaStreamTrackGenerator }
    : null;
}

/** Whether this camera's frames can be overlaid in memory: looks at one of its frames. */
export async function cameraFramesUsable(camera: MediaStreamTrack): Promise<boolean> {
  const api = breakoutApi();
  if (!api) return false;
  const probe = camera.clone();
  const reader = new api.Processor({ track: probe }).readable.getReader();
  try {
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 5000));
    const got = await Promise.race([reader.read(), timeout]);
    if (!got || got.done) return false;
    const ok = FORMATS.has(got.value.format ?? '');
    got.value.close();
    return ok;
  } catch {
    return false;
  } finally {
    void reader.cancel().catch(() => undefined);
    probe.stop();
  }
}

/** BT.601 limited range, as cameras and H.264 use it. */
function yuv(r: number, g: number, b: number): [number, number, number] {
  return [
    16 + ((66 * r + 129 * g + 25 * b + 128) >> 8),
    128 + ((-38 * r - 74 * g + 112 * b + 128) >> 8),
    128 + ((112 * r - 94 * g - 18 * b + 128) >> 8),
  ];
}

/** The overlay box as planes to blend: luma and its alpha per pixel, chroma and alpha per 2×2 block. */
interface Patch {
  key: string;
  w: number;
  h: number;
  y: Uint8Array;
  a: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
  ca: Uint8Array;
}

function renderPatch(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, box: OverlayBox, key: string): Patch {
  const w = (Math.ceil(box.pad + box.boxW) + 1) & ~1;
  const h = (Math.ceil(box.pad + box.boxH) + 1) & ~1;
  canvas.width = w; // also clears it
  canvas.height = h;
  paintOverlayBox(ctx, box);
  const px = ctx.getImageData(0, 0, w, h).data;
  const p: Patch = {
    key,
    w,
    h,
    y: new Uint8Array(w * h),
    a: new Uint8Array(w * h),
    u: new Uint8Array((w * h) / 4),
    v: new Uint8Array((w * h) / 4),
    ca: new Uint8Array((w * h) / 4),
  };
  for (let j = 0, i = 0; j < w * h; j++, i += 4) {
    p.y[j] = yuv(px[i]!, px[i + 1]!, px[i + 2]!)[0];
    p.a[j] = px[i + 3]!;
  }
  for (let by = 0; by < h / 2; by++)
    for (let bx = 0; bx < w / 2; bx++) {
      const i = (by * 2 * w + bx * 2) * 4; // the block's top-left pixel stands for it
      const [, u, v] = yuv(px[i]!, px[i + 1]!, px[i + 2]!);
      const k = by * (w / 2) + bx;
      p.u[k] = u;
      p.v[k] = v;
      p.ca[k] = px[i + 3]!;
    }
  return p;
}

const mix = (under: number, over: number, a: number) => (under * (255 - a) + over * a + 127) / 255;

/** Blends the patch into the frame's planes (I420: Y, U, V; NV12: Y, interleaved UV). */
function blendPatch(buf: Uint8Array, layout: PlaneLayout[], nv12: boolean, p: Patch) {
  const [ly, lc, lv] = layout as [PlaneLayout, PlaneLayout, PlaneLayout?];
  for (let y = 0; y < p.h; y++) {
    const row = ly.offset + y * ly.stride;
    for (let x = 0, j = y * p.w; x < p.w; x++, j++) {
      const a = p.a[j]!;
      if (a) buf[row + x] = mix(buf[row + x]!, p.y[j]!, a);
    }
  }
  const cw = p.w / 2;
  for (let y = 0; y < p.h / 2; y++) {
    const rowU = lc.offset + y * lc.stride;
    const rowV = nv12 ? rowU : lv!.offset + y * lv!.stride;
    for (let x = 0, k = y * cw; x < cw; x++, k++) {
      const a = p.ca[k]!;
      if (!a) continue;
      const [iu, iv] = nv12 ? [rowU + 2 * x, rowU + 2 * x + 1] : [rowU + x, rowV + x];
      buf[iu] = mix(buf[iu]!, p.u[k]!, a);
      buf[iv] = mix(buf[iv]!, p.v[k]!, a);
    }
  }
}

const RED = yuv(...(REC_COLOR.match(/[0-9a-f]{2}/gi)!.map((h) => parseInt(h, 16)) as [number, number, number]));

/** The red recording frame: four opaque bands along the edges. */
function paintBorder(buf: Uint8Array, layout: PlaneLayout[], nv12: boolean, w: number, h: number) {
  const bw = (recordingBorderWidth(h) + 1) & ~1;
  const [ly, lc, lv] = layout as [PlaneLayout, PlaneLayout, PlaneLayout?];
  const rect = (x0: number, y0: number, rw: number, rh: number) => {
    for (let y = y0; y < y0 + rh; y++)
      buf.fill(RED[0], ly.offset + y * ly.stride + x0, ly.offset + y * ly.stride + x0 + rw);
    for (let y = y0 / 2; y < (y0 + rh) / 2; y++) {
      const rowU = lc.offset + y * lc.stride;
      if (nv12) {
        for (let x = x0 / 2; x < (x0 + rw) / 2; x++) {
          buf[rowU + 2 * x] = RED[1];
          buf[rowU + 2 * x + 1] = RED[2];
        }
      } else {
        buf.fill(RED[1], rowU + x0 / 2, rowU + (x0 + rw) / 2);
        const rowV = lv!.offset + y * lv!.stride;
        buf.fill(RED[2], rowV + x0 / 2, rowV + (x0 + rw) / 2);
      }
    }
  };
  const ew = w & ~1;
  const eh = h & ~1;
  rect(0, 0, ew, bw);
  rect(0, eh - bw, ew, bw);
  rect(0, 0, bw, eh);
  rect(ew - bw, 0, bw, eh);
}

/**
 * A video track of `camera`'s frames with the overlay `info()` describes at each frame.
 * Stopping the returned track (the recording does when it ends) ends the pipe and the
 * camera clone it reads.
 */
export function overlaidCameraTrack(camera: MediaStreamTrack, info: () => OverlayInfo): MediaStreamTrack {
  const api = breakoutApi()!;
  const source = camera.clone();
  const out = new api.Generator({ kind: 'video' });
  const canvas = document.createElement('canvas');
  const ctx2d = canvas.getContext('2d', { willReadFrequently: true })!;
  let patch: Patch | null = null;
  let buf = new Uint8Array(0);
  const overlay = new TransformStream<VideoFrame, VideoFrame>({
    async transform(frame, ctl) {
      try {
        const fmt = frame.format;
        if (!fmt || !FORMATS.has(fmt)) throw new Error(`camera frames changed to ${fmt}`);
        const w = frame.visibleRect?.width ?? frame.codedWidth;
        const h = frame.visibleRect?.height ?? frame.codedHeight;
        const now = info();
        // the box changes with the second, the lines or the recording's time: laid out only then
        const key = [w, h, now.lang, Math.floor(now.now.getTime() / 1000), now.elapsedText, ...now.lines].join('\n');
        if (patch?.key !== key) patch = renderPatch(canvas, ctx2d, layoutOverlayBox(ctx2d, w, h, now), key);
        const size = frame.allocationSize();
        if (buf.length !== size) buf = new Uint8Array(size);
        const layout = await frame.copyTo(buf);
        const nv12 = fmt === 'NV12';
        blendPatch(buf, layout, nv12, patch);
        if (now.recording) paintBorder(buf, layout, nv12, w, h);
        // the frame copies the bytes: the buffer is reused for the next one
        ctl.enqueue(
          new VideoFrame(buf, {
            format: fmt,
            codedWidth: frame.codedWidth,
            codedHeight: frame.codedHeight,
            timestamp: frame.timestamp,
            ...(frame.duration != null ? { duration: frame.duration } : {}),
            layout,
          }),
        );
      } finally {
        frame.close();
      }
    },
  });
  void new api.Processor({ track: source }).readable
    .pipeThrough(overlay)
    .pipeTo(out.writable)
    .catch(() => undefined) // the recording stopped its track: the pipe ends here
    .finally(() => source.stop());
  return out;
}

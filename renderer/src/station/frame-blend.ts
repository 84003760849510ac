/**
 * Pixel work on camera frames (I420 or NV12), shared by the recording's worker
 * (frame-overlay.worker.ts) and the main-thread fallback (frame-overlay.ts). No DOM here:
 * the overlay box is rendered on the main thread, where the page's fonts are, and reaches
 * this code as a Patch.
 */
export const FRAME_FORMATS = new Set(['I420', 'NV12']);

/** BT.601 limited range, as cameras and H.264 use it. */
export function yuv(r: number, g: number, b: number): [number, number, number] {
  return [
    16 + ((66 * r + 129 * g + 25 * b + 128) >> 8),
    128 + ((-38 * r - 74 * g + 112 * b + 128) >> 8),
    128 + ((112 * r - 94 * g - 18 * b + 128) >> 8),
  ];
}

/**
 * The overlay box as planes to blend, for frames of one size: luma premultiplied by its
 * alpha (`y`) and the alpha per pixel, chroma premultiplied and alpha per 2×2 block. The
 * red recording frame's colour and width come along, so the worker needs nothing else.
 */
export interface Patch {
  key: string;
  /** the frame size it was laid out for */
  frameW: number;
  frameH: number;
  w: number;
  h: number;
  y: Uint16Array;
  a: Uint8Array;
  u: Uint16Array;
  v: Uint16Array;
  ca: Uint8Array;
  recording: boolean;
  border: { width: number; yuv: [number, number, number] };
}

/** RGBA pixels of the rendered box → a Patch (premultiplied: blending then divides by nothing but 255, in integers) */
export function patchFromRgba(
  px: Uint8ClampedArray,
  w: number,
  h: number,
  rest: Pick<Patch, 'key' | 'frameW' | 'frameH' | 'recording' | 'border'>,
): Patch {
  const p: Patch = {
    ...rest,
    w,
    h,
    y: new Uint16Array(w * h),
    a: new Uint8Array(w * h),
    u: new Uint16Array((w * h) / 4),
    v: new Uint16Array((w * h) / 4),
    ca: new Uint8Array((w * h) / 4),
  };
  for (let j = 0, i = 0; j < w * h; j++, i += 4) {
    const a = px[i + 3]!;
    p.y[j] = yuv(px[i]!, px[i + 1]!, px[i + 2]!)[0] * a;
    p.a[j] = a;
  }
  for (let by = 0; by < h / 2; by++)
    for (let bx = 0; bx < w / 2; bx++) {
      const i = (by * 2 * w + bx * 2) * 4; // the block's top-left pixel stands for it
      const a = px[i + 3]!;
      const [, u, v] = yuv(px[i]!, px[i + 1]!, px[i + 2]!);
      const k = by * (w / 2) + bx;
      p.u[k] = u * a;
      p.v[k] = v * a;
      p.ca[k] = a;
    }
  return p;
}

/** (under·(255−a) + over·a) / 255, rounded, in integers (over is premultiplied) */
const mix = (under: number, overTimesA: number, a: number) => {
  const t = under * (255 - a) + overTimesA + 128;
  return (t + (t >> 8)) >> 8;
};

/** Blends the patch into the frame's planes (I420: Y, U, V; NV12: Y, interleaved UV), clipped to the frame. */
export function blendPatch(buf: Uint8Array, layout: PlaneLayout[], nv12: boolean, p: Patch, fw: number, fh: number) {
  const [ly, lc, lv] = layout as [PlaneLayout, PlaneLayout, PlaneLayout?];
  const w = Math.min(p.w, fw & ~1);
  const h = Math.min(p.h, fh & ~1);
  for (let y = 0; y < h; y++) {
    const row = ly.offset + y * ly.stride;
    for (let x = 0, j = y * p.w; x < w; x++, j++) {
      const a = p.a[j]!;
      if (a) buf[row + x] = mix(buf[row + x]!, p.y[j]!, a);
    }
  }
  const cw = p.w / 2;
  for (let y = 0; y < h / 2; y++) {
    const rowU = lc.offset + y * lc.stride;
    const rowV = nv12 ? rowU : lv!.offset + y * lv!.stride;
    for (let x = 0, k = y * cw; x < w / 2; x++, k++) {
      const a = p.ca[k]!;
      if (!a) continue;
      const iu = nv12 ? rowU + 2 * x : rowU + x;
      const iv = nv12 ? iu + 1 : rowV + x;
      buf[iu] = mix(buf[iu]!, p.u[k]!, a);
      buf[iv] = mix(buf[iv]!, p.v[k]!, a);
    }
  }
}

/** The red recording frame: four opaque bands along the edges of the visible picture. */
export function paintBorder(buf: Uint8Array, layout: PlaneLayout[], nv12: boolean, w: number, h: number, p: Patch) {
  const bw = (p.border.width + 1) & ~1;
  const [Y, U, V] = p.border.yuv;
  const [ly, lc, lv] = layout as [PlaneLayout, PlaneLayout, PlaneLayout?];
  const rect = (x0: number, y0: number, rw: number, rh: number) => {
    for (let y = y0; y < y0 + rh; y++) buf.fill(Y, ly.offset + y * ly.stride + x0, ly.offset + y * ly.stride + x0 + rw);
    for (let y = y0 / 2; y < (y0 + rh) / 2; y++) {
      const rowU = lc.offset + y * lc.stride;
      if (nv12) {
        for (let x = x0 / 2; x < (x0 + rw) / 2; x++) {
          buf[rowU + 2 * x] = U;
          buf[rowU + 2 * x + 1] = V;
        }
      } else {
        buf.fill(U, rowU + x0 / 2, rowU + (x0 + rw) / 2);
        const rowV = lv!.offset + y * lv!.stride;
        buf.fill(V, rowV + x0 / 2, rowV + (x0 + rw) / 2);
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

/** The size of the picture a frame shows (a 1080p camera's frames are often coded 1088 high). */
export function visibleSize(frame: VideoFrame): { w: number; h: number } {
  return { w: frame.visibleRect?.width ?? frame.codedWidth, h: frame.visibleRect?.height ?? frame.codedHeight };
}

/**
 * Overlays one camera frame: copies its visible picture to `scratch` (grown when needed),
 * blends the patch and, while recording, the red frame, and returns the new frame (which
 * copies the bytes, so the scratch buffer serves the next frame). Closes the camera's frame.
 * `copyTo` copies the visible picture only, so the new frame is coded at that size: a
 * 1080p camera's frames are often coded 1088 high, and naming 1088 rows for a buffer of
 * 1080 made a broken frame.
 */
export async function overlayFrame(frame: VideoFrame, patch: Patch, scratch: { buf: Uint8Array }): Promise<VideoFrame> {
  try {
    const fmt = frame.format;
    if (!fmt || !FRAME_FORMATS.has(fmt)) throw new Error(`camera frames changed to ${fmt}`);
    const { w, h } = visibleSize(frame);
    const size = frame.allocationSize();
    if (scratch.buf.length !== size) scratch.buf = new Uint8Array(size);
    const buf = scratch.buf;
    const layout = await frame.copyTo(buf);
    const nv12 = fmt === 'NV12';
    blendPatch(buf, layout, nv12, patch, w, h);
    if (patch.recording) paintBorder(buf, layout, nv12, w, h, patch);
    return new VideoFrame(buf, {
      format: fmt,
      codedWidth: w,
      codedHeight: h,
      displayWidth: frame.displayWidth,
      displayHeight: frame.displayHeight,
      timestamp: frame.timestamp,
      ...(frame.duration != null ? { duration: frame.duration } : {}),
      layout,
    });
  } finally {
    frame.close();
  }
}

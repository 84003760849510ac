import { describe, expect, it } from 'vitest';
import { yuv } from '../../renderer/src/station/frame-blend';
import { matrixOf, scaleToRgba, type YuvPicture } from '../../renderer/src/station/frame-scale';

/** An I420 picture w×h (even) whose pixels are `rgb(x, y)`, with padded strides as cameras send. */
function i420(w: number, h: number, rgb: (x: number, y: number) => [number, number, number]): YuvPicture {
  const sy = w + 16;
  const sc = w / 2 + 8;
  const buf = new Uint8Array(sy * h + sc * h);
  const layout = [
    { offset: 0, stride: sy },
    { offset: sy * h, stride: sc },
    { offset: sy * h + (sc * h) / 2, stride: sc },
  ];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [Y, U, V] = yuv(...rgb(x, y));
      buf[y * sy + x] = Y;
      if (x % 2 === 0 && y % 2 === 0) {
        buf[layout[1]!.offset + (y / 2) * sc + x / 2] = U;
        buf[layout[2]!.offset + (y / 2) * sc + x / 2] = V;
      }
    }
  return { buf, layout, nv12: false, w, h };
}

/** The same picture as NV12 (one interleaved chroma plane). */
function toNv12(p: YuvPicture): YuvPicture {
  const [ly, lu, lv] = p.layout as [YuvPicture['layout'][0], YuvPicture['layout'][0], YuvPicture['layout'][0]];
  const buf = new Uint8Array(p.w * p.h * 1.5);
  for (let y = 0; y < p.h; y++)
    buf.set(p.buf.subarray(ly.offset + y * ly.stride, ly.offset + y * ly.stride + p.w), y * p.w);
  for (let y = 0; y < p.h / 2; y++)
    for (let x = 0; x < p.w / 2; x++) {
      buf[p.w * p.h + y * p.w + 2 * x] = p.buf[lu.offset + y * lu.stride + x]!;
      buf[p.w * p.h + y * p.w + 2 * x + 1] = p.buf[lv.offset + y * lv.stride + x]!;
    }
  return {
    buf,
    layout: [
      { offset: 0, stride: p.w },
      { offset: p.w * p.h, stride: p.w },
    ],
    nv12: true,
    w: p.w,
    h: p.h,
  };
}

const pixel = (out: Uint8ClampedArray, w: number, x: number, y: number) => [
  ...out.subarray((y * w + x) * 4, (y * w + x) * 4 + 4),
];

describe('camera frames scaled for the preview (frame-scale.ts)', () => {
  it('gives back the colours the camera sent (BT.601 limited range), within rounding', () => {
    const colours: [number, number, number][] = [
      [255, 255, 255],
      [0, 0, 0],
      [255, 77, 79],
      [20, 160, 60],
      [40, 60, 220],
    ];
    for (const c of colours) {
      const out = new Uint8ClampedArray(4 * 4 * 4);
      scaleToRgba(
        i420(8, 8, () => c),
        out,
        4,
        4,
        matrixOf(null),
      );
      const [r, g, b, a] = pixel(out, 4, 1, 2);
      expect(Math.abs(r! - c[0]), `${c} red`).toBeLessThanOrEqual(4);
      expect(Math.abs(g! - c[1]), `${c} green`).toBeLessThanOrEqual(4);
      expect(Math.abs(b! - c[2]), `${c} blue`).toBeLessThanOrEqual(4);
      expect(a).toBe(255);
    }
  });

  it('averages neighbouring pixels, so fine print turns grey instead of sparkling', () => {
    // one-pixel black and white stripes, scaled to a third: every preview pixel is a mix
    const stripes = i420(24, 12, (x) => (x % 2 ? [255, 255, 255] : [0, 0, 0]));
    const out = new Uint8ClampedArray(8 * 4 * 4);
    scaleToRgba(stripes, out, 8, 4, matrixOf(null));
    for (let x = 0; x < 8; x++) {
      const [r] = pixel(out, 8, x, 1);
      // one black and one white column in each 2×2: never pure black or white
      expect(r).toBeGreaterThan(60);
      expect(r).toBeLessThan(200);
    }
  });

  it('keeps where things are: a white right half stays the right half at any size', () => {
    const half = i420(64, 36, (x) => (x >= 32 ? [255, 255, 255] : [0, 0, 0]));
    for (const [tw, th] of [
      [16, 9],
      [20, 12],
      [64, 36],
      [100, 56],
    ] as const) {
      const out = new Uint8ClampedArray(tw * th * 4);
      scaleToRgba(half, out, tw, th, matrixOf(null));
      expect(pixel(out, tw, 0, 0)[0], `${tw}x${th} left`).toBeLessThan(10);
      expect(pixel(out, tw, tw - 1, th - 1)[0], `${tw}x${th} right`).toBeGreaterThan(245);
    }
  });

  it('reads NV12 as it reads I420', () => {
    const picture = i420(32, 18, (x, y) => [(x * 8) % 256, (y * 14) % 256, 128]);
    const a = new Uint8ClampedArray(16 * 9 * 4);
    const b = new Uint8ClampedArray(16 * 9 * 4);
    scaleToRgba(picture, a, 16, 9, matrixOf(null));
    scaleToRgba(toNv12(picture), b, 16, 9, matrixOf(null));
    expect([...b]).toEqual([...a]);
  });

  it('uses the matrix the frame names: BT.709 and full range give other colours from the same bytes', () => {
    const red = i420(4, 4, () => [255, 0, 0]);
    const rgb = (m: ReturnType<typeof matrixOf>) => {
      const out = new Uint8ClampedArray(4 * 4 * 4);
      scaleToRgba(red, out, 4, 4, m);
      return pixel(out, 4, 0, 0);
    };
    const bt601 = rgb(matrixOf({ matrix: 'smpte170m', fullRange: false }));
    expect(bt601[0]).toBeGreaterThan(250);
    expect(rgb(matrixOf({ matrix: 'bt709', fullRange: false }))).not.toEqual(bt601);
    expect(rgb(matrixOf({ matrix: 'smpte170m', fullRange: true }))).not.toEqual(bt601);
  });
});

import { describe, expect, it } from 'vitest';
import { blendPatch, paintBorder, patchFromRgba, yuv } from '../../renderer/src/station/frame-blend';

/** An RGBA box: the left half opaque white, the right half 50 % black; `h` rows. */
function rgbaBox(w: number, h: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const white = x < w / 2;
      px.set(white ? [255, 255, 255, 255] : [0, 0, 0, 128], i);
    }
  return px;
}

const patchOf = (w: number, h: number, frameH = 8) =>
  patchFromRgba(rgbaBox(w, h), w, h, {
    key: 'k',
    frameW: 8,
    frameH,
    recording: true,
    border: { width: 2, yuv: [81, 90, 240] },
  });

/** An I420 frame w×h filled with one colour, and its layout. */
function i420(w: number, h: number, [y, u, v]: [number, number, number]) {
  const buf = new Uint8Array(w * h * 1.5);
  buf.fill(y, 0, w * h);
  buf.fill(u, w * h, w * h * 1.25);
  buf.fill(v, w * h * 1.25);
  const layout = [
    { offset: 0, stride: w },
    { offset: w * h, stride: w / 2 },
    { offset: w * h * 1.25, stride: w / 2 },
  ];
  return { buf, layout };
}

describe('frame blending (the recording overlay in YUV)', () => {
  it('blends as the float formula would, rounded, in integers', () => {
    const grey: [number, number, number] = [100, 128, 128];
    const { buf, layout } = i420(8, 8, grey);
    const p = patchOf(4, 4);
    blendPatch(buf, layout, false, p, 8, 8);
    const white = yuv(255, 255, 255)[0];
    const black = yuv(0, 0, 0)[0];
    expect(buf[0]).toBe(white); // opaque: the box's colour
    expect(buf[3]).toBe(Math.round((100 * 127 + black * 128) / 255)); // half: mixed
    expect(buf[4]).toBe(100); // beyond the box: untouched
    expect(buf[4 * 8]).toBe(100); // below the box: untouched
  });

  it('NV12 gets the same colours as I420, interleaved', () => {
    const a = i420(8, 8, [100, 60, 200]);
    const nv = new Uint8Array(8 * 8 * 1.5);
    nv.fill(100, 0, 64);
    for (let i = 64; i < 96; i += 2) nv.set([60, 200], i);
    const nvLayout = [
      { offset: 0, stride: 8 },
      { offset: 64, stride: 8 },
    ];
    const p = patchOf(4, 4);
    blendPatch(a.buf, a.layout, false, p, 8, 8);
    blendPatch(nv, nvLayout, true, p, 8, 8);
    expect([...nv.subarray(0, 64)]).toEqual([...a.buf.subarray(0, 64)]);
    for (let k = 0; k < 16; k++) {
      expect(nv[64 + 2 * k]).toBe(a.buf[64 + k]);
      expect(nv[64 + 2 * k + 1]).toBe(a.buf[80 + k]);
    }
  });

  it('a box taller than the frame is clipped to it, never written past the picture', () => {
    const tall = i420(8, 4, [100, 128, 128]);
    const fits = i420(8, 4, [100, 128, 128]);
    blendPatch(tall.buf, tall.layout, false, patchOf(4, 8, 4), 8, 4);
    blendPatch(fits.buf, fits.layout, false, patchOf(4, 4, 4), 8, 4);
    // the box's rows past the frame would have landed in the chroma planes
    expect([...tall.buf]).toEqual([...fits.buf]);
  });

  it('paints the red recording frame along the edges only', () => {
    const { buf, layout } = i420(8, 8, [100, 128, 128]);
    paintBorder(buf, layout, false, 8, 8, patchOf(4, 4));
    expect(buf[0]).toBe(81);
    expect(buf[7 * 8 + 7]).toBe(81);
    expect(buf[3 * 8 + 3]).toBe(100); // the middle stays the camera's
    expect(buf[64]).toBe(90); // U of the top-left block
    expect(buf[80]).toBe(240); // V of the top-left block
  });
});

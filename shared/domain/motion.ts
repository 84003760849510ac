/**
 * Motion for idle auto-stop: two tiny grey pictures of the same view compared pixel by
 * pixel. Small enough that sensor noise and compression average out and cheap enough to
 * run every few seconds on the station (the page's webcam) and in the core (a network
 * camera's latest keyframe).
 */
export const MOTION_W = 32;
export const MOTION_H = 18;
/** a pixel "moved" when its grey level changed by more than this (0–255) */
const PIXEL_DELTA = 24;
/** the picture moved when more than this share of its pixels did */
const MOVED_SHARE = 0.02;

/** share of pixels whose grey level changed by more than PIXEL_DELTA */
export function movedShare(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return 1;
  let moved = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > PIXEL_DELTA) moved++;
  return moved / a.length;
}

export const hasMoved = (a: Uint8Array, b: Uint8Array) => movedShare(a, b) > MOVED_SHARE;

/** grey levels (BT.601 luma) of an RGBA picture, as a canvas's getImageData gives it */
export function greyOf(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]);
  return out;
}

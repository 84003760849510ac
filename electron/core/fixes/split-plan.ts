/**
 * Where to cut a video into parts that each meet a duration and a byte limit, using
 * only keyframes (a stream copy can start a part only there). Pure: it works on the
 * keyframe index the probe already built, so planning a 15-minute file costs nothing.
 */
export interface SplitIndex {
  /** keyframe times (s from the start), ascending */
  keyframes: number[];
  /** bytes of every packet playing before each keyframe */
  bytesBefore: number[];
  totalBytes: number;
  durationSec: number;
}

export interface SplitLimits {
  maxDurationSec: number;
  maxBytes: number;
}

/** cut times (each a keyframe) → parts [0,c1) [c1,c2) … [cn,end) */
export type Cuts = number[];

function bytesAt(ix: SplitIndex, i: number): number {
  return i < 0 ? 0 : ix.bytesBefore[i];
}

/** Check that every part fits; returns the index of the first part that does not, or -1. */
export function firstOversizePart(ix: SplitIndex, cutIdx: number[], lim: SplitLimits): number {
  const starts = [-1, ...cutIdx];
  for (let p = 0; p < starts.length; p++) {
    const s = starts[p];
    const startT = s < 0 ? 0 : ix.keyframes[s];
    const startB = bytesAt(ix, s);
    const end = p + 1 < starts.length ? starts[p + 1] : null;
    const endT = end == null ? ix.durationSec : ix.keyframes[end];
    const endB = end == null ? ix.totalBytes : ix.bytesBefore[end];
    if (endT - startT > lim.maxDurationSec + 1e-9 || endB - startB > lim.maxBytes) return p;
  }
  return -1;
}

/** Fewest parts: from each start take the furthest keyframe that still fits. */
function greedy(ix: SplitIndex, lim: SplitLimits): number[] | null {
  const cuts: number[] = [];
  let s = -1;
  for (;;) {
    const startT = s < 0 ? 0 : ix.keyframes[s];
    const startB = bytesAt(ix, s);
    if (ix.durationSec - startT <= lim.maxDurationSec && ix.totalBytes - startB <= lim.maxBytes) return cuts;
    let best = -1;
    for (let k = s + 1; k < ix.keyframes.length; k++) {
      const t = ix.keyframes[k];
      if (t <= startT) continue;
      if (t - startT > lim.maxDurationSec || ix.bytesBefore[k] - startB > lim.maxBytes) break;
      best = k;
    }
    if (best < 0) return null; // the next keyframe is already too far: no copy split exists
    cuts.push(best);
    s = best;
  }
}

/**
 * Same number of parts as the greedy plan, but of about equal length (a 15-minute
 * video becomes 7:30 + 7:30, not 10:00 + 5:00), balanced on whichever limit binds.
 * Returns keyframe times, or null when keyframes are too sparse for any copy split.
 */
export function planCopySplit(ix: SplitIndex, lim: SplitLimits): Cuts | null {
  const g = greedy(ix, lim);
  if (!g) return null;
  const n = g.length + 1;
  if (n === 1) return [];
  const byBytes = ix.totalBytes / lim.maxBytes > ix.durationSec / lim.maxDurationSec;
  const metric = (k: number) => (byBytes ? ix.bytesBefore[k] : ix.keyframes[k]);
  const total = byBytes ? ix.totalBytes : ix.durationSec;
  const balanced: number[] = [];
  for (let i = 1; i < n; i++) {
    const target = (total * i) / n;
    let best = -1;
    for (let k = 0; k < ix.keyframes.length; k++) {
      if (balanced.length && k <= balanced[balanced.length - 1]) continue;
      if (ix.keyframes[k] <= 0) continue;
      if (best < 0 || Math.abs(metric(k) - target) < Math.abs(metric(best) - target)) best = k;
    }
    if (best < 0) break;
    balanced.push(best);
  }
  const chosen = balanced.length === n - 1 && firstOversizePart(ix, balanced, lim) < 0 ? balanced : g;
  return chosen.map((k) => ix.keyframes[k]);
}

/** Equal cuts for an encode, where keyframes are forced wherever we like. */
export function evenCuts(durationSec: number, parts: number): Cuts {
  return Array.from({ length: parts - 1 }, (_, i) => Math.round(((durationSec * (i + 1)) / parts) * 1000) / 1000);
}

import type { Id } from '../types';

/** The station's scale as the UI sees it. */
export type ScaleConnection = 'off' | 'connecting' | 'connected' | 'lost';

export interface ScaleState {
  connection: ScaleConnection;
  port: string;
  /** the latest reading (null until one arrived, or when the port went away) */
  grams: number | null;
  stable: boolean;
  /** complete frames that could not be read since the port was opened */
  badFrames: number;
  /** why the port is not connected (the serial library's message), for the status line */
  error: string | null;
}

export type WeightResult = 'match' | 'mismatch';

/** A weight stored with an order at the end of a recording. */
export interface OrderWeight {
  id: Id;
  orderId: Id;
  recordingId: Id | null;
  mode: 'outbound' | 'return';
  grams: number;
  weighedAt: string;
  station: string;
  operator: string;
  /** return weights only: compared with the packed weight (null: nothing packed to compare) */
  result: WeightResult | null;
  packedGrams: number | null;
}

export interface Tolerance {
  toleranceGrams: number;
  tolerancePercent: number;
}

/**
 * Packed vs returned weight. A difference within either allowance (grams, or percent of the
 * packed weight) is a match: a light parcel needs the gram allowance (scale resolution, a
 * swapped label), a heavy one the percent allowance (packing material soaking up water).
 */
export function compareWeights(packedGrams: number, returnedGrams: number, t: Tolerance): WeightResult {
  const diff = Math.abs(returnedGrams - packedGrams);
  const allowed = Math.max(t.toleranceGrams, (Math.abs(packedGrams) * t.tolerancePercent) / 100);
  return diff <= allowed + 1e-9 ? 'match' : 'mismatch';
}

/** 1234.5 → "1.235 kg", 250 → "250 g": how the station and overlay show a weight */
export function formatGrams(grams: number): string {
  return Math.abs(grams) >= 1000 ? `${(grams / 1000).toFixed(3)} kg` : `${Math.round(grams)} g`;
}

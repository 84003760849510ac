import { translate, type Lang } from '../../i18n';
import { formatClock, formatLocalTime } from '../cases/time-format';
import type { Id } from '../id';

/**
 * One unit, one serial number: the serial scanned while packing proves which unit left
 * the warehouse; the serial scanned while unboxing the return proves which came back.
 */
export type SerialResult = 'match' | 'mismatch' | 'missing';

/** Scanners and labels differ in case, spaces and dashes; the unit is the same. */
export const normalizeSerial = (s: string): string =>
  s
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s-]+/g, '');

/**
 * The returned unit against the units packed for the order: `missing` when nothing was
 * recorded at packing (no proof either way), `match` when it is one of them.
 */
export function compareSerial(packed: string[], returned: string): SerialResult {
  if (packed.length === 0) return 'missing';
  const r = normalizeSerial(returned);
  return packed.some((p) => normalizeSerial(p) === r) ? 'match' : 'mismatch';
}

export interface SerialScanFact {
  serial: string;
  /** ms from the start of the video it was scanned in (null: no video was running) */
  atMs: number | null;
  scannedAt: string;
  station: string;
  operator: string;
  evidenceId: Id | null;
  photoEvidenceId: Id | null;
}

/** What a case about a swapped item needs: both scans and the clips they are in. */
export interface SerialProof {
  orderId: Id;
  packed: SerialScanFact[];
  returned: SerialScanFact[];
  result: SerialResult | null;
  /** the packing clip and the return clip (evidence ids), first of each */
  packingClipId: Id | null;
  returnClipId: Id | null;
}

/**
 * Sentences for a drafted statement (申诉说明): the serial recorded at packing, the one
 * on the returned unit, where each appears in its video. Facts only; nothing when no
 * serial was scanned on either side.
 */
export function serialStatementLines(proof: SerialProof, opts: { lang: Lang; timeZone?: string }): string[] {
  const t = (k: string, p?: Record<string, string | number>) => translate(opts.lang, k, p);
  const time = (iso: string) => formatLocalTime(iso, { timeZone: opts.timeZone, seconds: true });
  const at = (s: SerialScanFact) => (s.atMs != null ? t('serial.statement.inVideo', { at: formatClock(s.atMs) }) : '');
  const lines: string[] = [];
  for (const s of proof.packed)
    lines.push(t('serial.statement.packed', { serial: s.serial, time: time(s.scannedAt), at: at(s) }));
  for (const s of proof.returned)
    lines.push(t('serial.statement.returned', { serial: s.serial, time: time(s.scannedAt), at: at(s) }));
  if (proof.result === 'mismatch') lines.push(t('serial.statement.mismatch'));
  if (proof.result === 'match') lines.push(t('serial.statement.match'));
  return lines;
}

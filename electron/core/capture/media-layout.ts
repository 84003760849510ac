import path from 'node:path';
import { safeFileStem, shortHash } from '../../../shared/domain/safe-name';
import type { CaptureMode } from '../../../shared/domain/types';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date folder and time stem, so a clerk browsing the folder recognises files. */
export function localStamp(d: Date) {
  return {
    day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`,
  };
}

/**
 * Where an evidence file of an order lives, relative to the media folder:
 * `2026-11-24/<order>/outbound-143005-1a2b3c4d.mp4`. The order part is sanitised and
 * the random part keeps two files of the same second apart.
 */
export function evidenceRelPath(
  orderNo: string,
  mode: CaptureMode | 'doc',
  at: Date,
  ext: string,
  unique: string,
): string {
  const { day, time } = localStamp(at);
  const stem = `${mode}-${time}-${shortHash(unique).slice(0, 6)}`;
  return path.posix.join(day, safeFileStem(orderNo), `${stem}.${ext.replace(/^\./, '')}`);
}

export function extensionForMime(mime: string): string {
  const m = mime.toLowerCase();
  if (m.includes('mp4')) return 'mp4';
  if (m.includes('matroska')) return 'mkv';
  if (m.includes('webm')) return 'webm';
  if (m.includes('mp2t')) return 'ts';
  if (m.includes('jpeg')) return 'jpg';
  if (m.includes('png')) return 'png';
  return 'bin';
}

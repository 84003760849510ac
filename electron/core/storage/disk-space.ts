import fs from 'node:fs';
import { AppError } from '../../../shared/api/result';
import { freeBytes } from './files';

/**
 * The free-space guard. The reserve (settings.storage.reserveBytes, default 5 GiB) counts
 * the free space of the whole disk holding the data folder: below it no recording
 * starts, and the station stops a running one (it reads `freeBytes` from every chunk
 * acknowledgement). The server itself refuses chunks only at a much lower floor, kept
 * free so that the database and the finalization of what was recorded still have room.
 */
export const CRITICAL_FLOOR_BYTES = 64 * 1024 * 1024;

export interface DiskSpace {
  freeBytes: number | null;
  totalBytes: number | null;
}

export function diskSpace(dir: string): DiskSpace {
  try {
    const s = fs.statfsSync(dir);
    return { freeBytes: Number(s.bavail) * Number(s.bsize), totalBytes: Number(s.blocks) * Number(s.bsize) };
  } catch {
    return { freeBytes: null, totalBytes: null };
  }
}

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;

/** capture.start: refuse below the reserve, with the numbers the UI shows. */
export function assertSpaceToRecord(dir: string, reserveBytes: number): void {
  const free = freeBytes(dir);
  if (free !== null && free < reserveBytes) {
    throw new AppError('LOW_DISK', `Only ${gb(free)} free on the disk, below the reserve of ${gb(reserveBytes)}`, {
      freeBytes: free,
      reserveBytes,
    });
  }
}

/**
 * capture.chunk: the station should have stopped at the reserve already; if it did not
 * (an old page, a reserve of 0), stop before the disk is completely full. The floor is
 * never above the reserve, so a reserve of 0 means "use the disk to the last byte".
 */
export function refuseChunkOnCriticalSpace(dir: string, reserveBytes: number, bytesOnDisk: number): void {
  const floor = Math.min(reserveBytes, CRITICAL_FLOOR_BYTES);
  if (floor === 0) return;
  const free = freeBytes(dir);
  if (free !== null && free < floor) {
    throw new AppError('DISK_FULL', 'The disk is nearly full: recording stopped, footage so far is kept', {
      bytesOnDisk,
      freeBytes: free,
    });
  }
}

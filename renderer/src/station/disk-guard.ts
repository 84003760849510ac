import type { ApiError } from '../../../shared/api/result';
import type { Settings } from '../../../shared/domain/settings';
import type { Recording } from './recorder';

/** warn this much above the reserve, once per recording */
const WARN_MARGIN_BYTES = 1024 ** 3;
const warned = new WeakSet<Recording>();

/**
 * The running recording against the disk reserve, from the free space the server sends
 * with every chunk acknowledgement. Returns true when the recording must stop now (what
 * is recorded so far is saved as usual, and the packer is told why).
 */
export function guardDiskSpace(
  r: Recording,
  o: {
    settings: Settings;
    onError: (e: ApiError | { code: string; message: string; details?: unknown }) => void;
    onInfo: (key: string, params?: Record<string, string | number>) => void;
  },
): boolean {
  const free = r.freeBytes;
  const reserve = o.settings.storage.reserveBytes;
  if (free === null) return false;
  if (free < reserve) {
    o.onError({
      code: 'LOW_DISK',
      message: 'Below the disk reserve: recording stopped and saved',
      details: { freeBytes: free, reserveBytes: reserve, stopped: true },
    });
    return true;
  }
  if (free < reserve + WARN_MARGIN_BYTES && !warned.has(r)) {
    warned.add(r);
    o.onInfo('storage.lowDiskSoon', { freeGb: (free / 1024 ** 3).toFixed(1) });
  }
  return false;
}

import type { ApiError } from '../api/result';
import { hasMessage, type Params } from './index';

type T = (key: string, params?: Params) => string;

/** The plain values of error details, as message placeholders. */
const primitives = (d: Record<string, unknown>): Params =>
  Object.fromEntries(Object.entries(d).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Params;

/** The one place an API error becomes text for the user, in the UI language. */
export function describeError(t: T, error: ApiError | { code: string; message: string; details?: unknown }): string {
  const details = (error.details ?? {}) as Record<string, unknown>;
  let detail = error.message;
  // the more specific text when the general one has no room for it ("the disk is busy" → "a move is running")
  let specific: string | null = null;
  // scan problems have their own texts: some names ("empty") mean something else as a file problem
  if (error.code === 'BAD_SCAN' && typeof details.problem === 'string') detail = t(`scan.problem.${details.problem}`);
  else if (typeof details.problem === 'string' && hasMessage(`problem.${details.problem}`)) {
    detail = specific = t(`problem.${details.problem}`, primitives(details));
  }
  if (error.code === 'INVALID_INPUT' && Array.isArray(details.issues) && details.issues.length) {
    detail = (details.issues as { path: string[]; message: string; code?: string }[])
      .map((i) => `${i.path.join('.')}: ${i.code && hasMessage(`zod.${i.code}`) ? t(`zod.${i.code}`) : i.message}`)
      .join('; ');
  }
  if (error.code === 'LOW_DISK' && typeof details.freeBytes === 'number' && typeof details.reserveBytes === 'number') {
    const gb = (n: number) => (n / 1024 ** 3).toFixed(1);
    detail = t(details.stopped ? 'storage.lowDiskStopped' : 'storage.lowDiskDetail', {
      free: gb(details.freeBytes),
      reserve: gb(details.reserveBytes),
    });
  }
  if (error.code === 'BUSY' && details.reason === 'moving') return t('storage.movingBusy');
  const key = `error.${error.code}`;
  const text = t(key, { detail });
  if (text === key) return specific ?? `${error.code}: ${error.message}`;
  return specific && t(key) === text ? specific : text;
}

/**
 * Every call crosses every adapter (IPC, loopback HTTP, CLI) as a Result, never as a
 * thrown exception: the renderer turns `error.code` into a translated message in one place.
 */
export type ApiErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_CALL'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'GONE'
  | 'DISK_FULL'
  | 'LOW_DISK'
  | 'MEDIA_UNREADABLE'
  | 'MEDIA_FAILED'
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'BAD_SCAN'
  | 'BUSY'
  | 'DB_NEWER_THAN_APP'
  | 'DB_CORRUPT'
  | 'DB_UNREACHABLE'
  | 'HUB_UNREACHABLE'
  | 'DATA_DIR_IN_USE'
  | 'DATA_DIR_MISSING'
  | 'INTERNAL';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ApiErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** A user-facing error thrown inside core services; adapters turn it into a Result. */
export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (e: unknown): e is AppError =>
  e instanceof AppError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AppError');

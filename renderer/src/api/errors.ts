import type { ApiError } from '../../../shared/api/result';
import type { Params } from '../../../shared/i18n';

type T = (key: string, params?: Params) => string;

/** The one place an API error becomes text for the user, in the UI language. */
export function describeError(t: T, error: ApiError | { code: string; message: string; details?: unknown }): string {
  const details = (error.details ?? {}) as Record<string, unknown>;
  let detail = error.message;
  if (error.code === 'BAD_SCAN' && typeof details.problem === 'string') detail = t(`scan.problem.${details.problem}`);
  if (error.code === 'INVALID_INPUT' && Array.isArray(details.issues) && details.issues.length) {
    detail = (details.issues as { path: string[]; message: string }[]).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  }
  const key = `error.${error.code}`;
  const text = t(key, { detail });
  return text === key ? `${error.code}: ${error.message}` : text;
}

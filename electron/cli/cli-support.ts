import { isAppError } from '../../shared/api/result';
import { translate, type Lang } from '../../shared/i18n';
import { UsageError } from './args';

/**
 * Language of CLI messages: PROOFPACK_LANG, else the data folder's UI language, else
 * Simplified Chinese (the product default). JSON output is the same in every language.
 */
export function cliLang(settingsLang?: Lang): Lang {
  const env = process.env.PROOFPACK_LANG;
  if (env === 'en' || env === 'zh-CN') return env;
  return settingsLang ?? 'zh-CN';
}

export const cliT = (lang: Lang) => (key: string, params?: Record<string, string | number | null | undefined>) =>
  translate(lang, key, params);

/** A required string option, or a usage error naming it. */
export function required(values: Record<string, unknown>, name: string, lang: Lang): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '')
    throw new UsageError(translate(lang, 'cli.opt.missing', { option: `--${name}` }));
  return v;
}

export function positiveInt(text: string, option: string, lang: Lang): number {
  if (!/^\d{1,12}$/.test(text) || Number(text) <= 0)
    throw new UsageError(translate(lang, 'cli.opt.badNumber', { option, value: text }));
  return Number(text);
}

/** `--wait SECONDS`: null when not given; a number ≥ 0, or a usage error. */
export function waitSeconds(value: string | undefined): number | null {
  const sec = value === undefined ? null : Number(value);
  if (sec !== null && !(Number.isFinite(sec) && sec >= 0))
    throw new UsageError(translate(cliLang(), 'cli.sync.badWait', { wait: value ?? '' }));
  return sec;
}

/** Bad input to the core (a rule of the appeal type, an unusable number) is a usage error. */
export function asCliError(e: unknown): never {
  if (isAppError(e) && (e.code === 'INVALID_INPUT' || e.code === 'BAD_SCAN')) throw new UsageError(e.message);
  throw e;
}

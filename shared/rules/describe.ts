import { translate, type Lang } from '../i18n';
import type { Finding } from './findings';

/** Human units for finding messages (same in both languages). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} B`;
}

export function formatDuration(sec: number): string {
  const s = Math.max(0, sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s - h * 3600 - m * 60;
  const ss = r < 10 ? `0${r.toFixed(r % 1 ? 1 : 0)}` : r.toFixed(r % 1 ? 1 : 0);
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Display params: raw numbers (bytes, seconds) become text, enum reasons are translated. */
function displayParams(lang: Lang, f: Finding): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f.params)) {
    if (typeof v === 'number' && /bytes$/i.test(k)) out[k] = formatBytes(v);
    else if (typeof v === 'number' && /sec$/i.test(k)) out[k] = formatDuration(v);
    else if (k === 'reason') out[k] = translate(lang, `finding.reason.${v}`);
    else if (k === 'kind') out[k] = translate(lang, `kind.${v}`);
    else out[k] = v;
  }
  return out;
}

/** The plain message of a finding in the UI language. */
export function describeFinding(lang: Lang, f: Finding): string {
  const key =
    f.code === 'PHOTO_TOO_LARGE' && f.params.limitPx != null ? 'finding.PHOTO_TOO_LARGE.pixels' : `finding.${f.code}`;
  return translate(lang, key, displayParams(lang, f));
}

export const describeFix = (lang: Lang, fix: string) => translate(lang, `fix.${fix}`);

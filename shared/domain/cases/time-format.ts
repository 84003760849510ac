/**
 * Local display of UTC instants. The zone is a parameter (default: this computer's) so
 * the same stored time shows correctly wherever it is read, and tests can pin it.
 */
export type Lang = 'zh-CN' | 'en';

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = partsCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    partsCache.set(key, f);
  }
  return f;
}

/** `2026-11-24 14:30:05 (UTC+08:00)`: unambiguous, the same in both languages. */
export function formatLocalTime(
  iso: string,
  opts: { timeZone?: string; seconds?: boolean; offset?: boolean } = {},
): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p: Record<string, string> = {};
  for (const part of formatter(opts.timeZone).formatToParts(d)) p[part.type] = part.value;
  const hour = p.hour === '24' ? '00' : p.hour;
  const time = `${hour}:${p.minute}${opts.seconds === false ? '' : `:${p.second}`}`;
  const zone = (p.timeZoneName ?? 'GMT').replace(/^GMT$/, 'GMT+00:00').replace('GMT', 'UTC');
  return `${p.year}-${p.month}-${p.day} ${time}${opts.offset === false ? '' : ` (${zone})`}`;
}

/** `2 天 3 小时`, `5 小时 12 分`, `3 h 5 min`; negative spans read as overdue by the caller. */
export function formatSpan(ms: number, lang: Lang): string {
  const abs = Math.abs(ms);
  const mins = Math.floor(abs / 60_000);
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const zh = lang === 'zh-CN';
  const unit = { d: zh ? ' 天' : ' d', h: zh ? ' 小时' : ' h', m: zh ? ' 分' : ' min' };
  if (d > 0) return `${d}${unit.d}${h ? ` ${h}${unit.h}` : ''}`;
  if (h > 0) return `${h}${unit.h}${m ? ` ${m}${unit.m}` : ''}`;
  return `${m}${unit.m}`;
}

/** `03:12` or `1:02:03` for video positions and durations. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

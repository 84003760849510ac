import { translate, type Lang } from '../../i18n';
import { formatLocalTime } from '../cases/time-format';
import { formatGrams, type OrderWeight } from './weights';

/**
 * The weight facts of an order for an appeal statement: the packed weight, the weight on
 * return and whether they agree within the station's tolerance. A parcel that comes back
 * much lighter than it left is a fact the platform can check against the two videos.
 */
export function weightStatementLines(weights: OrderWeight[], opts: { lang: Lang; timeZone?: string }): string[] {
  const t = (k: string, p?: Record<string, string | number>) => translate(opts.lang, k, p);
  const time = (iso: string) => formatLocalTime(iso, { timeZone: opts.timeZone, seconds: true });
  const lines = weights.map((w) =>
    t(`scale.statement.${w.mode}`, { weight: formatGrams(w.grams), time: time(w.weighedAt) }),
  );
  const last = [...weights].reverse().find((w) => w.mode === 'return' && w.result != null);
  if (last?.result === 'mismatch') {
    lines.push(t('scale.statement.mismatch', { diff: formatGrams(Math.abs(last.grams - (last.packedGrams ?? 0))) }));
  }
  if (last?.result === 'match') lines.push(t('scale.statement.match'));
  return lines;
}

import { CLOCK_SKEW_WARN_MS } from './protocol';

/** Is a station's clock (station − hub, ms) far enough off to warn about? */
export const clockIsOff = (skewMs: number | null | undefined): skewMs is number =>
  typeof skewMs === 'number' && Number.isFinite(skewMs) && Math.abs(skewMs) >= CLOCK_SKEW_WARN_MS;

/**
 * How far off and which way, in words, as the parameters of a message such as `clock.off`
 * or `sync.clockOff`: whole minutes under two hours, else hours with one decimal.
 */
export function skewParams(
  t: (key: string, params?: Record<string, string | number>) => string,
  skewMs: number,
): { amount: string; dir: string } {
  const minutes = Math.abs(skewMs) / 60_000;
  return {
    amount:
      minutes < 120
        ? t('clock.minutes', { n: Math.round(minutes) })
        : t('clock.hours', { n: (minutes / 60).toFixed(1) }),
    dir: t(skewMs > 0 ? 'clock.ahead' : 'clock.behind'),
  };
}

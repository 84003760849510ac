/**
 * Local calendar days for the daily views. Staff think in their own days ("yesterday's
 * shipments"), the database stores UTC: a day range becomes a half-open UTC interval
 * from local midnight to local midnight, so an index on the UTC column answers it.
 */
export const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]);
}

const localMidnight = (day: string, addDays = 0): Date => {
  const m = DAY_RE.exec(day)!;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
};

export const localDay = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export const today = (now = new Date()) => localDay(now);
export const addDays = (day: string, n: number) => localDay(localMidnight(day, n));

/** Inclusive local days → [fromIso, toIso) in UTC. */
export function dayRange(fromDay: string, toDay: string): { from: string; to: string } {
  return { from: localMidnight(fromDay).toISOString(), to: localMidnight(toDay, 1).toISOString() };
}

export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let d = fromDay; d <= toDay && out.length < 3700; d = addDays(d, 1)) out.push(d);
  return out;
}

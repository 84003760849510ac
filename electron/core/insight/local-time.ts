import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Db } from '../db/db';
import { sqlFor } from '../db/engine-sql';

/**
 * The local day / hour of an ISO-8601 UTC column for the daily views, on both engines.
 * The engines are given a fixed offset (sqlFor(db).dayOf/hourOf), so a range that spans
 * a daylight-saving change is cut at each change: every time in the range gets the
 * offset that was in force at that instant, exactly as SQLite's 'localtime' did.
 * Zones without DST (and ranges without a change) get one plain expression.
 */
type Bucket = (iso: Expression<string | null>, offsetMinutes: number) => RawBuilder<unknown>;

const offsetAt = (ms: number) => -new Date(ms).getTimezoneOffset();

/** Instants in [fromMs, toMs) where the local offset changes, with the offset in force from then on. */
export function offsetChanges(fromMs: number, toMs: number): { at: number; offset: number }[] {
  const changes: { at: number; offset: number }[] = [];
  const step = 6 * 3600_000; // offsets never change twice within 6 hours
  let prev = fromMs;
  for (let t = Math.min(fromMs + step, toMs); prev < toMs; t = Math.min(t + step, toMs)) {
    if (offsetAt(t) !== offsetAt(prev)) {
      // the first millisecond with the new offset
      let lo = prev;
      let hi = t;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === offsetAt(prev)) lo = mid;
        else hi = mid;
      }
      changes.push({ at: hi, offset: offsetAt(hi) });
    }
    prev = t;
  }
  return changes;
}

function zoned(bucket: Bucket, iso: Expression<string | null>, fromIso: string, toIso: string) {
  const fromMs = Date.parse(fromIso);
  const changes = offsetChanges(fromMs, Date.parse(toIso));
  if (changes.length === 0) return bucket(iso, offsetAt(fromMs));
  let offset = offsetAt(fromMs);
  const whens = changes.map((c) => {
    const w = sql`WHEN ${iso} < ${sql.lit(new Date(c.at).toISOString())} THEN ${bucket(iso, offset)}`;
    offset = c.offset;
    return w;
  });
  return sql`CASE ${sql.join(whens, sql` `)} ELSE ${bucket(iso, offset)} END`;
}

/** 'YYYY-MM-DD' in this machine's zone of a time column, for rows with times in [fromIso, toIso). */
export const localDayOf = (db: Db, iso: Expression<string | null>, fromIso: string, toIso: string) =>
  zoned((e, o) => sqlFor(db).dayOf(e, o), iso, fromIso, toIso) as RawBuilder<string>;

/** hour 0–23 in this machine's zone of a time column, for rows with times in [fromIso, toIso). */
export const localHourOf = (db: Db, iso: Expression<string | null>, fromIso: string, toIso: string) =>
  zoned((e, o) => sqlFor(db).hourOf(e, o), iso, fromIso, toIso) as RawBuilder<number>;

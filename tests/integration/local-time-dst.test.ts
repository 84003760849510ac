import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDayOf, localHourOf, offsetChanges } from '../../electron/core/insight/local-time';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

/**
 * The daily views bucket times by the local day on both engines with fixed offsets, cut
 * at every daylight-saving change in the range. Run in a zone with DST (the process's TZ
 * is switched for this file; Node applies a TZ change at once).
 */
describe(`local days across daylight-saving changes (Europe/Berlin, ${testEngine})`, () => {
  const tz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Europe/Berlin';
  });
  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('finds the instants where the offset changes, to the millisecond', () => {
    expect(offsetChanges(Date.UTC(2026, 2, 27), Date.UTC(2026, 2, 31))).toEqual([
      { at: Date.UTC(2026, 2, 29, 1), offset: 120 },
    ]);
    expect(offsetChanges(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))).toEqual([
      { at: Date.UTC(2026, 2, 29, 1), offset: 120 },
      { at: Date.UTC(2026, 9, 25, 1), offset: 60 },
    ]);
    expect(offsetChanges(Date.UTC(2026, 5, 1), Date.UTC(2026, 5, 30))).toEqual([]);
  });

  it('gives each time the offset in force at that instant, on the database', async () => {
    const db = await openTestDb(tmp());
    const from = '2026-03-27T23:00:00.000Z';
    const to = '2026-03-31T22:00:00.000Z';
    const times = [
      '2026-03-28T23:30:00.000Z', // 00:30 on the 29th, winter time (+1)
      '2026-03-29T00:59:59.999Z', // 01:59:59 local, the last instant before the change
      '2026-03-29T01:00:00.000Z', // 03:00 local, summer time (+2)
      '2026-03-29T22:30:00.000Z', // 00:30 on the 30th (+2); with the range's first offset it would be the 29th
    ];
    const rows = await Promise.all(
      times.map(async (t) => {
        const v = sql<string>`${t}`;
        const { rows } = await sql<{
          day: string;
          hour: number;
        }>`SELECT ${localDayOf(db, v, from, to)} AS day, ${localHourOf(db, v, from, to)} AS hour`.execute(db);
        return [rows[0].day, Number(rows[0].hour)];
      }),
    );
    expect(rows).toEqual([
      ['2026-03-29', 0],
      ['2026-03-29', 1],
      ['2026-03-29', 3],
      ['2026-03-30', 0],
    ]);
  });
});

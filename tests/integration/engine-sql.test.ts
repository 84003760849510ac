import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { countIf, sqlFor } from '../../electron/core/db/engine-sql';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`engine-specific SQL on ${testEngine}`, () => {
  it('buckets days and hours in a fixed offset, reads JSON, counts conditionally, escapes contains', async () => {
    const db = await openTestDb(tmp());
    const e = sqlFor(db);
    const iso = sql<string>`${'2025-01-01T17:30:00.000Z'}`;
    const json = sql<string>`${'{"station":"A1","n":3}'}`;
    const row = await db
      .selectNoFrom([
        e.dayOf(iso, 480).as('cst_day'),
        e.dayOf(iso, -300).as('est_day'),
        e.hourOf(iso, 480).as('cst_hour'),
        e.jsonText(json, 'station').as('station'),
        e.jsonText(json, 'n').as('n'),
        e.jsonText(json, 'missing').as('missing'),
        sql<string>`${'a'} || ${e.chr(31)} || ${'b'}`.as('joined'),
        e.contains(sql`${'Order 50%_X'}`, '50%_x').as('hit'),
        e.contains(sql`${'Order 50ab_X'}`, '50%_x').as('miss'),
      ])
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      cst_day: '2025-01-02',
      est_day: '2025-01-01',
      cst_hour: 1,
      station: 'A1',
      n: '3',
      missing: null,
      joined: 'a\u001fb',
    });
    expect(Boolean(row.hit)).toBe(true);
    expect(Boolean(row.miss)).toBe(false);
    await db
      .insertInto('settings')
      .values([
        { key: 'a', value: 'x' },
        { key: 'b', value: 'y' },
        { key: 'c', value: 'x' },
      ])
      .execute();
    const counted = await db
      .selectFrom('settings')
      .select((eb) => [countIf(eb('value', '=', 'x')).as('xs'), countIf(eb('value', '=', 'z')).as('zs')])
      .executeTakeFirstOrThrow();
    expect(counted).toEqual({ xs: 2, zs: 0 });
  });

  it('lists the foreign keys that point at a table', async () => {
    const db = await openTestDb(tmp());
    const refs = (await sqlFor(db).referencesTo(db, 'orders')).map((r) => `${r.table}.${r.column}`).sort();
    expect(refs).toEqual([
      'cases.order_id',
      'evidence.order_id',
      'order_details.order_id',
      'order_facts.order_id',
      'order_flags.order_id',
      'order_items.order_id',
      'order_tracking_numbers.order_id',
      'order_weights.order_id',
      'packed_items.order_id',
      'purged_evidence.order_id',
      'recordings.order_id',
      'serial_scans.order_id',
    ]);
    expect(await sqlFor(db).referencesTo(db, 'settings')).toEqual([]);
  });
});

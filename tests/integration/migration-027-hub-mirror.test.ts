import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const AT = '2026-12-04T08:00:00.000Z';

describe(`migration 027 (the hub's mirror) on ${testEngine}`, () => {
  it('notes what each check and finding the hub already held belongs to, and leaves every file where it was', async () => {
    const db = await openTestDb(tmp(), { migrate: false });
    await migrate(
      db,
      migrations.filter((m) => m.version < 27),
    );
    const rows: [string, string, unknown][] = [
      ['evidence_checks', 'k1', { id: 'k1', evidence_id: 'e1', state: 'ok' }],
      ['evidence_checks', 'k2', null],
      ['check_findings', 'f1', { id: 'f1', check_id: 'k1', code: 'label-unreadable' }],
      ['orders', 'o1', { id: 'o1', order_no: 'P1' }],
    ];
    for (const [tbl, key, data] of rows)
      await db
        .insertInto('hub_station_records')
        .values({
          station_id: 's1',
          tbl,
          row_key: key,
          data: data === null ? null : JSON.stringify(data),
          received_at: AT,
        })
        .execute();
    await db
      .insertInto('orders')
      .values({
        id: 'o-1',
        order_no: 'P1',
        tracking_no: null,
        source: 'scan',
        created_at: AT,
        updated_at: AT,
        legacy_id: null,
        provisional_sku: null,
        linked_order_id: null,
        station_id: 's0',
      })
      .execute();
    await db
      .insertInto('evidence')
      .values({
        id: 'e-0',
        order_id: 'o-1',
        kind: 'video',
        origin: 'recorded',
        mode: 'outbound',
        path: 'media/2026-12-04/P1/a.mp4',
        original_name: null,
        mime: 'video/mp4',
        sha256: 'a'.repeat(64),
        bytes: 10,
        duration_ms: 1000,
        width: 1280,
        height: 720,
        station: 'S0',
        operator: 'p',
        captured_at: AT,
        parent_id: null,
        check_state: 'ok',
        created_at: AT,
        legacy_id: null,
        station_id: 's0',
      })
      .execute();
    await migrate(db, migrations);
    expect(
      await db.selectFrom('hub_station_records').select(['row_key', 'parent_key']).orderBy('row_key').execute(),
    ).toEqual([
      { row_key: 'f1', parent_key: 'k1' },
      { row_key: 'k1', parent_key: 'e1' },
      { row_key: 'k2', parent_key: null },
      { row_key: 'o1', parent_key: null },
    ]);
    expect(await db.selectFrom('evidence').select(['id', 'location']).execute()).toEqual([
      { id: 'e-0', location: null },
    ]);
  });
});

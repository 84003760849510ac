import { describe, expect, it } from 'vitest';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { insertOldOrder } from '../helpers/old-rows';
import { migrate, readVersion } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import type { Db } from '../../electron/core/db/db';
import { SYNCED_TABLES } from '../../shared/hub/records';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const at = new Date('2026-11-20T08:00:00Z');

const link = (db: Db) =>
  db
    .insertInto('hub_link')
    .values({
      id: 'hub',
      hub_url: 'http://h/',
      hub_id: crypto.randomUUID(),
      station_name: 'S1',
      credential: 'c',
      paired_at: at.toISOString(),
    })
    .execute();
const dirty = (db: Db) => db.selectFrom('sync_dirty').selectAll().orderBy('tbl').orderBy('row_key').execute();

describe(`migration 019 (station records to the hub) on ${testEngine}`, () => {
  it('a station paired before it updates queues every row it has; one never paired queues nothing', async () => {
    const dirs = [tmp(), tmp()];
    const ids: string[] = [];
    for (const [i, dir] of dirs.entries()) {
      const old = await openTestDb(dir, { migrate: false });
      await migrate(
        old,
        migrations.filter((m) => m.version < 19),
      );
      ids.push(await insertOldOrder(old, `SF14029384752${i}`, `SF14029384752${i}`, at));
      if (i === 0) await link(old);
      await old.destroy();
    }
    const [paired, alone] = await Promise.all(dirs.map((d) => openTestDb(d)));
    expect(await readVersion(paired)).toBeGreaterThanOrEqual(19);
    expect(await dirty(paired)).toEqual([{ tbl: 'orders', row_key: ids[0], gen: 1 }]);
    expect(await dirty(alone)).toEqual([]);
  });

  it('triggers note inserts, updates and deletes of every synced table while paired, one entry per row', async () => {
    const db = await openTestDb(tmp());
    const before = await findOrCreateOrder(db, 'SF1402938475301', 'tracking', at);
    expect(await dirty(db)).toEqual([]); // not paired: nothing noted
    await link(db);
    const order = await findOrCreateOrder(db, 'SF1402938475302', 'tracking', at);
    await db.updateTable('orders').set({ tracking_no: 'YT1' }).where('id', '=', order.id).execute();
    await db.updateTable('orders').set({ tracking_no: 'YT2' }).where('id', '=', order.id).execute();
    await db.deleteFrom('orders').where('id', '=', before.id).execute();
    expect(await dirty(db)).toEqual(
      [
        { tbl: 'orders', row_key: order.id, gen: 3 },
        { tbl: 'orders', row_key: before.id, gen: 1 },
      ].sort((a, b) => a.row_key.localeCompare(b.row_key)),
    );
    // the migration's own table list is the one a pass sends
    const triggers =
      db.engine === 'sqlite'
        ? await db
            .selectFrom('sqlite_master' as never)
            .select('tbl_name as t' as never)
            .where('type' as never, '=', 'trigger' as never)
            .where('name' as never, 'like', '%_sync_ins' as never)
            .execute()
        : await db
            .selectFrom('information_schema.triggers' as never)
            .select('event_object_table as t' as never)
            .where('trigger_name' as never, 'like', '%_sync' as never)
            .execute();
    expect(new Set((triggers as { t: string }[]).map((r) => r.t))).toEqual(new Set(SYNCED_TABLES));
  });
});

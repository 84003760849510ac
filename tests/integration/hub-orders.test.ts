import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import type { Db } from '../../electron/core/db/db';
import { receiveStationRecords } from '../../electron/core/hub/station-records';
import type { StationRecord } from '../../shared/hub/records';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const NOW = new Date('2026-12-04T09:00:00.000Z');

const order = (id: string, orderNo: string, shop?: string | null): StationRecord => ({
  table: 'orders',
  key: id,
  row: {
    id,
    order_no: orderNo,
    tracking_no: `SF${orderNo}`,
    source: 'scan',
    created_at: '2026-12-04T08:00:00.000Z',
    updated_at: '2026-12-04T08:00:00.000Z',
    ...(shop === undefined ? {} : { shop }),
  },
});
const hubOrders = (db: Db) =>
  db
    .selectFrom('hub_orders')
    .select(['station_id', 'order_id', 'order_no', 'tracking_no', 'shop'])
    .orderBy('station_id')
    .orderBy('order_no')
    .execute();

describe(`every station's orders as indexed rows on the hub (hub_orders) on ${testEngine}`, () => {
  it('follows what stations send: new, changed, deleted; sending again changes nothing', async () => {
    const db = await openTestDb(tmp());
    await receiveStationRecords(db, { id: 's1' }, [order('o1', 'P1', 'A店'), order('o2', 'P2', null)], NOW);
    await receiveStationRecords(db, { id: 's2' }, [order('o1', 'P3')], NOW); // an older station: no shop
    expect(await hubOrders(db)).toEqual([
      { station_id: 's1', order_id: 'o1', order_no: 'P1', tracking_no: 'SFP1', shop: 'A店' },
      { station_id: 's1', order_id: 'o2', order_no: 'P2', tracking_no: 'SFP2', shop: null },
      { station_id: 's2', order_id: 'o1', order_no: 'P3', tracking_no: 'SFP3', shop: null },
    ]);
    const before = await hubOrders(db);
    await receiveStationRecords(db, { id: 's1' }, [order('o1', 'P1', 'A店'), order('o2', 'P2', null)], NOW);
    expect(await hubOrders(db)).toEqual(before);
    await receiveStationRecords(
      db,
      { id: 's1' },
      [order('o2', 'P2', 'B店'), { table: 'orders', key: 'o1', row: null }],
      NOW,
    );
    expect(await hubOrders(db)).toEqual([
      { station_id: 's1', order_id: 'o2', order_no: 'P2', tracking_no: 'SFP2', shop: 'B店' },
      { station_id: 's2', order_id: 'o1', order_no: 'P3', tracking_no: 'SFP3', shop: null },
    ]);
  });

  it('migration 023 fills it from the station rows the hub already held', async () => {
    const db = await openTestDb(tmp(), { migrate: false });
    await migrate(
      db,
      migrations.filter((m) => m.version < 23),
    );
    const rows = [
      order('o1', 'P1', 'A店'),
      order('o2', 'P2'),
      { table: 'orders', key: 'o3', row: null },
      order('o4', 'P4'),
    ];
    rows[3] = { ...rows[3], table: 'chapters' } as StationRecord; // not an order: not projected
    for (const r of rows)
      await db
        .insertInto('hub_station_records')
        .values({
          station_id: 's1',
          tbl: r.table,
          row_key: r.key,
          data: r.row === null ? null : JSON.stringify(r.row),
          received_at: NOW.toISOString(),
        })
        .execute();
    await migrate(db, migrations);
    expect(await hubOrders(db)).toEqual([
      { station_id: 's1', order_id: 'o1', order_no: 'P1', tracking_no: 'SFP1', shop: 'A店' },
      { station_id: 's1', order_id: 'o2', order_no: 'P2', tracking_no: 'SFP2', shop: null },
    ]);
  });
});

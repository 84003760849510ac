import type { StationRecord, SyncedTable } from '../../../shared/hub/records';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { projectStationChapters } from './hub-chapters';
import { projectStationOrders } from './hub-orders';
import { mirrorOrderShops, mirrorStationChecks, parentKeyOf } from './hub-mirror';

/**
 * A station's rows arriving at the hub: each replaces the copy the hub had of the same
 * (station, table, key), so sending again changes nothing and a later version wins.
 * Kept as the station's JSON; orders (search) and chapters (playback) also as indexed rows.
 */
export async function receiveStationRecords(
  db: Db,
  station: { id: string },
  records: StationRecord[],
  now: Date,
): Promise<{ taken: number }> {
  const at = now.toISOString();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('hub_station_records')
      .values(
        records.map((r) => ({
          station_id: station.id,
          tbl: r.table,
          row_key: r.key,
          data: r.row === null ? null : JSON.stringify(r.row),
          received_at: at,
          parent_key: parentKeyOf(r),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['station_id', 'tbl', 'row_key']).doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          received_at: eb.ref('excluded.received_at'),
          parent_key: eb.ref('excluded.parent_key'),
        })),
      )
      .execute();
    await projectStationOrders(trx, station.id, records);
    await projectStationChapters(trx, station.id, records);
    await mirrorStationChecks(trx, station.id, records);
    await mirrorOrderShops(trx, records);
  });
  return { taken: records.length };
}

/** Every station's live rows of one table as the hub holds them, with the station's id. */
export async function stationRows<T extends Record<string, unknown>>(
  db: Db,
  table: SyncedTable,
): Promise<(T & { stationId: string })[]> {
  const rows = await db
    .selectFrom('hub_station_records')
    .select(['station_id', 'data'])
    .where('tbl', '=', table)
    .where('data', 'is not', null)
    .orderBy('station_id')
    .orderBy('row_key')
    .execute();
  return rows.map((r) => ({ ...(JSON.parse(r.data as string) as T), stationId: r.station_id }));
}

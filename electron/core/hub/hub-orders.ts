import type { StationRecord } from '../../../shared/hub/records';
import type { Db } from '../db/db';

interface StationOrderRow {
  order_no: string;
  tracking_no: string | null;
  shop?: string | null;
  source: string;
  created_at: string;
  updated_at: string;
}

/**
 * Keeps `hub_orders` in step with a station's order rows as they arrive (call inside the
 * transaction that stores them): a row replaces the hub's copy, a deleted one (null) goes.
 * A station older than migration 022 sends no shop: it is then unknown.
 */
export async function projectStationOrders(trx: Db, stationId: string, records: StationRecord[]): Promise<void> {
  const orders = records.filter((r) => r.table === 'orders');
  if (!orders.length) return;
  const gone = orders.filter((r) => r.row === null).map((r) => r.key);
  if (gone.length)
    await trx.deleteFrom('hub_orders').where('station_id', '=', stationId).where('order_id', 'in', gone).execute();
  const live = orders.filter((r) => r.row !== null);
  if (!live.length) return;
  await trx
    .insertInto('hub_orders')
    .values(
      live.map((r) => {
        const o = r.row as unknown as StationOrderRow;
        return {
          station_id: stationId,
          order_id: r.key,
          order_no: o.order_no,
          tracking_no: o.tracking_no ?? null,
          shop: o.shop ?? null,
          source: o.source,
          created_at: o.created_at,
          updated_at: o.updated_at,
        };
      }),
    )
    .onConflict((oc) =>
      oc.columns(['station_id', 'order_id']).doUpdateSet((eb) => ({
        order_no: eb.ref('excluded.order_no'),
        tracking_no: eb.ref('excluded.tracking_no'),
        shop: eb.ref('excluded.shop'),
        source: eb.ref('excluded.source'),
        created_at: eb.ref('excluded.created_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

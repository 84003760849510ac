import type { Migration } from '../migrate';

/**
 * Every station's orders on the hub as rows with indexes (issue 12: search across stations,
 * staff limited to shops). The station's rows stay in `hub_station_records` as sent; this
 * table is what search reads, kept in step by receiveStationRecords, and filled here from
 * what the hub already holds.
 */
const DDL = `
  CREATE TABLE hub_orders (
    station_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    order_no TEXT NOT NULL,
    tracking_no TEXT,
    shop TEXT,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (station_id, order_id)
  );
  CREATE INDEX hub_orders_order_no ON hub_orders(order_no);
  CREATE INDEX hub_orders_tracking ON hub_orders(tracking_no);
  CREATE INDEX hub_orders_shop ON hub_orders(shop, created_at);
  CREATE INDEX hub_orders_created ON hub_orders(created_at);
`;

const COLUMNS = ['order_no', 'tracking_no', 'shop', 'source', 'created_at', 'updated_at'];
const backfill = (field: (c: string) => string) => `
  INSERT INTO hub_orders (station_id, order_id, ${COLUMNS.join(', ')})
  SELECT station_id, row_key, ${COLUMNS.map(field).join(', ')}
  FROM hub_station_records WHERE tbl = 'orders' AND data IS NOT NULL;
`;

export const m023HubOrders: Migration = {
  version: 23,
  name: 'hub-orders',
  async sqlite({ exec }) {
    await exec(DDL + backfill((c) => `json_extract(data, '$.${c}')`));
  },
  async postgres({ exec }) {
    await exec(DDL + backfill((c) => `(data::json)->>'${c}'`));
  },
};

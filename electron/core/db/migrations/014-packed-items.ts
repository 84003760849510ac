import { portableMigration } from '../migrate';

/**
 * Items scanned while packing (SKU barcodes during a recording, issue 14), checked against
 * the order's items from the ERP (`order_items`, migration 009): each scan is kept with the
 * second of the video it happened at, so a dispute can show the item going into the box.
 */
const DDL = `
  CREATE TABLE packed_items (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    recording_id TEXT NOT NULL REFERENCES recordings(id),
    sku TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    scanned_at TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('ok', 'wrong-item', 'too-many', 'no-items-known')),
    station_id TEXT NOT NULL
  );
  CREATE INDEX packed_items_order ON packed_items(order_id, sku);
  CREATE INDEX packed_items_recording ON packed_items(recording_id);
`;

export const m014PackedItems = portableMigration(14, 'packed-items', DDL);

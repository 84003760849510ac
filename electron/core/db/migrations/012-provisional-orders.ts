import { portableMigration } from '../migrate';

/**
 * SKU-first packing (issue 14): a SKU / pick-list scan starts a recording before the
 * order is known, for a provisional order (`provisional_sku` names what was scanned). The
 * order or tracking number scanned later links it: the provisional order's rows move to
 * the real order and `linked_order_id` keeps where they went (the row stays, for the
 * audit trail and for a station that synced it). Unlinked provisional orders are listed
 * for staff: `provisional_sku IS NOT NULL AND linked_order_id IS NULL`.
 */
const DDL = `
  ALTER TABLE orders ADD COLUMN provisional_sku TEXT;
  ALTER TABLE orders ADD COLUMN linked_order_id TEXT REFERENCES orders(id);
  CREATE INDEX orders_provisional ON orders(created_at) WHERE provisional_sku IS NOT NULL;
`;

export const m012ProvisionalOrders = portableMigration(12, 'provisional-orders', DDL);

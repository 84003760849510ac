import type { Migration } from '../migrate';

/**
 * Search by the beginning of an order or tracking number on the hub (`LIKE 'PDD2026%'`)
 * must use an index over millions of orders. A plain B-tree serves a prefix LIKE only in
 * the "C" collation: PostgreSQL clusters made with a language locale (en_US.UTF-8,
 * zh_CN.UTF-8, C.UTF-8 before PostgreSQL 17) need `text_pattern_ops`; SQLite's LIKE ignores
 * case, so it needs NOCASE indexes. Found by `npm run bench -- hub-staff`.
 */
export const m025HubOrderPrefixSearch: Migration = {
  version: 25,
  name: 'hub-order-prefix-search',
  async sqlite({ exec }) {
    await exec(`
      CREATE INDEX hub_orders_order_no_prefix ON hub_orders(order_no COLLATE NOCASE);
      CREATE INDEX hub_orders_tracking_prefix ON hub_orders(tracking_no COLLATE NOCASE);
    `);
  },
  async postgres({ exec }) {
    await exec(`
      CREATE INDEX hub_orders_order_no_prefix ON hub_orders(order_no text_pattern_ops);
      CREATE INDEX hub_orders_tracking_prefix ON hub_orders(tracking_no text_pattern_ops);
    `);
  },
};

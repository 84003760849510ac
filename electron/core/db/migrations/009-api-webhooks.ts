import type { Migration } from '../migrate';

/**
 * The order API and webhooks (issue 14):
 * - `api_tokens`: tokens for `/api/v1/`, only the SHA-256 of each token is kept (tokens are
 *   256-bit random, so a plain hash is as good as a slow KDF); one live token per name.
 * - `order_details`: what an ERP tells about an order beyond its keys: shop, status
 *   (refund-requested / cancelled intercept the packer), buyer note, seller remark, and
 *   when the packer confirmed the interception. One row per order, its own table like
 *   order_facts so that migrations touching `orders` never collide with it.
 * - `order_items`: SKU and quantity per line; `order_tracking_numbers`: every parcel's
 *   tracking number (an order shipped in several parcels is found by any of them).
 * - `webhooks` and `webhook_deliveries`: the durable outbox. A delivery row is written in
 *   the same breath as the event and deleted never: its status, attempts and next attempt
 *   time survive restarts, and it is the delivery log the app and the CLI show.
 * The DDL is portable (partial unique index included), so both engines run the same text.
 */
const DDL = `
  CREATE TABLE api_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    station_id TEXT NOT NULL
  );
  CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(name) WHERE revoked_at IS NULL;

  CREATE TABLE order_details (
    order_id TEXT NOT NULL PRIMARY KEY REFERENCES orders(id),
    shop TEXT,
    status TEXT,
    status_source TEXT CHECK (status_source IN ('api','import')),
    status_at TEXT,
    buyer_note TEXT,
    seller_remark TEXT,
    interception_confirmed_at TEXT,
    updated_at TEXT NOT NULL,
    station_id TEXT NOT NULL
  );

  CREATE TABLE order_items (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    line INTEGER NOT NULL,
    sku TEXT NOT NULL,
    name TEXT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    station_id TEXT NOT NULL
  );
  CREATE UNIQUE INDEX order_items_order_line ON order_items(order_id, line);
  CREATE INDEX order_items_sku ON order_items(sku);

  CREATE TABLE order_tracking_numbers (
    tracking_no TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders(id),
    PRIMARY KEY (tracking_no, order_id)
  );
  CREATE INDEX order_tracking_numbers_order ON order_tracking_numbers(order_id);

  CREATE TABLE webhooks (
    id TEXT NOT NULL PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT,
    station_id TEXT NOT NULL
  );

  CREATE TABLE webhook_deliveries (
    id TEXT NOT NULL PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_attempt_at TEXT,
    response_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    station_id TEXT NOT NULL
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(station_id, status, next_attempt_at);
  CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, created_at);
`;

export const m009ApiWebhooks: Migration = {
  version: 9,
  name: 'api-webhooks',
  async sqlite({ exec }) {
    await exec(DDL);
  },
  async postgres({ exec }) {
    await exec(DDL);
  },
};

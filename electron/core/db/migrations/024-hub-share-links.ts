import { portableMigration } from '../migrate';

/**
 * Share links (issue 12): one order's evidence for a platform agent, a buyer or a client.
 *
 * - `hub_share_links`: the link's URL token is kept only as its SHA-256 (`token_hash`), so
 *   the database alone never opens a link; `id` is what staff and `share revoke` name.
 *   `shops` (JSON array, null: every shop) is what its maker could see: a shop-limited
 *   clerk's link never shows another shop's files of the same order number.
 * - `hub_share_opens`: every opening (page or download) with time, address and browser,
 *   shown on the order.
 * - `hub_info`: facts about the hub itself; `public_url` is where it last listened, so a
 *   link made from the CLI points at the running hub.
 */
const DDL = `
  CREATE TABLE hub_share_links (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    order_no TEXT NOT NULL,
    shops TEXT,
    allow_download INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by TEXT
  );
  CREATE INDEX hub_share_links_order ON hub_share_links(order_no);
  CREATE TABLE hub_share_opens (
    id TEXT PRIMARY KEY,
    link_id TEXT NOT NULL,
    at TEXT NOT NULL,
    what TEXT NOT NULL,
    evidence_id TEXT,
    address TEXT,
    agent TEXT
  );
  CREATE INDEX hub_share_opens_link ON hub_share_opens(link_id, at);
  CREATE TABLE hub_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`;

export const m024HubShareLinks = portableMigration(24, 'hub-share-links', DDL);

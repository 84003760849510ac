import type { Migration } from '../migrate';
import { INSIGHT_TABLES } from './v6-tables';

/**
 * Staff insight: facts imported from back-office/ERP order exports, remembered column
 * mappings, import runs, serial numbers scanned at the station, and order flags
 * ("swapped item").
 *
 * `order_facts` is its own table (one row per order) rather than new columns on
 * `orders`, so other migrations touching `orders` never collide with it. Its time
 * columns are ISO-8601 UTC text, indexed for the coverage queries (ship day, return
 * sign-for day). The composite evidence index lets "this order has no outbound video"
 * be one index probe per order instead of a scan of the order's evidence.
 */
export const m005Insight: Migration = {
  version: 5,
  name: 'insight',
  async sqlite({ exec }) {
    await exec(`
      CREATE TABLE order_facts (
        order_id INTEGER PRIMARY KEY REFERENCES orders(id),
        source_name TEXT NOT NULL,
        courier TEXT,
        shipped_at TEXT,
        signed_at TEXT,
        return_tracking_no TEXT,
        return_signed_at TEXT,
        item TEXT,
        quantity INTEGER,
        amount_cents INTEGER,
        buyer_note TEXT,
        order_status TEXT,
        -- SHA-256 of the facts: a re-import of the same data changes nothing
        facts_hash TEXT NOT NULL,
        -- the import run that last wrote the row (rows repeated inside one file combine)
        import_run_id INTEGER,
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX order_facts_shipped ON order_facts(shipped_at) WHERE shipped_at IS NOT NULL;
      CREATE INDEX order_facts_return_signed ON order_facts(return_signed_at) WHERE return_signed_at IS NOT NULL;
      CREATE INDEX order_facts_return_tracking ON order_facts(return_tracking_no) WHERE return_tracking_no IS NOT NULL;

      CREATE INDEX evidence_order_kind_mode ON evidence(order_id, kind, mode);
      CREATE INDEX evidence_check_captured ON evidence(check_state, captured_at);
      CREATE INDEX evidence_parent ON evidence(parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX recordings_order_started ON recordings(order_id, mode, started_at);

      -- a column mapping remembered per source (a shop's back office, an ERP …)
      CREATE TABLE import_mappings (
        name TEXT PRIMARY KEY,
        mapping TEXT NOT NULL,
        options TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE import_runs (
        id INTEGER PRIMARY KEY,
        source_name TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        file_bytes INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running','done','failed','cancelled')),
        rows_total INTEGER NOT NULL DEFAULT 0,
        imported INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        linked INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );

      -- a serial number / IMEI scanned while a recording ran: at_ms is the time in the video
      CREATE TABLE serial_scans (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        recording_id TEXT REFERENCES recordings(id),
        mode TEXT NOT NULL CHECK (mode IN ('outbound','return')),
        serial TEXT NOT NULL,
        at_ms INTEGER,
        scanned_at TEXT NOT NULL,
        station TEXT NOT NULL DEFAULT '',
        operator TEXT NOT NULL DEFAULT '',
        -- return scans only: compared with the serials recorded at packing
        result TEXT CHECK (result IN ('match','mismatch','missing')),
        photo_evidence_id INTEGER REFERENCES evidence(id)
      );
      CREATE INDEX serial_scans_order ON serial_scans(order_id, mode, scanned_at);
      CREATE INDEX serial_scans_serial ON serial_scans(serial, mode);

      CREATE TABLE order_flags (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        flag TEXT NOT NULL CHECK (flag IN ('swapped-item')),
        details TEXT NOT NULL,
        created_at TEXT NOT NULL,
        cleared_at TEXT
      );
      CREATE INDEX order_flags_order ON order_flags(order_id);
      CREATE INDEX order_flags_created ON order_flags(created_at);
    `);
  },
  async postgres({ exec }) {
    await exec(INSIGHT_TABLES);
  },
};

import type { Migration } from '../migrate';
import { FOUNDATION_TABLES } from './v6-tables';
import { POSTGRES_AUDIT_GUARD } from '../postgres/audit-guard';

/** Orders, recordings in progress, evidence files, chapters, settings, audit log. */
export const m001Foundation: Migration = {
  version: 1,
  name: 'foundation',
  async sqlite({ exec }) {
    await exec(`
      CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        order_no TEXT NOT NULL UNIQUE,
        tracking_no TEXT,
        source TEXT NOT NULL CHECK (source IN ('scan','import','manual')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX orders_tracking ON orders(tracking_no);

      -- a recording in progress; status 'recording' rows left at start are crash leftovers
      CREATE TABLE recordings (
        id TEXT PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        scan_code TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('outbound','return')),
        mime TEXT NOT NULL,
        part_path TEXT NOT NULL,
        station TEXT NOT NULL,
        operator TEXT NOT NULL,
        started_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('recording','finalized','recovered','failed')),
        evidence_id INTEGER REFERENCES evidence(id),
        error TEXT
      );
      CREATE INDEX recordings_status ON recordings(status);

      CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        kind TEXT NOT NULL CHECK (kind IN ('video','photo','document')),
        origin TEXT NOT NULL CHECK (origin IN ('recorded','recovered','imported','fixed')),
        mode TEXT CHECK (mode IN ('outbound','return')),
        path TEXT NOT NULL UNIQUE,
        original_name TEXT,
        mime TEXT,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        duration_ms INTEGER,
        width INTEGER,
        height INTEGER,
        station TEXT NOT NULL DEFAULT '',
        operator TEXT NOT NULL DEFAULT '',
        captured_at TEXT NOT NULL,
        parent_id INTEGER REFERENCES evidence(id),
        check_state TEXT NOT NULL DEFAULT 'pending'
          CHECK (check_state IN ('pending','ok','warn','block')),
        created_at TEXT NOT NULL
      );
      CREATE INDEX evidence_order ON evidence(order_id);
      CREATE INDEX evidence_captured ON evidence(captured_at);

      CREATE TABLE chapters (
        id INTEGER PRIMARY KEY,
        recording_id TEXT NOT NULL REFERENCES recordings(id),
        step TEXT NOT NULL,
        at_ms INTEGER NOT NULL
      );
      CREATE INDEX chapters_recording ON chapters(recording_id);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      -- append-only; each row's hash covers the previous row's hash (tamper evidence)
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
  async postgres({ exec }) {
    await exec(FOUNDATION_TABLES);
    await exec(POSTGRES_AUDIT_GUARD);
  },
};

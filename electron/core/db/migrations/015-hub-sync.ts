import { portableMigration } from '../migrate';

/**
 * Evidence travelling from stations to their hub (issue 11, step 2).
 *
 * - `sync_outbox` (on a station): one row per evidence file to send, in the order it was
 *   queued. `upload_url` is the tus upload the hub made for it, kept so a cut upload
 *   resumes from the hub's last byte even after the station restarts. `verified_at` is set
 *   only when the hub has hashed what it stored and found the station's SHA-256: until then
 *   nothing may delete the local copy.
 * - `hub_evidence` (on the hub): every station's evidence records, keyed by the station
 *   and the station's own evidence id, so sending a record twice changes nothing. Two
 *   stations may record the same order number: both sets of files are kept, side by side.
 *   `location` is where the verified bytes are (an absolute path or s3://bucket/key).
 */
const DDL = `
  CREATE TABLE sync_outbox (
    evidence_id TEXT NOT NULL PRIMARY KEY,
    seq INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'uploaded', 'verified', 'failed')),
    upload_url TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    queued_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    verified_at TEXT
  );
  CREATE INDEX sync_outbox_state ON sync_outbox(state, seq);
  CREATE TABLE hub_evidence (
    station_id TEXT NOT NULL,
    evidence_id TEXT NOT NULL,
    order_no TEXT NOT NULL,
    tracking_no TEXT,
    kind TEXT NOT NULL,
    mode TEXT,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    duration_ms INTEGER,
    captured_at TEXT NOT NULL,
    operator TEXT NOT NULL,
    station_name TEXT NOT NULL,
    location TEXT,
    received_at TEXT NOT NULL,
    verified_at TEXT,
    PRIMARY KEY (station_id, evidence_id)
  );
  CREATE INDEX hub_evidence_order ON hub_evidence(order_no);
`;

export const m015HubSync = portableMigration(15, 'hub-sync', DDL);

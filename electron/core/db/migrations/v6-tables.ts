/**
 * The tables of migrations 001–005 in the shape migration 006 gave them: UUIDv7 text ids,
 * `station_id` and `legacy_id`. Portable DDL, valid on both engines (BIGINT is an integer
 * on SQLite too). PostgreSQL support began with schema 6, so no PostgreSQL database ever
 * held the integer ids: there 001–005 create these directly (006 is a no-op), while
 * SQLite's 006 rebuilds its version-5 tables into exactly these. Frozen like every
 * shipped migration: a later change is a new migration, not an edit here.
 */

/** 001-foundation */
export const FOUNDATION_TABLES = `
  CREATE TABLE orders (
    id TEXT NOT NULL PRIMARY KEY,
    order_no TEXT NOT NULL UNIQUE,
    tracking_no TEXT,
    source TEXT NOT NULL CHECK (source IN ('scan','import','manual')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    station_id TEXT NOT NULL,
    legacy_id INTEGER
  );
  CREATE INDEX orders_tracking ON orders(tracking_no);

  CREATE TABLE evidence (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    kind TEXT NOT NULL CHECK (kind IN ('video','photo','document')),
    origin TEXT NOT NULL CHECK (origin IN ('recorded','recovered','imported','fixed')),
    mode TEXT CHECK (mode IN ('outbound','return')),
    path TEXT NOT NULL UNIQUE,
    original_name TEXT,
    mime TEXT,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    duration_ms INTEGER,
    width INTEGER,
    height INTEGER,
    station TEXT NOT NULL DEFAULT '',
    operator TEXT NOT NULL DEFAULT '',
    captured_at TEXT NOT NULL,
    parent_id TEXT REFERENCES evidence(id),
    check_state TEXT NOT NULL DEFAULT 'pending'
      CHECK (check_state IN ('pending','ok','warn','block')),
    created_at TEXT NOT NULL,
    station_id TEXT NOT NULL,
    legacy_id INTEGER
  );
  CREATE INDEX evidence_order ON evidence(order_id);
  CREATE INDEX evidence_captured ON evidence(captured_at);

  CREATE TABLE recordings (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    scan_code TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('outbound','return')),
    mime TEXT NOT NULL,
    part_path TEXT NOT NULL,
    station TEXT NOT NULL,
    operator TEXT NOT NULL,
    started_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('recording','finalized','recovered','failed')),
    evidence_id TEXT REFERENCES evidence(id),
    error TEXT,
    station_id TEXT NOT NULL
  );
  CREATE INDEX recordings_status ON recordings(status);

  CREATE TABLE chapters (
    id TEXT NOT NULL PRIMARY KEY,
    recording_id TEXT NOT NULL REFERENCES recordings(id),
    step TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    station_id TEXT NOT NULL
  );
  CREATE INDEX chapters_recording ON chapters(recording_id);

  CREATE TABLE settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE audit_log (
    id TEXT NOT NULL PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    station_id TEXT NOT NULL
  );
`;

/** 002-checks */
export const CHECKS_TABLES = `
  CREATE TABLE evidence_checks (
    id TEXT NOT NULL PRIMARY KEY,
    evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    profile_id TEXT NOT NULL,
    profile_version INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('ok','warn','block')),
    facts TEXT NOT NULL,
    expected_code TEXT,
    checked_at TEXT NOT NULL,
    took_ms INTEGER NOT NULL,
    station_id TEXT NOT NULL
  );
  CREATE INDEX evidence_checks_evidence ON evidence_checks(evidence_id, id);

  CREATE TABLE check_findings (
    id TEXT NOT NULL PRIMARY KEY,
    check_id TEXT NOT NULL REFERENCES evidence_checks(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('block','warn','info')),
    fix TEXT,
    params TEXT NOT NULL,
    station_id TEXT NOT NULL
  );
  CREATE INDEX check_findings_check ON check_findings(check_id);
  CREATE INDEX check_findings_code ON check_findings(code);

  CREATE TABLE rule_profiles (
    id TEXT NOT NULL PRIMARY KEY,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE fix_outputs (
    evidence_id TEXT NOT NULL PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
    source_id TEXT NOT NULL REFERENCES evidence(id),
    steps TEXT NOT NULL,
    part INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    source_start_ms INTEGER,
    source_end_ms INTEGER,
    profile_id TEXT NOT NULL,
    profile_version INTEGER NOT NULL,
    job_id TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX fix_outputs_source ON fix_outputs(source_id);
`;

/** 003-cases */
export const CASES_TABLES = `
  CREATE TABLE cases (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    profile_id TEXT NOT NULL,
    profile_version TEXT NOT NULL,
    appeal_type TEXT NOT NULL CHECK (appeal_type IN ('responsibility','goods','shipping','fast-refund')),
    scenario TEXT NOT NULL CHECK (scenario IN ('damaged','swapped','empty-parcel','activated','account-locked',
      'wrong-item','missing-part','shipping-fee','logistics-exception','other')),
    status TEXT NOT NULL DEFAULT 'draft'
      CHECK (status IN ('draft','ready','exported','submitted','won','lost')),
    sign_for_at TEXT,
    refund_at TEXT,
    proof_before_refusal INTEGER NOT NULL DEFAULT 0,
    fast_refund INTEGER,
    free_shipping INTEGER,
    freight_kind TEXT CHECK (freight_kind IN ('refunded','outbound','bulky-return')),
    amount_claimed_cents BIGINT CHECK (amount_claimed_cents > 0),
    order_amount_cents BIGINT CHECK (order_amount_cents >= 0),
    amount_recovered_cents BIGINT CHECK (amount_recovered_cents >= 0),
    evidence_due_at TEXT,
    appeal_due_at TEXT,
    due_at TEXT,
    statement TEXT NOT NULL DEFAULT '',
    statement_edited INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    station_id TEXT NOT NULL,
    legacy_id INTEGER
  );
  CREATE INDEX cases_due ON cases(due_at, id) WHERE due_at IS NOT NULL;
  CREATE INDEX cases_undated ON cases(updated_at, id) WHERE due_at IS NULL;
  CREATE INDEX cases_status ON cases(status);
  CREATE INDEX cases_order ON cases(order_id);

  CREATE TABLE case_links (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    requirement TEXT NOT NULL,
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    excluded INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (case_id, requirement, evidence_id)
  );
  CREATE INDEX case_links_evidence ON case_links(evidence_id);

  CREATE TABLE packets (
    id TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    dir_path TEXT NOT NULL,
    zip_path TEXT,
    fingerprint TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    file_count INTEGER NOT NULL,
    total_bytes BIGINT NOT NULL,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL,
    verified_at TEXT,
    verify_ok INTEGER,
    station_id TEXT NOT NULL,
    legacy_id INTEGER
  );
  CREATE INDEX packets_case ON packets(case_id, id);

  CREATE TABLE packet_files (
    packet_id TEXT NOT NULL REFERENCES packets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    requirement TEXT,
    evidence_id TEXT REFERENCES evidence(id),
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    duration_ms INTEGER,
    PRIMARY KEY (packet_id, name)
  );
`;

/** 004-storage */
export const STORAGE_TABLES = `
  CREATE TABLE purged_evidence (
    evidence_id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    kind TEXT NOT NULL,
    mode TEXT,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    captured_at TEXT NOT NULL,
    purged_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    legacy_id INTEGER
  );
  CREATE INDEX purged_evidence_order ON purged_evidence(order_id);
  CREATE INDEX evidence_mode_captured ON evidence(mode, captured_at);
`;

/** 005-insight */
export const INSIGHT_TABLES = `
  CREATE TABLE import_runs (
    id TEXT NOT NULL PRIMARY KEY,
    source_name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    file_bytes BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running','done','failed','cancelled')),
    rows_total INTEGER NOT NULL DEFAULT 0,
    imported INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    linked INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    station_id TEXT NOT NULL
  );

  CREATE TABLE order_facts (
    order_id TEXT NOT NULL PRIMARY KEY REFERENCES orders(id),
    source_name TEXT NOT NULL,
    courier TEXT,
    shipped_at TEXT,
    signed_at TEXT,
    return_tracking_no TEXT,
    return_signed_at TEXT,
    item TEXT,
    quantity INTEGER,
    amount_cents BIGINT,
    buyer_note TEXT,
    order_status TEXT,
    facts_hash TEXT NOT NULL,
    import_run_id TEXT,
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

  CREATE TABLE import_mappings (
    name TEXT NOT NULL PRIMARY KEY,
    mapping TEXT NOT NULL,
    options TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE serial_scans (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    recording_id TEXT REFERENCES recordings(id),
    mode TEXT NOT NULL CHECK (mode IN ('outbound','return')),
    serial TEXT NOT NULL,
    at_ms INTEGER,
    scanned_at TEXT NOT NULL,
    station TEXT NOT NULL DEFAULT '',
    operator TEXT NOT NULL DEFAULT '',
    result TEXT CHECK (result IN ('match','mismatch','missing')),
    photo_evidence_id TEXT REFERENCES evidence(id),
    station_id TEXT NOT NULL
  );
  CREATE INDEX serial_scans_order ON serial_scans(order_id, mode, scanned_at);
  CREATE INDEX serial_scans_serial ON serial_scans(serial, mode);

  CREATE TABLE order_flags (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    flag TEXT NOT NULL CHECK (flag IN ('swapped-item')),
    details TEXT NOT NULL,
    created_at TEXT NOT NULL,
    cleared_at TEXT,
    station_id TEXT NOT NULL
  );
  CREATE INDEX order_flags_order ON order_flags(order_id);
  CREATE INDEX order_flags_created ON order_flags(created_at);
`;

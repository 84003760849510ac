import type { ColumnType } from 'kysely';

/** A column added later (NULL until written): optional when a row is inserted. */
type Later<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** The hub's tables and the station's link to its hub (migration 013, issue 11). */
export interface HubStationsTable {
  /** the station's own id: the `station_id` every row it makes carries */
  id: string;
  name: string;
  credential_hash: string;
  paired_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  /** the station's last status report (migration 016); BIGINT columns read through Number() */
  status_at: Later<string>;
  queued: Later<number>;
  queued_bytes: Later<number | string>;
  failed: Later<number>;
  last_error: Later<string>;
  free_bytes: Later<number | string>;
  /** station clock − hub clock when it reported */
  clock_skew_ms: Later<number | string>;
  app_version: Later<string>;
}

export interface HubPairingCodesTable {
  code_hash: string;
  station_name: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** the station id that redeemed it */
  used_by: string | null;
}

export interface HubLinkTable {
  id: 'hub';
  hub_url: string;
  hub_id: string;
  station_name: string;
  credential: string;
  paired_at: string;
  /** when the hub last answered (migration 016) */
  last_contact_at: Later<string>;
  /** this station's clock − the hub's, as the hub measured it */
  clock_skew_ms: Later<number | string>;
  /** why the last status report failed; null once one succeeds */
  last_error: Later<string>;
  /** the self-signed certificate pinned at pairing (PEM, migration 017); null: none pinned */
  tls_cert: Later<string>;
  /** the last audit entry (seq) the hub confirmed (migration 018); null: none yet */
  audit_sent_seq: Later<number>;
}

/** On the hub: each station's audit entries as the station wrote them (migration 018). */
export interface HubStationAuditTable {
  station_id: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  received_at: string;
}

export type SyncState = 'queued' | 'uploaded' | 'verified' | 'failed';

/** On a station: evidence files waiting for, travelling to, or verified on the hub (migration 015). */
export interface SyncOutboxTable {
  evidence_id: string;
  seq: number;
  state: SyncState;
  upload_url: string | null;
  attempts: number;
  last_error: string | null;
  queued_at: string;
  updated_at: string;
  verified_at: string | null;
}

/** On the hub: every station's evidence records, and where their verified bytes are. */
export interface HubEvidenceTable {
  station_id: string;
  evidence_id: string;
  order_no: string;
  tracking_no: string | null;
  kind: string;
  mode: string | null;
  file_name: string;
  sha256: string;
  /** BIGINT on PostgreSQL: read through Number() */
  bytes: number | string;
  duration_ms: number | null;
  captured_at: string;
  operator: string;
  station_name: string;
  location: string | null;
  received_at: string;
  verified_at: string | null;
  /** what a packet needs besides the record (migration 027); NULL from older stations */
  origin: 'recorded' | 'recovered' | 'imported' | 'fixed' | null;
  mime: string | null;
  width: number | null;
  height: number | null;
  /** the station's evidence id of the file a fixed file was made from */
  parent_id: string | null;
}

/** On a station: rows changed since the hub last took them (migration 019, filled by triggers). */
export interface SyncDirtyTable {
  tbl: string;
  row_key: string;
  /** how many changes since the entry was made: removed only if unchanged while sent */
  gen: number;
}

/** On the hub: each station's records as they stand at the station (migration 019). */
export interface HubStationRecordsTable {
  station_id: string;
  tbl: string;
  row_key: string;
  /** the row as JSON; null: deleted at the station */
  data: string | null;
  received_at: string;
  /** a check's evidence id, a finding's check id (migration 027): found whichever arrives first */
  parent_key: Later<string>;
}

/** Long jobs any hub process may run, as people see them (migration 020; queue: pg-boss). */
export interface SharedJobsTable {
  id: string;
  kind: string;
  title: string;
  /** the job's input as JSON: a job is a kind and its input, so any process can run it */
  input: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: number | null;
  /** 1 for the first run; more when another process took the job over */
  attempt: number;
  /** the process running it (host:pid) */
  owner: string | null;
  cancel_requested: number;
  error: string | null;
  result: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** Staff accounts on the hub (migration 021). */
export interface HubUsersTable {
  id: string;
  name: string;
  /** the name folded (NFKC, lower case): unique, what sign-in matches */
  name_key: string;
  role: string;
  /** argon2id, encoded with its salt and cost */
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface HubUserShopsTable {
  user_id: string;
  shop: string;
}

export interface HubSessionsTable {
  /** SHA-256 of the cookie's token */
  id: string;
  user_id: string;
  csrf: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  address: string | null;
  agent: string | null;
}

export interface HubLoginAttemptsTable {
  /** `addr:<address>` or `name:<name_key>` */
  attempt_key: string;
  count: number;
  window_start: string;
  locked_until: string | null;
}

export interface HubSetupTokensTable {
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Every station's orders on the hub, for search (migration 023; kept by hub-orders.ts). */
export interface HubOrdersTable {
  station_id: string;
  order_id: string;
  order_no: string;
  tracking_no: string | null;
  shop: string | null;
  source: string;
  created_at: string;
  updated_at: string;
}

/** Share links to one order's evidence, their openings, and facts about the hub (migration 024). */
export interface HubShareLinksTable {
  id: string;
  /** SHA-256 of the URL's token */
  token_hash: string;
  order_no: string;
  /** JSON array of the shops its maker could see; null: every shop */
  shops: string | null;
  allow_download: number;
  /** a user id, or `cli` */
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  /** a case's packet made on the hub (migration 028); null: the order's evidence */
  packet_id: string | null;
}

export interface HubShareOpensTable {
  id: string;
  link_id: string;
  at: string;
  /** `page` or `download` */
  what: string;
  evidence_id: string | null;
  address: string | null;
  agent: string | null;
}

/** who started a job from the staff app (a shop-limited clerk sees only her own) */
export interface StaffJobOwnersTable {
  job_id: string;
  user_id: string;
  created_at: string;
}

export interface HubInfoTable {
  key: string;
  value: string;
}

/** which evidence file a station's recording became (migration 026) */
export interface HubRecordingsTable {
  station_id: string;
  recording_id: string;
  evidence_id: string | null;
}

/** a mark a station set in a recording, ms from its start (migration 026) */
export interface HubChaptersTable {
  station_id: string;
  chapter_id: string;
  recording_id: string;
  step: string;
  /** BIGINT on PostgreSQL: read through Number() */
  at_ms: number | string;
}

export interface HubTables {
  sync_outbox: SyncOutboxTable;
  hub_evidence: HubEvidenceTable;
  hub_stations: HubStationsTable;
  hub_pairing_codes: HubPairingCodesTable;
  hub_link: HubLinkTable;
  hub_station_audit: HubStationAuditTable;
  sync_dirty: SyncDirtyTable;
  hub_station_records: HubStationRecordsTable;
  shared_jobs: SharedJobsTable;
  hub_users: HubUsersTable;
  hub_user_shops: HubUserShopsTable;
  hub_sessions: HubSessionsTable;
  hub_login_attempts: HubLoginAttemptsTable;
  hub_setup_tokens: HubSetupTokensTable;
  hub_orders: HubOrdersTable;
  hub_share_links: HubShareLinksTable;
  hub_share_opens: HubShareOpensTable;
  hub_info: HubInfoTable;
  hub_recordings: HubRecordingsTable;
  hub_chapters: HubChaptersTable;
  staff_job_owners: StaffJobOwnersTable;
}

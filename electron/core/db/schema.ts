import type { ColumnType } from 'kysely';
import type { HubTables } from './schema-hub';
import type { InsightTables } from './schema-insight';
import type { PackedItemsTable } from './schema-packed';
/**
 * The tables as both engines hold them after the latest migration (see migrations/index.ts). Times are
 * ISO-8601 UTC text on both engines (so they compare as text and copy between engines
 * unchanged); booleans are 0/1 integers; JSON is text. Ids a station makes are UUIDv7
 * text (see ids.ts); `station_id` says which station made the row and `legacy_id` keeps
 * the integer id a row had before 006 (audit entries written before then name it).
 */
type Id = string;
type Iso = string;
type Flag = 0 | 1;

interface Made {
  station_id: string;
}

export interface OrdersTable extends Made {
  id: Id;
  order_no: string;
  tracking_no: string | null;
  source: 'scan' | 'import' | 'manual';
  created_at: Iso;
  updated_at: Iso;
  legacy_id: number | null;
  /** SKU-first packing (migration 012): the SKU that started a provisional order */
  provisional_sku: string | null;
  /** a provisional order once linked: the real order its rows moved to */
  linked_order_id: Id | null;
  /** the shop it belongs to (migration 022): from the import, else the station's shop; NULL unknown */
  shop: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RecordingsTable extends Made {
  id: Id;
  order_id: Id;
  scan_code: string;
  mode: 'outbound' | 'return';
  mime: string;
  part_path: string;
  station: string;
  operator: string;
  started_at: Iso;
  status: 'recording' | 'finalized' | 'recovered' | 'failed';
  evidence_id: Id | null;
  error: string | null;
}

export interface EvidenceTable extends Made {
  id: Id;
  order_id: Id;
  kind: 'video' | 'photo' | 'document';
  origin: 'recorded' | 'recovered' | 'imported' | 'fixed';
  mode: 'outbound' | 'return' | null;
  path: string;
  original_name: string | null;
  mime: string | null;
  sha256: string;
  bytes: number;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  /** the station name staff gave in settings (station_id is the machine) */
  station: string;
  operator: string;
  captured_at: Iso;
  parent_id: Id | null;
  check_state: 'pending' | 'ok' | 'warn' | 'block';
  created_at: Iso;
  legacy_id: number | null;
  /** on a hub (migration 027): where its store keeps a station's file; NULL: in the data folder */
  location: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ChaptersTable extends Made {
  id: Id;
  recording_id: string;
  step: string;
  at_ms: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable extends Made {
  id: Id;
  /** position in the hash chain, 1, 2, 3 … with no gaps (a gap is a deleted entry) */
  seq: number;
  at: Iso;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface EvidenceChecksTable extends Made {
  id: Id;
  evidence_id: Id;
  profile_id: string;
  profile_version: number;
  state: 'ok' | 'warn' | 'block';
  facts: string;
  expected_code: string | null;
  checked_at: Iso;
  took_ms: number;
}

export interface CheckFindingsTable extends Made {
  id: Id;
  check_id: Id;
  code: string;
  severity: 'block' | 'warn' | 'info';
  fix: string | null;
  params: string;
}

export interface RuleProfilesTable {
  id: string;
  version: number;
  data: string;
  updated_at: Iso;
}

export interface FixOutputsTable {
  evidence_id: Id;
  source_id: Id;
  steps: string;
  part: number;
  parts: number;
  source_start_ms: number | null;
  source_end_ms: number | null;
  profile_id: string;
  profile_version: number;
  job_id: string | null;
  created_at: Iso;
}

export interface CasesTable extends Made {
  id: Id;
  order_id: Id;
  profile_id: string;
  profile_version: string;
  appeal_type: 'responsibility' | 'goods' | 'shipping' | 'fast-refund';
  scenario: string;
  status: 'draft' | 'ready' | 'exported' | 'submitted' | 'won' | 'lost';
  sign_for_at: Iso | null;
  refund_at: Iso | null;
  proof_before_refusal: Flag;
  fast_refund: Flag | null;
  free_shipping: Flag | null;
  freight_kind: 'refunded' | 'outbound' | 'bulky-return' | null;
  amount_claimed_cents: number | null;
  order_amount_cents: number | null;
  amount_recovered_cents: number | null;
  evidence_due_at: Iso | null;
  appeal_due_at: Iso | null;
  due_at: Iso | null;
  statement: string;
  statement_edited: Flag;
  notes: string;
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
  legacy_id: number | null;
}

export interface CaseLinksTable {
  case_id: Id;
  requirement: string;
  evidence_id: Id;
  excluded: Flag;
  created_at: Iso;
}

export interface PacketsTable extends Made {
  id: Id;
  case_id: Id;
  name: string;
  dir_path: string;
  zip_path: string | null;
  /** the zip in a hub's store (path or s3://bucket/key), for any hub process; NULL: on this disk (zip_path) */
  zip_location: string | null;
  fingerprint: string;
  manifest_sha256: string;
  file_count: number;
  total_bytes: number;
  language: string;
  created_at: Iso;
  verified_at: Iso | null;
  verify_ok: Flag | null;
  legacy_id: number | null;
}

export interface PacketFilesTable {
  packet_id: Id;
  name: string;
  kind: string;
  requirement: string | null;
  evidence_id: Id | null;
  sha256: string;
  bytes: number;
  duration_ms: number | null;
}

export interface PurgedEvidenceTable {
  evidence_id: Id;
  order_id: Id;
  kind: string;
  mode: string | null;
  path: string;
  sha256: string;
  bytes: number;
  captured_at: Iso;
  purged_at: Iso;
  reason: string;
  legacy_id: number | null;
}

export interface ApiTokensTable extends Made {
  id: Id;
  name: string;
  /** SHA-256 hex of the token; the token itself is shown once and never stored */
  token_hash: string;
  created_at: Iso;
  last_used_at: Iso | null;
  revoked_at: Iso | null;
}

export interface WebhooksTable extends Made {
  id: Id;
  url: string;
  /** JSON array of event names */
  events: string;
  secret: string;
  created_at: Iso;
  removed_at: Iso | null;
}

export interface WebhookDeliveriesTable extends Made {
  id: Id;
  webhook_id: Id;
  event: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Iso | null;
  last_attempt_at: Iso | null;
  response_status: number | null;
  last_error: string | null;
  created_at: Iso;
  delivered_at: Iso | null;
}

/** which network camera wrote a recording, its part of the take and the gap before it (010) */
export interface CameraPartsTable extends Made {
  id: Id;
  recording_id: string;
  camera_id: string;
  camera_name: string;
  role: 'main' | 'closeup';
  /** the scan's take: the webcam recording's id when the station has one */
  take_id: string;
  part_no: number;
  gap_ms: number | null;
  lost_at: Iso | null;
  /** title card length at each end of the saved file (null: no card) */
  card_ms: number | null;
}

/** a weight from the station's scale stored with an order at the end of a recording (011) */
export interface OrderWeightsTable extends Made {
  id: Id;
  order_id: Id;
  recording_id: Id | null;
  mode: 'outbound' | 'return';
  grams: number;
  weighed_at: Iso;
  station: string;
  operator: string;
  /** return weights: the packed weight compared with, and the outcome */
  packed_grams: number | null;
  result: 'match' | 'mismatch' | null;
}

export interface Schema extends HubTables, InsightTables {
  orders: OrdersTable;
  recordings: RecordingsTable;
  evidence: EvidenceTable;
  chapters: ChaptersTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  evidence_checks: EvidenceChecksTable;
  check_findings: CheckFindingsTable;
  rule_profiles: RuleProfilesTable;
  fix_outputs: FixOutputsTable;
  cases: CasesTable;
  case_links: CaseLinksTable;
  packets: PacketsTable;
  packet_files: PacketFilesTable;
  purged_evidence: PurgedEvidenceTable;
  api_tokens: ApiTokensTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  camera_parts: CameraPartsTable;
  order_weights: OrderWeightsTable;
  packed_items: PackedItemsTable;
}

/** Tables whose rows carry a UUIDv7 id and the station that made them, parents first. */
export const STATION_TABLES = [
  'orders',
  'recordings',
  'evidence',
  'chapters',
  'audit_log',
  'evidence_checks',
  'check_findings',
  'cases',
  'packets',
  'import_runs',
  'serial_scans',
  'order_flags',
  'api_tokens',
  'order_items',
  'webhooks',
  'webhook_deliveries',
  'camera_parts',
  'order_weights',
  'packed_items',
] as const satisfies readonly (keyof Schema)[];

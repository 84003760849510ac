import type { Schema } from '../schema';

export type TableName = keyof Schema & string;

export interface TableCopy {
  table: TableName;
  /** the primary key: rows are read in pages ordered by it (keyset paging, no OFFSET) */
  key: readonly string[];
  /**
   * columns that point at rows of the same table: written NULL first, then set once
   * every row exists (a fix made on a station whose clock is behind can sort before its source)
   */
  selfRefs?: readonly string[];
}

/**
 * Every table of the schema, parents before the tables that reference them, so each row
 * finds its foreign keys already copied. A test checks this list against the tables a
 * freshly migrated database really has (on both engines).
 */
export const COPY_PLAN: readonly TableCopy[] = [
  { table: 'orders', key: ['id'] },
  { table: 'evidence', key: ['id'], selfRefs: ['parent_id'] },
  { table: 'recordings', key: ['id'] },
  { table: 'chapters', key: ['id'] },
  { table: 'settings', key: ['key'] },
  { table: 'audit_log', key: ['id'] },
  { table: 'evidence_checks', key: ['id'] },
  { table: 'check_findings', key: ['id'] },
  { table: 'rule_profiles', key: ['id'] },
  { table: 'fix_outputs', key: ['evidence_id'] },
  { table: 'cases', key: ['id'] },
  { table: 'case_links', key: ['case_id', 'requirement', 'evidence_id'] },
  { table: 'packets', key: ['id'] },
  { table: 'packet_files', key: ['packet_id', 'name'] },
  { table: 'purged_evidence', key: ['evidence_id'] },
  { table: 'import_runs', key: ['id'] },
  { table: 'order_facts', key: ['order_id'] },
  { table: 'import_mappings', key: ['name'] },
  { table: 'serial_scans', key: ['id'] },
  { table: 'order_flags', key: ['id'] },
  { table: 'api_tokens', key: ['id'] },
  { table: 'order_details', key: ['order_id'] },
  { table: 'order_items', key: ['id'] },
  { table: 'order_tracking_numbers', key: ['tracking_no', 'order_id'] },
  { table: 'webhooks', key: ['id'] },
  { table: 'webhook_deliveries', key: ['id'] },
  { table: 'camera_parts', key: ['id'] },
  { table: 'order_weights', key: ['id'] },
  { table: 'packed_items', key: ['id'] },
  { table: 'hub_stations', key: ['id'] },
  { table: 'hub_pairing_codes', key: ['code_hash'] },
  { table: 'hub_link', key: ['id'] },
  { table: 'sync_outbox', key: ['evidence_id'] },
  { table: 'hub_evidence', key: ['station_id', 'evidence_id'] },
  { table: 'hub_station_audit', key: ['station_id', 'seq'] },
  { table: 'sync_dirty', key: ['tbl', 'row_key'] },
  { table: 'hub_station_records', key: ['station_id', 'tbl', 'row_key'] },
  { table: 'shared_jobs', key: ['id'] },
  { table: 'hub_users', key: ['id'] },
  { table: 'hub_user_shops', key: ['user_id', 'shop'] },
  { table: 'hub_sessions', key: ['id'] },
  { table: 'hub_login_attempts', key: ['attempt_key'] },
  { table: 'hub_setup_tokens', key: ['token_hash'] },
  { table: 'hub_orders', key: ['station_id', 'order_id'] },
  { table: 'hub_share_links', key: ['id'] },
  { table: 'hub_share_opens', key: ['id'] },
  { table: 'hub_info', key: ['key'] },
  { table: 'hub_recordings', key: ['station_id', 'recording_id'] },
  { table: 'hub_chapters', key: ['station_id', 'chapter_id'] },
  { table: 'staff_job_owners', key: ['job_id'] },
];

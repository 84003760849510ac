/**
 * The order-insight tables (issues 7–9): imported order facts and their import runs,
 * serial scans, flags, and the order details a shop's API or an import fills in.
 * Conventions as in schema.ts: ISO-8601 UTC text times, UUIDv7 text ids.
 */
type Id = string;
type Iso = string;

interface Made {
  station_id: string;
}

export interface OrderFactsTable {
  order_id: Id;
  source_name: string;
  courier: string | null;
  shipped_at: Iso | null;
  signed_at: Iso | null;
  return_tracking_no: string | null;
  return_signed_at: Iso | null;
  item: string | null;
  quantity: number | null;
  amount_cents: number | null;
  buyer_note: string | null;
  order_status: string | null;
  facts_hash: string;
  import_run_id: Id | null;
  imported_at: Iso;
  updated_at: Iso;
}

export interface ImportMappingsTable {
  name: string;
  mapping: string;
  options: string;
  created_at: Iso;
  updated_at: Iso;
}

export interface ImportRunsTable extends Made {
  id: Id;
  source_name: string;
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  rows_total: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  linked: number;
  error: string | null;
  started_at: Iso;
  finished_at: Iso | null;
}

export interface SerialScansTable extends Made {
  id: Id;
  order_id: Id;
  recording_id: string | null;
  mode: 'outbound' | 'return';
  serial: string;
  at_ms: number | null;
  scanned_at: Iso;
  station: string;
  operator: string;
  result: 'match' | 'mismatch' | 'missing' | null;
  photo_evidence_id: Id | null;
}

export interface OrderFlagsTable extends Made {
  id: Id;
  order_id: Id;
  flag: 'swapped-item' | 'weight-mismatch';
  details: string;
  created_at: Iso;
  cleared_at: Iso | null;
}

export interface OrderDetailsTable extends Made {
  order_id: Id;
  shop: string | null;
  status: string | null;
  status_source: 'api' | 'import' | null;
  status_at: Iso | null;
  buyer_note: string | null;
  seller_remark: string | null;
  /** the packer confirmed the interception of the current status (cleared when it changes) */
  interception_confirmed_at: Iso | null;
  updated_at: Iso;
}

export interface OrderItemsTable extends Made {
  id: Id;
  order_id: Id;
  line: number;
  sku: string;
  name: string | null;
  quantity: number;
}

export interface OrderTrackingNumbersTable {
  tracking_no: string;
  order_id: Id;
}

export interface InsightTables {
  order_facts: OrderFactsTable;
  import_mappings: ImportMappingsTable;
  import_runs: ImportRunsTable;
  serial_scans: SerialScansTable;
  order_flags: OrderFlagsTable;
  order_details: OrderDetailsTable;
  order_items: OrderItemsTable;
  order_tracking_numbers: OrderTrackingNumbersTable;
}

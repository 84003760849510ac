import { z } from 'zod';

/**
 * The station records that travel to the hub besides files and audit entries, in the
 * order a pass sends them (parents first: an order before its recordings, a recording
 * before its chapters, a check before its findings). Migration 019 installs the triggers
 * that note their changes; a test keeps the two lists equal.
 */
export const SYNCED_TABLES = [
  'orders',
  'recordings',
  'chapters',
  'serial_scans',
  'evidence_checks',
  'check_findings',
  'packed_items',
  'order_weights',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** rows per `PUT /hub/v1/records` */
export const RECORDS_BATCH = 500;

/** one row as it stands at the station; `row` null: deleted there */
export const stationRecord = z.object({
  table: z.enum(SYNCED_TABLES),
  key: z.string().min(1).max(64),
  row: z.record(z.string(), z.unknown()).nullable(),
});
export type StationRecord = z.infer<typeof stationRecord>;

export const recordsBatch = z.object({ records: z.array(stationRecord).min(1).max(RECORDS_BATCH) });
/** how many rows the hub took (all of them: a row sent again replaces the copy it had) */
export const recordsAnswer = z.object({ taken: z.number().int().min(0) });

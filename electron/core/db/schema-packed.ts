/** Items scanned while packing (migration 014, issue 14). */
export interface PackedItemsTable {
  id: string;
  order_id: string;
  recording_id: string;
  sku: string;
  at_ms: number;
  scanned_at: string;
  result: 'ok' | 'wrong-item' | 'too-many' | 'no-items-known';
  station_id: string;
}

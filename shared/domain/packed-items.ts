/**
 * Items scanned while packing, compared with the order's items (pure, used by the core at
 * each scan and at the stop). SKUs compare case-insensitively after trimming: ERPs and
 * printed barcodes disagree on case more often than on anything else.
 */
export type ItemScanResult = 'ok' | 'wrong-item' | 'too-many' | 'no-items-known';

export interface OrderedItem {
  sku: string;
  name: string | null;
  quantity: number;
}

export interface MissingItem {
  sku: string;
  name: string | null;
  ordered: number;
  scanned: number;
}

export interface ItemScan {
  sku: string;
  result: ItemScanResult;
  scanned: number;
  ordered: number;
  orderNo: string;
}

const key = (sku: string) => sku.trim().toUpperCase();

/** The verdict on one more scan of `sku`, given what was scanned before for this order. */
export function judgeItemScan(
  ordered: OrderedItem[],
  scannedBefore: string[],
  sku: string,
): { result: ItemScanResult; scanned: number; ordered: number } {
  const k = key(sku);
  const scanned = scannedBefore.filter((s) => key(s) === k).length + 1;
  if (!ordered.length) return { result: 'no-items-known', scanned, ordered: 0 };
  const quantity = ordered.filter((i) => key(i.sku) === k).reduce((n, i) => n + i.quantity, 0);
  if (quantity === 0) return { result: 'wrong-item', scanned, ordered: 0 };
  return { result: scanned > quantity ? 'too-many' : 'ok', scanned, ordered: quantity };
}

/** Ordered items not scanned as often as ordered (nothing when the order's items are unknown). */
export function missingItems(ordered: OrderedItem[], scanned: string[]): MissingItem[] {
  const counts = new Map<string, number>();
  for (const s of scanned) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  const bySku = new Map<string, MissingItem>();
  for (const i of ordered) {
    const k = key(i.sku);
    const m = bySku.get(k) ?? { sku: i.sku, name: i.name, ordered: 0, scanned: counts.get(k) ?? 0 };
    m.ordered += i.quantity;
    bySku.set(k, m);
  }
  return [...bySku.values()].filter((m) => m.scanned < m.ordered);
}

import { AppError } from '../../../shared/api/result';
import {
  judgeItemScan,
  missingItems,
  type ItemScan,
  type MissingItem,
  type OrderedItem,
} from '../../../shared/domain/packed-items';
import { normalizeScan } from '../../../shared/domain/scan-code';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import { inTransaction } from '../db/transaction';

async function recordingOrder(db: Db, recordingId: string) {
  const row = await db
    .selectFrom('recordings as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .select(['r.order_id', 'r.mode', 'o.order_no'])
    .where('r.id', '=', recordingId)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'No such recording', { problem: 'recording-not-running' });
  return row;
}

const orderedItems = (db: Db, orderId: string): Promise<OrderedItem[]> =>
  db.selectFrom('order_items').select(['sku', 'name', 'quantity']).where('order_id', '=', orderId).execute();

/** Packed items of the order so far, outbound recordings only (a return unboxing counts nothing). */
async function packedSkus(db: Db, orderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('packed_items as p')
    .innerJoin('recordings as r', 'r.id', 'p.recording_id')
    .select('p.sku')
    .where('p.order_id', '=', orderId)
    .where('r.mode', '=', 'outbound')
    .execute();
  return rows.map((r) => r.sku);
}

/** An item's barcode scanned during a recording: stored with its second, judged against the order's items. */
export async function recordItemScan(
  db: Db,
  input: { recordingId: string; sku: string; atMs: number },
  now = new Date(),
): Promise<ItemScan> {
  const scan = normalizeScan(input.sku);
  if (!scan.ok) throw new AppError('BAD_SCAN', `Unusable code (${scan.problem})`, { problem: scan.problem });
  return inTransaction(db, async (trx) => {
    const rec = await recordingOrder(trx, input.recordingId);
    const verdict =
      rec.mode === 'outbound'
        ? judgeItemScan(await orderedItems(trx, rec.order_id), await packedSkus(trx, rec.order_id), scan.code)
        : { result: 'no-items-known' as const, scanned: 1, ordered: 0 };
    await trx
      .insertInto('packed_items')
      .values({
        id: newId(),
        order_id: rec.order_id,
        recording_id: input.recordingId,
        sku: scan.code,
        at_ms: input.atMs,
        scanned_at: now.toISOString(),
        result: verdict.result,
        station_id: trx.stationId,
      })
      .execute();
    return { sku: scan.code, orderNo: rec.order_no, ...verdict };
  });
}

/** At a packing recording's stop: the order's items not packed as often as ordered. */
export async function missingItemsOf(
  db: Db,
  recordingId: string,
): Promise<{ orderNo: string; missing: MissingItem[] }> {
  const rec = await recordingOrder(db, recordingId);
  if (rec.mode !== 'outbound') return { orderNo: rec.order_no, missing: [] };
  const scanned = await packedSkus(db, rec.order_id);
  // nothing scanned at all: this station does not scan items, so there is nothing to warn about
  if (!scanned.length) return { orderNo: rec.order_no, missing: [] };
  return { orderNo: rec.order_no, missing: missingItems(await orderedItems(db, rec.order_id), scanned) };
}

import { AppError } from '../../../shared/api/result';
import { classifyCode, normalizeScan } from '../../../shared/domain/scan-code';
import type { CodePatterns } from '../../../shared/domain/scan-code';
import type { Order, ProvisionalOrder } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import { inTransaction } from '../db/transaction';
import { findOrCreateOrder, findOrderByCode, getOrder } from './order-repo';

/**
 * SKU-first packing (issue 14). A SKU scan at an idle station records for a provisional
 * order; the order or tracking number scanned later links it to the real order. Linking
 * moves every row that names the provisional order in one transaction, so a crash leaves
 * either all of it on the provisional order or all on the real one, never half.
 */

/** Tables whose rows belong to an order and move with it. A provisional order is made by a
 * scan alone, so it never has imported facts, API details, items or cases of its own. */
const MOVED_TABLES = [
  'recordings',
  'evidence',
  'serial_scans',
  'order_flags',
  'order_weights',
  'packed_items',
] as const;

export async function createProvisionalOrder(db: Db, sku: string, now = new Date(), shop = ''): Promise<Order> {
  const id = newId();
  const at = now.toISOString();
  // unique and readable in file and folder names until linked: the SKU and a piece of the id
  const orderNo = `SKU-${sku}-${id.slice(-6)}`;
  await db
    .insertInto('orders')
    .values({
      id,
      order_no: orderNo,
      tracking_no: null,
      source: 'scan',
      created_at: at,
      updated_at: at,
      station_id: db.stationId,
      legacy_id: null,
      shop: shop.trim() || null,
      provisional_sku: sku,
      linked_order_id: null,
    })
    .execute();
  return getOrder(db, id);
}

export interface LinkResult {
  order: Order;
  from: { id: string; orderNo: string; sku: string };
  moved: number;
}

/** Links a provisional order to the order a scanned or typed code names (made if new). */
export async function linkProvisionalOrder(
  db: Db,
  input: { orderId: string; code: string; actor: string; patterns: CodePatterns; shop?: string },
  now = new Date(),
): Promise<LinkResult> {
  const scan = normalizeScan(input.code);
  if (!scan.ok) throw new AppError('BAD_SCAN', `Unusable code (${scan.problem})`, { problem: scan.problem });
  const kind = classifyCode(scan.code, input.patterns);
  if (kind === 'sku' || kind === 'serial')
    throw new AppError('INVALID_INPUT', `${scan.code} is not an order or tracking number`, {
      problem: 'link-needs-order',
      code: scan.code,
    });
  return inTransaction(db, async (trx) => {
    const from = await trx
      .selectFrom('orders')
      .select(['id', 'order_no', 'provisional_sku', 'linked_order_id'])
      .where('id', '=', input.orderId)
      .executeTakeFirst();
    if (!from) throw new AppError('NOT_FOUND', 'No such order', { problem: 'no-such-order', orderId: input.orderId });
    if (from.provisional_sku === null)
      throw new AppError('CONFLICT', `${from.order_no} is not a provisional order`, {
        problem: 'order-not-provisional',
        orderNo: from.order_no,
      });
    if (from.linked_order_id !== null)
      throw new AppError('CONFLICT', `${from.order_no} is already linked`, {
        problem: 'order-already-linked',
        orderNo: from.order_no,
      });
    const existing = await findOrderByCode(trx, scan.code);
    if (existing?.id === from.id)
      throw new AppError('INVALID_INPUT', 'A provisional order cannot be linked to itself', {
        problem: 'link-needs-order',
        code: scan.code,
      });
    const target = existing ?? (await findOrCreateOrder(trx, scan.code, kind, now, input.shop));
    const provisionalTarget = await trx
      .selectFrom('orders')
      .select('provisional_sku')
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    if (provisionalTarget.provisional_sku !== null)
      throw new AppError('INVALID_INPUT', 'A provisional order links to a real order only', {
        problem: 'link-needs-order',
        code: scan.code,
      });
    let moved = 0;
    for (const table of MOVED_TABLES) {
      const r = await trx
        .updateTable(table)
        .set({ order_id: target.id })
        .where('order_id', '=', from.id)
        .executeTakeFirst();
      moved += Number(r.numUpdatedRows);
    }
    const at = now.toISOString();
    await trx
      .updateTable('orders')
      .set({ linked_order_id: target.id, updated_at: at })
      .where('id', '=', from.id)
      .execute();
    await trx.updateTable('orders').set({ updated_at: at }).where('id', '=', target.id).execute();
    await appendAudit(
      trx,
      {
        actor: input.actor,
        action: 'order.linked',
        entity: 'order',
        entityId: from.id,
        details: { to: target.id, orderNo: target.orderNo, sku: from.provisional_sku, code: scan.code, moved },
      },
      now,
    );
    return {
      order: await getOrder(trx, target.id),
      from: { id: from.id, orderNo: from.order_no, sku: from.provisional_sku },
      moved,
    };
  });
}

/** Whether the order is a provisional one still waiting for its order or tracking number. */
export async function isProvisional(db: Db, orderId: string): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .select(['provisional_sku', 'linked_order_id'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  return !!row && row.provisional_sku !== null && row.linked_order_id === null;
}

/** Provisional orders never linked, newest first, with what they hold: staff link them by hand. */
export async function listUnlinkedOrders(db: Db, limit = 200): Promise<ProvisionalOrder[]> {
  const rows = await db
    .selectFrom('orders as o')
    .leftJoin('evidence as e', 'e.order_id', 'o.id')
    .select(['o.id', 'o.order_no', 'o.provisional_sku', 'o.created_at'])
    .select((eb) => [eb.fn.count<number>('e.id').as('evidence_count'), eb.fn.max('e.captured_at').as('last_at')])
    .where('o.provisional_sku', 'is not', null)
    .where('o.linked_order_id', 'is', null)
    .groupBy(['o.id', 'o.order_no', 'o.provisional_sku', 'o.created_at'])
    .orderBy('o.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orderNo: r.order_no,
    sku: r.provisional_sku!,
    createdAt: r.created_at,
    evidenceCount: Number(r.evidence_count),
    lastCapturedAt: r.last_at ?? null,
  }));
}

import { AppError } from '../../../shared/api/result';
import { normalizeScan } from '../../../shared/domain/scan-code';
import type { Order } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import { inTransaction } from '../db/transaction';
import { findOrderByCode, getOrder } from '../orders/order-repo';

/**
 * The order staff name by its number (or tracking number), created when it is not
 * known yet (a dispute can come for an order that was never recorded). A tracking
 * number is filled in when the order has none, or only the scanned placeholder.
 * Numbers are checked like scans: bounded, no control characters.
 */
export async function findOrCreateOrderByNumber(
  db: Db,
  orderNo: string,
  trackingNo: string | null,
  now = new Date(),
): Promise<Order> {
  const order = normalizeScan(orderNo);
  if (!order.ok)
    throw new AppError('BAD_SCAN', `Unusable order number (${order.problem})`, {
      problem: order.problem,
      field: 'orderNo',
    });
  let tracking: string | null = null;
  if (trackingNo != null) {
    const t = normalizeScan(trackingNo);
    if (!t.ok)
      throw new AppError('BAD_SCAN', `Unusable tracking number (${t.problem})`, {
        problem: t.problem,
        field: 'trackingNo',
      });
    tracking = t.code;
  }
  const at = now.toISOString();
  // the order, the tracking number filled in and their audit entries: all or nothing
  return inTransaction(db, async (trx) => {
    const existing = await findOrderByCode(trx, order.code);
    if (existing) {
      const placeholder = existing.trackingNo == null || existing.trackingNo === existing.orderNo;
      if (tracking && tracking !== existing.trackingNo && placeholder) {
        await trx
          .updateTable('orders')
          .set({ tracking_no: tracking, updated_at: at })
          .where('id', '=', existing.id)
          .execute();
        await appendAudit(
          trx,
          {
            actor: 'staff',
            action: 'order.tracking',
            entity: 'order',
            entityId: existing.id,
            details: { trackingNo: tracking },
          },
          now,
        );
        return getOrder(trx, existing.id);
      }
      return existing;
    }
    const id = newId();
    // another station creating the same order number at once (one PostgreSQL): its row wins
    const inserted = await trx
      .insertInto('orders')
      .values({
        id,
        order_no: order.code,
        tracking_no: tracking,
        source: 'manual',
        created_at: at,
        updated_at: at,
        station_id: trx.stationId,
        legacy_id: null,
      })
      .onConflict((oc) => oc.column('order_no').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const made = await findOrderByCode(trx, order.code);
      if (!made) throw new Error(`order ${order.code} vanished right after it was created`);
      return made;
    }
    await appendAudit(
      trx,
      {
        actor: 'staff',
        action: 'order.create',
        entity: 'order',
        entityId: id,
        details: { orderNo: order.code, trackingNo: tracking },
      },
      now,
    );
    return getOrder(trx, id);
  });
}

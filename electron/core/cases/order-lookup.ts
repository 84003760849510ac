import { AppError } from '../../../shared/api/result';
import { normalizeScan } from '../../../shared/domain/scan-code';
import type { Order } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import type { DB } from '../db/connection';
import { findOrderByCode, getOrder } from '../orders/order-repo';

/**
 * The order staff name by its number (or tracking number), created when it is not
 * known yet (a dispute can come for an order that was never recorded). A tracking
 * number is filled in when the order has none, or only the scanned placeholder.
 * Numbers are checked like scans: bounded, no control characters.
 */
export function findOrCreateOrderByNumber(db: DB, orderNo: string, trackingNo: string | null, now = new Date()): Order {
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
  const existing = findOrderByCode(db, order.code);
  if (existing) {
    const placeholder = existing.trackingNo == null || existing.trackingNo === existing.orderNo;
    if (tracking && tracking !== existing.trackingNo && placeholder) {
      db.prepare('UPDATE orders SET tracking_no = ?, updated_at = ? WHERE id = ?').run(tracking, at, existing.id);
      appendAudit(
        db,
        {
          actor: 'staff',
          action: 'order.tracking',
          entity: 'order',
          entityId: existing.id,
          details: { trackingNo: tracking },
        },
        now,
      );
      return getOrder(db, existing.id);
    }
    return existing;
  }
  const info = db
    .prepare(`INSERT INTO orders (order_no, tracking_no, source, created_at, updated_at) VALUES (?, ?, 'manual', ?, ?)`)
    .run(order.code, tracking, at, at);
  const id = Number(info.lastInsertRowid);
  appendAudit(
    db,
    {
      actor: 'staff',
      action: 'order.create',
      entity: 'order',
      entityId: id,
      details: { orderNo: order.code, trackingNo: tracking },
    },
    now,
  );
  return getOrder(db, id);
}

import type { DB } from '../db/connection';
import type { CheckState, Order, OrderSummary } from '../../../shared/domain/types';
import type { CodeKind } from '../../../shared/domain/scan-code';
import { AppError } from '../../../shared/api/result';

interface OrderRow {
  id: number;
  order_no: string;
  tracking_no: string | null;
  source: Order['source'];
  created_at: string;
  updated_at: string;
}

export const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  orderNo: r.order_no,
  trackingNo: r.tracking_no,
  source: r.source,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function getOrder(db: DB, id: number): Order {
  const row = db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Order ${id} not found`, { orderId: id, problem: 'no-such-order' });
  return toOrder(row);
}

/** The order a scanned code refers to: by order number, then tracking number. */
export function findOrderByCode(db: DB, code: string): Order | null {
  const row = (db.prepare('SELECT * FROM orders WHERE order_no = ?').get(code) ??
    db.prepare('SELECT * FROM orders WHERE tracking_no = ? ORDER BY id DESC LIMIT 1').get(code) ??
    // a returned parcel's own waybill, known from an order import (migration 005)
    db
      .prepare(
        'SELECT o.* FROM order_facts f JOIN orders o ON o.id = f.order_id WHERE f.return_tracking_no = ? ORDER BY o.id DESC LIMIT 1',
      )
      .get(code)) as OrderRow | undefined;
  return row ? toOrder(row) : null;
}

/**
 * A scan of an unknown code creates the order. A code that looks like a tracking number
 * is stored as both keys until an order import links it to the real order number.
 */
export function findOrCreateOrder(db: DB, code: string, kind: CodeKind, now = new Date()): Order {
  const existing = findOrderByCode(db, code);
  if (existing) return existing;
  const at = now.toISOString();
  const info = db
    .prepare(`INSERT INTO orders (order_no, tracking_no, source, created_at, updated_at) VALUES (?, ?, 'scan', ?, ?)`)
    .run(code, kind === 'tracking' ? code : null, at, at);
  return getOrder(db, Number(info.lastInsertRowid));
}

const WORST =
  "CASE MAX(CASE e.check_state WHEN 'block' THEN 3 WHEN 'warn' THEN 2 WHEN 'ok' THEN 1 WHEN 'pending' THEN 0 END) WHEN 3 THEN 'block' WHEN 2 THEN 'warn' WHEN 1 THEN 'ok' WHEN 0 THEN 'pending' END";

export function searchOrders(db: DB, query: string, limit: number): OrderSummary[] {
  const q = query.trim();
  const where = q ? "WHERE o.order_no LIKE @like ESCAPE '\\' OR o.tracking_no LIKE @like ESCAPE '\\'" : '';
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = db
    .prepare(
      `SELECT o.*, COUNT(e.id) AS evidence_count,
              SUM(e.kind = 'video') AS video_count, SUM(e.kind = 'photo') AS photo_count,
              MAX(e.captured_at) AS last_captured_at, ${WORST} AS worst_check
       FROM orders o LEFT JOIN evidence e ON e.order_id = o.id
       ${where}
       GROUP BY o.id ORDER BY COALESCE(MAX(e.captured_at), o.updated_at) DESC LIMIT @limit`,
    )
    .all({ like, limit }) as (OrderRow & {
    evidence_count: number;
    video_count: number | null;
    photo_count: number | null;
    last_captured_at: string | null;
    worst_check: CheckState | null;
  })[];
  return rows.map((r) => ({
    ...toOrder(r),
    evidenceCount: r.evidence_count,
    videoCount: r.video_count ?? 0,
    photoCount: r.photo_count ?? 0,
    lastCapturedAt: r.last_captured_at,
    worstCheck: r.worst_check,
  }));
}

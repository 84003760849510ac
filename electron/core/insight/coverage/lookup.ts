import type { DB } from '../../db/connection';
import { normalizeScan } from '../../../../shared/domain/scan-code';
import type { CaptureMode } from '../../../../shared/domain/types';
import type { OrderInsight } from '../../../../shared/domain/insight/types';

/**
 * Everything staff want to know at once about one order named by any of its numbers
 * (order, tracking or return tracking number): imported facts, which videos exist,
 * open flags. Each step is an index lookup.
 */
export function lookupStatements(db: DB) {
  return {
    byOrderNo: db.prepare('SELECT id FROM orders WHERE order_no = ?').pluck(),
    byTracking: db.prepare('SELECT id FROM orders WHERE tracking_no = ? ORDER BY id DESC LIMIT 1').pluck(),
    byReturnTracking: db
      .prepare('SELECT order_id FROM order_facts WHERE return_tracking_no = ? ORDER BY order_id DESC LIMIT 1')
      .pluck(),
    order: db.prepare('SELECT id, order_no, tracking_no, source FROM orders WHERE id = ?'),
    facts: db.prepare(
      `SELECT shipped_at AS shippedAt, signed_at AS signedAt, return_tracking_no AS returnTrackingNo, return_signed_at AS returnSignedAt,
              item, amount_cents AS amountCents, buyer_note AS buyerNote, source_name AS sourceName
       FROM order_facts WHERE order_id = ?`,
    ),
    counts: db.prepare(
      `SELECT SUM(kind = 'video' AND mode = 'outbound') AS outbound, SUM(kind = 'video' AND mode = 'return') AS ret,
              SUM(kind = 'photo') AS photos, SUM(check_state = 'block') AS blocked
       FROM evidence WHERE order_id = ?`,
    ),
    flags: db.prepare('SELECT flag FROM order_flags WHERE order_id = ? AND cleared_at IS NULL').pluck(),
  };
}

export type LookupStatements = ReturnType<typeof lookupStatements>;

export function findOrderId(s: LookupStatements, code: string): number | null {
  return (
    ((s.byOrderNo.get(code) ?? s.byTracking.get(code) ?? s.byReturnTracking.get(code)) as number | undefined) ?? null
  );
}

export function lookupOrder(db: DB, rawCode: string, s: LookupStatements = lookupStatements(db)): OrderInsight | null {
  const n = normalizeScan(rawCode);
  if (!n.ok) return null;
  const id = findOrderId(s, n.code);
  if (id == null) return null;
  const o = s.order.get(id) as { id: number; order_no: string; tracking_no: string | null; source: string };
  const c = s.counts.get(id) as {
    outbound: number | null;
    ret: number | null;
    photos: number | null;
    blocked: number | null;
  };
  return {
    orderId: o.id,
    orderNo: o.order_no,
    trackingNo: o.tracking_no,
    source: o.source,
    facts: (s.facts.get(id) as OrderInsight['facts'] | undefined) ?? null,
    outboundVideos: c.outbound ?? 0,
    returnVideos: c.ret ?? 0,
    photos: c.photos ?? 0,
    blocked: c.blocked ?? 0,
    openFlags: s.flags.all(id) as string[],
  };
}

/**
 * The same order recorded in the same mode on an earlier day within `days` days: a
 * parcel packed twice, or a label reused. Same-day re-scans are normal (stop, a second
 * part) and do not count.
 */
export function earlierRecording(
  db: DB,
  orderId: number,
  mode: CaptureMode,
  excludeRecordingId: string,
  now = new Date(),
  days = 30,
): { startedAt: string; station: string; operator: string } | null {
  const todayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  return (
    (db
      .prepare(
        `SELECT started_at AS startedAt, station, operator FROM recordings
         WHERE order_id = ? AND mode = ? AND started_at >= ? AND started_at < ? AND id != ?
         ORDER BY started_at DESC LIMIT 1`,
      )
      .get(orderId, mode, since, todayStart, excludeRecordingId) as
      { startedAt: string; station: string; operator: string } | undefined) ?? null
  );
}

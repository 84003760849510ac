import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/db';
import { countIf, sqlFor } from '../db/engine-sql';
import { newId } from '../db/ids';
import type { OrdersTable } from '../db/schema';
import type { CheckState, Id, Order, OrderSummary } from '../../../shared/domain/types';
import type { CodeKind } from '../../../shared/domain/scan-code';
import { AppError } from '../../../shared/api/result';

type OrderRow = Pick<
  Selectable<OrdersTable>,
  'id' | 'order_no' | 'tracking_no' | 'source' | 'created_at' | 'updated_at' | 'shop'
>;

const ORDER_COLUMNS = [
  'o.id',
  'o.order_no',
  'o.tracking_no',
  'o.source',
  'o.created_at',
  'o.updated_at',
  'o.shop',
] as const;

export const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  orderNo: r.order_no,
  trackingNo: r.tracking_no,
  source: r.source,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  shop: r.shop,
});

export async function getOrder(db: Db, id: Id): Promise<Order> {
  const row = await db.selectFrom('orders as o').select(ORDER_COLUMNS).where('o.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `Order ${id} not found`, { orderId: id, problem: 'no-such-order' });
  return toOrder(row);
}

/** The order a scanned code refers to: by order number, then tracking number. */
export async function findOrderByCode(db: Db, code: string): Promise<Order | null> {
  const row =
    (await db.selectFrom('orders as o').select(ORDER_COLUMNS).where('o.order_no', '=', code).executeTakeFirst()) ??
    (await db
      .selectFrom('orders as o')
      .select(ORDER_COLUMNS)
      .where('o.tracking_no', '=', code)
      .orderBy('o.id', 'desc')
      .limit(1)
      .executeTakeFirst()) ??
    // a returned parcel's own waybill, known from an order import (migration 005)
    (await db
      .selectFrom('order_facts as f')
      .innerJoin('orders as o', 'o.id', 'f.order_id')
      .select(ORDER_COLUMNS)
      .where('f.return_tracking_no', '=', code)
      .orderBy('o.id', 'desc')
      .limit(1)
      .executeTakeFirst()) ??
    // one of several parcels' tracking numbers, sent by the order API (migration 009)
    (await db
      .selectFrom('order_tracking_numbers as t')
      .innerJoin('orders as o', 'o.id', 't.order_id')
      .select(ORDER_COLUMNS)
      .where('t.tracking_no', '=', code)
      .orderBy('o.id', 'desc')
      .limit(1)
      .executeTakeFirst());
  return row ? toOrder(row) : null;
}

/**
 * A scan of an unknown code creates the order. A code that looks like a tracking number
 * is stored as both keys until an order import links it to the real order number.
 * Two stations scanning the same new code at once (one PostgreSQL) both end up with the
 * one order: the loser's insert does nothing (order_no is unique) and it reads the winner's.
 */
export async function findOrCreateOrder(
  db: Db,
  code: string,
  kind: CodeKind,
  now = new Date(),
  /** the station's current shop (Settings): the new order belongs to it */
  shop = '',
): Promise<Order> {
  const existing = await findOrderByCode(db, code);
  if (existing) return existing;
  const at = now.toISOString();
  await db
    .insertInto('orders')
    .values({
      id: newId(),
      order_no: code,
      tracking_no: kind === 'tracking' ? code : null,
      source: 'scan',
      created_at: at,
      updated_at: at,
      station_id: db.stationId,
      legacy_id: null,
      shop: shop.trim() || null,
    })
    .onConflict((oc) => oc.column('order_no').doNothing())
    .execute();
  const made = await findOrderByCode(db, code);
  if (!made) throw new Error(`order ${code} vanished right after it was created`);
  return made;
}

/** worst check state among the order's evidence: block > warn > ok > pending */
const WORST = sql<CheckState | null>`CASE MAX(CASE e.check_state WHEN 'block' THEN 3 WHEN 'warn' THEN 2 WHEN 'ok' THEN 1 WHEN 'pending' THEN 0 END)
  WHEN 3 THEN 'block' WHEN 2 THEN 'warn' WHEN 1 THEN 'ok' WHEN 0 THEN 'pending' END`;

export async function searchOrders(db: Db, query: string, limit: number): Promise<OrderSummary[]> {
  const q = query.trim();
  const engine = sqlFor(db);
  let select = db
    .selectFrom('orders as o')
    .leftJoin('evidence as e', 'e.order_id', 'o.id')
    .select(ORDER_COLUMNS)
    .select((eb) => [
      eb.fn.count<number>('e.id').as('evidence_count'),
      countIf(eb('e.kind', '=', 'video')).as('video_count'),
      countIf(eb('e.kind', '=', 'photo')).as('photo_count'),
      eb.fn.max('e.captured_at').as('last_captured_at'),
      WORST.as('worst_check'),
    ]);
  // a linked provisional order is empty: its rows moved to the real order
  select = select.where('o.linked_order_id', 'is', null);
  if (q)
    select = select.where((eb) =>
      eb.or([engine.contains(eb.ref('o.order_no'), q), engine.contains(eb.ref('o.tracking_no'), q)]),
    );
  const rows = await select
    .groupBy('o.id')
    .orderBy(sql`COALESCE(MAX(e.captured_at), o.updated_at)`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...toOrder(r),
    evidenceCount: Number(r.evidence_count),
    videoCount: Number(r.video_count),
    photoCount: Number(r.photo_count),
    lastCapturedAt: r.last_captured_at ?? null,
    worstCheck: r.worst_check,
  }));
}

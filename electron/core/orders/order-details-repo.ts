import type { Db } from '../db/db';
import { newId } from '../db/ids';
import { inTransaction } from '../db/transaction';
import { appendAudit } from '../audit/audit-log';
import type { ApiOrder, OrderUpsert } from '../../../shared/api/v1/schemas';
import { isInterceptStatus, type OrderStatus } from '../../../shared/domain/order-status';
import type { Id } from '../../../shared/domain/id';
import { findOrderByCode } from './order-repo';

export interface StatusChange {
  orderId: Id;
  orderNo: string;
  from: OrderStatus | null;
  to: OrderStatus;
}

export interface UpsertOutcome {
  created: boolean;
  order: ApiOrder;
  statusChange: StatusChange | null;
}

/**
 * An ERP's order, created or updated. Fields left out stay as they are; `items` and
 * `trackingNumbers`, when given, replace the stored lists. An order a packer created by
 * scanning one of its tracking numbers (named by that number) becomes this order: its
 * recordings stay with it. A status change clears the packer's confirmation of an
 * earlier interception: the new status has to be seen.
 */
export async function upsertOrderFromApi(
  db: Db,
  input: OrderUpsert,
  actor: string,
  now = new Date(),
): Promise<UpsertOutcome> {
  const at = now.toISOString();
  const tracking = input.trackingNumbers ? [...new Set(input.trackingNumbers)] : undefined;
  return inTransaction(db, async (trx) => {
    let created = false;
    let row = await trx
      .selectFrom('orders')
      .select(['id', 'order_no', 'source'])
      .where('order_no', '=', input.orderNo)
      .executeTakeFirst();
    if (!row && tracking) {
      // the packer scanned a tracking number before the ERP sent the order
      const scanned = await trx
        .selectFrom('orders')
        .select(['id', 'order_no', 'source'])
        .where('source', '=', 'scan')
        .where('order_no', 'in', tracking)
        .orderBy('id')
        .executeTakeFirst();
      if (scanned) {
        await trx
          .updateTable('orders')
          .set({ order_no: input.orderNo, source: 'import', updated_at: at })
          .where('id', '=', scanned.id)
          .execute();
        await appendAudit(
          trx,
          {
            actor,
            action: 'order.renamed',
            entity: 'order',
            entityId: scanned.id,
            details: { from: scanned.order_no, to: input.orderNo },
          },
          now,
        );
        row = { ...scanned, order_no: input.orderNo };
      }
    }
    if (!row) {
      created = true;
      row = { id: newId(), order_no: input.orderNo, source: 'import' as const };
      await trx
        .insertInto('orders')
        .values({
          id: row.id,
          order_no: input.orderNo,
          tracking_no: tracking?.[0] ?? null,
          source: 'import',
          created_at: at,
          updated_at: at,
          station_id: trx.stationId,
          legacy_id: null,
        })
        .execute();
    } else {
      const set: { updated_at: string; tracking_no?: string | null } = { updated_at: at };
      if (tracking) set.tracking_no = tracking[0] ?? null;
      await trx.updateTable('orders').set(set).where('id', '=', row.id).execute();
    }
    const orderId = row.id;
    if (tracking) {
      await trx.deleteFrom('order_tracking_numbers').where('order_id', '=', orderId).execute();
      if (tracking.length)
        await trx
          .insertInto('order_tracking_numbers')
          .values(tracking.map((t) => ({ tracking_no: t, order_id: orderId })))
          .execute();
    }
    if (input.items) {
      await trx.deleteFrom('order_items').where('order_id', '=', orderId).execute();
      if (input.items.length)
        await trx
          .insertInto('order_items')
          .values(
            input.items.map((it, i) => ({
              id: newId(),
              order_id: orderId,
              line: i + 1,
              sku: it.sku,
              name: it.name ?? null,
              quantity: it.quantity,
              station_id: trx.stationId,
            })),
          )
          .execute();
    }
    const before = await trx.selectFrom('order_details').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    const statusChanged = input.status !== undefined && input.status !== (before?.status ?? null);
    const next = {
      shop: input.shop !== undefined ? input.shop : (before?.shop ?? null),
      buyer_note: input.buyerNote !== undefined ? input.buyerNote : (before?.buyer_note ?? null),
      seller_remark: input.sellerRemark !== undefined ? input.sellerRemark : (before?.seller_remark ?? null),
      status: statusChanged ? input.status! : (before?.status ?? null),
      status_source: statusChanged ? ('api' as const) : (before?.status_source ?? null),
      status_at: statusChanged ? at : (before?.status_at ?? null),
      interception_confirmed_at: statusChanged ? null : (before?.interception_confirmed_at ?? null),
      updated_at: at,
    };
    await trx
      .insertInto('order_details')
      .values({ order_id: orderId, ...next, station_id: trx.stationId })
      .onConflict((oc) => oc.column('order_id').doUpdateSet(next))
      .execute();
    let statusChange: StatusChange | null = null;
    if (statusChanged) {
      statusChange = {
        orderId,
        orderNo: input.orderNo,
        from: (before?.status as OrderStatus) ?? null,
        to: input.status!,
      };
      await appendAudit(
        trx,
        {
          actor,
          action: 'order.status',
          entity: 'order',
          entityId: orderId,
          details: { from: statusChange.from, to: statusChange.to, source: 'api' },
        },
        now,
      );
    }
    const order = await apiOrderById(trx, orderId);
    return { created, order, statusChange };
  });
}

/**
 * A status read from an order import (退款状态 / 订单状态 columns). Only a change is
 * written, and like an API change it clears an earlier confirmation.
 */
export async function setImportedStatus(
  db: Db,
  orderId: Id,
  status: OrderStatus,
  now = new Date(),
): Promise<StatusChange | null> {
  const at = now.toISOString();
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('order_details').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    if (before?.status === status) return null;
    const set = {
      status,
      status_source: 'import' as const,
      status_at: at,
      interception_confirmed_at: null,
      updated_at: at,
    };
    await trx
      .insertInto('order_details')
      .values({
        order_id: orderId,
        shop: null,
        buyer_note: null,
        seller_remark: null,
        ...set,
        station_id: trx.stationId,
      })
      .onConflict((oc) => oc.column('order_id').doUpdateSet(set))
      .execute();
    const o = await trx.selectFrom('orders').select('order_no').where('id', '=', orderId).executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      {
        actor: 'import',
        action: 'order.status',
        entity: 'order',
        entityId: orderId,
        details: { from: before?.status ?? null, to: status, source: 'import' },
      },
      now,
    );
    return { orderId, orderNo: o.order_no, from: (before?.status as OrderStatus) ?? null, to: status };
  });
}

export async function apiOrderById(db: Db, orderId: Id): Promise<ApiOrder> {
  const [o, d, items, tracking] = await Promise.all([
    db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow(),
    db.selectFrom('order_details').selectAll().where('order_id', '=', orderId).executeTakeFirst(),
    db
      .selectFrom('order_items')
      .select(['sku', 'name', 'quantity'])
      .where('order_id', '=', orderId)
      .orderBy('line')
      .execute(),
    db
      .selectFrom('order_tracking_numbers')
      .select('tracking_no')
      .where('order_id', '=', orderId)
      .orderBy('tracking_no')
      .execute(),
  ]);
  const numbers = tracking.map((t) => t.tracking_no);
  if (o.tracking_no && !numbers.includes(o.tracking_no)) numbers.unshift(o.tracking_no);
  return {
    id: o.id,
    orderNo: o.order_no,
    trackingNumbers: numbers,
    shop: d?.shop ?? null,
    status: (d?.status as OrderStatus) ?? null,
    statusAt: d?.status_at ?? null,
    buyerNote: d?.buyer_note ?? null,
    sellerRemark: d?.seller_remark ?? null,
    items: items.map((i) => ({ sku: i.sku, name: i.name, quantity: Number(i.quantity) })),
    createdAt: o.created_at,
    updatedAt: o.updated_at,
  };
}

/** By order number or any of its tracking numbers (as a scan finds it). */
export async function apiOrderByCode(db: Db, code: string): Promise<ApiOrder | null> {
  const o = await findOrderByCode(db, code);
  return o ? apiOrderById(db, o.id) : null;
}

export interface Interception {
  orderId: Id;
  orderNo: string;
  status: OrderStatus;
  statusAt: string | null;
  source: 'api' | 'import' | null;
}

/** The order's interception when its status stops packing and the packer has not confirmed it yet. */
export async function pendingInterception(db: Db, orderId: Id): Promise<Interception | null> {
  const d = await db
    .selectFrom('order_details as d')
    .innerJoin('orders as o', 'o.id', 'd.order_id')
    .select(['o.order_no', 'd.status', 'd.status_at', 'd.status_source', 'd.interception_confirmed_at'])
    .where('d.order_id', '=', orderId)
    .executeTakeFirst();
  if (!d || !isInterceptStatus(d.status) || d.interception_confirmed_at) return null;
  return { orderId, orderNo: d.order_no, status: d.status, statusAt: d.status_at, source: d.status_source };
}

/** The packer saw the alert and pressed the key: recorded, audited; the order can be recorded now. */
export async function confirmInterception(db: Db, orderId: Id, actor: string, now = new Date()): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const pending = await pendingInterception(trx, orderId);
    if (!pending) return false;
    await trx
      .updateTable('order_details')
      .set({ interception_confirmed_at: now.toISOString() })
      .where('order_id', '=', orderId)
      .execute();
    await appendAudit(
      trx,
      {
        actor,
        action: 'order.interception-confirmed',
        entity: 'order',
        entityId: orderId,
        details: { status: pending.status },
      },
      now,
    );
    return true;
  });
}

export async function orderNotes(
  db: Db,
  orderId: Id,
): Promise<{ buyerNote: string | null; sellerRemark: string | null }> {
  const d = await db
    .selectFrom('order_details')
    .select(['buyer_note', 'seller_remark'])
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return { buyerNote: d?.buyer_note ?? null, sellerRemark: d?.seller_remark ?? null };
}

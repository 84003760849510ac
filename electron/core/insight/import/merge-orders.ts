import { sql } from 'kysely';
import type { Db } from '../../db/db';
import { sqlFor } from '../../db/engine-sql';
import type { Id } from '../../../../shared/domain/id';
import { appendAudit } from '../../audit/audit-log';

/**
 * Folding a scan-created order into the imported order it really is. A packer who
 * scanned the tracking number made an order named by that number; when the back-office
 * export says which order the tracking number belongs to, everything recorded under the
 * scan order (evidence, recordings, serial scans, cases …) moves to the real order and
 * the empty scan order is removed — with an audit entry naming both, so the trail from
 * the old order id to the new one is never lost.
 *
 * Which tables point at orders is read from the schema's foreign keys, not listed here,
 * so tables added by later migrations move along without this file knowing them.
 */
export async function orderReferences(db: Db): Promise<{ table: string; column: string }[]> {
  return sqlFor(db).referencesTo(db, 'orders');
}

export interface MergeOutcome {
  fromId: Id;
  fromOrderNo: string;
  moved: Record<string, number>;
}

/** Move every row referring to `fromId` to `intoId`, then delete `fromId`. Call inside a transaction. */
export async function mergeOrderInto(
  db: Db,
  fromId: Id,
  intoId: Id,
  refs: { table: string; column: string }[],
  actor: string,
  reason: Record<string, unknown>,
): Promise<MergeOutcome> {
  const from = await db
    .selectFrom('orders')
    .select(['order_no', 'tracking_no'])
    .where('id', '=', fromId)
    .executeTakeFirstOrThrow();
  const into = await db.selectFrom('orders').select('order_no').where('id', '=', intoId).executeTakeFirstOrThrow();
  const moved: Record<string, number> = {};
  const evidenceIds = (
    await db.selectFrom('evidence').select('id').where('order_id', '=', fromId).orderBy('id').execute()
  ).map((r) => r.id);
  const recordingIds = (
    await db.selectFrom('recordings').select('id').where('order_id', '=', fromId).orderBy('started_at').execute()
  ).map((r) => r.id);
  // rows keyed by the order (one per order, or per order and tracking number): the real
  // order's own row wins; the scan order's duplicate would break the key when moved
  if (await db.selectFrom('order_details').select('order_id').where('order_id', '=', intoId).executeTakeFirst())
    await db.deleteFrom('order_details').where('order_id', '=', fromId).execute();
  await db
    .deleteFrom('order_tracking_numbers')
    .where('order_id', '=', fromId)
    .where(
      'tracking_no',
      'in',
      db.selectFrom('order_tracking_numbers').select('tracking_no').where('order_id', '=', intoId),
    )
    .execute();
  for (const { table, column } of refs) {
    const r =
      await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${intoId} WHERE ${sql.ref(column)} = ${fromId}`.execute(
        db,
      );
    const n = Number(r.numAffectedRows ?? 0);
    if (n) moved[table] = (moved[table] ?? 0) + n;
  }
  // the one reference from orders to orders (a provisional order linked to this one, SKU-first
  // packing) is left out of `refs` (self-references): follow it to the order that stays
  await db.updateTable('orders').set({ linked_order_id: intoId }).where('linked_order_id', '=', fromId).execute();
  await db.deleteFrom('orders').where('id', '=', fromId).execute();
  await appendAudit(db, {
    actor,
    action: 'order.merged',
    entity: 'order',
    entityId: intoId,
    details: {
      ...reason,
      fromOrderId: fromId,
      fromOrderNo: from.order_no,
      fromTrackingNo: from.tracking_no,
      intoOrderId: intoId,
      intoOrderNo: into.order_no,
      evidenceIds,
      recordingIds,
      moved,
    },
  });
  return { fromId, fromOrderNo: from.order_no, moved };
}

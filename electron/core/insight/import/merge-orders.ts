import type { DB } from '../../db/connection';
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
export function orderReferences(db: DB): { table: string; column: string }[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'orders'")
    .all() as { name: string }[];
  const refs: { table: string; column: string }[] = [];
  for (const { name } of tables) {
    const fks = db.prepare(`SELECT * FROM pragma_foreign_key_list(?)`).all(name) as {
      table: string;
      from: string;
      to: string | null;
    }[];
    for (const fk of fks)
      if (fk.table === 'orders' && (fk.to == null || fk.to === 'id')) refs.push({ table: name, column: fk.from });
  }
  return refs;
}

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;

export interface MergeOutcome {
  fromId: number;
  fromOrderNo: string;
  moved: Record<string, number>;
}

/** Move every row referring to `fromId` to `intoId`, then delete `fromId`. Call inside a transaction. */
export function mergeOrderInto(
  db: DB,
  fromId: number,
  intoId: number,
  refs: { table: string; column: string }[],
  actor: string,
  reason: Record<string, unknown>,
): MergeOutcome {
  const from = db.prepare('SELECT order_no, tracking_no FROM orders WHERE id = ?').get(fromId) as {
    order_no: string;
    tracking_no: string | null;
  };
  const into = db.prepare('SELECT order_no FROM orders WHERE id = ?').get(intoId) as { order_no: string };
  const moved: Record<string, number> = {};
  const evidenceIds = (
    db.prepare('SELECT id FROM evidence WHERE order_id = ? ORDER BY id').all(fromId) as { id: number }[]
  ).map((r) => r.id);
  const recordingIds = (
    db.prepare('SELECT id FROM recordings WHERE order_id = ? ORDER BY started_at').all(fromId) as { id: string }[]
  ).map((r) => r.id);
  for (const { table, column } of refs) {
    const n = db
      .prepare(`UPDATE ${quote(table)} SET ${quote(column)} = ? WHERE ${quote(column)} = ?`)
      .run(intoId, fromId).changes;
    if (n) moved[table] = (moved[table] ?? 0) + n;
  }
  db.prepare('DELETE FROM orders WHERE id = ?').run(fromId);
  appendAudit(db, {
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

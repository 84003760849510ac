import { createHash } from 'node:crypto';
import type { DB } from '../../db/connection';
import type { OrderFacts } from '../../../../shared/domain/insight/import-values';
import { appendAudit } from '../../audit/audit-log';
import { mergeOrderInto } from './merge-orders';

/**
 * Writing one imported order. Idempotent: facts are merged onto what is stored (an
 * empty cell never erases a known value), hashed, and a row whose hash is unchanged is
 * left alone — importing the same file twice changes nothing the second time.
 */
export type ApplyOutcome = 'imported' | 'updated' | 'unchanged';

export interface ApplyContext {
  runId: number;
  sourceName: string;
  refs: { table: string; column: string }[];
  actor: string;
  now: string;
}

interface FactsRow {
  order_id: number;
  courier: string | null;
  shipped_at: string | null;
  signed_at: string | null;
  return_tracking_no: string | null;
  return_signed_at: string | null;
  item: string | null;
  quantity: number | null;
  amount_cents: number | null;
  buyer_note: string | null;
  order_status: string | null;
  facts_hash: string;
}

type StoredFacts = Omit<OrderFacts, 'orderNo' | 'trackingNo'>;
const FACT_KEYS: [keyof StoredFacts, keyof FactsRow][] = [
  ['courier', 'courier'],
  ['shippedAt', 'shipped_at'],
  ['signedAt', 'signed_at'],
  ['returnTrackingNo', 'return_tracking_no'],
  ['returnSignedAt', 'return_signed_at'],
  ['item', 'item'],
  ['quantity', 'quantity'],
  ['amountCents', 'amount_cents'],
  ['buyerNote', 'buyer_note'],
  ['orderStatus', 'order_status'],
];

export const factsHash = (trackingNo: string | null, f: StoredFacts): string =>
  createHash('sha256')
    .update(JSON.stringify([trackingNo, ...FACT_KEYS.map(([k]) => f[k] ?? null)]))
    .digest('hex');

/** Statements prepared once per connection: preparing them per row cost more than running them. */
const cache = new WeakMap<DB, ReturnType<typeof prepare>>();
function prepare(db: DB) {
  return {
    byOrderNo: db.prepare('SELECT id, tracking_no, source FROM orders WHERE order_no = ?'),
    scanOrders1: db.prepare(
      `SELECT id, order_no FROM orders WHERE source = 'scan' AND (order_no = ? OR tracking_no = ?) ORDER BY id`,
    ),
    scanOrders2: db.prepare(
      `SELECT id, order_no FROM orders WHERE source = 'scan' AND (order_no IN (?, ?) OR tracking_no IN (?, ?)) ORDER BY id`,
    ),
    rename: db.prepare(
      `UPDATE orders SET order_no = ?, tracking_no = ?, source = 'import', updated_at = ? WHERE id = ?`,
    ),
    insertOrder: db.prepare(
      `INSERT INTO orders (order_no, tracking_no, source, created_at, updated_at) VALUES (?, ?, 'import', ?, ?)`,
    ),
    facts: db.prepare('SELECT * FROM order_facts WHERE order_id = ?'),
    setTracking: db.prepare(`UPDATE orders SET tracking_no = ?, source = 'import', updated_at = ? WHERE id = ?`),
    touch: db.prepare('UPDATE order_facts SET import_run_id = ? WHERE order_id = ?'),
    upsert: db.prepare(
      `INSERT INTO order_facts (order_id, source_name, courier, shipped_at, signed_at, return_tracking_no, return_signed_at,
         item, quantity, amount_cents, buyer_note, order_status, facts_hash, import_run_id, imported_at, updated_at)
       VALUES (@id, @source, @courier, @shippedAt, @signedAt, @returnTrackingNo, @returnSignedAt,
         @item, @quantity, @amountCents, @buyerNote, @orderStatus, @hash, @runId, @now, @now)
       ON CONFLICT(order_id) DO UPDATE SET source_name = excluded.source_name, courier = excluded.courier,
         shipped_at = excluded.shipped_at, signed_at = excluded.signed_at, return_tracking_no = excluded.return_tracking_no,
         return_signed_at = excluded.return_signed_at, item = excluded.item, quantity = excluded.quantity,
         amount_cents = excluded.amount_cents, buyer_note = excluded.buyer_note, order_status = excluded.order_status,
         facts_hash = excluded.facts_hash, import_run_id = excluded.import_run_id, updated_at = excluded.updated_at`,
    ),
  };
}
const stmts = (db: DB) => {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
};

export function applyOrderFacts(
  db: DB,
  facts: OrderFacts,
  c: ApplyContext,
): { outcome: ApplyOutcome; linked: number; orderId: number } {
  const q = stmts(db);
  let target = q.byOrderNo.get(facts.orderNo) as { id: number; tracking_no: string | null; source: string } | undefined;
  // orders a packer created by scanning this order's tracking or return tracking number
  const codes = [
    ...new Set([facts.trackingNo, facts.returnTrackingNo].filter((x): x is string => !!x && x !== facts.orderNo)),
  ];
  let scanOrders: { id: number; order_no: string }[] = [];
  if (codes.length) {
    scanOrders = (
      codes.length === 1
        ? q.scanOrders1.all(codes[0], codes[0])
        : q.scanOrders2.all(codes[0], codes[1], codes[0], codes[1])
    ) as { id: number; order_no: string }[];
    if (target) scanOrders = scanOrders.filter((o) => o.id !== target!.id);
  }
  let linked = 0;
  let isNew = false;
  if (!target) {
    // the scan order named by the tracking number becomes the order itself: its id, and
    // everything pointing at it, stay as they are
    const rename = scanOrders.find((o) => o.order_no === facts.trackingNo) ?? scanOrders[0];
    if (rename) {
      q.rename.run(facts.orderNo, facts.trackingNo ?? rename.order_no, c.now, rename.id);
      appendAudit(db, {
        actor: c.actor,
        action: 'order.linked',
        entity: 'order',
        entityId: rename.id,
        details: {
          importRunId: c.runId,
          source: c.sourceName,
          scannedCode: rename.order_no,
          orderNo: facts.orderNo,
          trackingNo: facts.trackingNo,
        },
      });
      target = { id: rename.id, tracking_no: facts.trackingNo ?? rename.order_no, source: 'import' };
      scanOrders = scanOrders.filter((o) => o.id !== rename.id);
      linked++;
    } else {
      const id = Number(q.insertOrder.run(facts.orderNo, facts.trackingNo, c.now, c.now).lastInsertRowid);
      target = { id, tracking_no: facts.trackingNo, source: 'import' };
    }
    isNew = true;
  }
  for (const o of scanOrders) {
    mergeOrderInto(db, o.id, target.id, c.refs, c.actor, {
      importRunId: c.runId,
      source: c.sourceName,
      reason: 'tracking-number-import',
    });
    linked++;
  }

  const stored = q.facts.get(target.id) as FactsRow | undefined;
  const merged = {} as StoredFacts;
  for (const [k, col] of FACT_KEYS) (merged as Record<string, unknown>)[k] = facts[k] ?? (stored ? stored[col] : null);
  const trackingNo = facts.trackingNo ?? target.tracking_no;
  const hash = factsHash(trackingNo, merged);
  if (trackingNo !== target.tracking_no || target.source !== 'import') {
    q.setTracking.run(trackingNo, c.now, target.id);
  }
  if (stored && stored.facts_hash === hash && linked === 0) {
    q.touch.run(c.runId, target.id);
    return { outcome: 'unchanged', linked, orderId: target.id };
  }
  q.upsert.run({ id: target.id, source: c.sourceName, ...merged, hash, runId: c.runId, now: c.now });
  return { outcome: isNew || !stored ? 'imported' : 'updated', linked, orderId: target.id };
}

import { createHash } from 'node:crypto';
import type { Db } from '../../db/db';
import { newId } from '../../db/ids';
import type { Id } from '../../../../shared/domain/id';
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
  runId: Id;
  sourceName: string;
  refs: { table: string; column: string }[];
  actor: string;
  now: string;
}

export interface FactsRow {
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

/** the shop is the order's own (orders.shop), not a fact of the import's table */
export type StoredFacts = Omit<OrderFacts, 'orderNo' | 'trackingNo' | 'shop'>;
export const FACT_KEYS: [keyof StoredFacts, keyof FactsRow][] = [
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

export const FACT_COLUMNS = FACT_KEYS.map(([, col]) => col);

async function storedFacts(db: Db, orderId: Id): Promise<FactsRow | undefined> {
  return db
    .selectFrom('order_facts')
    .select([...FACT_COLUMNS, 'facts_hash'])
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

/** orders a packer created by scanning one of these codes (tracking or return tracking number) */
async function scanOrdersFor(db: Db, codes: string[]): Promise<{ id: Id; order_no: string }[]> {
  return db
    .selectFrom('orders')
    .select(['id', 'order_no'])
    .where('source', '=', 'scan')
    .where((eb) => eb.or([eb('order_no', 'in', codes), eb('tracking_no', 'in', codes)]))
    .orderBy('id')
    .execute();
}

/** The import's shop for the order, when its row has one: the order's shop from then on. True if it changed. */
export async function applyShop(db: Db, orderId: Id, shop: string | null, now: string): Promise<boolean> {
  if (!shop) return false;
  const r = await db
    .updateTable('orders')
    .set({ shop, updated_at: now })
    .where('id', '=', orderId)
    .where((eb) => eb.or([eb('shop', 'is', null), eb('shop', '!=', shop)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function applyOrderFacts(
  db: Db,
  facts: OrderFacts,
  c: ApplyContext,
): Promise<{ outcome: ApplyOutcome; linked: number; orderId: Id }> {
  const found = await db
    .selectFrom('orders as o')
    .leftJoin('order_facts as f', 'f.order_id', 'o.id')
    .select(['o.id', 'o.tracking_no', 'o.source', 'f.order_id as facts_of', 'f.facts_hash'])
    .select(FACT_COLUMNS.map((col) => `f.${col}` as const))
    .where('o.order_no', '=', facts.orderNo)
    .executeTakeFirst();
  let target: { id: Id; tracking_no: string | null; source: string } | undefined = found;
  let stored: FactsRow | undefined = found?.facts_of != null ? (found as FactsRow) : undefined;
  // orders a packer created by scanning this order's tracking or return tracking number
  const codes = [
    ...new Set([facts.trackingNo, facts.returnTrackingNo].filter((x): x is string => !!x && x !== facts.orderNo)),
  ];
  let scanOrders: { id: Id; order_no: string }[] = [];
  if (codes.length) {
    scanOrders = await scanOrdersFor(db, codes);
    if (target) scanOrders = scanOrders.filter((o) => o.id !== target!.id);
  }
  let linked = 0;
  let isNew = false;
  if (!target) {
    // the scan order named by the tracking number becomes the order itself: its id, and
    // everything pointing at it, stay as they are
    const rename = scanOrders.find((o) => o.order_no === facts.trackingNo) ?? scanOrders[0];
    if (rename) {
      await db
        .updateTable('orders')
        .set({
          order_no: facts.orderNo,
          tracking_no: facts.trackingNo ?? rename.order_no,
          source: 'import',
          updated_at: c.now,
        })
        .where('id', '=', rename.id)
        .execute();
      await appendAudit(db, {
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
      stored = await storedFacts(db, rename.id);
      scanOrders = scanOrders.filter((o) => o.id !== rename.id);
      linked++;
    } else {
      const id = newId();
      await db
        .insertInto('orders')
        .values({
          id,
          order_no: facts.orderNo,
          tracking_no: facts.trackingNo,
          source: 'import',
          created_at: c.now,
          updated_at: c.now,
          station_id: db.stationId,
          legacy_id: null,
          shop: facts.shop,
        })
        .execute();
      target = { id, tracking_no: facts.trackingNo, source: 'import' };
    }
    isNew = true;
  }
  for (const o of scanOrders) {
    await mergeOrderInto(db, o.id, target.id, c.refs, c.actor, {
      importRunId: c.runId,
      source: c.sourceName,
      reason: 'tracking-number-import',
    });
    linked++;
  }

  const merged = mergeFacts(facts, stored);
  const trackingNo = facts.trackingNo ?? target.tracking_no;
  const hash = factsHash(trackingNo, merged);
  if (trackingNo !== target.tracking_no || target.source !== 'import') {
    await db
      .updateTable('orders')
      .set({ tracking_no: trackingNo, source: 'import', updated_at: c.now })
      .where('id', '=', target.id)
      .execute();
  }
  const shopChanged = await applyShop(db, target.id, facts.shop, c.now);
  if (stored && stored.facts_hash === hash && linked === 0 && !shopChanged) {
    await db.updateTable('order_facts').set({ import_run_id: c.runId }).where('order_id', '=', target.id).execute();
    return { outcome: 'unchanged', linked, orderId: target.id };
  }
  const row = factsRowValues(c, merged, hash);
  await db
    .insertInto('order_facts')
    .values({ order_id: target.id, ...row, imported_at: c.now })
    .onConflict((oc) => oc.column('order_id').doUpdateSet(row))
    .execute();
  return { outcome: isNew || !stored ? 'imported' : 'updated', linked, orderId: target.id };
}

/** The imported facts over what is stored: an empty cell never erases a known value. */
export function mergeFacts(facts: OrderFacts, stored: FactsRow | undefined): StoredFacts {
  const merged = {} as StoredFacts;
  for (const [k, col] of FACT_KEYS) (merged as Record<string, unknown>)[k] = facts[k] ?? (stored ? stored[col] : null);
  return merged;
}

/** The order_facts columns an import writes (all but order_id and imported_at). */
export const factsRowValues = (c: ApplyContext, merged: StoredFacts, hash: string) => ({
  source_name: c.sourceName,
  courier: merged.courier ?? null,
  shipped_at: merged.shippedAt ?? null,
  signed_at: merged.signedAt ?? null,
  return_tracking_no: merged.returnTrackingNo ?? null,
  return_signed_at: merged.returnSignedAt ?? null,
  item: merged.item ?? null,
  quantity: merged.quantity ?? null,
  amount_cents: merged.amountCents ?? null,
  buyer_note: merged.buyerNote ?? null,
  order_status: merged.orderStatus ?? null,
  facts_hash: hash,
  import_run_id: c.runId,
  updated_at: c.now,
});

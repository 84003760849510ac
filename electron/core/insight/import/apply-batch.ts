import type { Db } from '../../db/db';
import { newId } from '../../db/ids';
import type { OrderFacts } from '../../../../shared/domain/insight/import-values';
import type { Id } from '../../../../shared/domain/id';
import {
  applyOrderFacts,
  applyShop,
  FACT_COLUMNS,
  factsHash,
  factsRowValues,
  mergeFacts,
  type ApplyContext,
  type ApplyOutcome,
  type FactsRow,
} from './apply-facts';

/**
 * A batch of imported orders (distinct order numbers) written with a few statements
 * instead of a few per order: one read of the stored orders and facts, one of scan
 * orders the batch could link, then one insert of the new orders and one upsert of the
 * changed facts. Every order gets exactly what applyOrderFacts would give it; when a
 * code of the batch names a scan-created order (linking, rare), the batch goes order by
 * order through applyOrderFacts instead. Call inside a transaction.
 */
export async function applyOrderFactsBatch(
  db: Db,
  groups: OrderFacts[],
  c: ApplyContext,
): Promise<{ outcome: ApplyOutcome; linked: number }[]> {
  if (groups.length === 0) return [];
  const codes = [
    ...new Set(
      groups.flatMap((f) => [f.trackingNo, f.returnTrackingNo].filter((x): x is string => !!x && x !== f.orderNo)),
    ),
  ];
  if (codes.length && (await anyScanOrder(db, codes))) {
    const out = [];
    for (const f of groups) out.push(await applyOrderFacts(db, f, c));
    return out;
  }

  const existing = new Map(
    (
      await db
        .selectFrom('orders as o')
        .leftJoin('order_facts as f', 'f.order_id', 'o.id')
        .select(['o.id', 'o.order_no', 'o.tracking_no', 'o.source', 'o.shop', 'f.order_id as facts_of', 'f.facts_hash'])
        .select(FACT_COLUMNS.map((col) => `f.${col}` as const))
        .where(
          'o.order_no',
          'in',
          groups.map((g) => g.orderNo),
        )
        .execute()
    ).map((r) => [r.order_no, r]),
  );
  const newOrders: { id: Id; order_no: string; tracking_no: string | null; shop: string | null }[] = [];
  const shopChanges: { id: Id; shop: string }[] = [];
  const unchanged: Id[] = [];
  const upserts: (ReturnType<typeof factsRowValues> & { order_id: Id; imported_at: string })[] = [];
  const outcomes: { outcome: ApplyOutcome; linked: number }[] = [];
  for (const facts of groups) {
    const found = existing.get(facts.orderNo);
    const target = found ?? { id: newId(), tracking_no: facts.trackingNo, source: 'import' as const };
    if (!found)
      newOrders.push({ id: target.id, order_no: facts.orderNo, tracking_no: facts.trackingNo, shop: facts.shop });
    const shopChanged = !!found && !!facts.shop && found.shop !== facts.shop;
    if (shopChanged) shopChanges.push({ id: target.id, shop: facts.shop! });
    const stored = found?.facts_of != null ? (found as FactsRow) : undefined;
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
    if (stored && stored.facts_hash === hash && !shopChanged) {
      unchanged.push(target.id);
      outcomes.push({ outcome: 'unchanged', linked: 0 });
      continue;
    }
    upserts.push({ order_id: target.id, ...factsRowValues(c, merged, hash), imported_at: c.now });
    outcomes.push({ outcome: !found || !stored ? 'imported' : 'updated', linked: 0 });
  }
  if (newOrders.length)
    await db
      .insertInto('orders')
      .values(
        newOrders.map((o) => ({
          ...o,
          source: 'import' as const,
          created_at: c.now,
          updated_at: c.now,
          station_id: db.stationId,
          legacy_id: null,
        })),
      )
      .execute();
  for (const s of shopChanges) await applyShop(db, s.id, s.shop, c.now);
  if (unchanged.length)
    await db.updateTable('order_facts').set({ import_run_id: c.runId }).where('order_id', 'in', unchanged).execute();
  if (upserts.length)
    await db
      .insertInto('order_facts')
      .values(upserts)
      .onConflict((oc) =>
        oc.column('order_id').doUpdateSet((eb) => ({
          source_name: eb.ref('excluded.source_name'),
          courier: eb.ref('excluded.courier'),
          shipped_at: eb.ref('excluded.shipped_at'),
          signed_at: eb.ref('excluded.signed_at'),
          return_tracking_no: eb.ref('excluded.return_tracking_no'),
          return_signed_at: eb.ref('excluded.return_signed_at'),
          item: eb.ref('excluded.item'),
          quantity: eb.ref('excluded.quantity'),
          amount_cents: eb.ref('excluded.amount_cents'),
          buyer_note: eb.ref('excluded.buyer_note'),
          order_status: eb.ref('excluded.order_status'),
          facts_hash: eb.ref('excluded.facts_hash'),
          import_run_id: eb.ref('excluded.import_run_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  return outcomes;
}

async function anyScanOrder(db: Db, codes: string[]): Promise<boolean> {
  const hit = await db
    .selectFrom('orders')
    .select('id')
    .where('source', '=', 'scan')
    .where((eb) => eb.or([eb('order_no', 'in', codes), eb('tracking_no', 'in', codes)]))
    .limit(1)
    .executeTakeFirst();
  return !!hit;
}

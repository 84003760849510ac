import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { createCore, type Core } from '../../electron/core/core';
import type { Evidence, Order, OrderDetail, ProvisionalOrder, RecordingSession } from '../../shared/domain/types';
import { call } from '../helpers/core-call';
import { inTransaction } from '../../electron/core/db/transaction';
import { mergeOrderInto, orderReferences } from '../../electron/core/insight/import/merge-orders';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { upsertOrderFromApi } from '../../electron/core/orders/order-details-repo';
import { OrderUpsertSchema } from '../../shared/api/v1/schemas';
import type { ItemScan, MissingItem } from '../../shared/domain/packed-items';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const cores: { core: Core; dir: string }[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.core.close();
});

const SKU = 'SKU-CUP-0042';
const TRACKING = 'SF1402938475201';

async function station() {
  const dir = tmp();
  const core = await createCore({ dataDir: dir, mode: 'cli' });
  cores.push({ core, dir });
  await call(core, 'settings.update', { skuPatterns: ['^SKU-[A-Z0-9-]+$'] });
  return core;
}

/** A real recording's first chunks through the contract (a tiny H.264 MP4 made by ffmpeg). */
async function begin(core: Core, code: string) {
  const { chunks } = recorderLikeStream(tmp('pp-media-'), 1, { width: 320, height: 240 });
  const session = await call<RecordingSession>(core, 'capture.start', {
    code,
    mode: 'outbound',
    mime: 'video/mp4;codecs=avc1',
  });
  let seq = 0;
  for (const data of chunks) await core.handlers['capture.chunk']({ recordingId: session.id, seq: seq++, data });
  return session;
}

describe(`SKU-first packing (${testEngine})`, () => {
  it('a SKU scan records for a provisional order; the tracking scan links it and the file lands in the real order', async () => {
    const core = await station();
    const s = await begin(core, SKU);
    expect(s.provisionalSku).toBe(SKU);
    expect(s.orderNo).toMatch(/^SKU-SKU-CUP-0042-[0-9a-f]{6}$/);

    const linked = await call<RecordingSession>(core, 'capture.link', { recordingId: s.id, code: TRACKING });
    expect(linked).toMatchObject({ id: s.id, orderNo: TRACKING, trackingNo: TRACKING });
    expect(linked.provisionalSku).toBeUndefined();
    expect(linked.orderId).not.toBe(s.orderId);
    // linked once: a second link of the same recording is refused and changes nothing
    const again = await core.dispatch('capture.link', { recordingId: s.id, code: 'SF1402938475202' });
    expect(again).toMatchObject({
      ok: false,
      error: { details: { problem: 'recording-has-order', orderNo: TRACKING } },
    });

    const relink = await core.dispatch('orders.link', { orderId: s.orderId, code: 'SF1402938475202' });
    expect(relink).toMatchObject({ ok: false, error: { details: { problem: 'order-already-linked' } } });

    const ev = await call<Evidence>(core, 'capture.stop', { recordingId: s.id });
    expect(ev.orderId).toBe(linked.orderId);
    expect(ev.path).toContain(TRACKING);
    expect(ev.path).not.toContain('SKU-');
    const detail = await call<OrderDetail>(core, 'orders.get', { id: linked.orderId });
    expect(detail.evidence.map((e) => e.id)).toEqual([ev.id]);
    expect(await call<ProvisionalOrder[]>(core, 'orders.unlinked', {})).toEqual([]);
    // the emptied provisional order is not listed among the orders
    const listed = await call<{ orderNo: string }[]>(core, 'orders.search', { query: '' });
    expect(listed.map((o) => o.orderNo)).toEqual([TRACKING]);
    const audit = await core.ctx.db.selectFrom('audit_log').select(['action', 'details']).orderBy('seq').execute();
    expect(audit.filter((a) => a.action === 'order.linked')).toHaveLength(1);
    expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
  });

  it('a provisional order never linked is listed; staff link it by hand into an existing order', async () => {
    const core = await station();
    // the order was packed before (a normal scan), then a SKU-started recording missed its label
    const first = await begin(core, TRACKING);
    await call<Evidence>(core, 'capture.stop', { recordingId: first.id });
    const s = await begin(core, SKU);
    const orphan = await call<Evidence>(core, 'capture.stop', { recordingId: s.id });
    const unlinked = await call<ProvisionalOrder[]>(core, 'orders.unlinked', {});
    expect(unlinked).toEqual([expect.objectContaining({ id: s.orderId, sku: SKU, evidenceCount: 1 })]);

    // a SKU or a serial is not an order: refused with the reason, nothing moves
    const wrong = await core.dispatch('orders.link', { orderId: s.orderId, code: 'SKU-OTHER-1' });
    expect(wrong).toMatchObject({ ok: false, error: { details: { problem: 'link-needs-order' } } });
    const notProvisional = await core.dispatch('orders.link', { orderId: first.orderId, code: 'SF1402938475299' });
    expect(notProvisional).toMatchObject({ ok: false, error: { details: { problem: 'order-not-provisional' } } });

    const order = await call<Order>(core, 'orders.link', { orderId: s.orderId, code: ` ${TRACKING} ` });
    expect(order.id).toBe(first.orderId); // merged into the existing order, not a second one
    const detail = await call<OrderDetail>(core, 'orders.get', { id: first.orderId });
    expect(detail.evidence.map((e) => e.id).sort()).toEqual([orphan.id, (await evidenceOf(core, first.id))!].sort());
    expect(await call<ProvisionalOrder[]>(core, 'orders.unlinked', {})).toEqual([]);
    const rec = await core.ctx.db
      .selectFrom('recordings')
      .select('order_id')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(rec.order_id).toBe(first.orderId);
    expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
  });

  it('items scanned while packing are checked against the order: wrong, too many, missing at the stop', async () => {
    const core = await station();
    const ORDER = '241124-000000000000777';
    await upsertOrderFromApi(
      core.ctx.db,
      OrderUpsertSchema.parse({
        orderNo: ORDER,
        trackingNumbers: [TRACKING],
        items: [
          { sku: 'SKU-CUP-0042', name: '马克杯', quantity: 2 },
          { sku: 'SKU-LID-0001', name: '杯盖', quantity: 1 },
        ],
      }),
      'erp',
    );
    // SKU first: the starting item counts as packed, the label links to the ERP's order
    const s = await begin(core, SKU);
    await call(core, 'capture.link', { recordingId: s.id, code: TRACKING });
    const item = (sku: string, atMs: number) => call<ItemScan>(core, 'capture.item', { recordingId: s.id, sku, atMs });
    expect(await item('sku-cup-0042', 1500)).toMatchObject({ result: 'ok', scanned: 2, ordered: 2, orderNo: ORDER });
    expect(await item('SKU-CUP-0042', 2500)).toMatchObject({ result: 'too-many', scanned: 3, ordered: 2 });
    expect(await item('SKU-PEN-0009', 3000)).toMatchObject({ result: 'wrong-item', ordered: 0 });
    await call(core, 'capture.stop', { recordingId: s.id });
    const { missing, orderNo } = await call<{ orderNo: string; missing: MissingItem[] }>(core, 'capture.missingItems', {
      recordingId: s.id,
    });
    expect(orderNo).toBe(ORDER);
    expect(missing).toEqual([{ sku: 'SKU-LID-0001', name: '杯盖', ordered: 1, scanned: 0 }]);
    const rows = await core.ctx.db
      .selectFrom('packed_items')
      .select(['sku', 'result', 'at_ms'])
      .where('recording_id', '=', s.id)
      .orderBy('at_ms')
      .execute();
    expect(rows.map((r) => [r.sku, r.result, r.at_ms])).toEqual([
      [SKU, 'no-items-known', 0], // scanned before the order was known, moved with the link
      ['sku-cup-0042', 'ok', 1500],
      ['SKU-CUP-0042', 'too-many', 2500],
      ['SKU-PEN-0009', 'wrong-item', 3000],
    ]);
  });

  it('an order import that folds the linked order into the real one keeps the provisional link pointing at it', async () => {
    const core = await station();
    const s = await begin(core, SKU);
    const linked = await call<RecordingSession>(core, 'capture.link', { recordingId: s.id, code: TRACKING });
    await call(core, 'capture.stop', { recordingId: s.id });
    const real = await findOrCreateOrder(core.ctx.db, '241124-000000000000779', 'order');
    await inTransaction(core.ctx.db, async (trx) =>
      mergeOrderInto(trx, linked.orderId, real.id, await orderReferences(trx), 'import', { reason: 'test' }),
    );
    const prov = await core.ctx.db
      .selectFrom('orders')
      .select('linked_order_id')
      .where('id', '=', s.orderId)
      .executeTakeFirstOrThrow();
    expect(prov.linked_order_id).toBe(real.id);
    const detail = await call<OrderDetail>(core, 'orders.get', { id: real.id });
    expect(detail.evidence).toHaveLength(1);
    expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
  });

  it('with no SKU patterns (the default) a SKU-looking code is an ordinary order', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    cores.push({ core, dir });
    const s = await begin(core, SKU);
    expect(s.provisionalSku).toBeUndefined();
    expect(s.orderNo).toBe(SKU);
    await call(core, 'capture.stop', { recordingId: s.id });
  });
});

async function evidenceOf(core: Core, recordingId: string) {
  const r = await core.ctx.db
    .selectFrom('recordings')
    .select('evidence_id')
    .where('id', '=', recordingId)
    .executeTakeFirstOrThrow();
  return r.evidence_id;
}

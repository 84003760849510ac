import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { runImport } from '../../electron/core/insight/import/run-import';
import { upsertOrderFromApi } from '../../electron/core/orders/order-details-repo';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();

async function withCore<T>(fn: (core: Core, dir: string) => Promise<T>): Promise<T> {
  const dir = tmp();
  const core = await createCore({ dataDir: dir, mode: 'web' });
  try {
    return await fn(core, dir);
  } finally {
    await core.close();
  }
}

const start = (core: Core, code: string, mode: 'outbound' | 'return' = 'outbound') =>
  core.dispatch('capture.start', { code, mode, mime: 'video/mp4' });
const actions = async (core: Core) =>
  (await core.ctx.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);
const recordings = async (core: Core) =>
  Number(
    (
      await core.ctx.db
        .selectFrom('recordings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe(`refund interception in the core (${testEngine})`, { timeout: 120_000 }, () => {
  it('refuses to record an intercepted outbound order until confirmed; returns are never stopped', async () => {
    await withCore(async (core) => {
      const events: unknown[] = [];
      core.ctx.events.onAny((e, p) => e === 'order.intercepted' && events.push(p));
      const { order } = await upsertOrderFromApi(
        core.ctx.db,
        { orderNo: 'ORD-R', trackingNumbers: ['SF9000000000001'], status: 'refund-requested', buyerNote: '急' },
        'api:erp',
      );
      const refused = await start(core, 'SF9000000000001');
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error.code).toBe('CONFLICT');
      expect(refused.error.details).toMatchObject({
        problem: 'order-intercepted',
        orderId: order.id,
        orderNo: 'ORD-R',
        status: 'refund-requested',
        source: 'api',
      });
      expect(await recordings(core)).toBe(0);
      expect(fs.readdirSync(core.ctx.paths.incoming)).toEqual([]);
      expect(await actions(core)).toContain('order.intercepted');

      // unpacking a return of the same order is not stopped
      const ret = await start(core, 'ORD-R', 'return');
      expect(ret.ok).toBe(true);
      if (ret.ok) await core.recordings.closeAll();

      const confirmed = await core.dispatch('orders.confirmInterception', { orderId: order.id });
      expect(confirmed).toEqual({ ok: true, value: { confirmed: true } });
      // a second confirmation has nothing to confirm
      expect(await core.dispatch('orders.confirmInterception', { orderId: order.id })).toEqual({
        ok: true,
        value: { confirmed: false },
      });
      const now = await start(core, 'SF9000000000001');
      expect(now.ok).toBe(true);
      if (now.ok) expect((now.value as { notes?: unknown }).notes).toEqual({ buyerNote: '急', sellerRemark: null });
      await core.recordings.closeAll();

      // a new intercepting status has to be seen again
      await upsertOrderFromApi(core.ctx.db, { orderNo: 'ORD-R', status: 'cancelled' }, 'api:erp');
      const again = await start(core, 'ORD-R');
      expect(again.ok).toBe(false);
      expect(await actions(core)).toEqual(
        expect.arrayContaining(['order.status', 'order.intercepted', 'order.interception-confirmed']),
      );
      // an order that is fine records as always
      await upsertOrderFromApi(core.ctx.db, { orderNo: 'ORD-OK', status: 'paid' }, 'api:erp');
      expect((await start(core, 'ORD-OK')).ok).toBe(true);
      await core.recordings.closeAll();
    });
  });

  it('an order import’s status column (订单状态 / 退款状态) intercepts too, and tells a running station', async () => {
    await withCore(async (core, dir) => {
      const events: { orderNo: string; status: string }[] = [];
      core.ctx.events.onAny((e, p) => {
        if (e === 'order.intercepted') events.push(p as { orderNo: string; status: string });
      });
      const csv = path.join(dir, 'orders.csv');
      fs.writeFileSync(
        csv,
        [
          '订单号,快递单号,退款状态',
          '241201-000000000000001,SF9100000000001,退款中',
          '241201-000000000000002,SF9100000000002,无退款申请',
          '241201-000000000000003,SF9100000000003,退款成功',
        ].join('\n'),
      );
      const r = await runImport(core.ctx, {
        file: csv,
        fileName: 'orders.csv',
        sourceName: 'jst',
        mapping: null,
        options: {},
        actor: 'tester',
      });
      expect(r.imported).toBe(3);
      expect(events.map((e) => [e.orderNo, e.status])).toEqual([
        ['241201-000000000000001', 'refund-requested'],
        ['241201-000000000000003', 'refunded'],
      ]);
      const refused = await start(core, 'SF9100000000001');
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.details).toMatchObject({ problem: 'order-intercepted', source: 'import' });
      expect((await start(core, 'SF9100000000002')).ok).toBe(true);
      await core.recordings.closeAll();
      // importing the same file again changes nothing and raises nothing
      events.length = 0;
      await runImport(core.ctx, {
        file: csv,
        fileName: 'orders.csv',
        sourceName: 'jst',
        mapping: null,
        options: {},
        actor: 'tester',
      });
      expect(events).toEqual([]);
    });
  });

  it('an import folding a scan order that has details into the real order keeps the real order’s', async () => {
    await withCore(async (core, dir) => {
      const db = core.ctx.db;
      await findOrCreateOrder(db, 'SF9200000000001', 'tracking');
      // the ERP wrote a note on the scan-made order, and a status on the real one
      await upsertOrderFromApi(db, { orderNo: 'SF9200000000001', buyerNote: '早上送' }, 'api:erp');
      await upsertOrderFromApi(db, { orderNo: '241201-000000000000009', status: 'paid' }, 'api:erp');
      const csv = path.join(dir, 'link.csv');
      fs.writeFileSync(csv, ['订单号,快递单号', '241201-000000000000009,SF9200000000001'].join('\n'));
      const r = await runImport(core.ctx, {
        file: csv,
        fileName: 'link.csv',
        sourceName: 'jst',
        mapping: null,
        options: {},
        actor: 'tester',
      });
      expect(r.linked).toBe(1);
      const orders = await db.selectFrom('orders').select('order_no').execute();
      expect(orders.map((o) => o.order_no)).toEqual(['241201-000000000000009']);
      const details = await db.selectFrom('order_details').selectAll().execute();
      expect(details).toHaveLength(1);
      expect(details[0].status).toBe('paid');
    });
  });
});

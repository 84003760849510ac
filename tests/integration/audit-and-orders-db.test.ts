import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../electron/core/audit/audit-log';
import { openDatabase } from '../../electron/core/db/connection';
import { resolveDbTarget } from '../../electron/core/db/target';
import { stationIdFor } from '../../electron/core/db/station-id';
import { inTransaction } from '../../electron/core/db/transaction';
import { findOrCreateOrder, findOrderByCode, searchOrders } from '../../electron/core/orders/order-repo';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const at = new Date(Date.UTC(2025, 0, 2, 8, 0, 0));

describe(`audit chain and orders on ${testEngine}`, () => {
  it('chains entries and finds a deleted one', async () => {
    const db = await openTestDb(tmp());
    for (let i = 0; i < 5; i++) await appendAudit(db, { actor: 'li', action: 'x', entity: 'order', entityId: i }, at);
    expect(await verifyAudit(db)).toEqual({ ok: true, entries: 5, brokenAt: null, reason: null });
    const rows = await db.selectFrom('audit_log').select(['seq', 'station_id']).orderBy('id').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(rows.map((r) => r.station_id))).toEqual(new Set([db.stationId]));
    // tamper as an attacker with direct database access would: around the guard
    if (db.engine === 'sqlite') await sql`DROP TRIGGER audit_log_no_delete`.execute(db);
    else await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(db);
    await db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 4, reason: 'entry-deleted' });
  });

  it('rolls an audit entry back with the change it records', async () => {
    const db = await openTestDb(tmp());
    await expect(
      inTransaction(db, async (trx) => {
        await findOrCreateOrder(trx, 'O-9', 'order', at);
        await appendAudit(trx, { actor: 'li', action: 'order.create', entity: 'order' }, at);
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await findOrderByCode(db, 'O-9')).toBeNull();
    expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 0 });
  });

  it('creates an order once, finds it by tracking number, and searches case-insensitively with escaping', async () => {
    const db = await openTestDb(tmp());
    const a = await findOrCreateOrder(db, 'SF100_ab', 'tracking', at);
    expect(await findOrCreateOrder(db, 'SF100_ab', 'tracking', at)).toEqual(a);
    await findOrCreateOrder(db, 'SF1000ab', 'tracking', at);
    expect(a).toMatchObject({ orderNo: 'SF100_ab', trackingNo: 'SF100_ab', source: 'scan' });
    expect(typeof a.id).toBe('string');
    expect((await searchOrders(db, 'sf100_AB', 10)).map((o) => o.orderNo)).toEqual(['SF100_ab']);
    expect((await searchOrders(db, '', 10)).map((o) => o.evidenceCount)).toEqual([0, 0]);
  });

  // two pools are two sessions on the server, as two station processes would be
  it.runIf(testEngine === 'postgres')('keeps one chain and one order per code with two writers at once', async () => {
    const dir = tmp();
    const target = await resolveDbTarget({ dataDir: dir });
    const [a, b] = await Promise.all([
      openDatabase(target, { stationId: stationIdFor(dir) }),
      openDatabase(target, { stationId: 'other-station' }),
    ]);
    try {
      const writer = (db: typeof a, who: string) =>
        Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            inTransaction(db, async (trx) => {
              const order = await findOrCreateOrder(trx, `O-${i % 5}`, 'order', at);
              await appendAudit(trx, { actor: who, action: 'scan', entity: 'order', entityId: order.id }, at);
            }),
          ),
        );
      await Promise.all([writer(a, 'a'), writer(b, 'b')]);
      expect(await verifyAudit(a)).toEqual({ ok: true, entries: 80, brokenAt: null, reason: null });
      expect(await a.selectFrom('orders').select('order_no').orderBy('order_no').execute()).toHaveLength(5);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });
});

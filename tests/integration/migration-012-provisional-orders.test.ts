import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { createProvisionalOrder, isProvisional } from '../../electron/core/orders/provisional-orders';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 012 (provisional orders) on ${testEngine}`, () => {
  it('orders gain provisional_sku and linked_order_id; ordinary orders have neither', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(12);
    const at = new Date('2026-11-20T08:00:00Z');
    const real = await findOrCreateOrder(db, 'SF1402938475201', 'tracking', at);
    const prov = await createProvisionalOrder(db, 'SKU-CUP-0042', at);
    const rows = await db
      .selectFrom('orders')
      .select(['id', 'provisional_sku', 'linked_order_id'])
      .orderBy('provisional_sku')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: real.id, provisional_sku: null, linked_order_id: null },
        { id: prov.id, provisional_sku: 'SKU-CUP-0042', linked_order_id: null },
      ]),
    );
    expect([await isProvisional(db, prov.id), await isProvisional(db, real.id)]).toEqual([true, false]);
    // the link points at a real order row
    await expect(
      db.updateTable('orders').set({ linked_order_id: 'no-such-order' }).where('id', '=', prov.id).execute(),
    ).rejects.toThrow();
    await db.updateTable('orders').set({ linked_order_id: real.id }).where('id', '=', prov.id).execute();
    expect(await isProvisional(db, prov.id)).toBe(false);
  });
});

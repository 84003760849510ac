import { describe, expect, it } from 'vitest';
import { newId } from '../../electron/core/db/ids';
import { readVersion } from '../../electron/core/db/migrate';
import { sqlFor } from '../../electron/core/db/engine-sql';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const AT = '2026-12-01T08:00:00.000Z';

describe(`migration 009 (api tokens, order details/items, webhooks) on ${testEngine}`, () => {
  it('creates the tables', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(9);
    const tables = await sqlFor(db).listTables(db);
    expect(tables).toEqual(
      expect.arrayContaining([
        'api_tokens',
        'order_details',
        'order_items',
        'order_tracking_numbers',
        'webhooks',
        'webhook_deliveries',
      ]),
    );
  });

  it('keeps one live token per name (a revoked name can be used again) and unique hashes', async () => {
    const db = await openTestDb(tmp());
    const token = (name: string, hash: string, revoked: string | null = null) =>
      db
        .insertInto('api_tokens')
        .values({
          id: newId(),
          name,
          token_hash: hash,
          created_at: AT,
          last_used_at: null,
          revoked_at: revoked,
          station_id: db.stationId,
        })
        .execute();
    await token('erp', 'a'.repeat(64));
    await expect(token('erp', 'b'.repeat(64))).rejects.toThrow();
    await db.updateTable('api_tokens').set({ revoked_at: AT }).where('name', '=', 'erp').execute();
    await token('erp', 'c'.repeat(64));
    await expect(token('other', 'c'.repeat(64))).rejects.toThrow();
  });

  it('ties items, details and tracking numbers to orders and refuses bad rows', async () => {
    const db = await openTestDb(tmp());
    const order = await findOrCreateOrder(db, 'ORDER-8', 'order', new Date(AT));
    const item = (orderId: string, line: number, quantity: number) =>
      db
        .insertInto('order_items')
        .values({ id: newId(), order_id: orderId, line, sku: 'SKU-1', name: null, quantity, station_id: db.stationId })
        .execute();
    await item(order.id, 1, 2);
    await expect(item(order.id, 1, 1)).rejects.toThrow(); // one row per line
    await expect(item(order.id, 2, 0)).rejects.toThrow(); // quantity > 0
    await expect(item(newId(), 1, 1)).rejects.toThrow(); // foreign key
    await db.insertInto('order_tracking_numbers').values({ tracking_no: 'SF8', order_id: order.id }).execute();
    await expect(
      db.insertInto('order_tracking_numbers').values({ tracking_no: 'SF8', order_id: order.id }).execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('order_details')
        .values({
          order_id: order.id,
          shop: null,
          status: 'cancelled',
          status_source: 'fax' as 'api',
          status_at: AT,
          buyer_note: null,
          seller_remark: null,
          interception_confirmed_at: null,
          updated_at: AT,
          station_id: db.stationId,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it('keeps deliveries with a status the outbox understands, tied to their webhook', async () => {
    const db = await openTestDb(tmp());
    const hook = newId();
    await db
      .insertInto('webhooks')
      .values({
        id: hook,
        url: 'http://127.0.0.1:9/x',
        events: '["order.recorded"]',
        secret: 's',
        created_at: AT,
        removed_at: null,
        station_id: db.stationId,
      })
      .execute();
    const delivery = (webhookId: string, status: string) =>
      db
        .insertInto('webhook_deliveries')
        .values({
          id: newId(),
          webhook_id: webhookId,
          event: 'order.recorded',
          payload: '{}',
          status: status as 'pending',
          attempts: 0,
          next_attempt_at: AT,
          last_attempt_at: null,
          response_status: null,
          last_error: null,
          created_at: AT,
          delivered_at: null,
          station_id: db.stationId,
        })
        .execute();
    await delivery(hook, 'pending');
    await expect(delivery(hook, 'lost')).rejects.toThrow();
    await expect(delivery(newId(), 'pending')).rejects.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import type { HubUser } from '../../shared/accounts/roles';
import type { Db } from '../../electron/core/db/db';
import { searchHubOrders, type HubSearchQuery } from '../../electron/core/hub/hub-search';
import { plansOf } from '../helpers/query-plans';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const user = (shops: string[]): HubUser => ({
  id: 'u',
  name: 'u',
  role: 'viewer',
  shops,
  disabled: false,
  createdAt: '',
});
const everyShop = user([]);
const shopA = user(['A店']);

async function hubWithOrders(): Promise<Db> {
  const db = await openTestDb(tmp());
  const shops = ['A店', 'B店', null];
  for (let i = 0; i < 30; i++) {
    const station = `s${i % 3}`;
    const orderNo = `PDD${String(i).padStart(4, '0')}`;
    await db
      .insertInto('hub_orders')
      .values({
        station_id: station,
        order_id: `o${i}`,
        order_no: orderNo,
        tracking_no: i === 7 ? 'SF%7_X' : `SF${i}`,
        shop: shops[i % 3],
        source: 'scan',
        // two orders per minute: equal times must still page without loss or repeats
        created_at: new Date(Date.UTC(2026, 11, 4, 8, Math.floor(i / 2))).toISOString(),
        updated_at: '2026-12-04T09:00:00.000Z',
      })
      .execute();
    if (i % 5 === 0)
      await db
        .insertInto('hub_evidence')
        .values({
          station_id: station,
          evidence_id: `e${i}`,
          order_no: orderNo,
          tracking_no: null,
          kind: 'video',
          mode: 'outbound',
          file_name: `${orderNo}.mp4`,
          sha256: 'a'.repeat(64),
          bytes: 1,
          duration_ms: 1,
          captured_at: '2026-12-04T08:00:00.000Z',
          operator: i === 10 ? '张三' : 'A',
          station_name: station,
          location: null,
          received_at: '2026-12-04T08:00:00.000Z',
          verified_at: null,
        })
        .execute();
  }
  return db;
}
const nos = (p: { hits: { orderNo: string }[] }) => p.hits.map((h) => h.orderNo);

describe(`search across stations on the hub (hub_orders) on ${testEngine}`, () => {
  it('finds by the beginning of an order or tracking number; LIKE characters in a code are plain', async () => {
    const db = await hubWithOrders();
    expect(nos(await searchHubOrders(db, everyShop, { code: 'PDD000' })).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `PDD000${i}`),
    );
    expect(nos(await searchHubOrders(db, everyShop, { code: 'SF%7' }))).toEqual(['PDD0007']);
    expect(nos(await searchHubOrders(db, everyShop, { code: 'SF%' }))).toEqual(['PDD0007']);
    expect(nos(await searchHubOrders(db, everyShop, { code: 'PDD_' }))).toEqual([]);
    const hit = (await searchHubOrders(db, everyShop, { code: 'PDD0010' })).hits[0];
    expect(hit).toMatchObject({ stationId: 's1', shop: 'B店', files: 1 });
  });

  it('a user limited to a shop sees that shop only, through every filter', async () => {
    const db = await hubWithOrders();
    const all = await searchHubOrders(db, shopA, { limit: 200 });
    expect(all.hits.length).toBe(10);
    expect(all.hits.every((h) => h.shop === 'A店')).toBe(true);
    expect((await searchHubOrders(db, shopA, { code: 'PDD0001' })).hits).toEqual([]); // B店's: not there
    expect((await searchHubOrders(db, shopA, { code: 'PDD0002' })).hits).toEqual([]); // no known shop: not there
    expect((await searchHubOrders(db, shopA, { shop: 'B店' })).hits).toEqual([]);
    expect(nos(await searchHubOrders(db, everyShop, { operator: '张三' }))).toEqual(['PDD0010']);
    expect((await searchHubOrders(db, shopA, { operator: '张三' })).hits).toEqual([]);
    expect(nos(await searchHubOrders(db, everyShop, { stationId: 's2', from: '2026-12-04T08:10:00.000Z' }))).toEqual([
      'PDD0029',
      'PDD0026',
      'PDD0023',
      'PDD0020',
    ]);
  });

  it('pages newest first without losing or repeating an order, equal times included', async () => {
    const db = await hubWithOrders();
    const seen: string[] = [];
    let q: HubSearchQuery = { limit: 7 };
    for (let page = 0; page < 10; page++) {
      const p = await searchHubOrders(db, everyShop, q);
      seen.push(...nos(p));
      if (!p.next) break;
      q = { limit: 7, after: p.next };
    }
    // newest first; at equal times by station, then order id, both descending (a stable order to page by)
    const expected = Array.from({ length: 30 }, (_, i) => ({
      i,
      minute: Math.floor(i / 2),
      station: `s${i % 3}`,
      id: `o${i}`,
    }))
      .sort(
        (a, b) =>
          b.minute - a.minute || (a.station < b.station ? 1 : a.station > b.station ? -1 : 0) || (a.id < b.id ? 1 : -1),
      )
      .map((o) => `PDD${String(o.i).padStart(4, '0')}`);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(30);
  });

  it('a search by the beginning of a number reads an index, not every order (migration 025)', async () => {
    const db = await hubWithOrders();
    const plans = (
      await plansOf(db, (d) => searchHubOrders(d, everyShop, { code: 'PDD001' }), { avoidSeqScan: true })
    ).flat();
    expect(
      plans.some((l) => l.includes('hub_orders_order_no_prefix')),
      plans.join('\n'),
    ).toBe(true);
    expect(
      plans.some((l) => l.includes('hub_orders_tracking_prefix')),
      plans.join('\n'),
    ).toBe(true);
  });
});

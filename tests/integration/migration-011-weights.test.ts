import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/db';
import { migrate, readVersion } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { insertOldOrder } from '../helpers/old-rows';
import { recordWeight, weightsOfOrder } from '../../electron/core/scale/weights-repo';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const tolerance = { toleranceGrams: 20, tolerancePercent: 2 };

async function recording(db: Db, orderId: string, mode: 'outbound' | 'return'): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto('recordings')
    .values({
      id,
      order_id: orderId,
      scan_code: 'W1',
      mode,
      mime: 'video/mp4',
      part_path: `media/incoming/${id}.mp4.part`,
      station: 'S1',
      operator: 'li',
      started_at: '2026-11-20T10:00:00.000Z',
      status: 'recording',
      evidence_id: null,
      error: null,
      station_id: db.stationId,
    })
    .execute();
  return id;
}

describe(`migration 011 (weights) on ${testEngine}`, () => {
  it('stores weights with a UUIDv7 id and the station, and compares a return weight with the packed one', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(11);
    const order = await findOrCreateOrder(db, 'W1', 'order', new Date('2026-11-20T00:00:00Z'));
    const out = await recording(db, order.id, 'outbound');
    const back = await recording(db, order.id, 'return');
    const packed = await recordWeight(
      db,
      { recordingId: out, grams: 1234.5 },
      tolerance,
      new Date('2026-11-20T10:00:00Z'),
    );
    expect([packed.mode, packed.grams, packed.result, packed.packedGrams]).toEqual(['outbound', 1234.5, null, null]);
    const returned = await recordWeight(
      db,
      { recordingId: back, grams: 890 },
      tolerance,
      new Date('2026-11-25T10:00:00Z'),
    );
    expect([returned.mode, returned.grams, returned.packedGrams, returned.result]).toEqual([
      'return',
      890,
      1234.5,
      'mismatch',
    ]);
    expect((await weightsOfOrder(db, order.id)).map((w) => w.grams)).toEqual([1234.5, 890]);
    // the mismatch flags the order, beside swapped serials (the CHECK on order_flags now allows it)
    const flags = await db.selectFrom('order_flags').select(['flag', 'order_id', 'details']).execute();
    expect(flags.map((f) => [f.flag, f.order_id])).toEqual([['weight-mismatch', order.id]]);
    expect(JSON.parse(flags[0].details)).toMatchObject({
      weightId: returned.id,
      returnedGrams: 890,
      packedGrams: 1234.5,
    });
    const rows = await db.selectFrom('order_weights').select(['id', 'station_id']).execute();
    expect(rows.every((r) => UUID_V7.test(r.id) && r.station_id === db.stationId)).toBe(true);
  });

  it('upgrades a version-10 database keeping its swapped-item flags and their indexes', async () => {
    const dir = tmp();
    const old = await openTestDb(dir, { migrate: false });
    await migrate(
      old,
      migrations.filter((m) => m.version <= 10),
    );
    const order = { id: await insertOldOrder(old, 'W0', null, new Date('2026-11-20T00:00:00Z')) };
    const flag = {
      id: crypto.randomUUID(),
      order_id: order.id,
      flag: 'swapped-item' as const,
      details: '{"returnedSerial":"SN1"}',
      created_at: '2026-11-20T10:00:00.000Z',
      cleared_at: null,
      station_id: old.stationId,
    };
    await old.insertInto('order_flags').values(flag).execute();
    await old.destroy();

    const db = await openTestDb(dir);
    expect(await readVersion(db)).toBeGreaterThanOrEqual(11);
    expect(await db.selectFrom('order_flags').selectAll().execute()).toEqual([flag]);
    if (db.engine === 'sqlite') {
      const indexes = await db
        .selectFrom(sql<{ name: string; tbl_name: string; type: string }>`sqlite_master`.as('m'))
        .select('name')
        .where('tbl_name', '=', 'order_flags')
        .where('type', '=', 'index')
        .where('name', 'not like', 'sqlite_%')
        .orderBy('name')
        .execute();
      expect(indexes.map((i) => i.name)).toEqual(['order_flags_created', 'order_flags_order']);
    }
  });

  it('refuses an unknown mode or result, a missing order and an unknown recording', async () => {
    const db = await openTestDb(tmp());
    const order = await findOrCreateOrder(db, 'W2', 'order', new Date('2026-11-20T00:00:00Z'));
    const base = {
      order_id: order.id,
      recording_id: null,
      mode: 'outbound' as const,
      grams: 10,
      weighed_at: '2026-11-20T10:00:00.000Z',
      station: '',
      operator: '',
      packed_grams: null,
      result: null,
      station_id: db.stationId,
    };
    const insert = (v: Partial<typeof base>) =>
      db
        .insertInto('order_weights')
        .values({ ...base, ...v, id: crypto.randomUUID() } as typeof base & { id: string })
        .execute();
    await insert({});
    await expect(insert({ mode: 'sideways' as 'outbound' })).rejects.toThrow();
    await expect(insert({ result: 'maybe' as unknown as null })).rejects.toThrow();
    await expect(insert({ order_id: crypto.randomUUID() })).rejects.toThrow();
    await expect(insert({ recording_id: crypto.randomUUID() as unknown as null })).rejects.toThrow();
    // order_flags keeps refusing flags nobody defined
    const flag = (f: string) =>
      db
        .insertInto('order_flags')
        .values({
          id: crypto.randomUUID(),
          order_id: order.id,
          flag: f as 'weight-mismatch',
          details: '{}',
          created_at: '2026-11-20T10:00:00.000Z',
          cleared_at: null,
          station_id: db.stationId,
        })
        .execute();
    await flag('swapped-item');
    await flag('weight-mismatch');
    await expect(flag('bogus')).rejects.toThrow();
    await expect(recordWeight(db, { recordingId: crypto.randomUUID(), grams: 1 }, tolerance)).rejects.toThrow(
      /No such recording/,
    );
  });
});

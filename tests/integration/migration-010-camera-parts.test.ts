import { describe, expect, it } from 'vitest';
import { cameraPartsOfOrder, insertCameraPart, setCameraPartCard } from '../../electron/core/cameras/camera-parts-repo';
import type { Db } from '../../electron/core/db/db';
import { readVersion } from '../../electron/core/db/migrate';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function recording(db: Db, orderId: string, at: string): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto('recordings')
    .values({
      id,
      order_id: orderId,
      scan_code: 'A1',
      mode: 'outbound',
      mime: 'video/mp2t',
      part_path: `media/incoming/${id}.ts.part`,
      station: '',
      operator: '',
      started_at: at,
      status: 'recording',
      evidence_id: null,
      error: null,
      station_id: db.stationId,
    })
    .execute();
  return id;
}

describe(`migration 010 (camera parts) on ${testEngine}`, () => {
  it('records which camera wrote a recording and the gap before each part, with a UUIDv7 id and the station', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(10);
    const order = await findOrCreateOrder(db, 'A1', 'order', new Date('2026-11-20T00:00:00Z'));
    const r1 = await recording(db, order.id, '2026-11-20T10:00:00.000Z');
    const r2 = await recording(db, order.id, '2026-11-20T10:00:09.000Z');
    const base = { cameraId: 'c1', cameraName: 'Overhead', role: 'main' as const, takeId: 't1', lostAt: null };
    await insertCameraPart(db, { ...base, recordingId: r1, partNo: 1, gapMs: null });
    await insertCameraPart(db, {
      ...base,
      recordingId: r2,
      partNo: 2,
      gapMs: 4000,
      lostAt: '2026-11-20T10:00:05.000Z',
    });
    expect((await cameraPartsOfOrder(db, order.id)).map((p) => [p.recordingId, p.partNo, p.gapMs])).toEqual([
      [r1, 1, null],
      [r2, 2, 4000],
    ]);
    // the title card length is set when the part is saved; a negative one is refused
    await setCameraPartCard(db, r1, 1500);
    expect((await cameraPartsOfOrder(db, order.id)).map((p) => p.cardMs)).toEqual([1500, null]);
    await expect(setCameraPartCard(db, r2, -1)).rejects.toThrow();
    const rows = await db.selectFrom('camera_parts').select(['id', 'station_id']).execute();
    expect(rows.every((r) => UUID_V7.test(r.id) && r.station_id === db.stationId)).toBe(true);
  });

  it('refuses a negative gap, an unknown role, a second row for one recording and an unknown recording', async () => {
    const db = await openTestDb(tmp());
    const order = await findOrCreateOrder(db, 'A2', 'order', new Date('2026-11-20T00:00:00Z'));
    const r1 = await recording(db, order.id, '2026-11-20T10:00:00.000Z');
    const base = { cameraId: 'c1', cameraName: 'Overhead', role: 'main' as const, takeId: 't1', lostAt: null };
    await expect(insertCameraPart(db, { ...base, recordingId: r1, partNo: 1, gapMs: -1 })).rejects.toThrow();
    await expect(
      insertCameraPart(db, { ...base, role: 'side' as 'main', recordingId: r1, partNo: 1, gapMs: null }),
    ).rejects.toThrow();
    await insertCameraPart(db, { ...base, recordingId: r1, partNo: 1, gapMs: null });
    await expect(insertCameraPart(db, { ...base, recordingId: r1, partNo: 2, gapMs: null })).rejects.toThrow();
    await expect(
      insertCameraPart(db, { ...base, recordingId: crypto.randomUUID(), partNo: 1, gapMs: null }),
    ).rejects.toThrow();
  });
});

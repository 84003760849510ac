import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { STATION_TABLES } from '../../electron/core/db/schema';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 014 (packed items) on ${testEngine}`, () => {
  it('adds packed_items, a station table whose rows name a real recording and a known result', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(14);
    expect(STATION_TABLES).toContain('packed_items');
    const row = {
      id: crypto.randomUUID(),
      order_id: 'no-order',
      recording_id: 'no-recording',
      sku: 'SKU-1',
      at_ms: 0,
      scanned_at: '2026-11-20T08:00:00.000Z',
      result: 'ok' as const,
      station_id: db.stationId,
    };
    await expect(db.insertInto('packed_items').values(row).execute()).rejects.toThrow(); // foreign keys
    expect(await db.selectFrom('packed_items').selectAll().execute()).toEqual([]);
  });
});

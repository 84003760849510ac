import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 016 (hub station status) on ${testEngine}`, () => {
  it('adds status columns, NULL for stations and links made before it; sizes and clock offsets past 32 bits', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(16);
    const at = '2026-11-20T08:00:00.000Z';
    const id = crypto.randomUUID();
    // rows written the way migration 013's code wrote them: no status yet
    await db
      .insertInto('hub_stations')
      .values({ id, name: 'S1', credential_hash: 'h', paired_at: at, last_seen_at: null, revoked_at: null })
      .execute();
    await db
      .insertInto('hub_link')
      .values({ id: 'hub', hub_url: 'http://h/', hub_id: id, station_name: 'S1', credential: 'c', paired_at: at })
      .execute();
    expect(await db.selectFrom('hub_stations').select(['status_at', 'queued', 'clock_skew_ms']).execute()).toEqual([
      { status_at: null, queued: null, clock_skew_ms: null },
    ]);
    expect(
      await db.selectFrom('hub_link').select(['last_contact_at', 'clock_skew_ms', 'last_error']).execute(),
    ).toEqual([{ last_contact_at: null, clock_skew_ms: null, last_error: null }]);
    const big = { queued_bytes: 7 * 1024 ** 3, free_bytes: 3 * 1024 ** 4, clock_skew_ms: -400 * 86_400_000 };
    await db
      .updateTable('hub_stations')
      .set({ ...big, status_at: at, queued: 3, failed: 1, last_error: '网络中断', app_version: '0.1.0' })
      .execute();
    const [row] = await db.selectFrom('hub_stations').selectAll().execute();
    expect([Number(row.queued_bytes), Number(row.free_bytes), Number(row.clock_skew_ms)]).toEqual([
      big.queued_bytes,
      big.free_bytes,
      big.clock_skew_ms,
    ]);
    expect(row).toMatchObject({ queued: 3, failed: 1, last_error: '网络中断', app_version: '0.1.0' });
  });
});

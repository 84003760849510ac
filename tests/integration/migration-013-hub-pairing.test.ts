import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 013 (hub pairing) on ${testEngine}`, () => {
  it('adds the hub tables; a station holds at most one hub link; credentials are unique', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(13);
    const link = {
      hub_url: 'http://hub:4870/',
      hub_id: crypto.randomUUID(),
      station_name: 'S1',
      credential: 'pps_x',
      paired_at: '2026-11-20T08:00:00.000Z',
    };
    await db
      .insertInto('hub_link')
      .values({ id: 'hub', ...link })
      .execute();
    await expect(
      db
        .insertInto('hub_link')
        .values({ id: 'hub', ...link })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('hub_link')
        .values({ id: 'other' as 'hub', ...link })
        .execute(),
    ).rejects.toThrow();

    const station = (id: string) => ({
      id,
      name: 'S1',
      credential_hash: 'h1',
      paired_at: '2026-11-20T08:00:00.000Z',
      last_seen_at: null,
      revoked_at: null,
    });
    await db.insertInto('hub_stations').values(station(crypto.randomUUID())).execute();
    await expect(db.insertInto('hub_stations').values(station(crypto.randomUUID())).execute()).rejects.toThrow();
    await db
      .insertInto('hub_pairing_codes')
      .values({
        code_hash: 'c1',
        station_name: 'S1',
        created_at: '2026-11-20T08:00:00.000Z',
        expires_at: '2026-11-20T08:10:00.000Z',
        used_at: null,
        used_by: null,
      })
      .execute();
    expect(await db.selectFrom('hub_pairing_codes').select('station_name').execute()).toEqual([{ station_name: 'S1' }]);
  });
});

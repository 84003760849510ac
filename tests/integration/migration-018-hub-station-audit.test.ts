import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 018 (station audit chains on the hub) on ${testEngine}`, () => {
  it('adds hub_station_audit keyed by station and seq, and a NULL send cursor on links made before it', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(18);
    const at = '2026-11-20T08:00:00.000Z';
    await db
      .insertInto('hub_link')
      .values({
        id: 'hub',
        hub_url: 'http://h/',
        hub_id: crypto.randomUUID(),
        station_name: 'S1',
        credential: 'c',
        paired_at: at,
      })
      .execute();
    expect(await db.selectFrom('hub_link').select('audit_sent_seq').execute()).toEqual([{ audit_sent_seq: null }]);
    const row = (station_id: string, seq: number) => ({
      station_id,
      seq,
      at,
      actor: 'packer',
      action: 'evidence.imported',
      entity: 'evidence',
      entity_id: null,
      details: '{"订单":"PDD/1"}',
      prev_hash: '0'.repeat(64),
      hash: 'a'.repeat(64),
      received_at: at,
    });
    // two stations may both have entry 1; one station cannot have it twice
    await db
      .insertInto('hub_station_audit')
      .values([row('s1', 1), row('s2', 1)])
      .execute();
    await expect(db.insertInto('hub_station_audit').values(row('s1', 1)).execute()).rejects.toThrow();
    expect(
      await db.selectFrom('hub_station_audit').select(['station_id', 'details']).orderBy('station_id').execute(),
    ).toEqual([
      { station_id: 's1', details: '{"订单":"PDD/1"}' },
      { station_id: 's2', details: '{"订单":"PDD/1"}' },
    ]);
  });
});

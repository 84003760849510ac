import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 015 (hub sync) on ${testEngine}`, () => {
  it('adds the station outbox (one row per evidence, known states) and the hub’s evidence keyed by station', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(15);
    const at = '2026-11-20T08:00:00.000Z';
    const row = {
      evidence_id: crypto.randomUUID(),
      seq: 1,
      state: 'queued' as const,
      upload_url: null,
      attempts: 0,
      last_error: null,
      queued_at: at,
      updated_at: at,
      verified_at: null,
    };
    await db.insertInto('sync_outbox').values(row).execute();
    await expect(db.insertInto('sync_outbox').values(row).execute()).rejects.toThrow(); // one row per file
    await expect(
      db
        .insertInto('sync_outbox')
        .values({ ...row, evidence_id: crypto.randomUUID(), state: 'lost' as 'queued' })
        .execute(),
    ).rejects.toThrow();
    const hubRow = {
      station_id: crypto.randomUUID(),
      evidence_id: row.evidence_id,
      order_no: 'PDD-1',
      tracking_no: null,
      kind: 'video',
      mode: 'outbound',
      file_name: 'a.mp4',
      sha256: 'a'.repeat(64),
      bytes: 6 * 1024 ** 3, // over 32 bits: BIGINT on PostgreSQL
      duration_ms: 1000,
      captured_at: at,
      operator: 'op',
      station_name: 'S1',
      location: null,
      received_at: at,
      verified_at: null,
    };
    await db.insertInto('hub_evidence').values(hubRow).execute();
    // the same evidence id from another station is another row; from the same station, refused
    await db
      .insertInto('hub_evidence')
      .values({ ...hubRow, station_id: crypto.randomUUID() })
      .execute();
    await expect(db.insertInto('hub_evidence').values(hubRow).execute()).rejects.toThrow();
    const [back] = await db.selectFrom('hub_evidence').select('bytes').limit(1).execute();
    expect(Number(back.bytes)).toBe(6 * 1024 ** 3);
  });
});

import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 017 (hub certificate pin) on ${testEngine}`, () => {
  it('adds hub_link.tls_cert: NULL (nothing pinned) for links made before it, a whole PEM after', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(17);
    const at = '2026-11-20T08:00:00.000Z';
    // a link written the way migration 013–016's code wrote it
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
    expect(await db.selectFrom('hub_link').select('tls_cert').execute()).toEqual([{ tls_cert: null }]);
    const pem = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n`.repeat(20) + '-----END CERTIFICATE-----\n';
    await db.updateTable('hub_link').set({ tls_cert: pem }).execute();
    expect(await db.selectFrom('hub_link').select('tls_cert').execute()).toEqual([{ tls_cert: pem }]);
  });
});

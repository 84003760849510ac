import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { newId } from '../../electron/core/db/ids';
import { insertOldOrder } from '../helpers/old-rows';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const AT = '2026-12-04T08:00:00.000Z';

describe(`migration 029 (packets kept in the hub's store) on ${testEngine}`, () => {
  it('keeps every packet made before it on its disk, and starts with no job owners', async () => {
    const db = await openTestDb(tmp(), { migrate: false });
    await migrate(
      db,
      migrations.filter((m) => m.version < 29),
    );
    const orderId = await insertOldOrder(db, 'PDD-1', null, AT);
    const caseId = newId();
    await db
      .insertInto('cases')
      .values({
        id: caseId,
        order_id: orderId,
        profile_id: 'pdd',
        profile_version: '1',
        appeal_type: 'responsibility',
        scenario: 'damaged',
        status: 'draft',
        amount_claimed_cents: 1999,
        proof_before_refusal: 0,
        statement: '',
        statement_edited: 0,
        notes: '',
        created_by: 'x',
        created_at: AT,
        updated_at: AT,
        station_id: db.stationId,
      } as never)
      .execute();
    await db
      .insertInto('packets')
      .values({
        id: 'p1',
        case_id: caseId,
        name: '拼多多_PDD-1',
        dir_path: '/data/exports/拼多多_PDD-1',
        zip_path: '/data/exports/拼多多_PDD-1.zip',
        fingerprint: 'f',
        manifest_sha256: 'a'.repeat(64),
        file_count: 3,
        total_bytes: 1024,
        language: 'zh-CN',
        created_at: AT,
        verified_at: AT,
        verify_ok: 1,
        station_id: db.stationId,
        legacy_id: null,
      } as never)
      .execute();
    await migrate(db, migrations);
    expect(await db.selectFrom('packets').select(['id', 'zip_path', 'zip_location']).execute()).toEqual([
      { id: 'p1', zip_path: '/data/exports/拼多多_PDD-1.zip', zip_location: null },
    ]);
    expect(await db.selectFrom('staff_job_owners').selectAll().execute()).toEqual([]);
    await db.insertInto('staff_job_owners').values({ job_id: 'j1', user_id: 'u1', created_at: AT }).execute();
    await expect(
      db.insertInto('staff_job_owners').values({ job_id: 'j1', user_id: 'u2', created_at: AT }).execute(),
    ).rejects.toThrow();
  });
});

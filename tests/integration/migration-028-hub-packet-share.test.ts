import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const AT = '2026-12-04T08:00:00.000Z';

describe(`migration 028 (share links to a packet) on ${testEngine}`, () => {
  it('keeps every link made before it as a link to its order', async () => {
    const db = await openTestDb(tmp(), { migrate: false });
    await migrate(
      db,
      migrations.filter((m) => m.version < 28),
    );
    await db
      .insertInto('hub_share_links')
      .values({
        id: 'l1',
        token_hash: 'a'.repeat(64),
        order_no: 'PDD/1',
        shops: null,
        allow_download: 1,
        created_by: 'cli',
        created_at: AT,
        expires_at: AT,
        revoked_at: null,
        revoked_by: null,
      } as never)
      .execute();
    await migrate(db, migrations);
    expect(await db.selectFrom('hub_share_links').select(['id', 'order_no', 'packet_id']).execute()).toEqual([
      { id: 'l1', order_no: 'PDD/1', packet_id: null },
    ]);
  });
});

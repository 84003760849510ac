import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sqlFor } from '../../electron/core/db/engine-sql';
import { newId } from '../../electron/core/db/ids';
import { migrate, readVersion } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { m003Cases } from '../../electron/core/db/migrations/003-cases';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 003: cases, links, packets (${testEngine})`, () => {
  it('upgrades a database of the earlier schema, keeping its orders', async () => {
    const dir = tmp();
    const old = await openTestDb(dir, { migrate: false });
    await migrate(
      old,
      migrations.filter((m) => m.version < 3),
    );
    expect(await readVersion(old)).toBe(2);
    // an order as a version-2 app wrote it: integer ids on SQLite; PostgreSQL began with text ids
    if (old.engine === 'sqlite')
      await sql`INSERT INTO orders (id, order_no, source, created_at, updated_at) VALUES (1, 'O-1', 'scan', 'x', 'x')`.execute(
        old,
      );
    else
      await sql`INSERT INTO orders (id, order_no, source, created_at, updated_at, station_id)
        VALUES (${newId()}, 'O-1', 'scan', 'x', 'x', ${old.stationId})`.execute(old);
    await old.destroy();

    const db = await openTestDb(dir);
    expect(await readVersion(db)).toBeGreaterThanOrEqual(m003Cases.version);
    expect(await sqlFor(db).listTables(db)).toEqual(
      expect.arrayContaining(['cases', 'case_links', 'packets', 'packet_files']),
    );
    // the case list reads open cases in deadline order from a partial index
    const dueIndex =
      db.engine === 'sqlite'
        ? await sql<{ def: string }>`SELECT sql AS def FROM sqlite_master WHERE name = 'cases_due'`.execute(db)
        : await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'cases_due'`.execute(db);
    expect(dueIndex.rows[0]?.def).toMatch(/WHERE \(?due_at IS NOT NULL\)?/);

    const order = await db.selectFrom('orders').select('id').where('order_no', '=', 'O-1').executeTakeFirstOrThrow();
    const insert = (status: string, type = 'goods', cents: number | null = 100, orderId = order.id) =>
      db
        .insertInto('cases')
        .values({
          id: newId(),
          order_id: orderId,
          profile_id: 'pdd',
          profile_version: '1',
          appeal_type: type as never,
          scenario: 'damaged',
          status: status as never,
          amount_claimed_cents: cents,
          proof_before_refusal: 0,
          statement: '',
          statement_edited: 0,
          notes: '',
          created_by: 'x',
          created_at: 'x',
          updated_at: 'x',
          station_id: db.stationId,
        })
        .execute();
    await expect(insert('draft')).resolves.toBeDefined();
    // the schema itself refuses what the domain never writes
    await expect(insert('pending')).rejects.toThrow(/check constraint/i);
    await expect(insert('draft', 'refund')).rejects.toThrow(/check constraint/i);
    await expect(insert('draft', 'goods', 0)).rejects.toThrow(/check constraint/i);
    await expect(insert('draft', 'goods', 100, newId())).rejects.toThrow(/foreign key/i);
  });
});

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newId } from '../../electron/core/db/ids';
import { migrate, readVersion } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 004: storage (purged evidence records) on ${testEngine}`, () => {
  it('upgrades a database of the earlier schema, keeping its evidence, and indexes footage by mode and age', async () => {
    const dir = tmp();
    const old = await openTestDb(dir, { migrate: false });
    await migrate(
      old,
      migrations.filter((m) => m.version < 4),
    );
    expect(await readVersion(old)).toBe(3);
    // rows as a version-3 app wrote them: integer ids on SQLite; PostgreSQL began with text ids
    if (old.engine === 'sqlite') {
      await sql`INSERT INTO orders (id, order_no, source, created_at, updated_at) VALUES (1, 'O-1', 'scan', 'x', 'x')`.execute(
        old,
      );
      await sql`INSERT INTO evidence (order_id, kind, origin, mode, path, sha256, bytes, captured_at, created_at)
        VALUES (1, 'video', 'recorded', 'outbound', 'media/a.mp4', 'ab', 10, '2026-01-01T00:00:00Z', 'x')`.execute(old);
    } else {
      const orderId = newId();
      await sql`INSERT INTO orders (id, order_no, source, created_at, updated_at, station_id)
        VALUES (${orderId}, 'O-1', 'scan', 'x', 'x', ${old.stationId})`.execute(old);
      await sql`INSERT INTO evidence (id, order_id, kind, origin, mode, path, sha256, bytes, captured_at, created_at, station_id)
        VALUES (${newId()}, ${orderId}, 'video', 'recorded', 'outbound', 'media/a.mp4', 'ab', 10, '2026-01-01T00:00:00Z', 'x', ${old.stationId})`.execute(
        old,
      );
    }
    await old.destroy();

    const db = await openTestDb(dir);
    expect(await readVersion(db)).toBeGreaterThanOrEqual(4);
    const ev = await db.selectFrom('evidence').select(['id', 'order_id', 'path']).execute();
    expect(ev.map((e) => e.path)).toEqual(['media/a.mp4']);
    const purged = (evidenceId: string, orderId: string) =>
      db
        .insertInto('purged_evidence')
        .values({
          evidence_id: evidenceId,
          order_id: orderId,
          kind: 'video',
          mode: 'outbound',
          path: 'media/a.mp4',
          sha256: 'ab',
          bytes: 10,
          captured_at: 'x',
          purged_at: 'y',
          reason: 'retention',
          legacy_id: null,
        })
        .execute();
    await purged(ev[0].id, ev[0].order_id);
    await expect(purged(newId(), newId())).rejects.toThrow(/foreign key/i);

    if (db.engine === 'sqlite') {
      const { rows } = await sql<{
        detail: string;
      }>`EXPLAIN QUERY PLAN SELECT id FROM evidence WHERE mode = 'outbound' AND captured_at < '2026-06-01'`.execute(db);
      expect(rows.map((p) => p.detail).join(' ')).toContain('evidence_mode_captured');
    } else {
      const { rows } = await sql<{
        def: string;
      }>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'evidence_mode_captured'`.execute(db);
      expect(rows[0]?.def).toMatch(/\(mode, captured_at\)/);
    }
  });
});

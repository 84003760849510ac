import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('migration 004: storage (purged evidence records)', () => {
  it('upgrades a database of the earlier schema, keeping its evidence, and indexes footage by mode and age', () => {
    const file = path.join(tmp(), 'proofpack.db');
    const old = new Database(file);
    migrate(
      old,
      migrations.filter((m) => m.version < 4),
    );
    old.prepare(`INSERT INTO orders (order_no, source, created_at, updated_at) VALUES ('O-1', 'scan', 'x', 'x')`).run();
    old
      .prepare(
        `INSERT INTO evidence (order_id, kind, origin, mode, path, sha256, bytes, captured_at, created_at)
         VALUES (1, 'video', 'recorded', 'outbound', 'media/a.mp4', 'ab', 10, '2026-01-01T00:00:00Z', 'x')`,
      )
      .run();
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(4);
    expect(db.prepare('SELECT path FROM evidence').all()).toEqual([{ path: 'media/a.mp4' }]);
    db.prepare(
      `INSERT INTO purged_evidence (evidence_id, order_id, kind, mode, path, sha256, bytes, captured_at, purged_at, reason)
       VALUES (1, 1, 'video', 'outbound', 'media/a.mp4', 'ab', 10, 'x', 'y', 'retention')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO purged_evidence (evidence_id, order_id, kind, path, sha256, bytes, captured_at, purged_at, reason)
           VALUES (2, 999, 'video', 'p', 's', 1, 'x', 'y', 'r')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM evidence WHERE mode = 'outbound' AND captured_at < '2026-06-01'")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('evidence_mode_captured');
    db.close();
  });
});

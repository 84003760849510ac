import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { m003Cases } from '../../electron/core/db/migrations/003-cases';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('migration 003: cases, links, packets', () => {
  it('upgrades a database of the earlier schema, keeping its orders', () => {
    const file = path.join(tmp(), 'proofpack.db');
    const old = new Database(file);
    migrate(
      old,
      migrations.filter((m) => m.version < 3),
    );
    old.prepare(`INSERT INTO orders (order_no, source, created_at, updated_at) VALUES ('O-1', 'scan', 'x', 'x')`).run();
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(m003Cases.version);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(expect.arrayContaining(['cases', 'case_links', 'packets', 'packet_files']));
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'cases_due'").get()).toEqual({
      sql: expect.stringContaining('WHERE due_at IS NOT NULL'),
    });
    const order = db.prepare("SELECT id FROM orders WHERE order_no = 'O-1'").get() as { id: number };
    const insert = (status: string, type = 'goods', cents: number | null = 100) =>
      db
        .prepare(
          `INSERT INTO cases (order_id, profile_id, profile_version, appeal_type, scenario, status, amount_claimed_cents, created_at, updated_at)
           VALUES (?, 'pdd', '1', ?, 'damaged', ?, ?, 'x', 'x')`,
        )
        .run(order.id, type, status, cents);
    expect(() => insert('draft')).not.toThrow();
    // the schema itself refuses what the domain never writes
    expect(() => insert('pending')).toThrow(/CHECK/);
    expect(() => insert('draft', 'refund')).toThrow(/CHECK/);
    expect(() => insert('draft', 'goods', 0)).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO cases (order_id, profile_id, profile_version, appeal_type, scenario, created_at, updated_at) VALUES (999, 'pdd', '1', 'goods', 'other', 'x', 'x')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

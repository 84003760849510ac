import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { gapsQueries } from '../../electron/core/insight/coverage/coverage-repo';
import { orderReferences } from '../../electron/core/insight/import/merge-orders';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('migration 005 (insight)', () => {
  it('creates the insight tables and the indexes the coverage queries walk', () => {
    const db = openDatabase(path.join(tmp(), 'proofpack.db'));
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index')")
      .pluck()
      .all() as string[];
    for (const n of [
      'order_facts',
      'import_mappings',
      'import_runs',
      'serial_scans',
      'order_flags',
      'order_facts_shipped',
      'evidence_order_kind_mode',
      'recordings_order_started',
    ]) {
      expect(names).toContain(n);
    }
    // the daily gaps query is a range walk on the ship-time index plus one probe per order
    const plan = (
      db
        .prepare(`EXPLAIN QUERY PLAN ${gapsQueries(db).outbound.source}`)
        .all({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', limit: 10 }) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/order_facts_shipped/);
    expect(plan).toMatch(/evidence_order_kind_mode/);
    expect(plan).not.toMatch(/SCAN f\b|SCAN order_facts/);
    // every table that points at orders is found, so a merge moves its rows
    const refs = orderReferences(db).map((r) => `${r.table}.${r.column}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        'recordings.order_id',
        'evidence.order_id',
        'order_facts.order_id',
        'serial_scans.order_id',
        'order_flags.order_id',
      ]),
    );
    db.close();
  });

  it('refuses facts for an order that does not exist and a flag it does not know', () => {
    const db = openDatabase(path.join(tmp(), 'proofpack.db'));
    const now = new Date().toISOString();
    expect(() =>
      db
        .prepare(
          `INSERT INTO order_facts (order_id, source_name, facts_hash, imported_at, updated_at) VALUES (999, 's', 'h', ?, ?)`,
        )
        .run(now, now),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(`INSERT INTO orders (order_no, source, created_at, updated_at) VALUES ('A', 'import', ?, ?)`).run(
      now,
      now,
    );
    expect(() =>
      db.prepare(`INSERT INTO order_flags (order_id, flag, details, created_at) VALUES (1, 'lost', '{}', ?)`).run(now),
    ).toThrow(/CHECK/);
    db.close();
  });
});

import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/db';
import { newId } from '../../electron/core/db/ids';
import { gapsQueries } from '../../electron/core/insight/coverage/coverage-repo';
import { orderReferences } from '../../electron/core/insight/import/merge-orders';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

async function tablesAndIndexes(db: Db): Promise<string[]> {
  const { rows } =
    db.engine === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type IN ('table','index')`.execute(db)
      : await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()
          UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`.execute(db);
  return rows.map((r) => r.name);
}

/** The plan of a query, as text; PostgreSQL is told to avoid table scans (an empty table would invite them). */
async function planOf(db: Db, q: CompiledQuery): Promise<string> {
  if (db.engine === 'sqlite') {
    const r = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]),
    );
    return r.rows.map((x) => x.detail).join('\n');
  }
  return db.connection().execute(async (c) => {
    await sql`SET enable_seqscan = off`.execute(c);
    const r = await c.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]));
    await sql`RESET enable_seqscan`.execute(c);
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  });
}

describe(`migration 005 (insight) on ${testEngine}`, () => {
  it('creates the insight tables and the indexes the coverage queries walk', async () => {
    const db = await openTestDb(tmp());
    const names = await tablesAndIndexes(db);
    for (const n of [
      'order_facts',
      'import_mappings',
      'import_runs',
      'serial_scans',
      'order_flags',
      'order_facts_shipped',
      'order_facts_return_tracking',
      'evidence_order_kind_mode',
      'recordings_order_started',
    ]) {
      expect(names).toContain(n);
    }
    // the daily gaps query is a range walk on the ship-time index plus one probe per order
    const plan = await planOf(
      db,
      gapsQueries(db, '2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z', 10).outbound.compile(),
    );
    expect(plan).toMatch(/order_facts_shipped/);
    expect(plan).toMatch(/evidence_order_kind_mode/);
    expect(plan).not.toMatch(/SCAN f\b|SCAN order_facts|Seq Scan on order_facts/);
    // every table that points at orders is found, so a merge moves its rows
    const refs = (await orderReferences(db)).map((r) => `${r.table}.${r.column}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        'recordings.order_id',
        'evidence.order_id',
        'order_facts.order_id',
        'serial_scans.order_id',
        'order_flags.order_id',
      ]),
    );
  });

  it('refuses facts for an order that does not exist and a flag it does not know', async () => {
    const db = await openTestDb(tmp());
    const now = new Date().toISOString();
    await expect(
      db
        .insertInto('order_facts')
        .values({
          order_id: newId(),
          source_name: 's',
          courier: null,
          shipped_at: null,
          signed_at: null,
          return_tracking_no: null,
          return_signed_at: null,
          item: null,
          quantity: null,
          amount_cents: null,
          buyer_note: null,
          order_status: null,
          facts_hash: 'h',
          import_run_id: null,
          imported_at: now,
          updated_at: now,
        })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
    const orderId = newId();
    await db
      .insertInto('orders')
      .values({
        id: orderId,
        order_no: 'A',
        tracking_no: null,
        source: 'import',
        created_at: now,
        updated_at: now,
        station_id: db.stationId,
        legacy_id: null,
      })
      .execute();
    await expect(
      sql`INSERT INTO order_flags (id, order_id, flag, details, created_at, station_id)
        VALUES (${newId()}, ${orderId}, 'lost', '{}', ${now}, ${db.stationId})`.execute(db),
    ).rejects.toThrow(/check/i);
  });
});

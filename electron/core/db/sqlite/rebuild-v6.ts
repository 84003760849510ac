import type Database from 'better-sqlite3';
import { idSequence } from '../ids';
import {
  CASES_TABLES,
  CHECKS_TABLES,
  FOUNDATION_TABLES,
  INSIGHT_TABLES,
  STORAGE_TABLES,
} from '../migrations/v6-tables';
import { SQLITE_AUDIT_GUARD } from './audit-guard';

/** How each old integer id gets its UUIDv7: the rows' ids and times, in old id order. */
const ID_MAPS: Record<string, string> = {
  orders: 'SELECT id, created_at AS at, 0 AS plus FROM orders_v5',
  // live and purged evidence share one id sequence: one map keeps them in one order
  evidence: `SELECT id, created_at AS at, 0 AS plus FROM evidence_v5
             UNION ALL SELECT evidence_id, captured_at, 0 FROM purged_evidence_v5`,
  chapters: `SELECT c.id, r.started_at AS at, c.at_ms AS plus FROM chapters_v5 c
             LEFT JOIN recordings_v5 r ON r.id = c.recording_id`,
  audit_log: 'SELECT id, at, 0 AS plus FROM audit_log_v5',
  evidence_checks: 'SELECT id, checked_at AS at, 0 AS plus FROM evidence_checks_v5',
  check_findings: `SELECT f.id, c.checked_at AS at, 0 AS plus FROM check_findings_v5 f
                   LEFT JOIN evidence_checks_v5 c ON c.id = f.check_id`,
  cases: 'SELECT id, created_at AS at, 0 AS plus FROM cases_v5',
  packets: 'SELECT id, created_at AS at, 0 AS plus FROM packets_v5',
  import_runs: 'SELECT id, started_at AS at, 0 AS plus FROM import_runs_v5',
  serial_scans: 'SELECT id, scanned_at AS at, 0 AS plus FROM serial_scans_v5',
  order_flags: 'SELECT id, created_at AS at, 0 AS plus FROM order_flags_v5',
};

interface TableCopy {
  table: string;
  /** the id map of the table's own key column, if it had an integer key */
  key?: { column: string; map: string };
  /** reference columns → the id map that translates them */
  refs: Record<string, string>;
}

// parents before children (foreign keys are deferred anyway; this keeps the check cheap)
const COPIES: TableCopy[] = [
  { table: 'settings', refs: {} },
  { table: 'rule_profiles', refs: {} },
  { table: 'import_mappings', refs: {} },
  { table: 'orders', key: { column: 'id', map: 'orders' }, refs: {} },
  { table: 'evidence', key: { column: 'id', map: 'evidence' }, refs: { order_id: 'orders', parent_id: 'evidence' } },
  { table: 'recordings', refs: { order_id: 'orders', evidence_id: 'evidence' } },
  { table: 'chapters', key: { column: 'id', map: 'chapters' }, refs: {} },
  { table: 'audit_log', key: { column: 'id', map: 'audit_log' }, refs: {} },
  { table: 'evidence_checks', key: { column: 'id', map: 'evidence_checks' }, refs: { evidence_id: 'evidence' } },
  { table: 'check_findings', key: { column: 'id', map: 'check_findings' }, refs: { check_id: 'evidence_checks' } },
  { table: 'fix_outputs', refs: { evidence_id: 'evidence', source_id: 'evidence' } },
  { table: 'cases', key: { column: 'id', map: 'cases' }, refs: { order_id: 'orders' } },
  { table: 'case_links', refs: { case_id: 'cases', evidence_id: 'evidence' } },
  { table: 'packets', key: { column: 'id', map: 'packets' }, refs: { case_id: 'cases' } },
  { table: 'packet_files', refs: { packet_id: 'packets', evidence_id: 'evidence' } },
  { table: 'purged_evidence', key: { column: 'evidence_id', map: 'evidence' }, refs: { order_id: 'orders' } },
  { table: 'import_runs', key: { column: 'id', map: 'import_runs' }, refs: {} },
  { table: 'order_facts', refs: { order_id: 'orders', import_run_id: 'import_runs' } },
  {
    table: 'serial_scans',
    key: { column: 'id', map: 'serial_scans' },
    refs: { order_id: 'orders', photo_evidence_id: 'evidence' },
  },
  { table: 'order_flags', key: { column: 'id', map: 'order_flags' }, refs: { order_id: 'orders' } },
];

/**
 * Migration 006 on SQLite. In the migration's one transaction: set the version-5 tables
 * aside (renamed *_v5; SQLite rewrites their references to each other), create the
 * version-6 tables, map every old id to a UUIDv7 from the row's time, copy every row
 * through the maps, prove nothing was lost (row counts, every reference still set,
 * foreign_key_check), drop the old tables. Any difference aborts the whole migration.
 */
export function rebuildWithStationIds(db: Database.Database, stationId: string): void {
  db.pragma('defer_foreign_keys = ON');
  const indexes = db
    .prepare("SELECT name FROM sqlite_master WHERE type IN ('index','trigger') AND sql IS NOT NULL")
    .all() as { name: string }[];
  for (const { name } of indexes) {
    const type = (db.prepare('SELECT type FROM sqlite_master WHERE name = ?').get(name) as { type: string }).type;
    db.exec(`DROP ${type === 'trigger' ? 'TRIGGER' : 'INDEX'} "${name}"`);
  }
  for (const { table } of COPIES) db.exec(`ALTER TABLE ${table} RENAME TO ${table}_v5`);
  db.exec(FOUNDATION_TABLES + CHECKS_TABLES + CASES_TABLES + STORAGE_TABLES + INSIGHT_TABLES);

  for (const [map, query] of Object.entries(ID_MAPS)) buildIdMap(db, map, query);
  for (const copy of COPIES) copyTable(db, copy, stationId);

  const dangling = db.pragma('foreign_key_check') as unknown[];
  if (dangling.length) throw new Error(`migration 006: ${dangling.length} references lost their row`);
  for (const { table } of [...COPIES].reverse()) db.exec(`DROP TABLE ${table}_v5`);
  for (const map of Object.keys(ID_MAPS)) db.exec(`DROP TABLE temp.map_${map}`);
  db.exec(SQLITE_AUDIT_GUARD);
}

function buildIdMap(db: Database.Database, map: string, query: string): void {
  db.exec(`CREATE TEMP TABLE map_${map} (old INTEGER PRIMARY KEY, new TEXT NOT NULL UNIQUE)`);
  const insert = db.prepare(`INSERT INTO temp.map_${map} (old, new) VALUES (?, ?)`);
  const next = idSequence();
  // read all first: better-sqlite3 allows no write while a read is still being iterated
  const rows = db.prepare(`SELECT id, at, plus FROM (${query}) ORDER BY id`).all() as {
    id: number;
    at: string | null;
    plus: number | null;
  }[];
  for (const r of rows) insert.run(r.id, next(r.at, r.plus ?? 0));
}

function copyTable(db: Database.Database, c: TableCopy, stationId: string): void {
  const columns = (db.pragma(`table_info(${c.table})`) as { name: string }[]).map((x) => x.name);
  const joins: string[] = [];
  const select = columns.map((col) => {
    if (c.key && col === c.key.column) {
      joins.push(`JOIN temp.map_${c.key.map} k ON k.old = t.${col}`);
      return 'k.new';
    }
    if (col in c.refs) {
      const alias = `r_${col}`;
      joins.push(`LEFT JOIN temp.map_${c.refs[col]} ${alias} ON ${alias}.old = t.${col}`);
      return `${alias}.new`;
    }
    if (col === 'station_id') return '@station';
    if (col === 'legacy_id' || col === 'seq') return `t.${c.key?.column ?? 'id'}`;
    return `t.${col}`;
  });
  try {
    db.prepare(
      `INSERT INTO ${c.table} (${columns.join(', ')}) SELECT ${select.join(', ')} FROM ${c.table}_v5 t ${joins.join(' ')}`,
    ).run({ station: stationId });
  } catch (e) {
    // e.g. a reference to a row that is not there (written while foreign keys were off)
    throw new Error(`migration 006: cannot copy ${c.table}: ${(e as Error).message}`, { cause: e });
  }

  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const before = count(`SELECT COUNT(*) AS n FROM ${c.table}_v5`);
  const after = count(`SELECT COUNT(*) AS n FROM ${c.table}`);
  if (before !== after) throw new Error(`migration 006: ${c.table} has ${after} rows after the rebuild, not ${before}`);
  for (const col of Object.keys(c.refs)) {
    const was = count(`SELECT COUNT(${col}) AS n FROM ${c.table}_v5`);
    const is = count(`SELECT COUNT(${col}) AS n FROM ${c.table}`);
    if (was !== is) throw new Error(`migration 006: ${c.table}.${col} lost ${was - is} references`);
  }
}

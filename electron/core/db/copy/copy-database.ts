import { sql, type Kysely } from 'kysely';
import { AppError } from '../../../../shared/api/result';
import { verifyAudit, type AuditVerification } from '../../audit/audit-log';
import { openDatabase } from '../connection';
import type { Db } from '../db';
import { sqlFor } from '../engine-sql';
import type { DbTarget } from '../target';
import { displayDbTarget } from '../target-display';
import { inTransaction } from '../transaction';
import { COPY_PLAN, type TableCopy, type TableName } from './copy-plan';

/**
 * The station a copy runs as. The copy makes no rows of its own (every row keeps the
 * station_id it had), but opening a PostgreSQL store needs one, and a SQLite target must
 * not get a station-id file planted next to it.
 */
const COPY_STATION = '00000000-0000-0000-0000-000000000000';

/** Bind parameters per INSERT stay well under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_PARAMS = 30_000;

export interface TableCount {
  table: TableName;
  source: number;
  target: number;
  ok: boolean;
}

export interface CopyReport {
  from: string;
  to: string;
  ok: boolean;
  tables: TableCount[];
  rows: number;
  /** the audit chain as verified on the target after the copy */
  audit: AuditVerification & { sourceBrokenToo: boolean | null };
}

export interface CopyOptions {
  /** rows read and written per batch (default 500) */
  batchRows?: number;
  onTable?: (table: TableName, rows: number) => void;
}

/**
 * Copies a whole ProofPack database into an empty one, across engines (SQLite ⇄
 * PostgreSQL) or within one. Both are opened (and so migrated) to this app's schema;
 * a target that holds any row is refused. The source is read in one read-only snapshot
 * (consistent even if a station writes meanwhile) and written in one transaction on the
 * target (a failure leaves it empty), table by table in dependency order, in batches:
 * never more than one batch in memory. Then the row counts of every table and the audit
 * chain are verified on the target.
 */
export async function copyDatabase(from: DbTarget, to: DbTarget, opts: CopyOptions = {}): Promise<CopyReport> {
  if (sameTarget(from, to)) {
    throw new AppError('INVALID_INPUT', 'The source and the target are the same database', {
      problem: 'db-copy-same',
    });
  }
  const source = await openDatabase(from, from.engine === 'postgres' ? { stationId: COPY_STATION } : {});
  let target: Db | null = null;
  try {
    target = await openDatabase(to, { stationId: COPY_STATION });
    await refuseNonEmpty(target, to);
    const into = target;
    const sourceCounts = await sqlFor(source).readSnapshot(source, async (snap) => {
      const counts = new Map<TableName, number>();
      for (const t of COPY_PLAN) counts.set(t.table, await countRows(snap, t.table));
      await inTransaction(into, async (trx) => {
        for (const t of COPY_PLAN) {
          const n = await copyTable(snap, trx, t, opts.batchRows ?? 500);
          opts.onTable?.(t.table, n);
        }
      });
      return counts;
    });
    const tables: TableCount[] = [];
    for (const t of COPY_PLAN) {
      const s = sourceCounts.get(t.table) ?? 0;
      const n = await countRows(target, t.table);
      tables.push({ table: t.table, source: s, target: n, ok: s === n });
    }
    const audit = await verifyAudit(target);
    // a chain that was already broken in the source is copied faithfully, not damaged by the copy
    const sourceBrokenToo = audit.ok ? null : !(await verifyAudit(source)).ok;
    return {
      from: displayDbTarget(from),
      to: displayDbTarget(to),
      ok: tables.every((t) => t.ok) && audit.ok,
      tables,
      rows: tables.reduce((sum, t) => sum + t.target, 0),
      audit: { ...audit, sourceBrokenToo },
    };
  } finally {
    await target?.destroy();
    await source.destroy();
  }
}

function sameTarget(a: DbTarget, b: DbTarget): boolean {
  if (a.engine === 'sqlite' && b.engine === 'sqlite') return a.file === b.file;
  if (a.engine === 'postgres' && b.engine === 'postgres') return a.url === b.url;
  return false;
}

/** The tables as untyped rows: the copy moves every column as it is, whatever the table. */
type Rows = Kysely<Record<string, Record<string, unknown>>>;
const rowsOf = (db: Db) => db as unknown as Rows;

async function countRows(db: Db, table: TableName): Promise<number> {
  const { n } = await rowsOf(db)
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function refuseNonEmpty(db: Db, to: DbTarget): Promise<void> {
  for (const t of COPY_PLAN) {
    const rows = await countRows(db, t.table);
    if (rows > 0) {
      throw new AppError('CONFLICT', `The target database is not empty: ${t.table} has ${rows} rows`, {
        problem: 'db-copy-target-not-empty',
        target: displayDbTarget(to),
        table: t.table,
        rows,
      });
    }
  }
}

/** Rows after `last` in key order, at most `limit` (keyset paging: each page is an index range). */
async function page(db: Db, t: TableCopy, last: Record<string, unknown> | null, limit: number) {
  let q = rowsOf(db).selectFrom(t.table).selectAll();
  if (last) {
    const keys = sql.join(t.key.map((k) => sql.ref(k)));
    const values = sql.join(t.key.map((k) => last[k]));
    q = q.where(sql<boolean>`(${keys}) > (${values})`);
  }
  for (const k of t.key) q = q.orderBy(k);
  return q.limit(limit).execute();
}

async function copyTable(from: Db, to: Db, t: TableCopy, batchRows: number): Promise<number> {
  let copied = 0;
  let last: Record<string, unknown> | null = null;
  for (;;) {
    const rows = await page(from, t, last, batchRows);
    if (rows.length === 0) break;
    const values = rows.map((r) =>
      t.selfRefs ? { ...r, ...Object.fromEntries(t.selfRefs.map((c) => [c, null])) } : r,
    );
    const perInsert = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMS / Object.keys(rows[0]).length)));
    for (let i = 0; i < values.length; i += perInsert) {
      await rowsOf(to)
        .insertInto(t.table)
        .values(values.slice(i, i + perInsert))
        .execute();
    }
    copied += rows.length;
    last = rows[rows.length - 1];
    if (rows.length < batchRows) break;
  }
  for (const column of t.selfRefs ?? []) await copySelfRefs(from, to, t, column, batchRows);
  return copied;
}

/** Second pass for references within the table: every row now exists, so each can point at its own. */
async function copySelfRefs(from: Db, to: Db, t: TableCopy, column: string, batchRows: number): Promise<void> {
  const [key] = t.key;
  let last: unknown = null;
  for (;;) {
    let q = rowsOf(from).selectFrom(t.table).select([key, column]).where(column, 'is not', null);
    if (last !== null) q = q.where(key, '>', last);
    const rows = await q.orderBy(key).limit(batchRows).execute();
    for (const r of rows) {
      await rowsOf(to)
        .updateTable(t.table)
        .set({ [column]: r[column] })
        .where(key, '=', r[key])
        .execute();
    }
    if (rows.length < batchRows) return;
    last = rows[rows.length - 1][key];
  }
}

import fsp from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../../../../shared/api/result';
import type { ColumnMapping } from '../../../../shared/domain/insight/import-fields';
import { combineFacts, rowToFacts, type OrderFacts } from '../../../../shared/domain/insight/import-values';
import type { ImportOptions, ImportResult, ImportRowError } from '../../../../shared/domain/insight/types';
import { sql } from 'kysely';
import { appendAudit } from '../../audit/audit-log';
import type { CoreContext } from '../../context';
import { asDb, type Db } from '../../db/db';
import { applyImportedStatuses } from '../../orders/imported-status';
import { newId } from '../../db/ids';
import { inTransaction } from '../../db/transaction';
import { sha256File } from '../../storage/files';
import { applyOrderFactsBatch } from './apply-batch';
import { orderReferences } from './merge-orders';
import { lineProblemError, mappingProblems, orderNoOf, resolveFileSetup } from './inspect';
import { readRows } from './sources';

/**
 * One import run, in two streamed phases so memory stays bounded and nothing is written
 * half-understood:
 * 1. read + validate every row into a per-run staging table (rejected rows counted with
 *    reasons), checking for cancel between batches;
 * 2. apply the staged orders grouped by order number (rows of one order combine), in
 *    short transactions that yield to the event loop, so a station recording on the
 *    same core keeps writing its chunks while a 100k-row file imports.
 * The staging table is a TEMP table, private to one connection: SQLite has only one, and
 * on PostgreSQL the run keeps one connection of the pool for itself.
 * A cancel during phase 1 changes nothing; during phase 2 it keeps the batches already
 * committed — each is whole, and re-running the import completes it idempotently.
 */
export interface RunImportInput {
  file: string;
  fileName: string;
  sourceName: string;
  mapping: ColumnMapping | null;
  options: Partial<ImportOptions>;
  actor: string;
  signal?: AbortSignal;
  progress?: (ratio: number) => void;
}

const STAGE_BATCH = 5000;
const APPLY_BATCH = 500;
const MAX_LISTED_ERRORS = 500;

export async function runImport(ctx: CoreContext, input: RunImportInput): Promise<ImportResult> {
  const setup = await resolveFileSetup(ctx, input.file, input.fileName, input.sourceName, input.options);
  const mapping = input.mapping ?? setup.mapping;
  const problems = mappingProblems(mapping, setup.headers);
  if (problems.length) {
    throw new AppError('INVALID_INPUT', `The column mapping cannot be used: ${problems.join('; ')}`, {
      problem: 'bad-mapping',
      problems,
      headers: setup.headers,
    });
  }
  const fileStat = await fsp.stat(input.file);
  const sha = await sha256File(input.file);
  const runId = newId();
  await ctx.db
    .insertInto('import_runs')
    .values({
      id: runId,
      source_name: input.sourceName,
      file_name: path.basename(input.fileName),
      file_sha256: sha,
      file_bytes: fileStat.size,
      status: 'running',
      rows_total: 0,
      imported: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      linked: 0,
      error: null,
      started_at: new Date().toISOString(),
      finished_at: null,
      station_id: ctx.db.stationId,
    })
    .execute();
  const own = ctx.db;
  const result = await (own.engine === 'postgres'
    ? own
        .connection()
        .execute((c) =>
          stageAndApply(ctx, asDb(c, own.engine, own.stationId), input, setup, mapping, runId, fileStat.size),
        )
    : stageAndApply(ctx, own, input, setup, mapping, runId, fileStat.size));
  // refund / cancel statuses in the file intercept the packer (issue 14)
  await applyImportedStatuses(ctx, runId);
  return result;
}

type Setup = Awaited<ReturnType<typeof resolveFileSetup>>;

/** rows per INSERT into the staging table (3 parameters each, far under both engines' limits) */
const STAGE_INSERT_ROWS = 1000;

async function stageAndApply(
  ctx: CoreContext,
  db: Db,
  input: RunImportInput,
  setup: Setup,
  mapping: ColumnMapping,
  runId: string,
  fileBytes: number,
): Promise<ImportResult> {
  const stage = sql.table(`import_stage_${runId.replace(/-/g, '')}`);
  await sql`CREATE TEMP TABLE ${stage} (order_no TEXT NOT NULL, row INTEGER NOT NULL, facts TEXT NOT NULL)`.execute(db);
  await sql`CREATE INDEX ${sql.id(`import_stage_${runId.replace(/-/g, '')}_order`)} ON ${stage} (order_no, row)`.execute(
    db,
  );
  const result: ImportResult = {
    runId,
    sourceName: input.sourceName,
    fileName: path.basename(input.fileName),
    rowsRead: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    linked: 0,
    errors: [],
    cancelled: false,
  };
  const rejectRow = (errors: ImportRowError[]) => {
    result.rejected++;
    for (const e of errors) if (result.errors.length < MAX_LISTED_ERRORS) result.errors.push(e);
  };
  const progress = (r: number) => input.progress?.(Math.max(0, Math.min(1, r)));
  try {
    // phase 1: read, validate, stage
    const headerIndex = new Map<string, number>();
    setup.headers.forEach((h, i) => {
      if (h !== '' && !headerIndex.has(h)) headerIndex.set(h, i);
    });
    let batch: [string, number, string][] = [];
    const flush = (rows: [string, number, string][]) =>
      inTransaction(db, async (trx) => {
        for (let i = 0; i < rows.length; i += STAGE_INSERT_ROWS) {
          const values = rows.slice(i, i + STAGE_INSERT_ROWS).map(([o, r, f]) => sql`(${o}, ${r}, ${f})`);
          await sql`INSERT INTO ${stage} (order_no, row, facts) VALUES ${sql.join(values)}`.execute(trx);
        }
      });
    for await (const r of readRows(input.file, {
      ...setup.read,
      signal: input.signal,
      onBytes: (b) => progress((b / Math.max(1, fileBytes)) * 0.6),
    })) {
      if (r.row <= setup.headerLine) continue; // title lines and the header itself
      result.rowsRead++;
      if (r.problem) {
        // a CSV line that is no row (an unclosed quote, shifted columns): reported, the next lines read on
        rejectRow([lineProblemError(r, orderNoOf(r.cells, headerIndex, mapping))]);
        continue;
      }
      const parsed = rowToFacts(r.cells, headerIndex, mapping);
      if (!parsed.ok) {
        const orderNo = orderNoOf(r.cells, headerIndex, mapping);
        rejectRow(
          parsed.errors.map((e) => ({ row: r.row, orderNo, field: e.field, problem: e.problem, value: e.value })),
        );
        continue;
      }
      batch.push([parsed.facts.orderNo, r.row, JSON.stringify(parsed.facts)]);
      if (batch.length >= STAGE_BATCH) {
        await flush(batch);
        batch = [];
        await yieldToLoop();
        if (input.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
      }
    }
    if (batch.length) await flush(batch);
    if (input.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
    progress(0.6);

    // phase 2: apply, grouped by order number
    const { rows: counted } = await sql<{ n: number }>`SELECT COUNT(DISTINCT order_no) AS n FROM ${stage}`.execute(db);
    const total = Number(counted[0]?.n ?? 0);
    const refs = await orderReferences(db);
    const now = new Date().toISOString();
    let after = '';
    let done = 0;
    for (;;) {
      const { rows: keyRows } = await sql<{ order_no: string }>`
        SELECT DISTINCT order_no FROM ${stage} WHERE order_no > ${after} ORDER BY order_no LIMIT ${sql.lit(APPLY_BATCH)}`.execute(
        db,
      );
      const keys = keyRows.map((k) => k.order_no);
      if (keys.length === 0) break;
      const { rows } = await sql<{ order_no: string; row: number; facts: string }>`
        SELECT order_no, row, facts FROM ${stage} WHERE order_no >= ${keys[0]} AND order_no <= ${keys[keys.length - 1]}
        ORDER BY order_no, row`.execute(db);
      const groups: OrderFacts[] = [];
      for (const r of rows) {
        const f = JSON.parse(r.facts) as OrderFacts;
        const last = groups[groups.length - 1];
        if (last && last.orderNo === r.order_no) groups[groups.length - 1] = combineFacts(last, f);
        else groups.push(f);
      }
      // one short transaction per batch: a recording on the same core writes between them
      const outcomes = await inTransaction(db, (trx) =>
        applyOrderFactsBatch(trx, groups, { runId, sourceName: input.sourceName, refs, actor: input.actor, now }),
      );
      for (const r of outcomes) {
        result[r.outcome]++;
        result.linked += r.linked;
      }
      done += groups.length;
      after = keys[keys.length - 1];
      progress(0.6 + (0.4 * done) / Math.max(1, total));
      await yieldToLoop();
      if (input.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
    }
    await finishRun(db, result, 'done', null, input.actor);
    // many orders changed: no one order to name
    if (result.linked > 0) ctx.events.emit('evidence.changed', { orderId: '', evidenceId: null });
    return result;
  } catch (e) {
    const cancelled = input.signal?.aborted || (e as AppError).code === 'CANCELLED';
    result.cancelled = cancelled;
    await finishRun(
      db,
      result,
      cancelled ? 'cancelled' : 'failed',
      cancelled ? null : (e as Error).message,
      input.actor,
    );
    if (cancelled) return result;
    throw e;
  } finally {
    await sql`DROP TABLE IF EXISTS ${stage}`.execute(db);
  }
}

async function finishRun(
  db: Db,
  r: ImportResult,
  status: 'done' | 'failed' | 'cancelled',
  error: string | null,
  actor: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('import_runs')
      .set({
        status,
        rows_total: r.rowsRead,
        imported: r.imported,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
        linked: r.linked,
        error,
        finished_at: new Date().toISOString(),
      })
      .where('id', '=', r.runId)
      .execute();
    await appendAudit(trx, {
      actor,
      action: `orders.import.${status}`,
      entity: 'import_run',
      entityId: r.runId,
      details: {
        source: r.sourceName,
        file: r.fileName,
        rows: r.rowsRead,
        imported: r.imported,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
        linked: r.linked,
        error,
      },
    });
  });
}

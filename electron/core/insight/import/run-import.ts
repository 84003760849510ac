import fsp from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../../../../shared/api/result';
import type { ColumnMapping } from '../../../../shared/domain/insight/import-fields';
import { combineFacts, rowToFacts, type OrderFacts } from '../../../../shared/domain/insight/import-values';
import type { ImportOptions, ImportResult, ImportRowError } from '../../../../shared/domain/insight/types';
import { appendAudit } from '../../audit/audit-log';
import type { CoreContext } from '../../context';
import { sha256File } from '../../storage/files';
import { applyOrderFacts } from './apply-facts';
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
  const db = ctx.db;
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
  const started = new Date().toISOString();
  const runId = Number(
    db
      .prepare(
        `INSERT INTO import_runs (source_name, file_name, file_sha256, file_bytes, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)`,
      )
      .run(input.sourceName, path.basename(input.fileName), sha, fileStat.size, started).lastInsertRowid,
  );
  const stage = `temp.import_stage_${runId}`;
  db.exec(
    `CREATE TABLE ${stage} (order_no TEXT NOT NULL, row INTEGER NOT NULL, facts TEXT NOT NULL); CREATE INDEX temp.import_stage_${runId}_order ON import_stage_${runId}(order_no, row);`,
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
    const insert = db.prepare(`INSERT INTO ${stage} (order_no, row, facts) VALUES (?, ?, ?)`);
    let batch: [string, number, string][] = [];
    const flush = db.transaction((rows: [string, number, string][]) => {
      for (const r of rows) insert.run(...r);
    });
    for await (const r of readRows(input.file, {
      ...setup.read,
      signal: input.signal,
      onBytes: (b) => progress((b / Math.max(1, fileStat.size)) * 0.6),
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
        flush(batch);
        batch = [];
        await yieldToLoop();
        if (input.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
      }
    }
    flush(batch);
    if (input.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
    progress(0.6);

    // phase 2: apply, grouped by order number
    const total = (db.prepare(`SELECT COUNT(DISTINCT order_no) AS n FROM ${stage}`).get() as { n: number }).n;
    const nextKeys = db
      .prepare(`SELECT DISTINCT order_no FROM ${stage} WHERE order_no > ? ORDER BY order_no LIMIT ${APPLY_BATCH}`)
      .pluck();
    const rowsIn = db.prepare(
      `SELECT order_no, row, facts FROM ${stage} WHERE order_no >= ? AND order_no <= ? ORDER BY order_no, row`,
    );
    const refs = orderReferences(db);
    const now = new Date().toISOString();
    let after = '';
    let done = 0;
    const applyBatch = db.transaction((groups: OrderFacts[]) => {
      for (const f of groups) {
        const r = applyOrderFacts(db, f, { runId, sourceName: input.sourceName, refs, actor: input.actor, now });
        result[r.outcome]++;
        result.linked += r.linked;
      }
    });
    for (;;) {
      const keys = nextKeys.all(after) as string[];
      if (keys.length === 0) break;
      const rows = rowsIn.all(keys[0], keys[keys.length - 1]) as { order_no: string; row: number; facts: string }[];
      const groups: OrderFacts[] = [];
      for (const r of rows) {
        const f = JSON.parse(r.facts) as OrderFacts;
        const last = groups[groups.length - 1];
        if (last && last.orderNo === r.order_no) groups[groups.length - 1] = combineFacts(last, f);
        else groups.push(f);
      }
      applyBatch(groups);
      done += groups.length;
      after = keys[keys.length - 1];
      progress(0.6 + (0.4 * done) / Math.max(1, total));
      await yieldToLoop();
      if (input.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
    }
    finishRun(ctx, result, 'done', null, input.actor);
    if (result.linked > 0) ctx.events.emit('evidence.changed', { orderId: 0, evidenceId: null });
    return result;
  } catch (e) {
    const cancelled = input.signal?.aborted || (e as AppError).code === 'CANCELLED';
    result.cancelled = cancelled;
    finishRun(ctx, result, cancelled ? 'cancelled' : 'failed', cancelled ? null : (e as Error).message, input.actor);
    if (cancelled) return result;
    throw e;
  } finally {
    db.exec(`DROP TABLE IF EXISTS ${stage}`);
  }
}

function finishRun(
  ctx: CoreContext,
  r: ImportResult,
  status: 'done' | 'failed' | 'cancelled',
  error: string | null,
  actor: string,
) {
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        `UPDATE import_runs SET status = ?, rows_total = ?, imported = ?, updated = ?, unchanged = ?, rejected = ?, linked = ?, error = ?, finished_at = ? WHERE id = ?`,
      )
      .run(
        status,
        r.rowsRead,
        r.imported,
        r.updated,
        r.unchanged,
        r.rejected,
        r.linked,
        error,
        new Date().toISOString(),
        r.runId,
      );
    appendAudit(ctx.db, {
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
  })();
}

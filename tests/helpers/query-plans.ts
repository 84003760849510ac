import { CompiledQuery, sql } from 'kysely';
import { asDb, type Db } from '../../electron/core/db/db';

/**
 * The query plans of what a repository function really sends: the function runs once
 * on a Db whose executor records every query it executes (built with the query builder
 * or precompiled, as the order lookup is), then each is explained by the engine
 * (used by the engine bench and the index tests). Queries inside a transaction the
 * function opens run on another executor and are not seen.
 */
function recordingDb(db: Db, seen: CompiledQuery[]): Db {
  // a fresh executor of our own (withPlugin copies it), so the patch touches nothing else
  const k = db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result });
  const executor = k.getExecutor();
  const execute = executor.executeQuery.bind(executor);
  executor.executeQuery = ((q: CompiledQuery, ...rest: unknown[]) => {
    seen.push(q);
    return (execute as (...a: unknown[]) => unknown)(q, ...rest);
  }) as typeof executor.executeQuery;
  return asDb(k, db.engine, db.stationId);
}

interface PgPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgPlanNode[];
}

/** one line per plan node: SQLite's EXPLAIN QUERY PLAN details, PostgreSQL's "<node> <relation> <index>" */
function pgLines(node: PgPlanNode, out: string[]) {
  out.push([node['Node Type'], node['Relation Name'], node['Index Name']].filter(Boolean).join(' '));
  for (const child of node.Plans ?? []) pgLines(child, out);
}

/**
 * The plan of every query `fn` sends, one array of lines per query. `avoidSeqScan`:
 * PostgreSQL is told to avoid table scans (tests: a near-empty table invites them).
 */
export async function plansOf(
  db: Db,
  fn: (db: Db) => Promise<unknown>,
  opts: { avoidSeqScan?: boolean } = {},
): Promise<string[][]> {
  const seen: CompiledQuery[] = [];
  await fn(recordingDb(db, seen));
  return db.connection().execute(async (c) => {
    const plans: string[][] = [];
    if (db.engine === 'postgres' && opts.avoidSeqScan) await sql`SET enable_seqscan = off`.execute(c);
    for (const q of seen) {
      if (db.engine === 'postgres') {
        const r = await c.executeQuery<{ 'QUERY PLAN': [{ Plan: PgPlanNode }] }>(
          CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${q.sql}`, [...q.parameters]),
        );
        const lines: string[] = [];
        pgLines(r.rows[0]['QUERY PLAN'][0].Plan, lines);
        plans.push(lines);
      } else {
        const r = await c.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]),
        );
        plans.push(r.rows.map((x) => x.detail));
      }
    }
    if (db.engine === 'postgres' && opts.avoidSeqScan) await sql`RESET enable_seqscan`.execute(c);
    return plans;
  });
}

/**
 * Whole-table (or whole-index) reads in the plans: PostgreSQL "Seq Scan" of one of
 * `tables`; SQLite "SCAN x" (it names the alias, so every scan counts) but not the
 * constant row of a FROM-less SELECT. SEARCH / Index Scan are probes or ranges.
 */
export function fullScans(engine: Db['engine'], plans: string[][], tables: string[]): string[] {
  const lines = plans.flat();
  const hits =
    engine === 'postgres'
      ? lines.filter((l) => tables.some((t) => l === `Seq Scan ${t}`))
      : lines.filter((l) => l.startsWith('SCAN ') && l !== 'SCAN CONSTANT ROW');
  return [...new Set(hits)];
}

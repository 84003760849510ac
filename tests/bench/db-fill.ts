import Database from 'better-sqlite3';
import path from 'node:path';
import pg from 'pg';

/**
 * Bulk data for the engine benchmark, generated inside each engine by one set of
 * formulas (so both hold the same rows) into a database the real migrations made:
 * - `orders` orders spread over `days` days up to today, working hours, with imported
 *   facts (ship time; every 10th order returned, its return waybill signed 4 days later);
 * - `evidence` rows spread evenly over the orders (1 M orders / 10 M rows: 10 each): the
 *   packing video first (missing for every 10th order: a coverage gap), the unboxing
 *   video of a returned order, then photos and documents 20 s apart; 1 % of packing
 *   videos blocked by their checks; 8 stations, 13 operators;
 * - a finalized recording per video with 2 chapters, as the station leaves them.
 * Ids are UUIDv7-shaped text made from the row's time (time-ordered like newId()).
 * The secondary indexes and (PostgreSQL) foreign keys the migrations made are dropped for
 * the load and rebuilt from their own definitions afterwards: the usual bulk-load
 * practice, ending in the migrations' exact schema.
 */
export interface FillSpec {
  orders: number;
  evidence: number;
  days: number;
  /** epoch ms of local midnight of the first day */
  firstMs: number;
}

export const DAY_MS = 86_400_000;
const TABLES = ['orders', 'order_facts', 'evidence', 'recordings', 'chapters'];

/** ms of order i (1-based): its day, then a time between 08:00 and 20:00 */
export const orderMs = (s: FillSpec, i: number) =>
  s.firstMs + Math.floor(((i - 1) * s.days) / s.orders) * DAY_MS + (28_800 + ((i * 7919) % 43_200)) * 1000;

/** the numbers a person would type or scan for order i, as the generator writes them */
export function orderKeys(s: FillSpec, i: number): { orderNo: string; trackingNo: string } {
  const d = new Date(orderMs(s, i)).toISOString();
  return {
    orderNo: `${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}-${100_000_000_000_000 + i}`,
    trackingNo: `SF${1_000_000_000_000 + i}`,
  };
}

interface Dialect {
  uuid(ms: string, tag: number, n: string): string;
  iso(ms: string): string;
  yymmdd(ms: string): string;
  pad(x: string, width: number): string;
  /** a FROM item yielding column `col` = from..to */
  series(col: string, from: number, to: number): string;
}

const sqliteDialect: Dialect = {
  uuid: (ms, tag, n) => `printf('%08x-%04x-7%03x-8000-%012x', (${ms}) / 65536, (${ms}) % 65536, ${tag}, ${n})`,
  iso: (ms) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000, 'unixepoch')`,
  yymmdd: (ms) => `substr(strftime('%Y%m%d', (${ms}) / 1000, 'unixepoch'), 3)`,
  pad: (x, w) => `printf('%0${w}d', ${x})`,
  series: (col, from, to) =>
    `(WITH RECURSIVE s(x) AS (VALUES(${from}) UNION ALL SELECT x + 1 FROM s WHERE x < ${to}) SELECT x AS ${col} FROM s)`,
};

const hex = (x: string, w: number) => `lpad(to_hex(${x}), ${w}, '0')`;
const pgDialect: Dialect = {
  uuid: (ms, tag, n) =>
    `${hex(`(${ms}) / 65536`, 8)} || '-' || ${hex(`(${ms}) % 65536`, 4)} || '-7' || ${hex(String(tag), 3)} || '-8000-' || ${hex(n, 12)}`,
  iso: (ms) => `to_char(to_timestamp((${ms}) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  yymmdd: (ms) => `to_char(to_timestamp((${ms}) / 1000) AT TIME ZONE 'UTC', 'YYMMDD')`,
  pad: (x, w) => `lpad((${x})::text, ${w}, '0')`,
  series: (col, from, to) => `generate_series(${from}::bigint, ${to}::bigint) AS g(${col})`,
};

const msOf = (s: FillSpec, i: string) =>
  `(${s.firstMs} + ((${i} - 1) * ${s.days} / ${s.orders}) * ${DAY_MS} + (28800 + (${i} * 7919) % 43200) * 1000)`;

/** INSERT … SELECT statements for orders from..to (1-based) and their facts */
function orderInserts(d: Dialect, s: FillSpec, from: number, to: number): string[] {
  const src = `(SELECT i, ${msOf(s, 'i')} AS ms FROM ${d.series('i', from, to)}) t`;
  return [
    `INSERT INTO orders (id, order_no, tracking_no, source, created_at, updated_at, station_id, legacy_id)
     SELECT ${d.uuid('ms', 0, 'i')}, ${d.yymmdd('ms')} || '-' || (100000000000000 + i), 'SF' || (1000000000000 + i),
       'import', ${d.iso('ms')}, ${d.iso('ms')}, 'bench', NULL FROM ${src}`,
    `INSERT INTO order_facts (order_id, source_name, courier, shipped_at, signed_at, return_tracking_no, return_signed_at,
       item, quantity, amount_cents, buyer_note, order_status, facts_hash, import_run_id, imported_at, updated_at)
     SELECT ${d.uuid('ms', 0, 'i')}, 'bench', NULL, ${d.iso('ms')}, NULL,
       CASE WHEN i % 10 = 3 THEN 'YT' || (9000000000000 + i) END,
       CASE WHEN i % 10 = 3 THEN ${d.iso(`ms + ${4 * DAY_MS}`)} END,
       '商品 ' || (i % 500), 1, 1000 + i % 9000, NULL, NULL, 'h', NULL, ${d.iso('ms')}, ${d.iso('ms')} FROM ${src}`,
  ];
}

/** INSERT … SELECT for evidence rows from..to (0-based) */
function evidenceInsert(d: Dialect, s: FillSpec, from: number, to: number): string {
  const returnVideo = `j = 1 AND i % 10 = 3 AND i % 50 <> 3`;
  return `INSERT INTO evidence (id, order_id, kind, origin, mode, path, original_name, mime, sha256, bytes, duration_ms,
      width, height, station, operator, captured_at, parent_id, check_state, created_at, station_id, legacy_id)
    SELECT ${d.uuid('cms', 1, 'e')}, ${d.uuid('oms', 0, 'i')}, kind,
      CASE WHEN kind = 'document' THEN 'imported' ELSE 'recorded' END, mode,
      'media/b/' || ${d.pad('i', 8)} || '-' || ${d.pad('j', 3)} || CASE kind WHEN 'video' THEN '.mp4' WHEN 'photo' THEN '.jpg' ELSE '.pdf' END,
      NULL, CASE kind WHEN 'video' THEN 'video/mp4' WHEN 'photo' THEN 'image/jpeg' ELSE 'application/pdf' END,
      'bench', 1000000, CASE WHEN kind = 'video' THEN 60000 END, NULL, NULL,
      'S' || (i % 8), 'op' || (i % 13), ${d.iso('cms')}, NULL,
      CASE WHEN kind = 'video' AND mode = 'outbound' AND i % 100 = 1 THEN 'block'
           WHEN kind = 'video' AND i % 10 = 5 THEN 'warn' ELSE 'ok' END,
      ${d.iso('cms')}, 'bench', NULL
    FROM (SELECT e, i, j, oms, kind, mode,
            CASE WHEN mode = 'return' THEN oms + ${4 * DAY_MS} ELSE oms + j * 20000 END AS cms
          FROM (SELECT e, i, j, oms,
                  CASE WHEN j = 0 AND i % 10 <> 7 THEN 'video' WHEN ${returnVideo} THEN 'video'
                       WHEN j % 4 = 3 THEN 'document' ELSE 'photo' END AS kind,
                  CASE WHEN ${returnVideo} THEN 'return' WHEN j % 4 = 3 THEN NULL ELSE 'outbound' END AS mode
                FROM (SELECT e, i, e - ((i - 1) * ${s.evidence} + ${s.orders - 1}) / ${s.orders} AS j, ${msOf(s, 'i')} AS oms
                      FROM (SELECT e, e * ${s.orders} / ${s.evidence} + 1 AS i FROM ${d.series('e', from, to)}) a) b) c) t`;
}

/** a recording per video evidence (id: the evidence id with tag 2), two chapters each (tags 3, 4) */
function recordingInserts(): string[] {
  const retag = (col: string, tag: string) => `substr(${col}, 1, 15) || '${tag}' || substr(${col}, 19)`;
  const chapter = (tag: string, step: string, at: number) =>
    `SELECT ${retag('r.id', tag)}, r.id, '${step}', ${at}, 'bench' FROM recordings r`;
  return [
    `INSERT INTO recordings (id, order_id, scan_code, mode, mime, part_path, station, operator, started_at, status, evidence_id, error, station_id)
     SELECT ${retag('e.id', '002')}, e.order_id, 'bench-scan', e.mode, 'video/mp4', 'media/incoming/' || e.id || '.part',
       e.station, e.operator, e.captured_at, 'finalized', e.id, NULL, 'bench' FROM evidence e WHERE e.kind = 'video'`,
    `INSERT INTO chapters (id, recording_id, step, at_ms, station_id) ${chapter('003', 'item-shown', 10000)} UNION ALL ${chapter('004', 'sealed', 50000)}`,
  ];
}

/** evidence in statements of this many rows (SQLite commits between them) */
const CHUNK = 1_000_000;

function allInserts(d: Dialect, s: FillSpec): string[] {
  const out: string[] = [];
  for (let from = 1; from <= s.orders; from += CHUNK)
    out.push(...orderInserts(d, s, from, Math.min(s.orders, from + CHUNK - 1)));
  for (let from = 0; from < s.evidence; from += CHUNK)
    out.push(evidenceInsert(d, s, from, Math.min(s.evidence, from + CHUNK) - 1));
  return [...out, ...recordingInserts()];
}

const timed = (engine: string, what: string, fn: () => void) => {
  const t0 = performance.now();
  fn();
  if (process.env.PROOFPACK_BENCH_VERBOSE)
    process.stderr.write(
      `  ${engine} ${Math.round(performance.now() - t0)} ms: ${what.replace(/\s+/g, ' ').slice(0, 70)}\n`,
    );
};

/** Fills a migrated, empty SQLite file. */
export function fillSqlite(file: string, s: FillSpec): void {
  const raw = new Database(file);
  try {
    // a throwaway bulk load: no journal, no fsync, a big cache and in-memory sorts for the index builds
    raw.pragma('journal_mode = OFF');
    raw.pragma('synchronous = OFF');
    raw.pragma('cache_size = -1000000');
    raw.pragma('temp_store = MEMORY');
    raw.pragma('threads = 2');
    const indexes = raw
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${TABLES.map(() => '?').join(',')})`,
      )
      .all(...TABLES) as { name: string; sql: string }[];
    for (const ix of indexes) raw.exec(`DROP INDEX "${ix.name}"`);
    for (const stmt of allInserts(sqliteDialect, s)) timed('sqlite', stmt, () => raw.exec(`BEGIN; ${stmt}; COMMIT;`));
    for (const ix of indexes) timed('sqlite', ix.sql, () => raw.exec(ix.sql));
    timed('sqlite', 'ANALYZE', () => raw.exec('ANALYZE'));
    raw.pragma('journal_mode = WAL');
  } finally {
    raw.close();
  }
}

/**
 * Fills a migrated, empty PostgreSQL database. The load runs in the server: the returned
 * promise settles when it is done, and the caller's thread is free meanwhile (the
 * SQLite fill runs then, on the other core).
 */
export async function fillPostgres(url: string, s: FillSpec): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
      [TABLES],
    );
    const { rows: fks } = await client.query<{ name: string; tbl: string; def: string }>(
      `SELECT conname AS name, conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype = 'f' AND conrelid = ANY(SELECT format('%I.%I', current_schema(), t)::regclass FROM unnest($1::text[]) t)`,
      [TABLES],
    );
    const script = [
      `SET maintenance_work_mem = '1GB'`,
      `SET synchronous_commit = off`,
      ...fks.map((f) => `ALTER TABLE ${f.tbl} DROP CONSTRAINT "${f.name}"`),
      ...indexes.map((ix) => `DROP INDEX "${ix.name}"`),
      ...allInserts(pgDialect, s),
      ...indexes.map((ix) => ix.def),
      ...fks.map((f) => `ALTER TABLE ${f.tbl} ADD CONSTRAINT "${f.name}" ${f.def}`),
    ];
    if (process.env.PROOFPACK_BENCH_VERBOSE) {
      for (const stmt of script) {
        const t0 = performance.now();
        await client.query(stmt);
        process.stderr.write(
          `  pg ${Math.round(performance.now() - t0)} ms: ${stmt.replace(/\s+/g, ' ').slice(0, 70)}\n`,
        );
      }
    } else await client.query(script.join(';\n'));
    // VACUUM cannot run in the script's implicit transaction; it sets the visibility map
    // (index-only scans) and the statistics, as autovacuum would on a live server
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
}

// `tsx db-fill.ts sqlite FILE SPEC`: the SQLite fill in its own process (see db-engines.ts)
if (process.argv[2] === 'sqlite' && process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  fillSqlite(process.argv[3], JSON.parse(process.argv[4]) as FillSpec);
}

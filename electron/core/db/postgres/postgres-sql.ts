import { sql } from 'kysely';
import type { EngineSql } from '../engine-sql';
import { containsPattern } from '../portable-sql';
import { inReadSnapshot } from '../read-snapshot';

/** Any fixed 64-bit number: the advisory lock every audit append takes (see lockAuditChain). */
const AUDIT_CHAIN_LOCK = 7_240_617_001;

const shifted = (iso: unknown, offsetMinutes: number) =>
  sql`((${iso})::timestamptz AT TIME ZONE 'UTC' + make_interval(mins => ${sql.lit(Math.trunc(offsetMinutes))}))`;

/** PostgreSQL: timestamp arithmetic on the ISO text, ILIKE, ->>, advisory locks. */
export const postgresSql: EngineSql = {
  dayOf: (iso, offsetMinutes) => sql<string>`to_char(${shifted(iso, offsetMinutes)}, 'YYYY-MM-DD')`,
  hourOf: (iso, offsetMinutes) => sql<number>`CAST(extract(hour from ${shifted(iso, offsetMinutes)}) AS INTEGER)`,
  contains: (text, needle) => sql<boolean>`(${text} ILIKE ${containsPattern(needle)} ESCAPE '\\')`,
  jsonText: (json, key) => sql<string | null>`((${json})::jsonb ->> ${key})`,
  chr: (code) => sql<string>`chr(${sql.lit(Math.trunc(code))})`,
  async listTables(db) {
    const { rows } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_version'
      ORDER BY table_name`.execute(db);
    return rows.map((r) => r.name);
  },
  async referencesTo(db, table) {
    const { rows } = await sql<{ table: string; column: string }>`
      SELECT src.relname AS "table", a.attname AS "column"
      FROM pg_constraint c
      JOIN pg_class src ON src.oid = c.conrelid
      JOIN pg_class dst ON dst.oid = c.confrelid
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND dst.relname = ${table} AND dst.relnamespace = current_schema()::regnamespace
        AND ra.attname = 'id' AND src.relname <> ${table}
      ORDER BY src.relname, c.conname`.execute(db);
    return rows;
  },
  async lockAuditChain(trx) {
    // held until COMMIT/ROLLBACK: two processes appending at once take turns, so each
    // reads the head the other just wrote (the unique seq index would refuse a fork anyway)
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK)})`.execute(trx);
  },
  async lockRow(trx, table, id) {
    await sql`SELECT id FROM ${sql.table(table)} WHERE id = ${id} FOR UPDATE`.execute(trx);
  },
  // REPEATABLE READ: one snapshot for the whole transaction
  readSnapshot: (db, fn) => inReadSnapshot(db, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
};

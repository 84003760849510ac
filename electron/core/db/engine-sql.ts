import type { Expression, RawBuilder, SqlBool } from 'kysely';
import type { Db } from './db';
import { postgresSql } from './postgres/postgres-sql';
import { sqliteSql } from './sqlite/sqlite-sql';

/**
 * The SQL that differs between the engines, and only that. Everything else is written
 * once with Kysely's builder (upserts included: `onConflict((oc) => oc.column('key')
 * .doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))` is valid on both).
 * Implementations: ./sqlite/sqlite-sql.ts and ./postgres/postgres-sql.ts.
 */
export interface EngineSql {
  /** 'YYYY-MM-DD' of an ISO-8601 UTC text column, in a zone `offsetMinutes` east of UTC */
  dayOf(iso: Expression<string | null>, offsetMinutes: number): RawBuilder<string>;
  /** hour 0–23 of an ISO-8601 UTC text column, in a zone `offsetMinutes` east of UTC */
  hourOf(iso: Expression<string | null>, offsetMinutes: number): RawBuilder<number>;
  /** case-insensitive "contains" (the needle's % _ \ match themselves) */
  contains(text: Expression<string | null>, needle: string): RawBuilder<SqlBool>;
  /** a top-level string/number field of a JSON text column, as text (null when absent) */
  jsonText(json: Expression<string | null>, key: string): RawBuilder<string | null>;
  /** the character with this code (joining fields with an unprintable separator) */
  chr(code: number): RawBuilder<string>;
  /** user tables of the schema (not the engine's own, not the migration bookkeeping) */
  listTables(db: Db): Promise<string[]>;
  /**
   * The columns (of other tables) with a foreign key to `table`'s `id`, read from the
   * schema: merging two orders moves every row that points at one, whatever migration
   * added its table.
   */
  referencesTo(db: Db, table: string): Promise<{ table: string; column: string }[]>;
  /**
   * Serialises appends to the audit chain among concurrent writers until the transaction
   * ends. Call first thing inside the transaction.
   */
  lockAuditChain(trx: Db): Promise<void>;
  /**
   * Locks one row for the rest of the transaction, so a read-modify-write of it (a case's
   * status, facts, links) by another process waits instead of overwriting what this one
   * writes. Call before reading the row.
   */
  lockRow(trx: Db, table: LockableTable, id: string): Promise<void>;
  /**
   * Runs `fn` on one connection inside a read-only transaction: every query in it sees
   * the database as it was when the first one ran, and writers are not blocked (copying
   * a whole database that a station may still be writing to).
   */
  readSnapshot<T>(db: Db, fn: (conn: Db) => Promise<T>): Promise<T>;
}

/** tables whose rows are changed by read-modify-write from several processes */
export type LockableTable = 'cases' | 'orders';

export const sqlFor = (db: Db): EngineSql => (db.engine === 'postgres' ? postgresSql : sqliteSql);

export { countIf, containsPattern } from './portable-sql';

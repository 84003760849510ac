import { sql } from 'kysely';
import { asDb, type Db } from './db';

/**
 * A read-only transaction on one connection, opened with the engine's own BEGIN (Kysely's
 * transaction() would start SQLite's write transaction, BEGIN IMMEDIATE, which blocks
 * writers). Used by both EngineSql implementations with their statement.
 */
export async function inReadSnapshot<T>(db: Db, begin: string, fn: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (c) => {
    const conn = asDb(c, db.engine, db.stationId);
    await sql.raw(begin).execute(conn);
    try {
      const result = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (e) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}

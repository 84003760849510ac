import { asDb, type Db } from './db';

/**
 * Runs `fn` in one transaction and commits when it resolves (rolls back when it throws).
 * Inside, use only the `trx` it receives: on SQLite the transaction holds the single
 * connection, so a query on the outer `db` would wait for it forever.
 * Called with a Db that already is a transaction, it joins it (no savepoint): helpers
 * like appendAudit can open "their" transaction and still be part of the caller's.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((trx) => fn(asDb(trx, db.engine, db.stationId)));
}

import path from 'node:path';
import { asDb, type Db } from './db';
import { migrate } from './migrate';
import { migrations } from './migrations';
import { openPostgres } from './postgres/open-postgres';
import { openSqlite } from './sqlite/open-sqlite';
import { stationIdFor } from './station-id';
import { parseDbTarget, type DbTarget } from './target';

export type { Db } from './db';

export interface OpenOptions {
  /** SQLite only: run PRAGMA integrity_check first (default true) */
  checkIntegrity?: boolean;
  /**
   * The station rows created through this Db are stamped with. Default for SQLite: the
   * id kept in the folder that holds the database file; PostgreSQL needs it given (one
   * server, many stations).
   */
  stationId?: string;
  /** default true; false opens the schema as it is (tools that inspect old databases) */
  migrate?: boolean;
}

/**
 * Opens the ProofPack database — a SQLite file path or a postgres:// URL — and brings
 * its schema up to date. Close it with `await db.destroy()`.
 */
export async function openDatabase(target: string | DbTarget, opts: OpenOptions = {}): Promise<Db> {
  const t = typeof target === 'string' ? parseDbTarget(target) : target;
  let db: Db;
  if (t.engine === 'sqlite') {
    const stationId = opts.stationId ?? stationIdFor(path.dirname(t.file));
    db = asDb(openSqlite(t.file, { checkIntegrity: opts.checkIntegrity }), 'sqlite', stationId);
  } else {
    if (!opts.stationId) throw new Error('openDatabase: a PostgreSQL store needs the stationId of this station');
    db = asDb(await openPostgres(t.url), 'postgres', opts.stationId);
  }
  if (opts.migrate !== false) {
    try {
      await migrate(db, migrations);
    } catch (e) {
      await db.destroy();
      throw e;
    }
  }
  return db;
}

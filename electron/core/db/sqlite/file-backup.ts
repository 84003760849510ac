import { asDb, type Db } from '../db';
import { openSqlite, sqliteHandle } from './open-sqlite';

/**
 * The database file of a data folder, copied while the station keeps working (moving the
 * folder): SQLite's online backup gives a consistent copy, which is then opened so the
 * caller can check and adjust it, and left as one self-contained file (no WAL) to be
 * renamed into place. Only for a Db opened on a SQLite file.
 */
export async function backupSqliteFile<T>(
  db: Db,
  file: string,
  use: (copy: Db, integrity: string) => Promise<T>,
): Promise<T> {
  await sqliteHandle(db).backup(file);
  const k = openSqlite(file, { checkIntegrity: false });
  const raw = sqliteHandle(k);
  const copy = asDb(k, 'sqlite', db.stationId);
  try {
    const integrity = String(raw.pragma('integrity_check', { simple: true }));
    const result = await use(copy, integrity);
    raw.pragma('journal_mode = DELETE');
    return result;
  } finally {
    await copy.destroy();
  }
}

/** Rows changed through this connection since it opened: a write during a backup shows here. */
export const sqliteTotalChanges = (db: Db): number =>
  Number(sqliteHandle(db).prepare('SELECT total_changes()').pluck().get());

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import { migrate } from './migrate';
import { migrations } from './migrations';

export type DB = Database.Database;

/**
 * Opens (creating if needed) the ProofPack database and brings its schema up to date.
 *
 * synchronous=FULL on purpose: each commit is fsync'd, so a row that says "this evidence
 * exists" survives a power cut. The write rate is a few rows per recording, so the cost
 * is invisible, while NORMAL could lose the last rows after a power loss and leave a
 * hashed file with no record.
 */
export function openDatabase(file: string, opts: { checkIntegrity?: boolean } = {}): DB {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: DB;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (e) {
    throw new AppError('DB_CORRUPT', `Cannot open database ${file}: ${(e as Error).message}`, {
      file,
      problem: 'db-unopenable',
    });
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (opts.checkIntegrity !== false) assertIntact(db, file);
  migrate(db, migrations);
  return db;
}

/** A corrupt database never silently starts empty: stop with a message and a backup copy. */
function assertIntact(db: DB, file: string): void {
  let result: string;
  try {
    result = String(db.pragma('integrity_check', { simple: true }));
  } catch (e) {
    result = (e as Error).message;
  }
  if (result === 'ok') return;
  db.close();
  const backup = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    fs.copyFileSync(file, backup);
  } catch {
    /* the message below still tells where the original is */
  }
  throw new AppError('DB_CORRUPT', `Database failed its integrity check: ${result}`, {
    file,
    backup,
    problem: 'db-integrity',
  });
}

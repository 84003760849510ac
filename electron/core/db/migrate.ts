import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/api/result';

export interface Migration {
  /** strictly increasing: the value PRAGMA user_version holds after it ran */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Strict runner: versions must strictly increase, each migration runs in its own
 * transaction together with the user_version bump, and a database written by a newer
 * app is refused instead of being used half-understood.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    const prev = i === 0 ? 0 : migrations[i - 1].version;
    if (!Number.isInteger(m.version) || m.version <= prev) {
      throw new Error(`Migration list broken: ${m.name} has version ${m.version} after ${prev}`);
    }
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (current > latest) {
    throw new AppError(
      'DB_NEWER_THAN_APP',
      `The database is at schema version ${current}, newer than this app understands (${latest}). Update ProofPack.`,
      { current, latest },
    );
  }
  for (const m of migrations.filter((x) => x.version > current)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}

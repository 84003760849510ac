import type Database from 'better-sqlite3';
import { sql } from 'kysely';
import { AppError } from '../../../shared/api/result';
import { asDb, type Db, type Engine } from './db';
import { sqliteHandle } from './sqlite/open-sqlite';

/** What a migration step gets: the open transaction, and a way to run a multi-statement script in it. */
export interface MigrationStep {
  trx: Db;
  engine: Engine;
  /** runs a script of several statements (DDL) inside the migration's transaction */
  exec(script: string): Promise<void>;
  /** SQLite only: the better-sqlite3 handle of the same connection, for bulk row work */
  sqlite?: Database.Database;
}

export interface Migration {
  /** strictly increasing: the schema version the database holds after it ran */
  version: number;
  name: string;
  sqlite(step: MigrationStep): Promise<void>;
  postgres(step: MigrationStep): Promise<void>;
}

/** A migration whose DDL is the same text on both engines (portable types and syntax only). */
export function portableMigration(version: number, name: string, ddl: string): Migration {
  const run = ({ exec }: MigrationStep) => exec(ddl);
  return { version, name, sqlite: run, postgres: run };
}

/** Any fixed 64-bit number: two processes starting at once migrate one after the other. */
const MIGRATION_LOCK = 7_240_617_000;

/**
 * Strict runner, the same on both engines: versions must strictly increase, each
 * migration runs in its own transaction together with the version bump, and a database
 * written by a newer app is refused instead of being used half-understood.
 * SQLite keeps the version in PRAGMA user_version (as every earlier ProofPack did);
 * PostgreSQL in the one-row table schema_version, read and written under an advisory
 * lock so that of two processes starting together only one runs each step.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<number> {
  assertOrdered(migrations);
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const exec = scriptRunner(db);
  let current = await readVersion(db);
  assertNotNewer(current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    current = await db.transaction().execute(async (t) => {
      const trx = asDb(t, db.engine, db.stationId);
      // the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory lock) is held
      // from here on; another process may have run this step while we waited for it
      if (db.engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(trx);
      const now = await readVersion(trx);
      assertNotNewer(now, latest);
      if (now >= m.version) return now;
      const step: MigrationStep = {
        trx,
        engine: db.engine,
        exec: (script) => exec(trx, script),
        sqlite: db.engine === 'sqlite' ? sqliteHandle(db) : undefined,
      };
      await (db.engine === 'postgres' ? m.postgres(step) : m.sqlite(step));
      await writeVersion(trx, m.version);
      return m.version;
    });
  }
  return latest;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const prev = i === 0 ? 0 : migrations[i - 1].version;
    if (!Number.isInteger(m.version) || m.version <= prev) {
      throw new Error(`Migration list broken: ${m.name} has version ${m.version} after ${prev}`);
    }
  });
}

function assertNotNewer(current: number, latest: number): void {
  if (current > latest) {
    throw new AppError(
      'DB_NEWER_THAN_APP',
      `The database is at schema version ${current}, newer than this app understands (${latest}). Update ProofPack.`,
      { current, latest },
    );
  }
}

/** The schema version the database is at (0 = empty). */
export async function readVersion(db: Db): Promise<number> {
  if (db.engine === 'sqlite') {
    const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
    return rows[0].user_version;
  }
  await ensureVersionTable(db);
  const { rows } = await sql<{ version: number }>`SELECT version FROM schema_version`.execute(db);
  return rows[0]?.version ?? 0;
}

async function writeVersion(trx: Db, version: number): Promise<void> {
  if (trx.engine === 'sqlite') {
    await sql`PRAGMA user_version = ${sql.lit(version)}`.execute(trx);
    return;
  }
  await sql`UPDATE schema_version SET version = ${version}`.execute(trx);
}

async function ensureVersionTable(db: Db): Promise<void> {
  // only under the lock: CREATE TABLE IF NOT EXISTS itself races between two processes
  await inLockedTransaction(db, async (trx) => {
    await sql`CREATE TABLE IF NOT EXISTS schema_version (
      one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), version INTEGER NOT NULL)`.execute(trx);
    await sql`INSERT INTO schema_version (one, version) VALUES (TRUE, 0) ON CONFLICT (one) DO NOTHING`.execute(trx);
  });
}

async function inLockedTransaction(db: Db, fn: (trx: Db) => Promise<void>): Promise<void> {
  const run = async (trx: Db) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(trx);
    await fn(trx);
  };
  if (db.isTransaction) return run(db);
  await db.transaction().execute((t) => run(asDb(t, db.engine, db.stationId)));
}

function scriptRunner(db: Db): (trx: Db, script: string) => Promise<void> {
  if (db.engine === 'sqlite') {
    // better-sqlite3 prepares one statement at a time; exec() takes a script. Same
    // connection, so it runs inside the open transaction.
    const raw = sqliteHandle(db);
    return async (_trx, script) => {
      raw.exec(script);
    };
  }
  // without parameters pg uses the simple query protocol, which accepts several statements
  return async (trx, script) => {
    await sql.raw(script).execute(trx);
  };
}

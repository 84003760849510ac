import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect, SqliteDriver, CompiledQuery, type DatabaseConnection } from 'kysely';
import { AppError } from '../../../../shared/api/result';
import type { Schema } from '../schema';

/**
 * Write transactions start with BEGIN IMMEDIATE: they take the database's write lock at
 * once (waiting up to busy_timeout for another process), instead of failing with
 * SQLITE_BUSY half-way when a read lock cannot be upgraded.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg);
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

/**
 * Opens (creating if needed) a SQLite database file.
 *
 * synchronous=FULL on purpose: each commit is fsync'd, so a row that says "this evidence
 * exists" survives a power cut. The write rate is a few rows per recording, so the cost
 * is invisible, while NORMAL could lose the last rows after a power loss and leave a
 * hashed file with no record.
 */
export function openSqlite(file: string, opts: { checkIntegrity?: boolean } = {}): Kysely<Schema> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file);
    raw.pragma('journal_mode = WAL');
  } catch (e) {
    throw new AppError('DB_CORRUPT', `Cannot open database ${file}: ${(e as Error).message}`, {
      file,
      problem: 'db-unopenable',
    });
  }
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  if (opts.checkIntegrity !== false) assertIntact(raw, file);
  const k = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }) });
  handles.set(k, raw);
  return k;
}

const handles = new WeakMap<Kysely<Schema>, Database.Database>();

/**
 * Kysely's SQLite driver prepares every query anew; parsing the SQL again costs as much
 * as answering a small query (an order lookup took several times longer). Statements
 * are kept per SQL text, the most recently used `size` of them; one that is busy (an
 * open iterator of a streamed query) is not handed out twice.
 */
function withStatementCache(raw: Database.Database, size = 500) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string): Database.Statement {
      let stmt = cache.get(sql);
      if (stmt && !stmt.busy) {
        cache.delete(sql); // most recently used last
      } else {
        stmt = raw.prepare(sql);
      }
      cache.set(sql, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

/**
 * The better-sqlite3 handle under a Kysely instance from openSqlite: for what Kysely's
 * one-statement-at-a-time driver cannot do (multi-statement migration scripts, backup).
 */
export function sqliteHandle(k: Kysely<Schema>): Database.Database {
  const raw = handles.get(k);
  if (!raw) throw new Error('not a database opened by openSqlite');
  return raw;
}

/** A corrupt database never silently starts empty: stop with a message and a backup copy. */
function assertIntact(raw: Database.Database, file: string): void {
  let result: string;
  try {
    result = String(raw.pragma('integrity_check', { simple: true }));
  } catch (e) {
    result = (e as Error).message;
  }
  if (result === 'ok') return;
  raw.close();
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

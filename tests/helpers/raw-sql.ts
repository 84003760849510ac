import { CompiledQuery } from 'kysely';
import type { Db } from '../../electron/core/db/db';

/**
 * Plain SQL with `?` parameters for test assertions, on either engine (PostgreSQL gets
 * them numbered $1, $2 …). For reading what a test needs to check, in SQL both engines
 * understand; the code under test uses the query builder.
 */
function compile(db: Db, text: string, params: unknown[]): CompiledQuery {
  let n = 0;
  const q = db.engine === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  return CompiledQuery.raw(q, params);
}

export async function rowsOf<T = Record<string, unknown>>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  return (await db.executeQuery<T>(compile(db, text, params))).rows;
}

export async function rowOf<T = Record<string, unknown>>(
  db: Db,
  text: string,
  ...params: unknown[]
): Promise<T | undefined> {
  return (await rowsOf<T>(db, text, ...params))[0];
}

/** the first column of the first row (undefined: no row) */
export async function valueOf<T = unknown>(db: Db, text: string, ...params: unknown[]): Promise<T | undefined> {
  const row = await rowOf<Record<string, unknown>>(db, text, ...params);
  return row ? (Object.values(row)[0] as T) : undefined;
}

/** the first column of every row */
export async function columnOf<T = unknown>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  return (await rowsOf<Record<string, unknown>>(db, text, ...params)).map((r) => Object.values(r)[0] as T);
}

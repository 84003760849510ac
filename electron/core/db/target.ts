import path from 'node:path';
import { stationIdFor } from './station-id';
import { ensureTestDatabase } from './postgres/test-database';

export type DbTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

export const SQLITE_FILE = 'proofpack.db';

const isPostgresUrl = (s: string) => /^postgres(ql)?:\/\//i.test(s);

/** `postgres://…` / `postgresql://…` is PostgreSQL; anything else is a SQLite file path. */
export function parseDbTarget(value: string): DbTarget {
  return isPostgresUrl(value) ? { engine: 'postgres', url: value } : { engine: 'sqlite', file: path.resolve(value) };
}

/**
 * Which database a data folder's station uses: `--db` if given, else PROOFPACK_DB, else
 * SQLite at <data-dir>/proofpack.db (as before there was a choice).
 *
 * PROOFPACK_TEST_PG is the test suite's switch: a base URL of a PostgreSQL server (see
 * scripts/pg-test-server.mjs). With it and no explicit choice, each data folder gets its
 * own fresh database on that server, named after the folder's station id, so every
 * test, every child process it spawns and every reopen of the folder meet the same data.
 */
export async function resolveDbTarget(opts: {
  dataDir: string;
  db?: string | null;
  env?: NodeJS.ProcessEnv;
}): Promise<DbTarget> {
  const env = opts.env ?? process.env;
  const chosen = opts.db || env.PROOFPACK_DB;
  if (chosen) return parseDbTarget(chosen);
  if (env.PROOFPACK_TEST_PG) {
    return { engine: 'postgres', url: await ensureTestDatabase(env.PROOFPACK_TEST_PG, stationIdFor(opts.dataDir)) };
  }
  return { engine: 'sqlite', file: path.join(opts.dataDir, SQLITE_FILE) };
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/api/result';
import { stationIdFor } from './station-id';
import { ensureTestDatabase } from './postgres/test-database';

export type DbTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

export const SQLITE_FILE = 'proofpack.db';

const isPostgresUrl = (s: string) => /^postgres(ql)?:\/\//i.test(s);

/**
 * What `--db` / PROOFPACK_DB accept:
 * - `postgres://user:pass@host:port/name` or `postgresql://…` (any libpq URL pg accepts);
 * - a SQLite file path, absolute or relative to the working folder (`./pp.db`, `C:\data\pp.db`);
 * - `sqlite:PATH` / `sqlite://PATH`: the same path after the prefix (`sqlite:///var/pp.db` is
 *   the absolute /var/pp.db, `sqlite://pp.db` a relative one);
 * - `file:///var/pp.db`: a file URL.
 * Any other `scheme://` is refused (rather than becoming a file named after it).
 */
export function parseDbTarget(value: string): DbTarget {
  const v = value.trim();
  if (isPostgresUrl(v)) return { engine: 'postgres', url: v };
  return { engine: 'sqlite', file: path.resolve(sqliteFileOf(v)) };
}

function sqliteFileOf(v: string): string {
  const refuse = () => {
    throw new AppError('INVALID_INPUT', `Not a database URL or SQLite file path: ${v}`, {
      value: v,
      problem: 'bad-db-url',
    });
  };
  let file = v;
  if (/^sqlite:/i.test(v)) file = v.replace(/^sqlite:(\/\/)?/i, '');
  else if (/^file:/i.test(v)) {
    try {
      file = fileURLToPath(v);
    } catch {
      refuse();
    }
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(v)) refuse(); // a URL of another kind (one letter is a drive)
  if (!file.trim()) refuse();
  return file;
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

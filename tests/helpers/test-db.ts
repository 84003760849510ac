import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type OpenOptions } from '../../electron/core/db/connection';
import type { Db } from '../../electron/core/db/db';
import { dropTestDatabases, testDatabaseName } from '../../electron/core/db/postgres/test-database';
import { STATION_ID_FILE, stationIdFor } from '../../electron/core/db/station-id';
import { resolveDbTarget } from '../../electron/core/db/target';

/** The engine the suite runs on: PostgreSQL when PROOFPACK_TEST_PG names a server, else SQLite. */
export const testEngine = process.env.PROOFPACK_TEST_PG ? 'postgres' : 'sqlite';

/**
 * Opens the database of a data folder exactly as createCore does (the one switch:
 * resolveDbTarget, which honours PROOFPACK_TEST_PG), closes it after the test and, on
 * PostgreSQL, drops the folder's database. Use with useTempDirs for the folder.
 */
export function useTestDb() {
  const open: Db[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.destroy().catch(() => undefined)));
    await dropDatabasesOf(dirs.splice(0));
  });
  return async (dataDir: string, opts: OpenOptions = {}): Promise<Db> => {
    const target = await resolveDbTarget({ dataDir });
    dirs.push(dataDir);
    const db = await openDatabase(target, { stationId: stationIdFor(dataDir), ...opts });
    open.push(db);
    return db;
  };
}

/** PostgreSQL runs: drop the databases the given data folders used (no-op on SQLite). */
export async function dropDatabasesOf(dataDirs: string[]): Promise<void> {
  const base = process.env.PROOFPACK_TEST_PG;
  if (!base) return;
  const names = dataDirs
    .map((d) => path.join(d, STATION_ID_FILE))
    .filter((f) => fs.existsSync(f))
    .map((f) => testDatabaseName(fs.readFileSync(f, 'utf8').trim()));
  if (names.length) await dropTestDatabases(base, names);
}

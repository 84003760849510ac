import { openDatabase } from '../../electron/core/db/connection';
import type { Db } from '../../electron/core/db/db';
import { stationIdFor } from '../../electron/core/db/station-id';
import { resolveDbTarget } from '../../electron/core/db/target';

/**
 * Reads the database of a data folder that an app process uses (or used before it was
 * killed), on whichever engine the suite runs: the SQLite file in the folder, or the
 * folder's database on the PROOFPACK_TEST_PG server. No migration and no integrity pass,
 * so it never changes what it inspects; closed when `read` settles.
 */
export async function readDataDirDb<T>(dataDir: string, read: (db: Db) => Promise<T>): Promise<T> {
  const target = await resolveDbTarget({ dataDir });
  const db = await openDatabase(target, { stationId: stationIdFor(dataDir), migrate: false, checkIntegrity: false });
  try {
    return await read(db);
  } finally {
    await db.destroy();
  }
}

import pg from 'pg';

/** Database name for a station's test data (only [a-z0-9_], so it needs no quoting). */
export const testDatabaseName = (stationId: string): string =>
  `pp_test_${stationId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;

/** `base` with its database part replaced */
export function withDatabase(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates (once) the test database of a station on the server at `base` and returns its
 * URL. template0: an empty database, whatever someone put in template1.
 */
export async function ensureTestDatabase(base: string, stationId: string): Promise<string> {
  const name = testDatabaseName(stationId);
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
      } catch (e) {
        // 42P04 duplicate_database: another process of the same test made it first
        if ((e as { code?: string }).code !== '42P04') throw e;
      }
    }
  } finally {
    await admin.end();
  }
  return withDatabase(base, name);
}

/** Drops test databases (WITH FORCE: a process a test left behind must not keep it alive). */
export async function dropTestDatabases(base: string, names: string[] | 'all'): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  try {
    const list =
      names === 'all'
        ? (
            await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pp\\_test\\_%'")
          ).rows.map((r) => r.datname)
        : names;
    for (const n of list) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

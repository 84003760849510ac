import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../../../../shared/api/result';
import type { Schema } from '../schema';

const INT8 = 20;
const NUMERIC = 1700;

/**
 * COUNT/SUM come back as int8/numeric, which pg hands over as strings (they can exceed
 * 2^53). Our counts and byte totals stay far below that, and the repositories promise
 * numbers on both engines, so they are parsed here — per pool, not globally.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Connects a pool to a PostgreSQL database (postgres://user:pass@host:port/db) and checks it answers. */
export async function openPostgres(url: string): Promise<Kysely<Schema>> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  // an idle connection the server closed (restart, admin) must not crash the process:
  // the pool drops it and the next query gets a fresh one
  pool.on('error', (e) => console.error(`[proofpack] PostgreSQL connection closed: ${e.message}`));
  // no JIT: our queries are short lookups and day counts; past its cost threshold a day's
  // count (~100 k rows) spent 1–2.5 s compiling for a query that runs in ~0.3 s (bench).
  // Queued first on each new connection, before any query of ours.
  pool.on('connect', (client) => {
    client.query('SET jit = off').catch(() => undefined);
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new AppError('DB_UNREACHABLE', `Cannot connect to PostgreSQL at ${redact(url)}: ${(e as Error).message}`, {
      url: redact(url),
      problem: 'db-unreachable',
    });
  }
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}

/** the URL without its password, for messages and logs */
export const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

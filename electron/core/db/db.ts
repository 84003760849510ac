import type { Kysely } from 'kysely';
import type { Schema } from './schema';

export type Engine = 'sqlite' | 'postgres';

/**
 * What every repository takes: the typed query builder over the schema, plus which
 * engine it talks to (for the few engine-specific fragments in ./sql) and which
 * station this process is (stamped on every row it creates). A transaction is a Db too.
 */
export type Db = Kysely<Schema> & {
  readonly engine: Engine;
  readonly stationId: string;
};

/** Tags a Kysely instance (or a transaction made from one) as a Db. */
export function asDb(k: Kysely<Schema>, engine: Engine, stationId: string): Db {
  return Object.assign(k, { engine, stationId });
}

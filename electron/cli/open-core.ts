import fs from 'node:fs';
import { createCore, type Core } from '../core/core';
import { resolveDataDir } from '../core/data-dir';
import { openDatabase, type Db } from '../core/db/connection';
import { stationIdFor } from '../core/db/station-id';
import { resolveDbTarget, type DbTarget } from '../core/db/target';

/**
 * `--db URL`: the database every command works on (see db/target.ts for the accepted
 * forms), over PROOFPACK_DB and the data folder's own proofpack.db. It is one option of
 * every command, so index.ts takes it off the command line before the command parses
 * its own options, and hands it here.
 */
let dbOption: string | undefined;

export function useDbOption(value: string | undefined): void {
  dbOption = value;
}

/** The `--db` value given on the command line, if any. */
export const dbOptionGiven = (): string | undefined => dbOption;

/** Splits `--db URL` / `--db=URL` off the arguments (up to a `--`, after which nothing is an option). */
export function takeDbOption(args: string[]): { db: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let db: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (a === '--db') {
      db = args[++i];
      if (db === undefined || db.startsWith('--')) throw new Error("Option '--db' needs a value");
    } else if (a.startsWith('--db=')) db = a.slice('--db='.length);
    else rest.push(a);
  }
  return { db, rest };
}

/** A core for one CLI command; closed by `withCore` whatever happens. */
export async function withCore<T>(dataDirFlag: string | undefined, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore({ dataDir: resolveDataDir(dataDirFlag), mode: 'cli', db: dbOption });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/**
 * The data folder's database alone, without the app's services (tools that only read
 * it, like `audit verify`), chosen exactly as createCore chooses; closed afterwards.
 * `ifMissing` is called, instead of creating it, when the SQLite file does not exist.
 */
export async function withDatabase<T>(
  dataDirFlag: string | undefined,
  fn: (db: Db, ctx: { dataDir: string; target: DbTarget }) => Promise<T>,
  ifMissing?: (file: string) => never,
): Promise<T> {
  const dataDir = resolveDataDir(dataDirFlag);
  const target = await resolveDbTarget({ dataDir, db: dbOption });
  if (target.engine === 'sqlite' && ifMissing && !fs.existsSync(target.file)) ifMissing(target.file);
  const db = await openDatabase(target, { stationId: stationIdFor(dataDir) });
  try {
    return await fn(db, { dataDir, target });
  } finally {
    await db.destroy();
  }
}

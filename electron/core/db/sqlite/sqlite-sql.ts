import { sql } from 'kysely';
import type { EngineSql } from '../engine-sql';
import { containsPattern } from '../portable-sql';
import { inReadSnapshot } from '../read-snapshot';

const modifier = (offsetMinutes: number) => `${offsetMinutes >= 0 ? '+' : ''}${Math.trunc(offsetMinutes)} minutes`;

/** SQLite: date functions with a minutes modifier, LIKE (case-insensitive for ASCII), json_extract. */
export const sqliteSql: EngineSql = {
  dayOf: (iso, offsetMinutes) => sql<string>`date(${iso}, ${modifier(offsetMinutes)})`,
  hourOf: (iso, offsetMinutes) => sql<number>`CAST(strftime('%H', ${iso}, ${modifier(offsetMinutes)}) AS INTEGER)`,
  contains: (text, needle) => sql<boolean>`(${text} LIKE ${containsPattern(needle)} ESCAPE '\\')`,
  jsonText: (json, key) => sql<string | null>`CAST(json_extract(${json}, ${`$.${key}`}) AS TEXT)`,
  chr: (code) => sql<string>`char(${sql.lit(Math.trunc(code))})`,
  async listTables(db) {
    const { rows } = await sql<{ name: string }>`
      SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
    return rows.map((r) => r.name);
  },
  async referencesTo(db, table) {
    const { rows } = await sql<{ table: string; column: string }>`
      SELECT m.name AS "table", fk."from" AS "column"
      FROM sqlite_master m, pragma_foreign_key_list(m.name) fk
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> ${table}
        AND fk."table" = ${table} AND (fk."to" IS NULL OR fk."to" = 'id')
      ORDER BY m.name, fk.id, fk.seq`.execute(db);
    return rows;
  },
  // a write transaction on SQLite already holds the only write lock (BEGIN IMMEDIATE)
  lockAuditChain: async () => undefined,
  // the same: no other connection writes until this transaction ends
  lockRow: async () => undefined,
  // WAL: a deferred transaction reads one snapshot from its first read on, writers go on
  readSnapshot: (db, fn) => inReadSnapshot(db, 'BEGIN DEFERRED', fn),
};

import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Rows of the group for which `cond` holds. Written as SUM(CASE …) so it is the same on
 * both engines (PostgreSQL has no SUM(boolean)); COALESCE makes an empty group 0, not NULL.
 */
export const countIf = (cond: Expression<SqlBool>): RawBuilder<number> =>
  sql<number>`COALESCE(SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0)`;

/** LIKE pattern for "contains needle", escaping with backslash (use with ESCAPE '\') */
export const containsPattern = (needle: string): string => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

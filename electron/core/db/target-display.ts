import type { DbTarget } from './target';

/**
 * How a database is named to people (app info, CLI reports): the SQLite file path, or
 * the PostgreSQL URL with its password replaced by `***` (never printed or logged).
 */
export function displayDbTarget(t: DbTarget): string {
  if (t.engine === 'sqlite') return t.file;
  try {
    const u = new URL(t.url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

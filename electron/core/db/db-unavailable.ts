/**
 * Errors that mean "the database server is not answering right now" (stopped, restarting,
 * out of connections, network gone), as opposed to a query that is wrong. A hub answers
 * these with 503 so stations wait and retry instead of counting a broken file.
 * Codes: Node's socket errors, and PostgreSQL's SQLSTATE class 08 (connection exception),
 * 57P01–57P03 (shutdown, crash shutdown, starting up) and 53300 (too many connections).
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** node-postgres says these in words only (no code) when a server drops a connection */
const UNAVAILABLE_WORDS = /Connection terminated|connection timeout|Client has encountered a connection error/i;

export function isDbUnavailable(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof err.code === 'string' && (UNAVAILABLE.has(err.code) || /^08/.test(err.code))) return true;
  if (typeof err.message === 'string' && UNAVAILABLE_WORDS.test(err.message)) return true;
  // net.connect to a host with several addresses fails with an AggregateError of each
  return Array.isArray(err.errors) && err.errors.some(isDbUnavailable);
}

/** the words a station shows as its sync error while the hub's database is down */
export const DB_UNAVAILABLE_MESSAGE =
  'The hub’s database is not answering (it may be restarting). Nothing is lost: the station keeps its files and sends them again.';

import { describe, expect, it } from 'vitest';
import { isDbUnavailable } from '../../electron/core/db/db-unavailable';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDbUnavailable: a database that is not answering, not a wrong query', () => {
  it.each([
    ['refused (server stopped)', withCode('ECONNREFUSED')],
    ['admin shutdown 57P01', withCode('57P01', 'terminating connection due to administrator command')],
    ['starting up 57P03', withCode('57P03', 'the database system is starting up')],
    ['connection exception class 08', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['dropped, words only', new Error('Connection terminated unexpectedly')],
    ['every address refused', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], '')],
  ])('%s', (_, e) => expect(isDbUnavailable(e)).toBe(true));

  it.each([
    ['unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['syntax error', withCode('42601')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', null],
  ])('%s is not', (_, e) => expect(isDbUnavailable(e)).toBe(false));
});

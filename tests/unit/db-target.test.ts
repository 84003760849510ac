import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDbTarget } from '../../electron/core/db/target';
import { displayDbTarget } from '../../electron/core/db/target-display';
import { takeDbOption } from '../../electron/cli/open-core';

describe('--db / PROOFPACK_DB forms', () => {
  it('reads PostgreSQL URLs, SQLite paths, sqlite: and file: forms', () => {
    expect(parseDbTarget('postgres://u:p@db:5432/pp')).toEqual({
      engine: 'postgres',
      url: 'postgres://u:p@db:5432/pp',
    });
    expect(parseDbTarget('postgresql://db/pp').engine).toBe('postgres');
    expect(parseDbTarget('/var/pp.db')).toEqual({ engine: 'sqlite', file: '/var/pp.db' });
    expect(parseDbTarget('pp.db')).toEqual({ engine: 'sqlite', file: path.resolve('pp.db') });
    expect(parseDbTarget('sqlite:///var/pp.db')).toEqual({ engine: 'sqlite', file: '/var/pp.db' });
    expect(parseDbTarget('sqlite://data/pp.db')).toEqual({ engine: 'sqlite', file: path.resolve('data/pp.db') });
    expect(parseDbTarget('sqlite:pp.db')).toEqual({ engine: 'sqlite', file: path.resolve('pp.db') });
    expect(parseDbTarget('file:///var/pp%20x.db')).toEqual({ engine: 'sqlite', file: '/var/pp x.db' });
  });

  it('refuses other URLs and empty values instead of making a file named after them', () => {
    for (const v of ['mysql://db/pp', 'https://x/y.db', 'sqlite:', 'sqlite://', '  ']) {
      expect(() => parseDbTarget(v)).toThrow(
        expect.objectContaining({ details: expect.objectContaining({ problem: 'bad-db-url' }) }),
      );
    }
  });

  it('never shows a password', () => {
    expect(displayDbTarget(parseDbTarget('postgres://pp:s3cret@db:5432/pp'))).toBe('postgres://pp:***@db:5432/pp');
    expect(displayDbTarget(parseDbTarget('/var/pp.db'))).toBe('/var/pp.db');
  });

  it('takes --db off any command line, up to --', () => {
    expect(takeDbOption(['--data-dir', 'd', '--db', 'x.db', '--json'])).toEqual({
      db: 'x.db',
      rest: ['--data-dir', 'd', '--json'],
    });
    expect(takeDbOption(['--db=postgres://h/p', 'a'])).toEqual({ db: 'postgres://h/p', rest: ['a'] });
    expect(takeDbOption(['a', '--', '--db', 'x'])).toEqual({ db: undefined, rest: ['a', '--', '--db', 'x'] });
    expect(() => takeDbOption(['--db'])).toThrow(/needs a value/);
    expect(() => takeDbOption(['--db', '--json'])).toThrow(/needs a value/);
  });
});

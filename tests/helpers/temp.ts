import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { dropDatabasesOf } from './test-db';

/**
 * A fresh temp folder per call, removed after the test. On a PostgreSQL run
 * (PROOFPACK_TEST_PG) the database a core made for a folder is dropped with it.
 */
export function useTempDirs() {
  const dirs: string[] = [];
  afterEach(async () => {
    const done = dirs.splice(0);
    await dropDatabasesOf(done);
    for (const d of done) fs.rmSync(d, { recursive: true, force: true });
  });
  return (prefix = 'pp-test-') => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/pg-test-server.mjs');
const pg = (cmd: string, dir: string) =>
  execFileSync(process.execPath, [SCRIPT, cmd, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * A PostgreSQL cluster of one test's own (initdb in `dir`), for faults that would break
 * every other test on the shared one: `down` stops it (a fast shutdown, as a service
 * restart does), `up` starts it again on the same port and data, `stop` removes it.
 * The folder sits right in the temp folder: run as root, the cluster belongs to the
 * `postgres` user, who cannot enter a test's private temp folders.
 */
export function startOwnPostgres() {
  const dir = path.join(os.tmpdir(), `pp-own-pg-${randomBytes(6).toString('hex')}`);
  const url = pg('start', dir);
  return {
    url,
    down: () => pg('down', dir),
    up: () => pg('up', dir),
    stop: () => pg('stop', dir),
  };
}

#!/usr/bin/env node
// A throwaway PostgreSQL cluster for the test suite (CI and local runs).
//   node scripts/pg-test-server.mjs start [dir]   → prints the base URL (postgres://…:port/postgres)
//   node scripts/pg-test-server.mjs stop  [dir]
//   node scripts/pg-test-server.mjs down|up [dir]  → stop / start the same cluster again
//     (fault tests: the database restarted under a running hub)
// initdb in a temp folder, fsync off (a test cluster is thrown away, durability buys
// nothing), listening on 127.0.0.1 at a free port and on a unix socket in the folder.
// PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user
// (Debian's package creates it) and the commands run through runuser.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const [cmd, dirArg] = process.argv.slice(2);
const dir = path.resolve(dirArg ?? path.join(os.tmpdir(), 'proofpack-pg-test'));
const data = path.join(dir, 'data');
const asRoot = process.getuid?.() === 0;
const USER = asRoot ? 'postgres' : os.userInfo().username;

function pgBin(name) {
  const fromEnv = process.env.PG_BIN && path.join(process.env.PG_BIN, name);
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = path.join(root, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  return name; // on PATH
}

function run(bin, args) {
  const argv = asRoot ? ['runuser', '-u', USER, '--', pgBin(bin), ...args] : [pgBin(bin), ...args];
  return execFileSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function start() {
  if (fs.existsSync(path.join(data, 'postmaster.pid')))
    throw new Error(`a cluster already runs in ${dir}: stop it first`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (asRoot) execFileSync('chown', [USER, dir]);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '-N']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  fs.writeFileSync(path.join(dir, 'opts'), opts);
  up();
  fs.writeFileSync(path.join(dir, 'url'), `postgres://postgres@127.0.0.1:${port}/postgres\n`);
  process.stdout.write(`postgres://postgres@127.0.0.1:${port}/postgres\n`);
}

function up() {
  const opts = fs.readFileSync(path.join(dir, 'opts'), 'utf8');
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', opts, '-w', 'start']);
}

/** a fast shutdown, as an admin or a package upgrade restarting the service does */
function down() {
  run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
}

function stop() {
  if (!fs.existsSync(data)) return;
  try {
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  } catch {
    /* not running: still remove the folder */
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

if (cmd === 'start') await start();
else if (cmd === 'stop') stop();
else if (cmd === 'down') down();
else if (cmd === 'up') up();
else {
  console.error('usage: pg-test-server.mjs start|stop|down|up [dir]');
  process.exit(2);
}

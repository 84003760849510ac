// `npm test`: builds the renderer (the e2e tests load it), runs the fast projects
// (unit, integration) and then the end-to-end project on its own, so the browser tests do
// not compete with ffmpeg-heavy integration tests for the CPU. Then, when PostgreSQL is
// reachable (PROOFPACK_TEST_PG set) or its binaries are installed (a throwaway cluster is
// started in a temp folder and removed after), the integration and e2e projects run again
// against PostgreSQL: the data layer has engine-specific SQL, so both engines are tested.
// Prints a line per engine and one plain closing line `N passed, N failed` (both engines) for CI.
//   node scripts/test.mjs [vitest args]   with args: only those, on the engine the env names
//   PROOFPACK_TEST_ENGINES=sqlite        skip the PostgreSQL pass
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failedNames } from './vitest-report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = (args, opts = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...opts });

const build = run([path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
mkdirSync(path.join(root, 'test-results'), { recursive: true });
const vitest = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const extra = process.argv.slice(2);

const total = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
let status = 0;

/** runs vitest groups with `env`, adds their counts to the total, returns this pass's counts */
function runGroups(label, groups, env) {
  const mine = { passed: 0, failed: 0, skipped: 0 };
  for (const [name, args] of groups) {
    const report = path.join(root, 'test-results', `vitest-${label}-${name}.json`);
    rmSync(report, { force: true });
    const r = run([vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], {
      env,
    });
    if (r.status !== 0) status = r.status ?? 1;
    let failedHere = 0;
    if (existsSync(report)) {
      const j = JSON.parse(readFileSync(report, 'utf8'));
      mine.passed += j.numPassedTests;
      // a file that fails to load has no failed tests, only a failed suite
      failedHere = j.numFailedTests || (j.numFailedTestSuites ?? 0);
      mine.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
      failures.push(...failedNames(j, label, root));
    }
    if (r.status !== 0 && failedHere === 0) failedHere = 1;
    mine.failed += failedHere;
  }
  for (const k of Object.keys(total)) total[k] += mine[k];
  const skipped = mine.skipped ? `, ${mine.skipped} skipped` : '';
  console.log(`[${label}] ${mine.passed} passed, ${mine.failed} failed${skipped}`);
}

/** initdb of an installed PostgreSQL (Debian's /usr/lib/postgresql/N/bin, PG_BIN or PATH) */
function postgresInstalled() {
  const dirs = [process.env.PG_BIN, ...(process.env.PATH ?? '').split(path.delimiter)].filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) for (const v of readdirSync(debian)) dirs.push(path.join(debian, v, 'bin'));
  return dirs.some((d) => existsSync(path.join(d, 'initdb')));
}

const { PROOFPACK_TEST_PG: givenPg, ...sqliteEnv } = process.env;
if (extra.length) {
  runGroups(givenPg ? 'postgres' : 'sqlite', [['all', extra]], process.env);
} else {
  runGroups(
    'sqlite',
    [
      ['fast', ['--project', 'unit', '--project', 'integration']],
      ['e2e', ['--project', 'e2e']],
    ],
    sqliteEnv,
  );
  const wantPg = (process.env.PROOFPACK_TEST_ENGINES ?? 'sqlite,postgres').split(',').includes('postgres');
  if (wantPg && (givenPg || postgresInstalled())) {
    // the postgres user (initdb refuses root) must reach the folder: not a 0700 mkdtemp one
    const pgDir = path.join(os.tmpdir(), `proofpack-pg-test-${process.pid}`);
    const server = path.join(root, 'scripts', 'pg-test-server.mjs');
    let url = givenPg;
    if (!url) {
      const started = run([server, 'start', pgDir], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
      url = started.status === 0 ? started.stdout.trim() : '';
      if (!url) {
        console.log('[postgres] the throwaway cluster did not start');
        total.failed += 1;
        status = status || 1;
      }
    }
    try {
      if (url) {
        const groups = [
          ['integration', ['--project', 'integration']],
          ['e2e', ['--project', 'e2e']],
        ];
        runGroups('postgres', groups, { ...process.env, PROOFPACK_TEST_PG: url });
      }
    } finally {
      if (!givenPg) run([server, 'stop', pgDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
}
// the failures named again at the end: CI logs are often read from their tail only
if (failures.length) console.log(failures.join('\n'));
const skipped = total.skipped ? `, ${total.skipped} skipped` : '';
console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(status);

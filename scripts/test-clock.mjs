// `npm run test:clock`: the unit and integration projects again with the machine's clock
// a year ahead and a year back (libfaketime, Debian package `faketime`), so that no test
// and no product code depends on the day it runs. The offsets are relative, so the faked
// clock still advances; the monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC),
// so timers, timeouts and measured durations behave as usual. The fake reaches the vitest
// workers and ffmpeg through the inherited LD_PRELOAD; tests/unit/fake-clock.test.ts checks
// that the workers really see the shifted clock. Prints one closing line per offset and
// `clock: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failedNames } from './vitest-report.mjs';

const DAY = 86_400_000;
const OFFSET_DAYS = [365, -365];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const vitest = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const extra = process.argv.slice(2); // e.g. a test file, to try one under the faked clock

const probe = spawnSync('faketime', ['--version'], { encoding: 'utf8' });
if (probe.error) {
  console.error('faketime is not installed: apt-get install faketime (Debian package `faketime`)');
  console.log('clock: 0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(path.join(root, 'test-results'), { recursive: true });
const lines = [];
const failures = [];
let passed = 0;
let failed = 0;
for (const days of OFFSET_DAYS) {
  const offset = `${days > 0 ? '+' : ''}${days}d`;
  const env = {
    ...process.env,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    // for tests/unit/fake-clock.test.ts: what the clock should read, against the real one
    PROOFPACK_FAKE_CLOCK_DAYS: String(days),
    PROOFPACK_REAL_NOW_MS: String(Date.now()),
  };
  const faked = (args, opts = {}) =>
    spawnSync('faketime', ['-f', offset, process.execPath, ...args], { cwd: root, env, ...opts });

  // a faked clock that is not faked would make this whole run prove nothing
  const seen = Number(faked(['-e', 'process.stdout.write(String(Date.now()))'], { encoding: 'utf8' }).stdout);
  const shift = (seen - Date.now()) / DAY;
  if (!Number.isFinite(shift) || Math.abs(shift - days) > 0.5) {
    console.error(`faketime ${offset} did not shift Node's clock (it is ${shift.toFixed(2)} days off)`);
    lines.push(`clock ${offset}: 0 passed, 1 failed`);
    failed++;
    continue;
  }
  console.log(`\n=== unit + integration with the clock at ${new Date(seen).toISOString()} (${offset})`);
  const report = path.join(root, 'test-results', `vitest-clock${days > 0 ? 'plus' : 'minus'}${Math.abs(days)}.json`);
  rmSync(report, { force: true });
  const r = faked(
    [
      vitest,
      'run',
      '--project',
      'unit',
      '--project',
      'integration',
      '--reporter=dot',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...extra,
    ],
    { stdio: 'inherit' },
  );
  let p = 0;
  let f = 0;
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    p = j.numPassedTests;
    // a file that fails to load has no failed tests, only a failed suite
    f = j.numFailedTests || (j.numFailedTestSuites ?? 0);
    failures.push(...failedNames(j, offset, root));
  }
  if (r.status !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  lines.push(`clock ${offset}: ${p} passed, ${f} failed`);
}
console.log(`\n${[...failures, ...lines].join('\n')}\nclock: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// `npm test`: builds the renderer (the e2e tests load it), runs the fast projects
// (unit, integration) and then the end-to-end project on its own, so the browser tests do
// not compete with ffmpeg-heavy integration tests for the CPU. Prints one plain closing
// line `N passed, N failed` for CI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
const groups = extra.length
  ? [['all', extra]]
  : [
      ['fast', ['--project', 'unit', '--project', 'integration']],
      ['e2e', ['--project', 'e2e']],
    ];

let passed = 0;
let failed = 0;
let skipped = 0;
let status = 0;
for (const [name, args] of groups) {
  const report = path.join(root, 'test-results', `vitest-${name}.json`);
  rmSync(report, { force: true });
  const r = run([vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args]);
  if (r.status !== 0) status = r.status ?? 1;
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    passed += j.numPassedTests;
    // a file that fails to load has no failed tests, only a failed suite
    failed += j.numFailedTests || (j.numFailedTestSuites ?? 0);
    skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  }
  if (r.status !== 0 && failed === 0) failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status);

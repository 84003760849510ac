// Reading vitest's JSON report for the closing lines of `npm test` and `npm run test:clock`.
import path from 'node:path';

const firstLine = (text) =>
  String(text ?? '')
    .split('\n')[0]
    .slice(0, 300);

/**
 * Each failed test (or test file that did not load) of a vitest JSON report, one line each,
 * tagged with `label`: printed again beside the totals because CI logs are often read from
 * their tail only, where vitest's own failure details are long gone.
 */
export function failedNames(report, label, root) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const rel = path.relative(root, file.name);
    const bad = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of bad) out.push(`  [${label}] ✗ ${rel} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    if (file.status === 'failed' && !bad.length) out.push(`  [${label}] ✗ ${rel}: ${firstLine(file.message)}`);
  }
  return out;
}

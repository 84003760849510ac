import fs from 'node:fs';
import path from 'node:path';
import { benchStop } from './station-stop';
import { benchStationLive } from './station-live';
import { benchCameraRecord } from './camera-record';
import { benchWebcamRecord } from './webcam-record';
import { benchWebcamPaths } from './webcam-paths';
import { benchPreviewScale } from './preview-scale';
import type { BenchRow } from './types';

/**
 * `npm run bench`: every benchmark prints ours next to the naive way measured in the same
 * run; the table is for people, the JSON (also in test-results/bench.json) for tools.
 * `npm run bench -- station` runs only the suites whose name contains "station".
 */
const suites: { name: string; run: () => Promise<BenchRow[]> }[] = [
  { name: 'station-stop', run: () => benchStop() },
  { name: 'station-live', run: () => benchStationLive() },
  { name: 'camera-record', run: () => benchCameraRecord() },
  { name: 'camera-record-webcam', run: () => benchWebcamRecord() },
  { name: 'webcam-overlay-paths', run: () => benchWebcamPaths() },
  { name: 'webcam-preview-scale', run: () => benchPreviewScale() },
];

async function optionalSuite(name: string, file: string, exported: string) {
  const abs = path.join(__dirname, file);
  if (!fs.existsSync(abs)) return;
  const mod = await import(abs);
  if (typeof mod[exported] === 'function') suites.push({ name, run: () => mod[exported]() });
}

async function main() {
  await optionalSuite('checks', 'fix-and-label.ts', 'benchChecks');
  await optionalSuite('packets', 'packets.ts', 'benchPackets');
  await optionalSuite('insight', 'insight.ts', 'benchInsight');
  await optionalSuite('db-engines', 'db-engines.ts', 'benchDbEngines');
  await optionalSuite('hub-ingest', 'hub-ingest.ts', 'benchHubIngest');
  await optionalSuite('hub-staff', 'hub-staff.ts', 'benchHubStaff');
  const filter = process.argv[2];
  const rows: (BenchRow & { suite: string })[] = [];
  for (const s of suites.filter((x) => !filter || x.name.includes(filter))) {
    process.stderr.write(`running ${s.name}…\n`);
    try {
      for (const r of await s.run()) rows.push({ suite: s.name, ...r });
    } catch (e) {
      rows.push({
        suite: s.name,
        name: `${s.name} FAILED`,
        ours_ms: NaN,
        naive_ms: null,
        ratio: null,
        goal: '',
        note: String((e as Error).message).slice(0, 200),
      });
    }
  }
  const table = [
    ['benchmark', 'ours (ms)', 'naive (ms)', 'ratio', 'goal'],
    ...rows.map((r) => [
      r.name,
      String(r.ours_ms),
      r.naive_ms == null ? '—' : String(r.naive_ms),
      r.ratio == null ? '—' : `${r.ratio}×`,
      r.goal,
    ]),
  ];
  printTable(table);
  const engineRows = rows.filter((r) => r.sqlite_ms != null && r.postgres_ms != null);
  if (engineRows.length) {
    console.log('\nSQLite and PostgreSQL, same data, same run:');
    printTable([
      ['benchmark', 'SQLite (ms)', 'PostgreSQL (ms)', 'goal'],
      ...engineRows.map((r) => [r.name, String(r.sqlite_ms), String(r.postgres_ms), r.goal]),
    ]);
  }
  console.log('\nnotes:');
  for (const r of rows) console.log(`- ${r.name}: ${r.note}`);
  const json = JSON.stringify({ at: new Date().toISOString(), rows }, null, 2);
  fs.mkdirSync(path.join(__dirname, '..', '..', 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, '..', '..', 'test-results', 'bench.json'), json);
  console.log(json);
}

function printTable(table: string[][]) {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const [i, row] of table.entries()) {
    console.log(row.map((c, j) => c.padEnd(widths[j])).join(' | '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
}

void main();

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createCore } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db/connection';
import { newId } from '../../electron/core/db/ids';
import { runImport } from '../../electron/core/insight/import/run-import';
import { orderRows, writeOrdersCsv } from '../fixtures/order-files';
import type { BenchRow } from './types';

const ROWS = 100_000;
const NAIVE_ROWS = 2_000;

/**
 * Importing a 100k-row GBK export through the real import (streamed, staged, applied in
 * short transactions) next to the naive way: read the whole file into memory, split it
 * into lines, and write each row in its own autocommit transaction. The naive way is
 * timed on its first 2 000 rows and extrapolated (said in the note) — a full naive run
 * would fsync 200 000 times. Memory is sampled while ours runs.
 */
export async function benchImport(): Promise<BenchRow[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-import-'));
  try {
    const file = writeOrdersCsv(path.join(work, 'orders-gbk.csv'), orderRows(ROWS), { encoding: 'gbk' });
    const bytes = fs.statSync(file).size;
    const core = await createCore({ dataDir: path.join(work, 'data'), mode: 'cli' });
    // memory retained (after a forced GC) at every tenth of the way: garbage awaiting collection is not growth
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage();
    let heapPeak = 0;
    let rssPeak = 0;
    let nextSample = 0;
    const t0 = performance.now();
    let gcMs = 0;
    const result = await runImport(core.ctx, {
      file,
      fileName: 'orders-gbk.csv',
      sourceName: 'bench',
      mapping: null,
      options: {},
      actor: 'bench',
      progress: (p) => {
        if (p < nextSample) return;
        nextSample = p + 0.1;
        const g0 = performance.now();
        gc();
        gcMs += performance.now() - g0;
        const m = process.memoryUsage();
        heapPeak = Math.max(heapPeak, m.heapUsed - base.heapUsed);
        rssPeak = Math.max(rssPeak, m.rss - base.rss);
      },
    });
    const oursMs = performance.now() - t0 - gcMs;
    await core.close();
    if (result.imported !== ROWS) throw new Error(`imported ${result.imported} of ${ROWS}`);

    const naiveMs = (await naiveImport(file, path.join(work, 'naive.db'))) * (ROWS / NAIVE_ROWS);
    return [
      {
        name: `import ${ROWS.toLocaleString('en')}-row GBK CSV (${(bytes / 1024 / 1024).toFixed(1)} MB)`,
        ours_ms: Math.round(oursMs),
        naive_ms: Math.round(naiveMs),
        ratio: Math.round((naiveMs / oursMs) * 10) / 10,
        goal: 'info (bounded memory, station keeps recording)',
        note: `${Math.round(ROWS / (oursMs / 1000))} rows/s; retained memory at most +${Math.max(0, Math.round(heapPeak / 1024 / 1024))} MB JS heap, +${Math.round(rssPeak / 1024 / 1024)} MB RSS (incl. SQLite caches), sampled after a forced GC every 10 %; naive = whole file in memory + one autocommit INSERT per row, timed on ${NAIVE_ROWS} rows and extrapolated ×${ROWS / NAIVE_ROWS}`,
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Returns the ms the naive way took for NAIVE_ROWS rows. */
async function naiveImport(file: string, dbFile: string): Promise<number> {
  await (await openDatabase(dbFile)).destroy(); // the app's schema, migrated; the naive writer is plain SQL
  const db = new Database(dbFile);
  const t0 = performance.now();
  const text = iconv.decode(fs.readFileSync(file), 'gbk');
  const lines = text.split('\r\n');
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const [o, tr, sh] = [col('订单号'), col('快递单号'), col('发货时间')];
  const insOrder = db.prepare(
    `INSERT OR IGNORE INTO orders (id, station_id, order_no, tracking_no, source, created_at, updated_at) VALUES (?, 'naive', ?, ?, 'import', ?, ?)`,
  );
  const insFacts = db.prepare(
    `INSERT OR REPLACE INTO order_facts (order_id, source_name, shipped_at, facts_hash, imported_at, updated_at) VALUES ((SELECT id FROM orders WHERE order_no = ?), 'naive', ?, 'h', ?, ?)`,
  );
  const now = new Date().toISOString();
  for (const line of lines.slice(1, NAIVE_ROWS + 1)) {
    const f = line.split(',');
    insOrder.run(newId(), f[o], f[tr], now, now);
    insFacts.run(f[o], f[sh], now, now);
  }
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRows, xlsxSample } from '../../electron/core/insight/import/sources';
import { orderRows, writeOrdersXlsx } from '../fixtures/order-files';
import { timeIt, type BenchRow } from './types';

const ROWS = 100_000;

/**
 * Reading a 100k-row XLSX export: ours (zip central directory + streaming XML parser) next
 * to exceljs' streaming WorkbookReader, the usual choice, on the same file in the same run.
 * The file is written the way Excel writes it (worksheets before the shared strings), which
 * is the case where exceljs copies each sheet to a temp file first.
 */
export async function benchXlsxRead(): Promise<BenchRow[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-xlsx-'));
  try {
    const file = await writeOrdersXlsx(path.join(work, 'orders.xlsx'), orderRows(ROWS), { streaming: true });
    const mb = (fs.statSync(file).size / 1024 / 1024).toFixed(1);
    const opts = { kind: 'xlsx' as const, encoding: 'utf8' as const, delimiter: ',', sheet: null };
    const ours = await timeIt(async () => {
      let n = 0;
      for await (const r of readRows(file, opts)) n += r.cells.length > 0 ? 1 : 0;
      return n;
    });
    const naive = await timeIt(() => exceljsRows(file, Infinity));
    if (ours.value !== naive.value) throw new Error(`row counts differ: ${ours.value} vs ${naive.value}`);
    const oursSample = await timeIt(() => xlsxSample(file, null, 50));
    const naiveSample = await timeIt(() => exceljsRows(file, 50));
    const row = (name: string, o: number, n: number, note: string): BenchRow => ({
      name,
      ours_ms: Math.round(o),
      naive_ms: Math.round(n),
      ratio: Math.round((n / o) * 10) / 10,
      goal: 'info (no temp files, any part order)',
      note,
    });
    return [
      row(
        `read all rows of a ${ROWS.toLocaleString('en')}-row XLSX (${mb} MB)`,
        ours.ms,
        naive.ms,
        'naive = exceljs stream.xlsx.WorkbookReader',
      ),
      row(
        `preview (first 50 rows) of the same XLSX`,
        oursSample.ms,
        naiveSample.ms,
        'both must read the shared strings first',
      ),
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function exceljsRows(file: string, limit: number): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream(file), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let n = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      if (row.cellCount > 0) n++;
      if (n >= limit) return n;
    }
    return n;
  }
  return n;
}

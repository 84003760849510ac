import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { stationIdFor } from '../../electron/core/db/station-id';
import { resolveDbTarget } from '../../electron/core/db/target';
import { saveMapping } from '../../electron/core/insight/import/mappings-repo';
import { today } from '../../shared/domain/insight/days';
import { orderRow, orderRows, writeOrdersCsv } from '../fixtures/order-files';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const ROOT = path.resolve(__dirname, '..', '..');

/** `npx proofpack …` exactly as staff run it (bin/proofpack.mjs → tsx → the CLI). */
function proofpack(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'proofpack.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PROOFPACK_LANG: 'en', ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('proofpack orders import / coverage (CLI)', () => {
  it('imports, reports rejected rows with reasons, and is idempotent', async () => {
    const data = tmp();
    const rows: (ReturnType<typeof orderRow> | string[])[] = [...orderRows(5, today())];
    rows.push(['', 'SF0000000000009', '', '', '', 'x', '1', '1', '']);
    rows.push(['261120-000000000000077', '7.73E+14', '', '', '', 'x', '1', '1', '']);
    const file = writeOrdersCsv(path.join(tmp(), '订单导出.csv'), rows, { encoding: 'gbk' });

    const first = proofpack(['orders', 'import', file, '--data-dir', data, '--json']);
    expect(first.code).toBe(1); // rows were rejected
    const j = JSON.parse(first.out);
    expect(j).toMatchObject({ rows: 7, imported: 5, updated: 0, unchanged: 0, rejected: 2, linked: 0 });
    expect(j.errors.map((e: { row: number; problem: string }) => [e.row, e.problem])).toEqual([
      [8, 'missing-order-no'],
      [9, 'mangled-number'],
    ]); // lines: one item spans two
    expect(j.errors[1].message).toMatch(/scientific notation/);
    expect(j.mapping).toMatchObject({ orderNo: '订单号', trackingNo: '快递单号', shippedAt: '发货时间' });

    const again = JSON.parse(proofpack(['orders', 'import', file, '--data-dir', data, '--json']).out);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 5, rejected: 2 });

    // a clean file exits 0; the human summary names the counts
    const clean = writeOrdersCsv(path.join(tmp(), 'clean.csv'), orderRows(3, today(), 100));
    const human = proofpack(['orders', 'import', clean, '--data-dir', data]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/3 rows read, 3 new, 0 updated, 0 unchanged, 0 rejected/);

    // coverage: 8 shipped today, none recorded
    const cov = proofpack(['coverage', '--data-dir', data, '--from', today(), '--to', today(), '--json']);
    expect(cov.code).toBe(1);
    const report = JSON.parse(cov.out);
    expect(report.totals).toMatchObject({ shipped: 8, shippedWithoutVideo: 8 });
    expect(report.gaps).toHaveLength(8);
    const csvFile = path.join(tmp(), 'gaps.csv');
    expect(proofpack(['coverage', '--data-dir', data, '--csv', csvFile]).code).toBe(1);
    expect(fs.readFileSync(csvFile, 'utf8').trim().split('\r\n')).toHaveLength(9);
  });

  it('imports the rows around a broken line and names that line, in JSON and in text', () => {
    const data = tmp();
    const file = writeOrdersCsv(path.join(tmp(), 'broken.csv'), orderRows(4, today(), 200), { encoding: 'gbk' });
    // a quote that never closes, on the last line
    fs.appendFileSync(file, '261120-999999999999999,"SF9999999999999,,,,x,1,1,\r\n');
    const line = fs.readFileSync(file, 'latin1').split(/\r\n|\n/).length - 1; // physical lines: items span two
    const j = JSON.parse(proofpack(['orders', 'import', file, '--data-dir', data, '--json']).out);
    expect(j).toMatchObject({ ok: false, rows: 5, imported: 4, rejected: 1 });
    expect(j.errors).toEqual([
      expect.objectContaining({ row: line, orderNo: '261120-999999999999999', problem: 'unclosed-quote' }),
    ]);
    expect(j.errors[0].message).toMatch(/never closes.*lines after it were read/);
    const text = proofpack(['orders', 'import', file, '--data-dir', data], { PROOFPACK_LANG: 'zh-CN' });
    expect(text.code).toBe(1);
    expect(text.out).toContain(`第 ${line} 行 261120-999999999999999: 这一行的引号没有闭合`);
  });

  it('uses a mapping remembered in the app, and refuses an unknown one', async () => {
    const data = tmp();
    const db = await openDatabase(await resolveDbTarget({ dataDir: data }), { stationId: stationIdFor(data) });
    // headers the guesser would not know: the mapping saved in the Import screen names them
    await saveMapping(
      db,
      'ERP',
      { orderNo: 'Bestellnummer', trackingNo: 'Sendung' },
      { encoding: null, delimiter: null, headerRow: null, sheet: null },
    );
    await db.destroy();
    const file = writeOrdersCsv(
      path.join(tmp(), 'erp.csv'),
      [
        ['A-1', 'SF1111111111111'],
        ['A-2', 'SF2222222222222'],
      ],
      { headers: ['Bestellnummer', 'Sendung'] },
    );
    const r = proofpack(['orders', 'import', file, '--data-dir', data, '--mapping', 'ERP', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ source: 'ERP', imported: 2, rejected: 0 });

    const unknown = proofpack(['orders', 'import', file, '--data-dir', data, '--mapping', 'Nope', '--json']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/No saved mapping named "Nope". Saved: ERP/);

    // without the mapping the headers cannot be guessed: a clear message, nothing written
    const guessed = proofpack(['orders', 'import', file, '--data-dir', data, '--json']);
    expect(guessed.code).toBe(1);
    expect(JSON.parse(guessed.out)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { problem: 'bad-mapping' } },
    });
  });

  it('usage errors exit 2 with a message in the chosen language', () => {
    const data = tmp();
    expect(proofpack(['orders', 'import', '--data-dir', data]).code).toBe(2);
    const missing = proofpack(['orders', 'import', '/nope/x.csv', '--data-dir', data], { PROOFPACK_LANG: 'zh-CN' });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('找不到文件');
    const badDate = proofpack(['coverage', '--data-dir', data, '--from', '2026-13-01']);
    expect(badDate.code).toBe(2);
    expect(badDate.err).toMatch(/Invalid date for --from/);
    expect(proofpack(['coverage', '--data-dir', data, '--from', '2026-11-20', '--to', '2026-11-01']).code).toBe(2);
    // an empty data folder has no gaps
    const empty = proofpack(['coverage', '--data-dir', data, '--json']);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.out).days).toHaveLength(7);
  });
});

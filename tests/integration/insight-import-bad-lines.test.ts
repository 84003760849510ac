import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { runImport } from '../../electron/core/insight/import/run-import';
import type { ImportResult } from '../../shared/domain/insight/types';
import { orderRow, orderRows, writeOrdersCsv, type OrderRow } from '../fixtures/order-files';
import { rowOf, valueOf } from '../helpers/raw-sql';
import { useTempDirs } from '../helpers/temp';

/**
 * Issue 9 §3: one bad line must not cost the whole import. A GBK back-office export of
 * 1000 good rows and three bad ones imports the 1000 and reports the three with their
 * physical line and reason; a quote that never closes is reported where it opens and
 * the lines after it are still read.
 */
const tmp = useTempDirs();

async function withCore<T>(fn: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore({ dataDir: tmp(), mode: 'cli' });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

const importFile = (core: Core, file: string) =>
  runImport(core.ctx, {
    file,
    fileName: path.basename(file),
    sourceName: 'pdd',
    mapping: null,
    options: {},
    actor: 'tester',
  });

const count = async (core: Core, sql: string) => Number(await valueOf(core.ctx.db, sql));

/** The 1-based physical line of the file holding `marker`, found without any CSV parser. */
function lineOf(file: string, marker: string): number {
  const lines = iconv.decode(fs.readFileSync(file), 'gbk').split(/\r\n|\n|\r/);
  const i = lines.findIndex((l) => l.includes(marker));
  if (i === -1 || lines.findIndex((l, j) => j > i && l.includes(marker)) !== -1) throw new Error(`marker ${marker}`);
  return i + 1;
}

/** A GBK export written in parts, with raw (unescaped) lines between them, as a broken exporter writes. */
function writeGbkWithRawLines(file: string, parts: (OrderRow[] | string)[]): string {
  const chunks: Buffer[] = [];
  let header = true;
  for (const part of parts) {
    if (typeof part === 'string') {
      chunks.push(iconv.encode(part, 'gbk'));
      continue;
    }
    const piece = writeOrdersCsv(`${file}.part`, part, { encoding: 'gbk' });
    const bytes = fs.readFileSync(piece);
    // every part but the first loses its header line (headers hold no quotes or line breaks)
    chunks.push(header ? bytes : bytes.subarray(bytes.indexOf('\r\n') + 2));
    header = false;
    fs.rmSync(piece);
  }
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}

describe('order import: bad lines are reported, the rest is imported', () => {
  it('imports 1000 good rows of a GBK export and reports the 3 bad ones with line and reason', async () => {
    await withCore(async (core) => {
      const good = [...orderRows(1000)];
      const noOrderNo: OrderRow = { ...orderRow(5000), orderNo: '', trackingNo: 'SF9000000000001' };
      const badTime: OrderRow = { ...orderRow(5001), trackingNo: 'SF9000000000002', shippedAt: '昨天下午' };
      const file = writeGbkWithRawLines(path.join(tmp(), '订单导出.csv'), [
        [...good.slice(0, 300), noOrderNo, ...good.slice(300, 700), badTime, ...good.slice(700)],
        // the last line: a tracking number cell opened with a quote that never closes
        '261120-999999999999999,"SF9000000000003,2026-11-20 10:00:00,,,耳机,1,9.90,\r\n',
      ]);
      const r = await importFile(core, file);
      expect(r).toMatchObject({ rowsRead: 1003, imported: 1000, rejected: 3, cancelled: false });
      expect(await count(core, 'SELECT COUNT(*) FROM orders')).toBe(1000);
      expect(r.errors.map((e) => [e.row, e.field, e.problem])).toEqual([
        [lineOf(file, 'SF9000000000001'), 'orderNo', 'missing-order-no'],
        [lineOf(file, 'SF9000000000002'), 'shippedAt', 'bad-time'],
        [lineOf(file, 'SF9000000000003'), null, 'unclosed-quote'],
      ]);
      // multi-line item cells above them: the lines are the file's, not row counts
      expect(lineOf(file, 'SF9000000000003')).toBeGreaterThan(1004);
      expect(r.errors[2]).toMatchObject({ orderNo: '261120-999999999999999' });
      expect(r.errors[2].value).toContain('"SF9000000000003');
      expect(r.errors[1].value).toBe('昨天下午');
      expect(
        await rowOf(core.ctx.db, 'SELECT status, rows_total, rejected FROM import_runs ORDER BY id DESC LIMIT 1'),
      ).toEqual({ status: 'done', rows_total: 1003, rejected: 3 });
    });
  });

  it('an unclosed quote in the middle of the file: that line is reported, every line after it is imported', async () => {
    await withCore(async (core) => {
      const bad = '261120-888888888888888,"SF8000000000001,2026-11-20 10:00:00,,,耳机,1,9.90,\r\n';
      // followed by rows with quoted cells (the quote runs into one of them) …
      const quotedAfter = writeGbkWithRawLines(path.join(tmp(), 'a.csv'), [
        [...orderRows(100)],
        bad,
        [...orderRows(100, '2026-11-20', 100)],
      ]);
      // … or by rows without a single quote (the quote runs to the end of the file)
      const plain = (i: number): OrderRow => ({ ...orderRow(i), item: `耳机 ${i}` });
      const plainAfter = writeGbkWithRawLines(path.join(tmp(), 'b.csv'), [
        Array.from({ length: 100 }, (_, i) => plain(i)),
        bad,
        Array.from({ length: 100 }, (_, i) => plain(200 + i)),
      ]);
      for (const file of [quotedAfter, plainAfter]) {
        const r: ImportResult = await importFile(core, file);
        expect(r).toMatchObject({ rowsRead: 201, rejected: 1 });
        expect(r.imported + r.updated + r.unchanged).toBe(200);
        expect(r.errors).toEqual([
          expect.objectContaining({
            row: lineOf(file, 'SF8000000000001'),
            orderNo: '261120-888888888888888',
            problem: 'unclosed-quote',
          }),
        ]);
      }
      // the row right after the broken line is there, whole
      const after = orderRow(100);
      expect(
        await rowOf(
          core.ctx.db,
          'SELECT o.tracking_no, f.item FROM orders o JOIN order_facts f ON f.order_id = o.id WHERE order_no = ?',
          after.orderNo,
        ),
      ).toEqual({ tracking_no: after.trackingNo, item: after.item });
      expect(await count(core, 'SELECT COUNT(*) FROM orders')).toBe(300);
    });
  });

  it('a row with shifted columns (an unquoted comma) is reported, not imported with wrong values; a trailing delimiter is fine', async () => {
    await withCore(async (core) => {
      const file = writeGbkWithRawLines(path.join(tmp(), 'c.csv'), [
        [...orderRows(3)],
        '261120-777777777777777,SF7000000000001,2026-11-20 10:00:00,,,手机壳, 透明,1,9.90,\r\n',
        [...orderRows(3, '2026-11-20', 3)],
      ]);
      const r = await importFile(core, file);
      expect(r).toMatchObject({ rowsRead: 7, imported: 6, rejected: 1 });
      expect(r.errors).toEqual([
        expect.objectContaining({
          row: lineOf(file, 'SF7000000000001'),
          orderNo: '261120-777777777777777',
          problem: 'wrong-column-count',
          value: '10/9',
        }),
      ]);
      // the inspection's preview shows the same line the same way
      const preview = await core.handlers['orders.import.preview']({
        uploadId: await upload(core, file),
        mapping: { orderNo: '订单号', trackingNo: '快递单号' },
        options: {},
        limit: 10,
      });
      expect(preview.rows.map((p) => p.ok)).toEqual([true, true, true, false, true, true, true]);
      expect(preview.rows[3].errors[0]).toMatchObject({ problem: 'wrong-column-count', value: '10/9' });

      // an export ending every data row with a delimiter (the header without) is not "shifted"
      const trailing = writeOrdersCsv(
        path.join(tmp(), 'd.csv'),
        Array.from({ length: 5 }, (_, i) => {
          const o = orderRow(600 + i);
          return [o.orderNo, o.trackingNo!, o.shippedAt!, '', '', '耳机', '1', '9.90', '', ''];
        }),
      );
      expect(await importFile(core, trailing)).toMatchObject({ rowsRead: 5, imported: 5, rejected: 0 });
    });
  });
});

async function upload(core: Core, file: string): Promise<string> {
  const r = await core.handlers['orders.import.upload']({
    fileName: path.basename(file),
    seq: 0,
    data: new Uint8Array(fs.readFileSync(file)),
    final: true,
  });
  return r.uploadId;
}

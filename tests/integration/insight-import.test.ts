import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { runImport } from '../../electron/core/insight/import/run-import';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import type { ImportResult } from '../../shared/domain/insight/types';
import { EN_HEADERS, localToIso, orderRow, orderRows, writeOrdersCsv, writeOrdersXlsx } from '../fixtures/order-files';
import { columnOf, rowOf, valueOf } from '../helpers/raw-sql';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();

async function withCore<T>(fn: (core: Core, dir: string) => Promise<T>): Promise<T> {
  const dir = tmp();
  const core = await createCore({ dataDir: dir, mode: 'cli' });
  try {
    return await fn(core, dir);
  } finally {
    await core.close();
  }
}

const importFile = (core: Core, file: string, sourceName = 'test') =>
  runImport(core.ctx, { file, fileName: path.basename(file), sourceName, mapping: null, options: {}, actor: 'tester' });

const count = async (core: Core, sql: string, ...p: unknown[]) => Number(await valueOf(core.ctx.db, sql, ...p));

/** Upload through the contract in small pieces, like the Import screen does. */
async function upload(core: Core, file: string, piece = 7000): Promise<string> {
  const bytes = fs.readFileSync(file);
  let id: string | undefined;
  for (let seq = 0, off = 0; off < bytes.length || seq === 0; seq++, off += piece) {
    const r = await core.handlers['orders.import.upload']({
      uploadId: id,
      fileName: path.basename(file),
      seq,
      data: new Uint8Array(bytes.subarray(off, off + piece)),
      final: off + piece >= bytes.length,
    });
    id = r.uploadId;
  }
  return id!;
}

describe(`order import (real files, ${testEngine})`, () => {
  it('imports a UTF-8 CSV with Chinese headers, guesses the mapping, and re-imports idempotently', async () => {
    await withCore(async (core) => {
      const file = writeOrdersCsv(path.join(tmp(), 'orders.csv'), orderRows(50), { encoding: 'utf8' });
      const first = await importFile(core, file);
      expect(first).toMatchObject({
        rowsRead: 50,
        imported: 50,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        cancelled: false,
      });
      expect(await count(core, 'SELECT COUNT(*) FROM orders')).toBe(50);
      const r7 = orderRow(7);
      const f = await rowOf(
        core.ctx.db,
        'SELECT f.*, o.tracking_no FROM order_facts f JOIN orders o ON o.id = f.order_id WHERE o.order_no = ?',
        r7.orderNo,
      );
      expect(f).toMatchObject({
        tracking_no: r7.trackingNo,
        shipped_at: localToIso(r7.shippedAt!),
        item: r7.item,
        quantity: r7.quantity,
        amount_cents: Math.round(Number(r7.amount) * 100),
        buyer_note: '请尽快发货，谢谢！',
        source_name: 'test',
      });
      // multi-line quoted item text survives
      expect(
        await valueOf(
          core.ctx.db,
          'SELECT item FROM order_facts f JOIN orders o ON o.id = f.order_id WHERE o.order_no = ?',
          orderRow(2).orderNo,
        ),
      ).toBe('充电器 20W\n快充');

      const again = await importFile(core, file);
      expect(again).toMatchObject({ rowsRead: 50, imported: 0, updated: 0, unchanged: 50, rejected: 0 });
      expect(await count(core, 'SELECT COUNT(*) FROM orders')).toBe(50);

      // one changed row in a new export updates that order only
      const rows = [...orderRows(50)];
      rows[3] = { ...rows[3], trackingNo: 'YT1234567890123', amount: '1.00' };
      writeOrdersCsv(file, rows);
      expect(await importFile(core, file)).toMatchObject({ imported: 0, updated: 1, unchanged: 49 });
      expect(await valueOf(core.ctx.db, 'SELECT tracking_no FROM orders WHERE order_no = ?', rows[3].orderNo)).toBe(
        'YT1234567890123',
      );
      expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
    });
  });

  it('reads a GBK export with a title line, semicolons and English headers', async () => {
    await withCore(async (core) => {
      const file = writeOrdersCsv(path.join(tmp(), 'gbk.csv'), orderRows(30), {
        encoding: 'gbk',
        delimiter: ';',
        headers: EN_HEADERS,
        titleLines: ['拼多多订单导出 2026-11-20'],
        eol: '\n',
      });
      expect(fs.readFileSync(file).includes(Buffer.from('蓝牙耳机', 'utf8'))).toBe(false); // really GBK bytes
      const id = await upload(core, file);
      const ins = await core.handlers['orders.import.inspect']({ uploadId: id, sourceName: null, options: {} });
      expect(ins).toMatchObject({
        kind: 'csv',
        encoding: 'gb18030',
        encodingFromBom: false,
        delimiter: ';',
        headerRow: 1,
        mappingSource: 'guessed',
      });
      expect(ins.mapping).toMatchObject({
        orderNo: 'Order No',
        trackingNo: 'Tracking Number',
        shippedAt: 'Ship Time',
        returnTrackingNo: 'Return Tracking Number',
        returnSignedAt: 'Return Signed At',
        item: 'Item Name',
        quantity: 'Qty',
        amount: 'Amount',
        buyerNote: 'Buyer Note',
      });
      expect(ins.sample[0][5]).toBe(orderRow(0).item);
      const { jobId } = core.handlers['orders.import.start']({
        uploadId: id,
        sourceName: '拼多多后台',
        mapping: ins.mapping,
        options: {},
        remember: true,
      }) as { jobId: string };
      const result = (await core.ctx.jobs.wait(jobId)) as ImportResult;
      expect(result).toMatchObject({ rowsRead: 30, imported: 30, rejected: 0 });
      expect(await valueOf(core.ctx.db, 'SELECT item FROM order_facts ORDER BY order_id LIMIT 1')).toBe(
        orderRow(0).item,
      );
      // the mapping is remembered for the source, and comes back for the next file
      const saved = (await core.handlers['orders.import.mappings']({})) as {
        name: string;
        mapping: Record<string, string>;
      }[];
      expect(saved.map((m) => m.name)).toEqual(['拼多多后台']);
      const id2 = await upload(core, file);
      const ins2 = await core.handlers['orders.import.inspect']({
        uploadId: id2,
        sourceName: '拼多多后台',
        options: {},
      });
      expect(ins2.mappingSource).toBe('saved');
    });
  });

  it('handles a BOM, CRLF, quoted commas and ="…"-protected numbers; UTF-16 too', async () => {
    await withCore(async (core) => {
      const dir = tmp();
      const bom = writeOrdersCsv(path.join(dir, 'bom.csv'), orderRows(20), { encoding: 'utf8-bom', protect: true });
      const id = await upload(core, bom);
      const ins = await core.handlers['orders.import.inspect']({ uploadId: id, sourceName: null, options: {} });
      expect(ins).toMatchObject({
        encoding: 'utf8',
        encodingFromBom: true,
        headers: expect.arrayContaining(['订单号']),
      });
      expect(ins.headers[0]).toBe('订单号'); // BOM stripped from the first header
      const preview = await core.handlers['orders.import.preview']({
        uploadId: id,
        mapping: ins.mapping,
        options: {},
        limit: 5,
      });
      expect(preview.mappingProblems).toEqual([]);
      expect(preview.rows[1]).toMatchObject({
        ok: true,
        facts: { orderNo: orderRow(1).orderNo, trackingNo: orderRow(1).trackingNo, item: '手机壳, 透明 "加厚"' },
      });
      expect((await importFile(core, bom)).imported).toBe(20);

      const text = fs.readFileSync(bom, 'utf8').replace(/^\ufeff/, '');
      const u16 = path.join(dir, 'u16.csv');
      fs.writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      expect(await importFile(core, u16)).toMatchObject({ rowsRead: 20, unchanged: 20 });
    });
  });

  it('rejects bad rows with reasons and imports the rest', async () => {
    await withCore(async (core) => {
      const rows: string[][] = [
        ['261120-000000000000001', 'SF1000000000001', '2026-11-20 10:00:00', '', '', '好商品', '1', '¥1,299.50', ''],
        ['', 'SF1000000000002', '2026-11-20 10:00:00', '', '', 'x', '1', '1', ''],
        ['261120-000000000000003', '7.73E+14', '2026-11-20 10:00:00', '', '', 'x', '1', '1', ''],
        ['261120-000000000000004', 'SF1000000000004', '2026/13/40 25:00', '', '', 'x', '1', '1', ''],
        ['261120-000000000000005', 'SF1000000000005', '2026年11月20日 9:05', '', '', 'x', '两件', '12.345', ''],
        ['261120-000000000000006', 'SF1000000000006', '2026-02-30 10:00:00', '', '', 'x', '1', '1', ''],
        ['261120-000000000000007', 'SF1000000000007', '', '', '', 'x', '', '', ''],
      ];
      const file = writeOrdersCsv(path.join(tmp(), 'bad.csv'), rows);
      const r = await importFile(core, file);
      expect(r).toMatchObject({ rowsRead: 7, imported: 2, rejected: 5 });
      const byRow = (n: number) => r.errors.filter((e) => e.row === n).map((e) => `${e.field}:${e.problem}`);
      expect(byRow(3)).toEqual(['orderNo:missing-order-no']);
      expect(byRow(4)).toEqual(['trackingNo:mangled-number']);
      expect(byRow(5)).toEqual(['shippedAt:bad-time']);
      expect(byRow(6).sort()).toEqual(['amount:bad-amount', 'quantity:bad-quantity']);
      expect(byRow(7)).toEqual(['shippedAt:bad-time']);
      expect(r.errors.find((e) => e.row === 4)?.orderNo).toBe('261120-000000000000003');
      expect(await columnOf(core.ctx.db, 'SELECT amount_cents FROM order_facts')).toContain(129950);
    });
  });

  it('refuses files that are not tables (a broken CSV line: insight-import-bad-lines.test.ts)', async () => {
    await withCore(async (core) => {
      const dir = tmp();
      const bin = path.join(dir, 'photo.csv');
      fs.writeFileSync(bin, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
      await expect(importFile(core, bin)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { problem: 'not-a-table' },
      });
      const empty = path.join(dir, 'empty.csv');
      fs.writeFileSync(empty, '');
      await expect(importFile(core, empty)).rejects.toMatchObject({ details: { problem: 'empty-file' } });
      const xls = path.join(dir, 'old.xls');
      fs.writeFileSync(
        xls,
        Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]),
      );
      await expect(importFile(core, xls)).rejects.toMatchObject({ details: { problem: 'xls-legacy' } });
      const noOrder = writeOrdersCsv(path.join(dir, 'cols.csv'), [['a', 'b']], { headers: ['名称', '备注'] });
      await expect(importFile(core, noOrder)).rejects.toMatchObject({
        details: { problem: 'bad-mapping', problems: ['field-not-mapped:orderNo'] },
      });
    });
  });

  it('imports XLSX (title row, a notes sheet first, date and rich-text cells) idempotently', async () => {
    await withCore(async (core) => {
      const file = await writeOrdersXlsx(path.join(tmp(), 'orders.xlsx'), orderRows(40), {
        title: '订单报表',
        extraSheetFirst: true,
      });
      const id = await upload(core, file);
      const ins = await core.handlers['orders.import.inspect']({
        uploadId: id,
        sourceName: null,
        options: { sheet: '订单' },
      });
      expect(ins).toMatchObject({ kind: 'xlsx', sheets: ['说明', '订单'], headerRow: 1 });
      const r = (await core.ctx.jobs.wait(
        (
          core.handlers['orders.import.start']({
            uploadId: id,
            sourceName: 'erp',
            mapping: ins.mapping,
            options: { sheet: '订单' },
            remember: true,
          }) as { jobId: string }
        ).jobId,
      )) as ImportResult;
      expect(r).toMatchObject({ rowsRead: 40, imported: 40, rejected: 0 });
      const row5 = orderRow(5);
      expect(
        await rowOf(
          core.ctx.db,
          'SELECT shipped_at, item, amount_cents FROM order_facts f JOIN orders o ON o.id = f.order_id WHERE o.order_no = ?',
          row5.orderNo,
        ),
      ).toEqual({
        shipped_at: localToIso(row5.shippedAt!),
        item: row5.item,
        amount_cents: Math.round(Number(row5.amount) * 100),
      });
      // the remembered options pick the same sheet next time
      const r2 = await runImport(core.ctx, {
        file,
        fileName: 'orders.xlsx',
        sourceName: 'erp',
        mapping: null,
        options: {},
        actor: 't',
      });
      expect(r2).toMatchObject({ unchanged: 40, imported: 0 });
    });
  });

  it('combines rows of one order (one row per item) and stays idempotent', async () => {
    await withCore(async (core) => {
      const a = orderRow(1);
      const rows = [
        { ...a, item: '耳机', quantity: 1 },
        { ...a, item: '耳机套', quantity: 2, trackingNo: null },
        orderRow(2),
      ];
      const file = writeOrdersCsv(path.join(tmp(), 'items.csv'), rows);
      expect(await importFile(core, file)).toMatchObject({ rowsRead: 3, imported: 2 });
      expect(
        await rowOf(
          core.ctx.db,
          'SELECT item, quantity FROM order_facts f JOIN orders o ON o.id = f.order_id WHERE o.order_no = ?',
          a.orderNo,
        ),
      ).toEqual({ item: '耳机 / 耳机套', quantity: 3 });
      expect(await importFile(core, file)).toMatchObject({ imported: 0, updated: 0, unchanged: 2 });
    });
  });

  it('imports a 100k-row export as a job with progress, and cancels cleanly', async () => {
    await withCore(async (core) => {
      const file = writeOrdersCsv(path.join(tmp(), 'huge.csv'), orderRows(100_000), { encoding: 'gbk' });
      const id = await upload(core, file, 8 * 1024 * 1024);
      const ins = await core.handlers['orders.import.inspect']({ uploadId: id, sourceName: null, options: {} });
      expect(ins.encoding).toBe('gb18030');

      // cancel right after the start: nothing half-imported stays behind that a re-run cannot complete
      const progress: number[] = [];
      const off = core.ctx.events.onAny((event, p) => {
        const j = p as { kind?: string; progress?: number | null };
        if (event === 'job.update' && j.kind === 'orders.import' && j.progress != null) progress.push(j.progress);
      });
      const c = core.handlers['orders.import.start']({
        uploadId: id,
        sourceName: 'big',
        mapping: ins.mapping,
        options: {},
        remember: false,
      }) as { jobId: string };
      core.ctx.jobs.cancel(c.jobId);
      await expect(core.ctx.jobs.wait(c.jobId)).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(core.ctx.jobs.get(c.jobId).status).toBe('cancelled');
      expect(
        await valueOf(core.ctx.db, 'SELECT status FROM import_runs WHERE id = (SELECT MAX(id) FROM import_runs)'),
      ).toBe('cancelled');

      const j = core.handlers['orders.import.start']({
        uploadId: id,
        sourceName: 'big',
        mapping: ins.mapping,
        options: {},
        remember: false,
      }) as { jobId: string };
      const r = (await core.ctx.jobs.wait(j.jobId)) as ImportResult;
      off();
      expect(r).toMatchObject({ rowsRead: 100_000, rejected: 0 });
      expect(r.imported + r.unchanged).toBe(100_000);
      expect(await count(core, 'SELECT COUNT(*) FROM orders')).toBe(100_000);
      expect(await count(core, 'SELECT COUNT(*) FROM order_facts')).toBe(100_000);
      // progress went up in steps, not just 0 → 1
      expect(new Set(progress.map((p) => Math.round(p * 10))).size).toBeGreaterThan(3);
      // the upload is removed after a successful import
      expect(fs.readdirSync(path.join(core.ctx.paths.tmp, 'imports'))).toEqual([]);
    });
  });
});

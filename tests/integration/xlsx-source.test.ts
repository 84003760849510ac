import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows, xlsxSample } from '../../electron/core/insight/import/sources';
import { rawWorkbookParts, writeRawXlsx, type RawSheet } from '../fixtures/raw-xlsx';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

/** exceljs spools sheets into `tmp-<pid>-…` files in the OS temp folder (see xlsx.ts). */
const spooled = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`));

/** Waits for exceljs' asynchronous unlinks, then lists what is still there. */
async function spooledAfterSettling(before: string[]): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    const left = spooled().filter((f) => !before.includes(f));
    if (left.length === 0) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
  return spooled().filter((f) => !before.includes(f));
}

/** Written like Excel writes it: worksheets before the shared strings in the zip. */
async function workbook(file: string, notesSheets: number, orderRows: number): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (let i = 0; i < notesSheets; i++) wb.addWorksheet(`说明${i + 1}`).addRow([`第 ${i + 1} 页说明`, '备注']);
  const orders = wb.addWorksheet('订单');
  orders.addRow(['订单号', '快递单号']);
  for (let i = 0; i < orderRows; i++) orders.addRow([`PDD${100000 + i}`, `YT${900000 + i}`]);
  wb.addWorksheet('汇总').addRow(['合计', orderRows]);
  await wb.xlsx.writeFile(file);
  return file;
}

const opts = (sheet: string | null) => ({ kind: 'xlsx' as const, encoding: 'utf8' as const, delimiter: ',', sheet });

describe('XLSX source: what exceljs-written workbooks look like', () => {
  it('reads a sheet behind many skipped ones and leaves no temp copy behind', async () => {
    const file = await workbook(path.join(tmp(), 'orders.xlsx'), 12, 500);
    const before = spooled();
    const rows = [];
    for await (const r of readRows(file, opts('订单'))) rows.push(r);
    expect(rows).toHaveLength(501);
    expect(rows[1]).toEqual({ row: 2, cells: ['PDD100000', 'YT900000'] });
    expect(await spooledAfterSettling(before)).toEqual([]);
  });

  it('a sample stops parsing early, still names every sheet and leaves no temp copy behind', async () => {
    const file = await workbook(path.join(tmp(), 'orders.xlsx'), 3, 2000);
    const before = spooled();
    const s = await xlsxSample(file, '订单', 10);
    expect(s.sheets).toEqual(['说明1', '说明2', '说明3', '订单', '汇总']);
    expect(s.sheet).toBe('订单');
    expect(s.rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const first = await xlsxSample(file, null, 5);
    expect(first.sheet).toBe('说明1');
    expect(await spooledAfterSettling(before)).toEqual([]);
  });

  it('a missing sheet is a clear error, not a crash, and leaves no temp copy behind', async () => {
    const file = await workbook(path.join(tmp(), 'orders.xlsx'), 2, 20);
    const before = spooled();
    await expect(xlsxSample(file, '不存在', 10)).rejects.toMatchObject({ details: { problem: 'no-such-sheet' } });
    const read = async () => {
      for await (const r of readRows(file, opts('不存在'))) void r;
    };
    await expect(read()).rejects.toMatchObject({ details: { problem: 'no-such-sheet' } });
    expect(await spooledAfterSettling(before)).toEqual([]);
  });
});

async function allRows(file: string, sheet: string | null = null, onBytes?: (b: number) => void) {
  const rows = [];
  for await (const r of readRows(file, { ...opts(sheet), onBytes })) rows.push(r);
  return rows;
}

const ORDERS: RawSheet = {
  name: '订单',
  rows:
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>45413.5</v></c></row>',
};

describe('XLSX source: workbooks as other writers store them', () => {
  it('reads the same rows whatever order the parts are stored in', async () => {
    const parts = rawWorkbookParts([ORDERS], { sharedStrings: ['订单号', '发货时间', 'PDD1'], cellXfs: [0] });
    const orders = {
      written: parts,
      reversed: [...parts].reverse(),
      'workbook last': [
        ...parts.filter(([n]) => n !== 'xl/workbook.xml'),
        parts.find(([n]) => n === 'xl/workbook.xml')!,
      ],
    };
    for (const [label, ps] of Object.entries(orders)) {
      const file = await writeRawXlsx(path.join(tmp(), `${label}.xlsx`), ps);
      expect(await allRows(file), label).toEqual([
        { row: 1, cells: ['订单号', '发货时间'] },
        { row: 2, cells: ['PDD1', 45413.5] },
      ]);
    }
  });

  it('turns every cell type into plain values, dates by their number format', async () => {
    const rows =
      '<row r="3">' +
      '<c r="A3" t="s"><v>0</v></c>' + // rich text with a phonetic guide
      '<c r="C3" t="inlineStr"><is><r><t>华为</t></r><r><rPr><b/></rPr><t xml:space="preserve"> Mate 60</t></r></is></c>' +
      '<c r="D3" t="str"><f>A3&amp;"x"</f><v>计算结果</v></c>' +
      '<c r="E3" t="b"><v>1</v></c>' +
      '<c r="F3" t="e"><v>#N/A</v></c>' +
      '<c r="G3" s="1"><v>45413.75</v></c>' + // built-in 22: m/d/yy h:mm
      '<c r="H3" s="2"><v>45413</v></c>' + // custom yyyy"年"m"月"d"日"
      '<c r="I3" s="3"><v>12.5</v></c>' + // custom 0.00: a number
      '<c r="J3" t="d"><v>2024-05-01T08:30:00</v></c>' +
      '<c r="K3"><v>1.5E+3</v></c>' +
      '<c r="XFD3" s="1"/>' + // a styled empty cell far right adds nothing
      '</row>';
    const file = await writeRawXlsx(
      path.join(tmp(), 'types.xlsx'),
      rawWorkbookParts([{ name: 'S', rows }], {
        sharedStrings: ['<r><t>顺丰</t></r><r><t>速运</t></r><rPh sb="0" eb="2"><t>しゅんぷう</t></rPh>'],
        numFmts: [
          [176, 'yyyy"年"m"月"d"日"'],
          [177, '0.00'],
        ],
        cellXfs: [0, 22, 176, 177],
      }),
    );
    const [r] = await allRows(file);
    expect(r.row).toBe(3);
    expect(r.cells).toEqual([
      '顺丰速运',
      null,
      '华为 Mate 60',
      '计算结果',
      true,
      null,
      new Date(Date.UTC(2024, 4, 1, 18, 0)),
      new Date(Date.UTC(2024, 4, 1)),
      12.5,
      new Date(Date.UTC(2024, 4, 1, 8, 30)),
      1500,
    ]);
  });

  it('counts days from 1904 when the workbook says so', async () => {
    const file = await writeRawXlsx(
      path.join(tmp(), '1904.xlsx'),
      rawWorkbookParts([{ name: 'S', rows: '<row r="1"><c r="A1" s="1"><v>43951</v></c></row>' }], {
        cellXfs: [0, 14],
        date1904: true,
      }),
    );
    expect((await allRows(file))[0].cells).toEqual([new Date(Date.UTC(2024, 4, 1))]);
  });

  it('skips a hidden first sheet by default, lists every sheet, and reads prefixed XML', async () => {
    const file = await writeRawXlsx(
      path.join(tmp(), 'hidden.xlsx'),
      rawWorkbookParts(
        [
          {
            name: 'config',
            hidden: true,
            rows: '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>k</x:t></x:is></x:c></x:row>',
          },
          {
            name: '订单',
            rows: '<x:row><x:c t="inlineStr"><x:is><x:t>PDD9</x:t></x:is></x:c><x:c><x:v>3</x:v></x:c></x:row>',
          },
        ],
        { prefix: 'x' },
      ),
    );
    const s = await xlsxSample(file, null, 10);
    expect(s.sheets).toEqual(['config', '订单']);
    expect(s.sheet).toBe('订单');
    expect(s.rows).toEqual([{ row: 1, cells: ['PDD9', 3] }]);
    expect((await allRows(file, 'config'))[0].cells).toEqual(['k']);
  });

  it('reports progress up to the file size', async () => {
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `<row r="${i + 1}"><c t="inlineStr"><is><t>PDD${i}</t></is></c></row>`,
    );
    const file = await writeRawXlsx(path.join(tmp(), 'p.xlsx'), rawWorkbookParts([{ name: 'S', rows: rows.join('') }]));
    const seen: number[] = [];
    expect(await allRows(file, null, (b) => seen.push(b))).toHaveLength(3000);
    expect(seen.length).toBeGreaterThan(0);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen.at(-1)).toBe(fs.statSync(file).size);
  });

  it('refuses .xlsb, zips that are not workbooks and damaged files with a reason', async () => {
    const dir = tmp();
    const xlsb = await writeRawXlsx(path.join(dir, 'a.xlsx'), [['xl/workbook.bin', 'x']]);
    await expect(xlsxSample(xlsb, null, 5)).rejects.toMatchObject({ details: { problem: 'xlsb' } });
    const ods = await writeRawXlsx(path.join(dir, 'b.xlsx'), [['content.xml', '<office:document-content/>']]);
    await expect(xlsxSample(ods, null, 5)).rejects.toMatchObject({ details: { problem: 'not-a-table' } });
    const good = await writeRawXlsx(
      path.join(dir, 'c.xlsx'),
      rawWorkbookParts([ORDERS], { sharedStrings: ['a', 'b', 'c'] }),
    );
    const cut = path.join(dir, 'cut.xlsx');
    fs.writeFileSync(cut, fs.readFileSync(good).subarray(0, 400));
    await expect(allRows(cut)).rejects.toMatchObject({ details: { problem: 'xlsx-unreadable' } });
    const broken = path.join(dir, 'broken.xlsx');
    await writeRawXlsx(broken, rawWorkbookParts([{ name: 'S', rows: '<row><c><v>1</v></row>' }]));
    await expect(allRows(broken)).rejects.toMatchObject({ details: { problem: 'xlsx-unreadable' } });
  });
});

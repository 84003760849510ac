import { describe, expect, it } from 'vitest';
import {
  CSV_LINE_PROBLEMS,
  CsvParser,
  detectDelimiter,
  type CsvRecord,
  type CsvShape,
} from '../../shared/domain/insight/csv';
import { translate } from '../../shared/i18n';
import { csvCell, toCsv } from '../../shared/domain/insight/csv-export';
import {
  guessHeaderRow,
  guessMapping,
  normalizeHeader,
  reconcileMapping,
} from '../../shared/domain/insight/import-fields';
import {
  combineFacts,
  parseAmountCents,
  parseCode,
  parseTime,
  rowToFacts,
  unwrapSpreadsheetText,
} from '../../shared/domain/insight/import-values';
import { addDays, dayRange, daysBetween, isDay } from '../../shared/domain/insight/days';
import { compareSerial, normalizeSerial } from '../../shared/domain/insight/serials';

const parseAll = (text: string, d = ',', pieces = 1, shape: CsvShape | null = null, max?: number) => {
  const p = new CsvParser(d, shape, max);
  const out = [];
  const step = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += step) out.push(...p.push(text.slice(i, i + step)));
  out.push(...p.end());
  return out;
};
const brief = (records: CsvRecord[]) =>
  records.map((r) => `${r.line}${r.problem ? ` ${r.problem}` : ''}: ${r.fields.join('|')}`);

describe('streaming CSV parser', () => {
  const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"multi\r\nline",\n3,lone\rcr,end';
  it('parses quotes, escaped quotes, embedded newlines, CRLF/LF/CR and blank lines', () => {
    expect(parseAll(text).map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'multi\nline', ''],
      ['3', 'lone'],
      ['cr', 'end'],
    ]);
    expect(parseAll(text).map((r) => r.line)).toEqual([1, 2, 4, 6, 7]);
  });
  it('gives the same records whatever the piece boundaries', () => {
    const whole = parseAll(text);
    for (const pieces of [2, 3, 7, text.length]) expect(parseAll(text, ',', pieces)).toEqual(whole);
  });
  it('counts lines right in a large text, wherever a CRLF falls against its internal slices', () => {
    for (const pad of ['', 'x', 'xx', 'xxx', 'xxxx', 'xxxxx', 'xxxxxx']) {
      const rows = Array.from({ length: 6000 }, (_, i) => `${i}${pad},"a\r\nb"`);
      const records = parseAll(rows.join('\r\n'));
      expect(records).toHaveLength(6000);
      expect(records.every((r, i) => r.line === 2 * i + 1 && r.fields[1] === 'a\nb')).toBe(true);
    }
  });
  it('keeps stray quotes inside a cell as text', () => {
    expect(parseAll('a"b,c""d,"e"\n').map((r) => r.fields)).toEqual([['a"b', 'c""d', 'e']]);
  });
  it('reports a quote that never closes and reads every line after it', () => {
    const shape = { minColumns: 3, maxColumns: 3 };
    // at the end of the text
    expect(brief(parseAll('h,i,j\n1,2,3\n4,"never closed,6\n7,8,9', ',', 1, shape))).toEqual([
      '1: h|i|j',
      '2: 1|2|3',
      '3 unclosed-quote: 4|never closed,6',
      '4: 7|8|9',
    ]);
    // closed by a later quote in the middle of a cell: malformed, not a multi-line cell
    const middle = 'h,i,j\n1,"open,3\n4,5,6\n7,"x"y,9\n10,11,12\n';
    expect(brief(parseAll(middle, ',', 1, shape))).toEqual([
      '1: h|i|j',
      '2 unclosed-quote: 1|open,3',
      '3: 4|5|6',
      // a cell starting with a quote that closes badly swallows too: reported the same way
      '4 unclosed-quote: 7|x"y,9',
      '5: 10|11|12',
    ]);
    // closed well but swallowing rows: wider than the header
    expect(brief(parseAll('h,i,j\n1,"a\n4,5",6,7\n8,9,10\n', ',', 1, shape))).toEqual([
      '1: h|i|j',
      '2 unclosed-quote: 1|a',
      '3 wrong-column-count: 4|5"|6|7',
      '4: 8|9|10',
    ]);
    for (const pieces of [3, 11, middle.length])
      expect(parseAll(middle, ',', pieces, shape)).toEqual(parseAll(middle, ',', 1, shape));
  });
  it('reports a quote closing inside a cell, and the rest of a multi-line cell read after a broken line', () => {
    const shape = { minColumns: 3, maxColumns: 3 };
    expect(brief(parseAll('h,i,j\n1,"a"b,"c",4\n5,6\n', ',', 1, shape))).toEqual([
      '1: h|i|j',
      // (a problem line's fields only serve to name its order)
      '2 unclosed-quote: 1|a"b,"c|4"',
      '3: 5|6',
    ]);
    expect(brief(parseAll('h,i,j\n1,"x,"a\nb",3\n4,5,6\n7,8\n', ',', 1, shape))).toEqual([
      '1: h|i|j',
      '2 unclosed-quote: 1|x,"a',
      // the tail of the broken line's own cell, not a row of its own
      '3 wrong-column-count: b"|3',
      '4: 4|5|6',
      '5: 7|8',
    ]);
  });
  it('bounds a quote that swallows line after line, and an over-long line', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},x,y`).join('\n');
    const records = parseAll(`h,i,j\n"open,b,c\n${rows}\n`, ',', 20, { minColumns: 3, maxColumns: 3 }, 100);
    expect(brief(records).slice(0, 3)).toEqual(['1: h|i|j', '2 unclosed-quote: open,b,c', '3: 0|x|y']);
    expect(records.filter((r) => !r.problem)).toHaveLength(31);
    const long = parseAll(`h,i\n${'z'.repeat(500)}\r\n1,2\n`, ',', 9, null, 100);
    expect(brief(long)).toEqual(['1: h|i', '2 line-too-long: ', '3: 1|2']);
  });
  it('flags a row with more fields than the header (shifted cells); fewer is fine', () => {
    expect(brief(parseAll('h,i,j\n1,2,3\n1,2\n1,2,3,4\n1,2,3,\n', ',', 1, { minColumns: 3, maxColumns: 3 }))).toEqual([
      '1: h|i|j',
      '2: 1|2|3',
      // Excel leaves out the delimiters of empty cells at a row's end
      '3: 1|2',
      '4 wrong-column-count: 1|2|3|4',
      '5 wrong-column-count: 1|2|3|',
    ]);
  });
  it("names every line problem in zh-CN and en, with the line's text", () => {
    for (const p of CSV_LINE_PROBLEMS) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const text = translate(lang, `import.problem.${p}`, { field: '', value: 'A,"SF1' });
        expect(text).not.toBe(`import.problem.${p}`);
        expect(text).toContain('A,"SF1');
      }
      expect(translate('zh-CN', `import.problem.${p}`)).not.toBe(translate('en', `import.problem.${p}`));
    }
  });
  it('detects the delimiter', () => {
    expect(detectDelimiter('订单号,快递单号\n1,2\n3,4\n')).toBe(',');
    expect(detectDelimiter('订单号\t快递单号\t金额\n1\t2\t3,5\n')).toBe('\t');
    expect(detectDelimiter('a;b;c\n"1,5";2;3\n4;5;6\n')).toBe(';');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
  });
});

describe('column mapping guesses', () => {
  it('reads Chinese and English back-office headers', () => {
    expect(
      guessMapping(['订单编号', '运单号', '发货时间', '商品名称', '实付金额（元）', '买家留言', '订单状态']),
    ).toEqual({
      orderNo: '订单编号',
      trackingNo: '运单号',
      shippedAt: '发货时间',
      item: '商品名称',
      amount: '实付金额（元）',
      buyerNote: '买家留言',
      orderStatus: '订单状态',
    });
    expect(guessMapping(['Order ID', 'Waybill No.', 'Ship Date', 'Product Name', 'Qty', 'Total'])).toEqual({
      orderNo: 'Order ID',
      trackingNo: 'Waybill No.',
      shippedAt: 'Ship Date',
      item: 'Product Name',
      quantity: 'Qty',
      amount: 'Total',
    });
  });
  it('prefers the most specific name: a return tracking column is not the tracking number', () => {
    expect(guessMapping(['订单号(必填)', '退货快递单号(新)', '快递单号:'])).toEqual({
      orderNo: '订单号(必填)',
      returnTrackingNo: '退货快递单号(新)',
      trackingNo: '快递单号:',
    });
    expect(normalizeHeader(' 订单号（必填） ')).toBe('订单号');
  });
  it('finds the header under title lines', () => {
    expect(
      guessHeaderRow([
        ['拼多多订单导出'],
        ['导出时间 2026-11-20'],
        ['订单号', '快递单号', '发货时间'],
        ['1', '2', '3'],
      ]),
    ).toBe(2);
    expect(
      guessHeaderRow([
        ['x', 'y', 'z'],
        ['1', '2', '3'],
      ]),
    ).toBe(0);
  });
  it('keeps a saved mapping where the file still has the column, guesses the rest', () => {
    expect(reconcileMapping({ orderNo: '单号', trackingNo: 'gone' }, ['单号', '快递单号', '订单号'])).toEqual({
      orderNo: '单号',
      trackingNo: '快递单号',
    });
    // a field staff deliberately left unmapped stays unmapped
    expect(reconcileMapping({ orderNo: '订单号', trackingNo: '' }, ['订单号', '快递单号'])).toEqual({
      orderNo: '订单号',
    });
  });
});

describe('cell values', () => {
  it('unwraps spreadsheet protections and refuses numbers Excel mangled', () => {
    expect(unwrapSpreadsheetText('="SF1234567890123"')).toBe('SF1234567890123');
    expect(unwrapSpreadsheetText("'773012345678901")).toBe('773012345678901');
    expect(parseCode('7.73012E+14')).toEqual({ ok: false, problem: 'mangled-number' });
    expect(parseCode(7730123456789012)).toEqual({ ok: false, problem: 'mangled-number' });
    expect(parseCode(773012345678901)).toEqual({ ok: true, value: '773012345678901' }); // 15 digits survive Excel
    expect(parseCode(12345)).toEqual({ ok: true, value: '12345' });
    expect(parseCode('ＳＦ１２３４')).toEqual({ ok: true, value: 'SF1234' });
    expect(parseCode('a\u0007b')).toEqual({ ok: false, problem: 'bad-code' });
  });
  it('parses the time formats of Chinese exports as local wall-clock time', () => {
    const local = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) =>
      new Date(y, m - 1, d, h, mi, s).toISOString();
    expect(parseTime('2026-11-20 08:05:09')).toEqual({ ok: true, value: local(2026, 11, 20, 8, 5, 9) });
    expect(parseTime('2026/1/2 9:05')).toEqual({ ok: true, value: local(2026, 1, 2, 9, 5) });
    expect(parseTime('2026年11月20日 08时05分')).toEqual({ ok: true, value: local(2026, 11, 20, 8, 5) });
    expect(parseTime('2026年11月20日08时05分09秒')).toEqual({ ok: true, value: local(2026, 11, 20, 8, 5, 9) });
    expect(parseTime('2026-11-20')).toEqual({ ok: true, value: local(2026, 11, 20) });
    expect(parseTime('2026-11-20T08:05:09+08:00')).toEqual({ ok: true, value: '2026-11-20T00:05:09.000Z' });
    expect(parseTime('2026-11-20T00:05:09Z')).toEqual({ ok: true, value: '2026-11-20T00:05:09.000Z' });
    expect(parseTime(new Date(Date.UTC(2026, 10, 20, 8, 5, 9)))).toEqual({
      ok: true,
      value: local(2026, 11, 20, 8, 5, 9),
    });
    for (const bad of ['2026-02-30 10:00', '20/11/2026', 'yesterday', '2026-11-20 25:00', '1970-01-01'])
      expect(parseTime(bad)).toMatchObject({ ok: false });
    expect(parseTime('')).toEqual({ ok: true, value: null });
  });
  it('parses amounts to exact cents', () => {
    expect(parseAmountCents('¥1,299.50')).toEqual({ ok: true, value: 129950 });
    expect(parseAmountCents('12元')).toEqual({ ok: true, value: 1200 });
    expect(parseAmountCents(19.9)).toEqual({ ok: true, value: 1990 });
    expect(parseAmountCents('12.345')).toMatchObject({ ok: false });
    expect(parseAmountCents('-5')).toMatchObject({ ok: false });
  });
  it('turns a row into facts, or into every reason it cannot be used', () => {
    const headers = new Map([
      ['订单号', 0],
      ['快递单号', 1],
      ['金额', 2],
    ]);
    const mapping = { orderNo: '订单号', trackingNo: '快递单号', amount: '金额' };
    expect(rowToFacts(['A1', 'SF1', '3'], headers, mapping)).toMatchObject({
      ok: true,
      facts: { orderNo: 'A1', trackingNo: 'SF1', amountCents: 300, item: null },
    });
    const bad = rowToFacts(['', '1.2E+14', 'x'], headers, mapping);
    expect(bad.ok ? [] : bad.errors.map((e) => e.problem).sort()).toEqual([
      'bad-amount',
      'mangled-number',
      'missing-order-no',
    ]);
  });
  it('combines repeated rows of one order', () => {
    const base = {
      orderNo: 'A',
      trackingNo: null,
      courier: null,
      shippedAt: null,
      signedAt: null,
      returnTrackingNo: null,
      returnSignedAt: null,
      item: '耳机',
      quantity: 1,
      amountCents: 100,
      buyerNote: null,
      orderStatus: null,
      shop: null,
    };
    const c = combineFacts(base, { ...base, trackingNo: 'SF1', item: '耳机套', quantity: 2, amountCents: 5 });
    expect(c).toMatchObject({ trackingNo: 'SF1', item: '耳机 / 耳机套', quantity: 3, amountCents: 100 });
    expect(combineFacts(c, { ...base, item: '耳机套', quantity: 2 })).toMatchObject({
      item: '耳机 / 耳机套',
      quantity: 3,
    });
  });
});

describe('CSV export, days, serials', () => {
  it('writes Excel-safe CSV (BOM, quotes, no formula injection)', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(
      toCsv(
        ['订单号', '商品'],
        [
          ['A1', '耳机\n白色'],
          ['A2', null],
        ],
      ),
    ).toBe('\ufeff订单号,商品\r\nA1,"耳机\n白色"\r\nA2,\r\n');
  });
  it('turns local days into UTC ranges', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    const r = dayRange('2026-11-20', '2026-11-21');
    expect(new Date(r.from).getHours()).toBe(0);
    expect(new Date(r.to).getTime() - new Date(r.from).getTime()).toBe(2 * 86_400_000);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });
  it('compares serials: match, mismatch, missing', () => {
    expect(normalizeSerial(' sn-ab 12 ')).toBe('SNAB12');
    expect(compareSerial(['SNAB12', '356789012345678'], 'snab12')).toBe('match');
    expect(compareSerial(['SNAB12'], 'SNAB13')).toBe('mismatch');
    expect(compareSerial([], 'SNAB12')).toBe('missing');
  });
});

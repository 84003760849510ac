import { describe, expect, it } from 'vitest';
import { classifyCode, normalizeScan } from '../../shared/domain/scan-code';
import { safeFileStem } from '../../shared/domain/safe-name';
import { defaultSettings } from '../../shared/domain/settings';

describe('normalizeScan', () => {
  it.each([
    ['  SF1234567890  ', { ok: true, code: 'SF1234567890' }],
    ['ＳＦ１２３', { ok: true, code: 'SF123' }],
    ['', { ok: false, problem: 'empty' }],
    ['   ', { ok: false, problem: 'empty' }],
    ['AB\u0007C', { ok: false, problem: 'control-chars' }],
    ['x'.repeat(500), { ok: false, problem: 'too-long' }],
    ['///', { ok: false, problem: 'no-usable-chars' }],
  ])('%j', (raw, expected) => expect(normalizeScan(raw)).toEqual(expected));
});

describe('classifyCode with default patterns', () => {
  const p = defaultSettings();
  it.each([
    ['231124-123456789012345', 'order'],
    ['SF1234567890123', 'tracking'],
    ['YT1234567890123', 'tracking'],
    ['773012345678901', 'tracking'],
    ['SNAB12CD34', 'serial'],
    ['hello-world', 'unknown'],
  ])('%s → %s', (code, kind) => expect(classifyCode(code, p)).toBe(kind));
});

describe('classifyCode with SKU patterns (SKU-first packing)', () => {
  // a broad SKU pattern that would also match order and tracking numbers and serials
  const p = { ...defaultSettings(), skuPatterns: ['^[A-Z0-9-]{6,}$'] };
  it.each([
    ['231124-123456789012345', 'order'], // an order number stays an order
    ['SF1234567890123', 'tracking'], // so does a tracking number
    ['CUP-0042', 'sku'],
    ['SNAB12CD34', 'sku'], // SKU patterns come before serial patterns
    ['hello', 'unknown'],
  ])('%s → %s', (code, kind) => expect(classifyCode(code, p)).toBe(kind));
  it('is off by default: no code is a SKU', () => {
    expect(defaultSettings().skuPatterns).toEqual([]);
    expect(classifyCode('CUP-0042', defaultSettings())).toBe('unknown');
  });
});

describe('safeFileStem', () => {
  it('keeps ordinary order numbers as they are', () => {
    expect(safeFileStem('231124-123456789012345')).toBe('231124-123456789012345');
  });
  it.each([
    '../../etc/passwd',
    'a/b\\c',
    'C:\\x',
    'CON',
    'nul.txt',
    '📦订单123🔥',
    'a*b?c"d<e>f|g',
    '. .',
    '..',
    'x'.repeat(300),
    'trailing. ',
  ])('makes %j safe', (raw) => {
    const s = safeFileStem(raw);
    // eslint-disable-next-line no-control-regex
    expect(s).not.toMatch(/[<>:"/\\|?*\u0000-\u001f]/);
    expect(s).not.toMatch(/^\.|\.$|\s$/);
    expect(s).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
    expect(s.length).toBeLessThanOrEqual(70);
    expect(s.length).toBeGreaterThan(0);
    expect(s.includes('..')).toBe(false);
  });
  it('never maps two different codes to the same name', () => {
    expect(safeFileStem('A/B')).not.toBe(safeFileStem('A\\B'));
  });
});

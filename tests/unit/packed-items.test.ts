import { describe, expect, it } from 'vitest';
import { judgeItemScan, missingItems } from '../../shared/domain/packed-items';

const ordered = [
  { sku: 'CUP-1', name: 'cup', quantity: 2 },
  { sku: 'LID-1', name: null, quantity: 1 },
  { sku: 'cup-1', name: 'cup (second line)', quantity: 1 },
];

describe('items packed vs ordered', () => {
  it('judges each scan: ok up to the quantity (lines of one SKU add up, any case), then too many; others are wrong', () => {
    expect(judgeItemScan(ordered, [], ' cup-1 ')).toEqual({ result: 'ok', scanned: 1, ordered: 3 });
    expect(judgeItemScan(ordered, ['CUP-1', 'CUP-1'], 'CUP-1')).toEqual({ result: 'ok', scanned: 3, ordered: 3 });
    expect(judgeItemScan(ordered, ['CUP-1', 'CUP-1', 'cup-1'], 'CUP-1')).toEqual({
      result: 'too-many',
      scanned: 4,
      ordered: 3,
    });
    expect(judgeItemScan(ordered, [], 'PEN-9')).toEqual({ result: 'wrong-item', scanned: 1, ordered: 0 });
    expect(judgeItemScan([], [], 'PEN-9')).toEqual({ result: 'no-items-known', scanned: 1, ordered: 0 });
  });

  it('lists what was not scanned as often as ordered', () => {
    expect(missingItems(ordered, ['CUP-1'])).toEqual([
      { sku: 'CUP-1', name: 'cup', ordered: 3, scanned: 1 },
      { sku: 'LID-1', name: null, ordered: 1, scanned: 0 },
    ]);
    expect(missingItems(ordered, ['CUP-1', 'cup-1', 'CUP-1', 'LID-1', 'PEN-9'])).toEqual([]);
    expect(missingItems([], ['CUP-1'])).toEqual([]);
  });
});

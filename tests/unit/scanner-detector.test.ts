import { describe, expect, it } from 'vitest';
import { ScannerDetector } from '../../shared/domain/scanner-detector';

const opts = { maxInterKeyMs: 40, minLength: 4, endPauseMs: 120 };

function typeAll(d: ScannerDetector, text: string, start: number, gap: number, enter = true) {
  let t = start;
  const outputs = [];
  for (const ch of text) {
    outputs.push(d.feed(ch, t).output);
    t += gap;
  }
  if (enter) outputs.push(d.feed('Enter', t).output);
  return { outputs: outputs.filter(Boolean), end: t };
}

describe('ScannerDetector', () => {
  it('recognises a fast burst ending in Enter as a scan', () => {
    const d = new ScannerDetector(opts);
    expect(typeAll(d, 'SF1234567890', 0, 5).outputs).toEqual([{ kind: 'scan', code: 'SF1234567890' }]);
  });

  it('ignores a person typing the same code', () => {
    const d = new ScannerDetector(opts);
    expect(typeAll(d, 'SF1234567890', 0, 180).outputs).toEqual([]);
  });

  it('tolerates a stalled key event inside a burst but not a slow typist', () => {
    const d = new ScannerDetector(opts);
    let t = 0;
    for (const ch of 'ABCD1234') {
      d.feed(ch, t);
      t += ch === 'A' ? 400 : 5;
    }
    expect(d.feed('Enter', t).output).toEqual({ kind: 'scan', code: 'ABCD1234' });
    const slow = new ScannerDetector(opts);
    expect(typeAll(slow, 'ABCD', 0, 90).outputs).toEqual([]);
  });

  it('ends an Enter-less scan after a pause', () => {
    const d = new ScannerDetector(opts);
    const { end } = typeAll(d, 'YT1234567890123', 1000, 4, false);
    expect(d.tick(end + 50)).toBeNull();
    expect(d.tick(end + 200)).toEqual({ kind: 'scan', code: 'YT1234567890123' });
    expect(d.tick(end + 400)).toBeNull();
  });

  it('once a scanner sent Enter, a stall does not end its next code early', () => {
    const d = new ScannerDetector(opts);
    const a = typeAll(d, 'FIRST-CODE', 0, 5);
    let t = a.end + 2000;
    for (const ch of 'SF12') d.feed(ch, (t += 5));
    expect(d.tick(t + 300)).toBeNull();
    for (const ch of '3456') d.feed(ch, (t += 5));
    expect(d.feed('Enter', t + 5).output).toEqual({ kind: 'scan', code: 'SF123456' });
  });

  it('rejects bursts shorter than the minimum length', () => {
    const d = new ScannerDetector(opts);
    expect(typeAll(d, 'AB', 0, 5).outputs).toEqual([]);
  });

  it('marks keys of a burst as consumed so they stay out of text boxes', () => {
    const d = new ScannerDetector(opts);
    expect(d.feed('A', 0).consumed).toBe(false);
    expect(d.feed('B', 5).consumed).toBe(true);
    expect(d.feed('Shift', 6).consumed).toBe(false);
  });

  it('separates two scans in a row', () => {
    const d = new ScannerDetector(opts);
    const a = typeAll(d, 'ORDER-1', 0, 5);
    const b = typeAll(d, 'ORDER-2', a.end + 500, 5);
    expect([...a.outputs, ...b.outputs]).toEqual([
      { kind: 'scan', code: 'ORDER-1' },
      { kind: 'scan', code: 'ORDER-2' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ScannerDetector } from '../../shared/domain/scanner-detector';
import { ScannerSchema } from '../../shared/domain/settings';
import { REAL_SCANNERS, scannerKeys, type ScannerProfile } from '../helpers/scanner-rhythms';

/** the shipped defaults: the threshold is chosen for these */
const defaults = ScannerSchema.parse({});
const TICK_MS = 40; // useScannerInput's timer

interface PageKey {
  key: string;
  /** KeyboardEvent.timeStamp */
  at: number;
  /** performance.now() when the page handled it */
  receivedAt: number;
}

/**
 * A station page: handles each key at its `receivedAt` and runs the detector's timer every
 * 40 ms in between (a tick due while keys are being handled runs after them), until `until`.
 */
function runPage(d: ScannerDetector, keys: PageKey[], until: number) {
  const scans: string[] = [];
  const consumed: boolean[] = [];
  const queue = [...keys].sort((a, b) => a.receivedAt - b.receivedAt);
  for (let now = 0; now <= until; now += TICK_MS) {
    while (queue.length && queue[0].receivedAt <= now) {
      const k = queue.shift()!;
      const r = d.feed(k.key, k.at, k.receivedAt);
      if (k.key !== 'Enter') consumed.push(r.consumed);
      if (r.output) scans.push(r.output.code);
    }
    const out = d.tick(now);
    if (out) scans.push(out.code);
  }
  return { scans, consumed };
}

/** a scanner's keys as they reach an idle page: handled at their timestamps */
const scanned = (code: string, profile: ScannerProfile, start: number): PageKey[] =>
  scannerKeys(code, profile).map((k) => ({ key: k.key, at: start + k.atMs, receivedAt: start + k.atMs }));

/** a person typing: one key every `gapMs` (or a list of gaps, repeated), then Enter */
function typed(text: string, gaps: number[], start: number, enter: boolean): PageKey[] {
  let t = start;
  return [...text, ...(enter ? ['Enter'] : [])].map((key, i) => {
    if (i > 0) t += gaps[(i - 1) % gaps.length];
    return { key, at: t, receivedAt: t };
  });
}

describe('ScannerDetector: the rhythms real scanners have, with the default settings', () => {
  it.each(REAL_SCANNERS.map((p) => [p.name, p] as const))('%s: one scan of the whole code', (_name, profile) => {
    const d = new ScannerDetector(defaults);
    const { scans, consumed } = runPage(d, scanned('SF1400000000007', profile, 1000), 3000);
    expect(scans).toEqual(['SF1400000000007']);
    // every key after the first stays out of a focused text box
    expect(consumed).toEqual([false, ...Array(14).fill(true)]);
  });

  it.each(REAL_SCANNERS.map((p) => [p.name, p] as const))('%s: two codes in a row stay two', (_name, profile) => {
    const d = new ScannerDetector(defaults);
    const keys = [...scanned('SF1400000000007', profile, 1000), ...scanned('241124-889900112233445', profile, 4000)];
    expect(runPage(d, keys, 6000).scans).toEqual(['SF1400000000007', '241124-889900112233445']);
  });

  it.each([
    ['120 ms per key', [120]],
    ['200 ms per key', [200]],
    ['a quick typist whose keys roll (40 ms, then 200 ms)', [40, 200]],
  ])('a person typing %s is not a scan, and no key is kept out of the text box', (_name, gaps) => {
    for (const enter of [true, false]) {
      const d = new ScannerDetector(defaults);
      const { scans, consumed } = runPage(d, typed('SF1400000000007', gaps, 1000, enter), 8000);
      expect(scans).toEqual([]);
      expect(consumed.every((c) => !c)).toBe(true);
    }
  });

  it('a scanner slower than the threshold is taken for typing until the setting is raised', () => {
    const slow: ScannerProfile = { name: 'slow', rhythm: { kind: 'steady', gapMs: 90 }, enter: true };
    expect(runPage(new ScannerDetector(defaults), scanned('SF1400000000007', slow, 0), 3000).scans).toEqual([]);
    const raised = new ScannerDetector({ ...defaults, maxInterKeyMs: 100 });
    expect(runPage(raised, scanned('SF1400000000007', slow, 0), 3000).scans).toEqual(['SF1400000000007']);
  });
});

describe('ScannerDetector: keys handled late by a busy page', () => {
  const noEnter: ScannerProfile = { name: 'no Enter', rhythm: { kind: 'steady', gapMs: 5 }, enter: false };

  it('keys handled ever later than their timestamps (80 ms apart, stamped 5 ms apart) are one code', () => {
    // the first scan after the page opens: the page handles each key 80 ms after the last,
    // so by the 4th key it is 300 ms behind the scanner, and ticks run in between
    const keys = scannerKeys('SF1400000000007', noEnter).map((k, i) => ({
      key: k.key,
      at: 1000 + k.atMs,
      receivedAt: 1300 + i * 80,
    }));
    const d = new ScannerDetector(defaults);
    expect(runPage(d, keys, 4000).scans).toEqual(['SF1400000000007']);
  });

  it('a tick that runs right after the page was blocked, before the keys queued behind it, does not end the code', () => {
    const d = new ScannerDetector(defaults);
    // 4 keys handled at once, then the page is blocked 400 ms; the scanner's other keys
    // waited in the queue, and the timer's tick happened to run first
    'SF14'.split('').forEach((ch, i) => d.feed(ch, 1000 + i * 5, 1001 + i * 5));
    expect(d.tick(1420)).toBeNull();
    '00000000007'.split('').forEach((ch, i) => d.feed(ch, 1020 + i * 5, 1421 + i));
    let out = null;
    for (let now = 1440; !out && now < 3000; now += TICK_MS) out = d.tick(now);
    expect(out).toEqual({ kind: 'scan', code: 'SF1400000000007' });
  });

  it('keys delivered in clumps 400 ms late: a 300 ms gap between clumps does not end the code', () => {
    const d = new ScannerDetector(defaults);
    'SF1400'.split('').forEach((ch, i) => d.feed(ch, 1000 + i * 5, 1400 + i * 5 + 5));
    expect(d.tick(1730)).toBeNull(); // 300 ms after the last key, but that key was 400 ms late
    expect(d.tick(1770)).toBeNull();
    '000000007'.split('').forEach((ch, i) => d.feed(ch, 1030 + i * 5, 1770 + i));
    const ticks = Array.from({ length: 30 }, (_, i) => d.tick(1800 + i * TICK_MS));
    expect(ticks.filter(Boolean)).toEqual([{ kind: 'scan', code: 'SF1400000000007' }]);
  });

  it('an Enter-less code ends once the page received no key for endPauseMs, seen by two ticks', () => {
    const d = new ScannerDetector(defaults);
    'YT1234567890123'.split('').forEach((ch, i) => d.feed(ch, i * 4, 2 + i * 4));
    const last = 2 + 14 * 4;
    expect(d.tick(last + 200)).toBeNull();
    expect(d.tick(last + defaults.endPauseMs)).toBeNull();
    expect(d.tick(last + defaults.endPauseMs + TICK_MS)).toEqual({ kind: 'scan', code: 'YT1234567890123' });
    expect(d.tick(last + 1000)).toBeNull();
  });

  it('after keys handled 500 ms late, the code ends 500 ms after the last key, not 250', () => {
    const d = new ScannerDetector(defaults);
    'YT1234567890123'.split('').forEach((ch, i) => d.feed(ch, i * 4, 500 + i * 4));
    const last = 500 + 14 * 4;
    expect(d.tick(last + 300)).toBeNull();
    expect(d.tick(last + 460)).toBeNull();
    expect(d.tick(last + 500)).toBeNull();
    expect(d.tick(last + 540)).toEqual({ kind: 'scan', code: 'YT1234567890123' });
  });
});

describe('ScannerDetector: details', () => {
  it('tolerates a stalled key inside a burst but not a slow typist', () => {
    const d = new ScannerDetector(defaults);
    let t = 0;
    for (const ch of 'ABCD1234') {
      d.feed(ch, t);
      t += ch === 'A' ? 400 : 5;
    }
    expect(d.feed('Enter', t).output).toEqual({ kind: 'scan', code: 'ABCD1234' });
    const slow = new ScannerDetector(defaults);
    expect(runPage(slow, typed('ABCD', [90], 0, true), 2000).scans).toEqual([]);
  });

  it('once a scanner sent Enter, a stall does not end its next code early', () => {
    const d = new ScannerDetector(defaults);
    runPage(d, typed('FIRST-CODE', [5], 0, true), 200);
    let t = 2000;
    for (const ch of 'SF12') d.feed(ch, (t += 5));
    expect(d.tick(t + 300)).toBeNull();
    expect(d.tick(t + 340)).toBeNull();
    for (const ch of '3456') d.feed(ch, (t += 5));
    expect(d.feed('Enter', t + 5).output).toEqual({ kind: 'scan', code: 'SF123456' });
  });

  it('rejects bursts shorter than the minimum length', () => {
    expect(runPage(new ScannerDetector(defaults), typed('AB', [5], 0, true), 1000).scans).toEqual([]);
    expect(runPage(new ScannerDetector(defaults), typed('AB', [5], 0, false), 1000).scans).toEqual([]);
  });

  it('modifier keys (a scanner presses Shift for capitals) neither count nor break the burst', () => {
    const d = new ScannerDetector(defaults);
    expect(d.feed('Shift', 0).consumed).toBe(false);
    expect(d.feed('A', 0).consumed).toBe(false);
    expect(d.feed('Shift', 3).consumed).toBe(false);
    expect(d.feed('B', 3).consumed).toBe(true);
    for (const [i, ch] of [...'123'].entries()) d.feed(ch, 6 + i * 3);
    expect(d.feed('Enter', 20).output).toEqual({ kind: 'scan', code: 'AB123' });
  });
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REAL_SCANNERS, scannerKeys, type ScannerProfile } from '../helpers/scanner-rhythms';
import { scan } from './scanner-replay';
import { pageApi, stationSession } from './session';

/**
 * Real scanners' rhythms replayed into the station with their own key timestamps, on a
 * page that is busy: blocked by a long task, or recording. A code must come out whole,
 * however late the page handles its keys.
 */
const LABEL = 'SF1400000000099';

/** The codes the station took as scans (from its `proofpack:scan` marks). */
const scans = (page: Page) =>
  page.evaluate(() =>
    (performance.getEntriesByName('proofpack:scan') as PerformanceMark[]).map((m) => m.detail as string),
  );

/**
 * Waits until every key of `code` has ended up in a scan (whole, or cut in pieces) and
 * returns the scans made since `before` of them.
 */
async function scansOf(page: Page, before: number, code: string): Promise<string[]> {
  await page.waitForFunction(
    ([n, len]) =>
      (performance.getEntriesByName('proofpack:scan') as PerformanceMark[])
        .slice(n)
        .map((m) => m.detail as string)
        .join('').length >= len,
    [before, code.length] as const,
  );
  return (await scans(page)).slice(before);
}

/** Blocks the page's main thread for `ms` once it handles the next key: the keys after it wait. */
const blockOnNextKey = (page: Page, ms: number) =>
  page.evaluate((n) => {
    const block = () => {
      const end = performance.now() + n;
      while (performance.now() < end);
    };
    addEventListener('keydown', block, { capture: true, once: true });
  }, ms);

/**
 * The station records `code` (the recorder runs and the server has its row); then the
 * recording is held long enough to store whole video fragments, or it is not footage.
 */
async function recordsFor(page: Page, code: string) {
  await page.waitForFunction(
    (c) =>
      document.querySelector('[data-testid="station"]')?.getAttribute('data-phase') === 'recording' &&
      document.querySelector('[data-testid="status-order"]')?.textContent === c,
    code,
  );
  await page.waitForTimeout(2000);
}

async function stopAndListOrders(page: Page): Promise<{ orderNo: string; videoCount: number }[]> {
  await page.keyboard.press('F2');
  await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
  const r = await pageApi<{ value: { orderNo: string; videoCount: number }[] }>(page, 'orders.search', {
    query: '',
  });
  return r.value;
}

const withEnter = REAL_SCANNERS.filter((p) => p.enter);
const withoutEnter = REAL_SCANNERS.filter((p) => !p.enter);
const codeFor = (i: number) => `YT${String(1000000000000 + i)}`;

describe('scanners at a busy station (Chromium, keys replayed with their own timestamps)', () => {
  const session = stationSession(LABEL);
  const recorded: string[] = [];

  it("the replay hands the page the scanner's own key times, not when the page got round to the keys", async () => {
    const page = await session.browser.newPage();
    try {
      await page.setContent('<input autofocus>');
      await page.evaluate(() => {
        const w = window as unknown as { stamps: [string, number][] };
        w.stamps = [];
        addEventListener('keydown', (e) => w.stamps.push([e.key, e.timeStamp]), true);
      });
      const bursts: ScannerProfile = {
        name: 'Bluetooth',
        rhythm: { kind: 'bursts', keysPerBurst: 3, pauseMs: 45 },
        enter: true,
      };
      await scan(page, 'ab1-2c7', bursts);
      const stamps = await page.evaluate(() => (window as unknown as { stamps: [string, number][] }).stamps);
      expect(stamps.map(([k]) => k)).toEqual([...'ab1-2c7', 'Enter']);
      const sent = scannerKeys('ab1-2c7', bursts).map((k) => k.atMs);
      // the page's clock is coarsened to 0.1 ms
      stamps.forEach(([, t], i) => expect(Math.abs(t - stamps[0][1] - sent[i])).toBeLessThan(0.25));
      expect(await page.inputValue('input')).toBe('ab1-2c7');
    } finally {
      await page.close();
    }
  });

  it('the first scan after the page opens, Enter-less, handled late by a blocked page and arriving in two clumps, is one code', async () => {
    const { page } = session;
    const code = 'SF1400000000007';
    const noEnter: ScannerProfile = { name: 'USB, no Enter', rhythm: { kind: 'steady', gapMs: 5 }, enter: false };
    const before = (await scans(page)).length;
    // the keys reach the page 300 ms late, the page is blocked 400 ms by the first of them,
    // and the last keys come after the page has caught up and its timer has run: by then it
    // handles keys 700 ms after their timestamps, which must not read as a pause
    await blockOnNextKey(page, 400);
    await scan(page, code, noEnter, { lateMs: 300, split: { keys: 4, afterMs: 500 } });
    expect(await scansOf(page, before, code)).toEqual([code]);
    await recordsFor(page, code);
    recorded.push(code);
  });

  it.each(withoutEnter.map((p) => [p.name, p] as const))(
    'while recording, an Enter-less scanner (%s) on a blocked page: the code saves the last recording and starts its own',
    async (_name, profile) => {
      const { page } = session;
      const code = codeFor(recorded.length);
      const before = (await scans(page)).length;
      await blockOnNextKey(page, 300);
      await scan(page, code, profile, { lateMs: 300, split: { keys: 6, afterMs: 400 } });
      expect(await scansOf(page, before, code)).toEqual([code]);
      await recordsFor(page, code);
      recorded.push(code);
    },
  );

  it.each(withEnter.map((p) => [p.name, p] as const))(
    'while recording, a scanner with Enter (%s): the code saves the last recording and starts its own',
    async (_name, profile) => {
      const { page } = session;
      const code = codeFor(recorded.length);
      const before = (await scans(page)).length;
      await scan(page, code, profile);
      expect(await scansOf(page, before, code)).toEqual([code]);
      await recordsFor(page, code);
      recorded.push(code);
    },
  );

  it('every code scanned was recorded whole, each once, and nothing else', async () => {
    const orders = await stopAndListOrders(session.page);
    expect(orders.map((o) => o.orderNo).sort()).toEqual([...recorded].sort());
    // named when it fails: which order has no video, or two
    expect(orders.filter((o) => o.videoCount !== 1)).toEqual([]);
  });
});

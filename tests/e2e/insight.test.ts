import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../shared/domain/insight/days';
import { orderRow, writeOrdersCsv } from '../fixtures/order-files';
import { launchChromium, openStation, startApp, tempDataDir, type AppProcess } from './harness';
import { scan } from './scanner-replay';

/**
 * Staff insight end to end in Chromium through the loopback mode: import a back-office
 * CSV, see the coverage gap, record the missing order at the station (scanned), see the
 * gap close; then a serial number scanned at packing and a different one at the return
 * raises the swapped-item alert and shows on the coverage screen.
 * PROOFPACK_E2E_RENDERER_DIR serves a renderer built elsewhere (default: out/renderer).
 */
const day = today();
const [A, B, C] = [orderRow(501, day), orderRow(502, day), orderRow(503, day)];

async function go(page: Page, screen: string) {
  await page.click(`[data-testid="nav-${screen}"]`);
  await page.waitForSelector(
    screen === 'station' ? '[data-testid="station"]:visible' : `[data-testid="${screen}-screen"]`,
  );
}

const kpi = (page: Page, key: string) => page.getAttribute(`[data-testid="cov-${key}"]`, 'data-value').then(Number);
const gapOrders = (page: Page) =>
  page.$$eval('[data-testid="gap-row"]', (rows) =>
    rows.map((r) => `${r.getAttribute('data-kind')}:${r.getAttribute('data-order')}`),
  );

async function recordAndStop(page: Page, code: string, during?: () => Promise<void>) {
  await scan(page, code);
  await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
  await page.waitForTimeout(1200);
  await during?.();
  await page.waitForTimeout(1600); // past the duplicate-scan window
  await scan(page, code);
  await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
}

describe('import → coverage gap → record at the station → gap closed (Chromium)', () => {
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  const files = tempDataDir('pp-e2e-orders-');

  beforeAll(async () => {
    const rendererDir = process.env.PROOFPACK_E2E_RENDERER_DIR;
    app = await startApp(tempDataDir(), rendererDir ? ['--renderer-dir', rendererDir] : []);
    browser = await launchChromium();
    page = await openStation(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('shows the gap after an import and closes it once the order is recorded', async () => {
    const csv = writeOrdersCsv(path.join(files, 'pdd-orders.csv'), [A, B, C], {
      encoding: 'gbk',
      titleLines: ['拼多多商家后台 订单导出'],
    });
    await go(page, 'import');
    await page.fill('[data-testid="import-source"]', '拼多多后台');
    await page.setInputFiles('[data-testid="import-file"]', csv);
    await page.waitForSelector('[data-testid="import-mapping"]');
    expect(await page.inputValue('[data-testid="map-orderNo"]')).toBe('订单号');
    expect(await page.inputValue('[data-testid="map-trackingNo"]')).toBe('快递单号');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="preview-row"]').length === 3);
    expect(await page.textContent('[data-testid="import-preview"]')).toContain(A.orderNo);
    await page.click('[data-testid="import-start"]');
    await page.waitForSelector('[data-testid="import-result"]');
    expect(await page.getAttribute('[data-testid="import-imported"]', 'data-value')).toBe('3');
    expect(await page.getAttribute('[data-testid="import-rejected"]', 'data-testid')).toBe('import-rejected');

    await page.click('[data-testid="import-to-coverage"]');
    await page.waitForSelector('[data-testid="coverage-screen"] [data-testid="cov-shippedWithoutVideo"]');
    expect(await kpi(page, 'shipped')).toBe(3);
    expect(await kpi(page, 'shippedWithoutVideo')).toBe(3);
    expect((await gapOrders(page)).sort()).toEqual([A, B, C].map((o) => `no-packing-video:${o.orderNo}`).sort());

    // the packer scans A's tracking number (a scanner burst) and records it
    await go(page, 'station');
    await recordAndStop(page, A.trackingNo!);
    expect(await page.textContent('[data-testid="status-order"]')).toBe('—');

    await go(page, 'coverage');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="cov-shippedWithoutVideo"]')?.getAttribute('data-value') === '2',
    );
    expect((await gapOrders(page)).sort()).toEqual([B, C].map((o) => `no-packing-video:${o.orderNo}`).sort());

    // lookup by the tracking number finds the order with its video
    await page.fill('[data-testid="coverage-lookup"]', A.trackingNo!);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="coverage-found"]');
    expect(await page.textContent('[data-testid="coverage-found"]')).toContain(A.orderNo);
  });

  it('serial scanned at packing vs at the return: the swapped item is flagged loudly and listed', async () => {
    await go(page, 'station');
    // packing B: its serial label is scanned mid-recording (a serial, not a new order)
    await recordAndStop(page, B.orderNo, async () => {
      await scan(page, 'SN12345678AB');
      await page.waitForSelector('[data-testid="notice-info"]');
      expect(await page.getAttribute('[data-testid="station"]', 'data-phase')).toBe('recording');
      expect(await page.textContent('[data-testid="status-order"]')).toBe(B.orderNo);
    });
    await page.click('[data-testid="mode-return"]');
    // the mode is a saved setting: a scan before it is applied would record outbound
    await page.waitForSelector('[data-testid="mode-return"][aria-checked="true"]');
    await recordAndStop(page, B.trackingNo!, async () => {
      await scan(page, 'SN99999999ZZ');
      await page.waitForSelector('[data-testid="serial-alert"]');
      expect(await page.textContent('[data-testid="serial-alert"]')).toContain('SN12345678AB');
      expect(await page.textContent('[data-testid="serial-alert"]')).toContain('SN99999999ZZ');
    });
    await page.click('[data-testid="serial-alert"] button');
    await page.click('[data-testid="mode-outbound"]');
    await page.waitForSelector('[data-testid="mode-outbound"][aria-checked="true"]');

    await go(page, 'coverage');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="cov-swapped"]')?.getAttribute('data-value') === '1',
    );
    expect(await gapOrders(page)).toContain(`swapped-item:${B.orderNo}`);
    expect(await gapOrders(page)).not.toContain(`no-packing-video:${B.orderNo}`);

    // a swapped-item case from the gap: the cases screen opens it, serial facts in its statement
    await page.click(`[data-testid="gap-row"][data-order="${B.orderNo}"] [data-testid="gap-open-case"]`);
    await page.waitForFunction(
      () =>
        document.body.innerText.includes('SN99999999ZZ') && !document.querySelector('[data-testid="coverage-screen"]'),
    );
    expect(await page.evaluate(() => document.body.innerText)).toContain('SN12345678AB');

    // the dashboard renders its charts and tables for the same day
    await go(page, 'dashboard');
    // the hour the recordings were made in has a bar
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="dash-hours"] rect')].some(
        (r) => Number(r.getAttribute('height')) > 0,
      ),
    );
    expect(await page.$$eval('[data-testid="dash-compliance"] tbody tr', (r) => r.length)).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { upsertOrderFromApi } from '../../electron/core/orders/order-details-repo';
import { OrderUpsertSchema } from '../../shared/api/v1/schemas';
import { readDataDirDb } from '../helpers/data-dir-db';
import { scan } from './scanner-replay';
import { pageApi, stationSession } from './session';

const TRACKING = 'SF1402938475311';
const SKU = 'SKU-CUP-0042';

const startedCount = () => performance.getEntriesByName('proofpack:recorder-started').length;

describe('SKU-first packing at the station (Chromium, scanner replayed)', () => {
  const session = stationSession(TRACKING);

  it('SKU scan starts, tracking scan links: one recording, saved under the real order', async () => {
    const { page } = session;
    const set = await pageApi<{ ok: boolean }>(page, 'settings.update', { skuPatterns: ['^SKU-[A-Z0-9-]+$'] });
    expect(set.ok).toBe(true);

    await scan(page, SKU);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForSelector('[data-testid="status-provisional"]');
    expect(await page.innerText('[data-testid="status-provisional"]')).toContain(`由商品 ${SKU} 开始录制`);
    expect(await page.innerText('[data-testid="status-order"]')).toContain(`SKU-${SKU}-`);
    await page.waitForTimeout(1200);

    await scan(page, TRACKING);
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid="status-order"]')?.textContent?.trim() === t,
      TRACKING,
    );
    expect(await page.isVisible('[data-testid="status-provisional"]')).toBe(false);
    // another item while packing never stops the recording
    await scan(page, 'SKU-LID-0001');
    await page.waitForTimeout(1200);
    expect(await page.getAttribute('[data-testid="station"]', 'data-phase')).toBe('recording');
    expect(await page.evaluate(startedCount)).toBe(1);

    // the label again stops, as the same code always does
    await scan(page, TRACKING);
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
    expect(await page.evaluate(startedCount)).toBe(1);

    const found = await pageApi<{ value: { id: string; orderNo: string; videoCount: number }[] }>(
      page,
      'orders.search',
      { query: '' },
    );
    expect(found.value.map((o) => [o.orderNo, o.videoCount])).toEqual([[TRACKING, 1]]);
    const detail = await pageApi<{ value: { evidence: { kind: string; path: string }[] } }>(page, 'orders.get', {
      id: found.value[0].id,
    });
    expect(detail.value.evidence.map((e) => e.kind)).toEqual(['video']);
    expect(detail.value.evidence[0].path).toContain(TRACKING);
    const unlinked = await pageApi<{ value: unknown[] }>(page, 'orders.unlinked', {});
    expect(unlinked.value).toEqual([]);
  });

  it('a SKU-started recording stopped without its label is listed for staff, who link it by typing the number', async () => {
    const { page } = session;
    await scan(page, 'SKU-MUG-0007');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    // past the scanner's duplicate window: the same code again is a deliberate stop
    await page.waitForTimeout(3000);
    await scan(page, 'SKU-MUG-0007');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));

    await page.click('[data-testid="nav-orders"]');
    await page.waitForSelector('[data-testid="unlinked-row"]');
    expect(await page.innerText('[data-testid="unlinked-orders"]')).toContain('SKU-MUG-0007');
    await page.fill('[data-testid="unlinked-code"]', TRACKING);
    await page.press('[data-testid="unlinked-code"]', 'Enter');
    await page.waitForSelector('[data-testid="unlinked-orders"]', { state: 'detached' });
    const found = await pageApi<{ value: { orderNo: string; videoCount: number }[] }>(page, 'orders.search', {
      query: '',
    });
    expect(found.value.map((o) => [o.orderNo, o.videoCount])).toEqual([[TRACKING, 2]]);
  });
});

describe('items checked while packing (Chromium, scanner replayed)', () => {
  const TRACKING2 = 'SF1402938475312';
  const session = stationSession(TRACKING2);

  it('a wrong item is an error at once; the items never scanned are listed at the stop', async () => {
    const { page, app } = session;
    await pageApi(page, 'settings.update', { skuPatterns: ['^SKU-[A-Z0-9-]+$'] });
    // the ERP sent the order with its items (as the order API stores them)
    await readDataDirDb(app.dataDir, (db) =>
      upsertOrderFromApi(
        db,
        OrderUpsertSchema.parse({
          orderNo: '241124-000000000000778',
          trackingNumbers: [TRACKING2],
          items: [{ sku: 'SKU-CUP-0042', name: '马克杯', quantity: 1 }],
        }),
        'erp',
      ),
    );
    await scan(page, TRACKING2);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await scan(page, 'SKU-PEN-0009');
    await page.waitForSelector('[data-testid="notice-error"]');
    expect(await page.locator('[data-testid="notice-error"]').last().innerText()).toContain(
      '商品错误：SKU-PEN-0009 不在订单 241124-000000000000778 中',
    );
    await page.waitForTimeout(3000);
    await scan(page, TRACKING2);
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="notice-warn"]')].some((n) => n.textContent?.includes('缺少商品')),
    );
    const warn = await page.locator('[data-testid="notice-warn"]', { hasText: '缺少商品' }).innerText();
    expect(warn).toContain('马克杯 SKU-CUP-0042 ×1');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { overlayMetrics } from '../../renderer/src/station/overlay-layout';
import type { OrderWeight } from '../../shared/domain/scale/weights';
import { extractFramePng } from '../fixtures';
import { socatMissing, startPtyPair, type PtyPair } from '../helpers/pty-pair';
import { scan } from './scanner-replay';
import { pageApi, stationSession } from './session';

const TRACKING = 'SF1402938475123';

/** luminance of one pixel of a decoded RGB frame */
const lum = (raw: Buffer, width: number, x: number, y: number) => {
  const i = (y * width + x) * 3;
  return 0.299 * raw[i] + 0.587 * raw[i + 1] + 0.114 * raw[i + 2];
};

describe.skipIf(socatMissing)('weighing scale at the station (Chromium, socat pty pair)', () => {
  const session = stationSession(TRACKING);
  let pair: PtyPair | undefined;
  let feeding: NodeJS.Timeout | undefined;
  afterAll(async () => {
    clearInterval(feeding);
    await pair?.unplug();
  });

  it('shows the weight live, burns it into the recording and stores it with the order', async () => {
    const { page, app } = session;
    pair = await startPtyPair(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-scale-e2e-')));
    let frame = 'US,GS,+0001.100kg\r\n';
    // a continuous-output scale: ten frames a second, whatever is on the platform
    feeding = setInterval(() => pair?.send(frame), 100);
    const set = await pageApi<{ ok: boolean }>(page, 'settings.update', { scale: { port: pair.app, format: 'auto' } });
    expect(set.ok).toBe(true);

    // unstable while the parcel settles, then stable
    await page.waitForSelector('[data-testid="scale-weight"].unstable');
    expect(await page.textContent('[data-testid="scale-weight"]')).toContain('1.100 kg');
    frame = 'ST,GS,+0001.234kg\r\n';
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="scale-weight"]');
      return el?.classList.contains('stable') && el.textContent?.includes('1.234 kg');
    });
    expect(await page.textContent('[data-testid="scale-weight"]')).toContain('稳定');

    await scan(page, TRACKING);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(2500);
    await page.click('[data-testid="toggle"]');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));

    const found = await pageApi<{ value: { id: string; orderNo: string }[] }>(page, 'orders.search', {
      query: TRACKING,
    });
    const orderId = found.value.find((o) => o.orderNo === TRACKING)!.id;
    const weights = await pageApi<{ ok: boolean; value: OrderWeight[] }>(page, 'scale.orderWeights', { orderId });
    expect(weights.value.map((w) => [w.mode, w.grams])).toEqual([['outbound', 1234]]);

    // the overlay box in the recorded frame has one line more than without a scale: order,
    // mode, weight, time, REC → 5 lines; its dark background reaches below where 4 would end
    const detail = await pageApi<{ value: { evidence: { kind: string; path: string }[] } }>(page, 'orders.get', {
      id: orderId,
    });
    const video = detail.value.evidence.find((e) => e.kind === 'video')!;
    const png = await extractFramePng(path.join(app.dataDir, video.path), 1);
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const m = overlayMetrics(info.height);
    const bottom = (lines: number) => m.pad + lines * m.lineHeight + m.pad * 2;
    const x = m.pad + 4; // inside the box, left of the text
    const inBox = lum(data, info.width, x, bottom(4) - m.lineHeight);
    const fifthLine = lum(data, info.width, x, Math.round((bottom(4) + bottom(5)) / 2));
    const below = lum(data, info.width, x, bottom(5) + m.lineHeight);
    expect(Math.abs(fifthLine - inBox)).toBeLessThan(25);
    expect(below - fifthLine).toBeGreaterThan(40);

    // the scale's cable pulled: the station says so, and shows no stale weight
    clearInterval(feeding);
    await pair.unplug();
    await page.waitForSelector('[data-testid="scale"][data-connection="lost"]');
    expect(await page.isVisible('[data-testid="scale-weight"]')).toBe(false);
  });
});

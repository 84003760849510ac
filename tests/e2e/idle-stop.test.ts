import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../../electron/core/media/binaries';
import { labelPngFile } from '../fixtures/label';
import { launchChromium, openStation, startApp, tempDataDir, type AppProcess } from './harness';

const TRACKING = 'SF1402938475999';

/** a fake webcam whose picture never changes: a parcel left under the camera, nobody there */
async function stillY4m(dir: string): Promise<string> {
  const out = path.join(dir, 'still.y4m');
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-y', '-loop', '1', '-i', await labelPngFile({ trackingNo: TRACKING })],
    ...['-frames:v', '5', '-r', '30', '-vf', 'scale=640:360,format=yuv420p', '-f', 'yuv4mpegpipe', out],
  ]);
  return out;
}

/**
 * a fake webcam where something always moves: a dark box (a packer's arm, a parcel) slides
 * across the label for 3 s and Chromium loops it. The page samples every 2 s; with a 3 s
 * loop no two samples 2 s apart can show the box in the same place.
 */
async function movingY4m(dir: string): Promise<string> {
  const out = path.join(dir, 'moving.y4m');
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-y', '-loop', '1', '-framerate', '10', '-t', '3'],
    ...['-i', await labelPngFile({ trackingNo: TRACKING })],
    ...['-f', 'lavfi', '-i', 'color=c=black:s=212x360:r=10'],
    ...['-filter_complex', "[0:v]scale=640:360,setsar=1[bg];[bg][1:v]overlay=x='(W-w)*t/3':y=0:eval=frame:shortest=1"],
    ...['-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', out],
  ]);
  return out;
}

describe('idle auto-stop with only the PC camera (Chromium, still fake camera)', () => {
  let app: AppProcess;
  let browser: Browser;
  beforeAll(async () => {
    const dir = tempDataDir();
    app = await startApp(dir);
    browser = await launchChromium({ y4m: await stillY4m(tempDataDir('pp-y4m-')) });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a recording of a still picture with no scan is saved and stopped after the (lowered) idle time', async () => {
    const page = await openStation(browser, app);
    await page.click('[data-testid="nav-settings"]');
    await page.fill('[data-testid="idle-stop-minutes"]', '0.05'); // 3 s for the test
    await page.click('[data-testid="idle-stop-save"]');
    await page.waitForSelector('[data-testid="notice-success"]');

    await page.click('[data-testid="nav-station"]');
    await page.waitForSelector('[data-testid="station"]');
    await page.fill('[data-testid="manual-code"]', TRACKING);
    await page.press('[data-testid="manual-code"]', 'Enter');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    // nobody scans, nothing moves: the station stops and saves on its own
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]', { timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'), undefined, {
      timeout: 60_000,
    });
    expect(await page.textContent('[data-testid="last-saved"]')).toContain(TRACKING);
    const notices = await page.$$eval('[data-testid="notice-info"]', (ns) => ns.map((n) => n.textContent ?? ''));
    expect(notices.some((n) => /自动保存并停止|saved and stopped/.test(n))).toBe(true);
  });
});

describe('idle auto-stop with only the PC camera (Chromium, moving fake camera)', () => {
  let app: AppProcess;
  let browser: Browser;
  beforeAll(async () => {
    app = await startApp(tempDataDir());
    browser = await launchChromium({ y4m: await movingY4m(tempDataDir('pp-y4m-')) });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a recording whose picture moves is not auto-stopped', async () => {
    const page = await openStation(browser, app);
    await page.click('[data-testid="nav-settings"]');
    // 15 s: longer than the page's motion reports are apart (one per 10 s at most, sampled every 2 s)
    await page.fill('[data-testid="idle-stop-minutes"]', '0.25');
    await page.click('[data-testid="idle-stop-save"]');
    await page.waitForSelector('[data-testid="notice-success"]');
    // the motion the page reports, as the station's server receives it
    let reports = 0;
    page.on('requestfinished', (r) => {
      if (r.url().endsWith('/api/capture.activity')) reports++;
    });

    await page.click('[data-testid="nav-station"]');
    await page.waitForSelector('[data-testid="station"]');
    await page.fill('[data-testid="manual-code"]', TRACKING);
    await page.press('[data-testid="manual-code"]', 'Enter');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    const startedAt = Date.now();
    // waits for reports, not for a time: four of them span well over two idle periods
    await expect.poll(() => reports, { timeout: 120_000, interval: 500 }).toBeGreaterThanOrEqual(4);
    expect(Date.now() - startedAt).toBeGreaterThan(2 * 15_000);
    expect(await page.getAttribute('[data-testid="station"]', 'data-phase')).toBe('recording');
    const notices = await page.$$eval('[data-testid="notice-info"]', (ns) => ns.map((n) => n.textContent ?? ''));
    expect(notices.some((n) => /自动保存并停止|saved and stopped/.test(n))).toBe(false);
  });
});

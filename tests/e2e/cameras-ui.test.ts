import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelPngFile } from '../fixtures/label';
import { startRtspServer, type RtspTestServer } from '../helpers/rtsp-camera';
import { launchChromium, openStation, startApp, tempDataDir, type AppProcess } from './harness';

const TRACKING = 'SF1402938475777';

describe('Settings → Cameras and the order views side by side (Chromium, RTSP camera on 127.0.0.1)', () => {
  let server: RtspTestServer;
  let app: AppProcess;
  let browser: Browser;
  beforeAll(async () => {
    server = await startRtspServer();
    await server.startCamera('desk', await labelPngFile({ trackingNo: TRACKING }), { moving: true, gop: 2 });
    app = await startApp(tempDataDir());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await server?.close();
  });

  it('adds a camera with a password that never reaches the page, previews and tests it, records it with the webcam', async () => {
    const page = await openStation(browser, app);
    await page.click('[data-testid="nav-settings"]');
    await page.fill('[data-testid="camera-url"]', server.cameraUrl('desk').replace('rtsp://', 'rtsp://admin:hunter2@'));
    await page.click('[data-testid="camera-add"]');
    await page.waitForSelector('[data-testid="camera-row"]');
    expect(await page.content()).not.toContain('hunter2');
    // the live preview is the camera's picture, once connected
    await page.waitForSelector('[data-testid="camera-preview"]', { timeout: 60_000 });
    await page.click('[data-testid="camera-test"]');
    await page.waitForFunction(
      () => /h264/.test(document.querySelector('[data-testid="camera-test-result"]')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );

    // one scan records the webcam and the camera; one stop ends both
    await page.click('[data-testid="nav-station"]');
    await page.waitForSelector('[data-testid="station"]');
    // the code typed into the box under the preview (the scanner path has its own tests)
    await page.fill('[data-testid="manual-code"]', TRACKING);
    await page.press('[data-testid="manual-code"]', 'Enter');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(3000);
    await page.click('[data-testid="toggle"]'); // stop and save: every view stops with it
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));

    await page.click('[data-testid="nav-orders"]');
    await page.fill('[data-testid="order-search"]', TRACKING.slice(-6));
    await page.click('[data-testid="order-row"]');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="synced-video"]').length === 2,
      undefined,
      {
        timeout: 60_000,
      },
    );
    // both views load and play together from the shared clock
    await page.click('[data-testid="synced-play"]');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLVideoElement>('[data-testid="synced-video"]')].every(
          (v) => v.readyState >= 2 && v.currentTime > 0.5,
        ),
      undefined,
      { timeout: 60_000 },
    );
  });
});

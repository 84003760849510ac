import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { makeLabelY4m } from '../fixtures';
import { launchChromium, openStation, startApp, tempDataDir, type AppProcess } from './harness';

export interface StationSession {
  app: AppProcess;
  browser: Browser;
  page: Page;
}

/**
 * One app + Chromium + station page for a describe block, with the fake camera showing a
 * shipping label of `trackingNo`. The fields are filled in beforeAll.
 * PROOFPACK_E2E_RENDERER_DIR serves a renderer built elsewhere (default: out/renderer),
 * e.g. an older build to see a test fail without a fix.
 */
export function stationSession(trackingNo: string): StationSession {
  const s = {} as StationSession;
  beforeAll(async () => {
    const y4m = await makeLabelY4m({ trackingNo, width: 1280, height: 720, fps: 30, seconds: 2 });
    const rendererDir = process.env.PROOFPACK_E2E_RENDERER_DIR;
    s.app = await startApp(tempDataDir(), rendererDir ? ['--renderer-dir', rendererDir] : []);
    s.browser = await launchChromium({ y4m });
    s.page = await openStation(s.browser, s.app);
  });
  afterAll(async () => {
    await s.browser?.close();
    await s.app?.stop();
  });
  return s;
}

/** A call through the loopback API with the page's token, as the UI makes it. */
export function pageApi<T>(page: Page, name: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([n, i]) => {
      const token = sessionStorage.getItem('proofpack.token')!;
      const r = await fetch(`/api/${n}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-proofpack-token': token },
        body: JSON.stringify(i),
      });
      return r.json();
    },
    [name, input] as const,
  ) as Promise<T>;
}

import path from 'node:path';
import { makeLabelY4m } from '../fixtures';
import { launchChromium, openStation, ROOT, startApp, tempDataDir } from './harness';
import { scan } from './scanner-replay';

/**
 * `npm run screenshots`: the README's pictures, taken from the real app in Chromium with
 * the label camera, so they stay true as the UI changes.
 */
async function main() {
  const out = (name: string) => path.join(ROOT, 'docs', 'screenshots', name);
  const y4m = await makeLabelY4m({ trackingNo: 'SF1402938475610', seconds: 2 });
  const app = await startApp(tempDataDir('pp-shots-'));
  const browser = await launchChromium({ y4m });
  try {
    const page = await openStation(browser, app);
    await scan(page, '241124-889900112233445');
    await page.waitForTimeout(2500);
    await page.keyboard.press('F8');
    await page.waitForTimeout(3000);
    await scan(page, 'SF1402938475610');
    await page.waitForTimeout(4000);
    await page.screenshot({ path: out('station.png') });
    await scan(page, 'SF1402938475610');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.click('[data-testid="mode-return"]');
    await page.waitForSelector('[data-testid="mode-return"][aria-checked="true"]');
    await scan(page, '241124-555500112233446');
    await page.waitForTimeout(1500);
    await page.keyboard.press('F4');
    await page.waitForTimeout(1200);
    await page.keyboard.press('F4');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: out('station-return.png') });
    await page.keyboard.press('F2');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForTimeout(1500);
    await page.click('[data-testid="nav-orders"]');
    await page.fill('[data-testid="order-search"]', '889900');
    await page.click('[data-testid="order-row"]');
    await page.waitForSelector('[data-testid="player"]');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: out('orders.png') });
    console.log(`screenshots written to ${path.dirname(out('x'))}`);
  } finally {
    await browser.close();
    await app.stop();
  }
}

void main();

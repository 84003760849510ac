import { test } from 'vitest';
import { startApp, launchChromium, openStation, scan, tempDataDir } from '/work/main/tests/e2e/harness';
import Database from 'better-sqlite3';

test('exp', async () => {
  const browser = await launchChromium();
  for (const variant of (process.env.VARIANTS ?? '').split(',')) {
    const losses: number[] = [];
    for (let i = 0; i < Number(process.env.N ?? 6); i++) {
      const dataDir = tempDataDir();
      const app = await startApp(dataDir, ['--renderer-dir', `/tmp/pp5/r-${variant}`]);
      const page = await openStation(browser, app);
      await scan(page, 'ORDER-' + i);
      await page.waitForFunction(() => performance.getEntriesByName('proofpack:recorder-started').length > 0);
      const start = await page.evaluate(() => performance.getEntriesByName('proofpack:recorder-started')[0].startTime);
      await page.waitForTimeout(2000 + Math.random() * 3000);
      const now = await page.evaluate(() => performance.now());
      await app.stop('SIGKILL');
      const app2 = await startApp(dataDir);
      const db = new Database(`${dataDir}/proofpack.db`, { readonly: true });
      const ev = db.prepare('select duration_ms from evidence').get() as any;
      losses.push(Math.round(now - start - (ev?.duration_ms ?? 0)));
      db.close();
      await page.close();
      await app2.stop();
    }
    console.log('RESULT', variant, JSON.stringify(losses), 'max', Math.max(...losses));
  }
  await browser.close();
}, 900000);

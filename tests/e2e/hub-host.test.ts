import { afterAll, describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore, type Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { managedSettingsApplier } from '../../electron/core/hub/apply-managed-settings';
import { makeVideo } from '../fixtures';
import { dropDatabasesOf } from '../helpers/test-db';
import { tempDataDir } from './harness';
import { stationSession } from './session';

describe('Settings → "This PC is the warehouse hub" (Chromium, loopback app as the office hub)', () => {
  const session = stationSession('SF1402938475111');
  const stationDir = tempDataDir('pp-hubhost-station-');
  let station: Core | undefined;
  afterAll(async () => {
    await station?.close();
    await dropDatabasesOf([stationDir]);
  });

  it('a port already taken is said in words; on a free one a packing station pairs, reports and can be revoked', async () => {
    const { page, app } = session;
    await page.click('[data-testid="nav-settings"]');
    await page.waitForSelector('[data-testid="hub-host"]');

    // the app's own port is taken (by the app): refused in Chinese, the station goes on
    await page.fill('[data-testid="hub-host-port"]', String(app.port));
    await page.click('[data-testid="hub-host-enabled"]'); // applied once saved, so not page.check
    await page.waitForSelector('[data-testid="hub-host-error"]');
    expect(await page.locator('[data-testid="hub-host-error"]').innerText()).toContain(`端口 ${app.port} 已被占用`);

    // any free port (0), applied with Enter in the port field
    await page.fill('[data-testid="hub-host-port"]', '0');
    await page.press('[data-testid="hub-host-port"]', 'Enter');
    const urls = page.locator('[data-testid="hub-host-urls"]');
    await urls.waitFor();
    const port = Number(await urls.getAttribute('data-port'));
    expect(port).toBeGreaterThan(0);
    expect(await urls.innerText()).toContain(`:${port}/`);

    // a pairing code for a new station, keyboard only
    await page.fill('[data-testid="hub-host-station"]', '打包台 2');
    await page.press('[data-testid="hub-host-station"]', 'Enter');
    const shown = page.locator('[data-testid="hub-host-code"]');
    await shown.waitFor();
    const code = (await shown.getAttribute('data-code'))!;
    expect(await shown.innerText()).toContain('打包台 2');

    // a packing station (its own folder) pairs with this PC and sends a file
    station = await createCore({ dataDir: stationDir, mode: 'cli' });
    await joinHub(station.ctx.db, { hubUrl: `http://127.0.0.1:${port}/`, code });
    const order = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-OFFICE-1', null);
    await importEvidence(station.ctx, {
      orderId: order.id,
      originalName: 'packing.mp4',
      source: { path: await makeVideo({ format: 'mp4' }) },
    });
    expect(await syncNow(station.ctx.db, station.ctx.paths.root)).toMatchObject({ queued: 0, verified: 1 });

    // the hub's table shows it online with its report (the list refreshes by itself)
    const row = page.locator('[data-testid="hub-host-station-row"]').first();
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="hub-host-station-row"][data-online="true"]')
          ?.textContent?.includes('待上传 0 个'),
      undefined,
      { timeout: 30_000 },
    );
    expect(await row.innerText()).toContain('在线');

    // renamed on the hub's screen (keyboard), with the scanner settings managed: the station takes both
    await row.locator('[data-testid="hub-host-rename"]').click();
    await page.fill('[data-testid="hub-host-rename-input"]', '退货台 2');
    await page.press('[data-testid="hub-host-rename-input"]', 'Enter');
    await page.waitForSelector('[data-testid="hub-host-station-row"][data-name="退货台 2"]');
    await page.click('[data-testid="hub-host-manage-scanner"]');
    await page.waitForSelector('[data-testid="hub-host-manage-scanner"]:checked');
    const applyManaged = managedSettingsApplier(station.ctx.db, station.ctx.settings);
    await syncNow(station.ctx.db, station.ctx.paths.root, { applyManaged });
    expect(station.ctx.settings.get().stationName).toBe('退货台 2');
    expect(station.ctx.settings.managedByHub()?.groups).toEqual(['scanner']);
    await page.click('[data-testid="hub-host-manage-scanner"]'); // released again
    await page.waitForSelector('[data-testid="hub-host-manage-scanner"]:not(:checked)');

    // the store check reads the station's verified file back and finds it intact
    await page.click('[data-testid="hub-store-check-start"]');
    const checked = page.locator('[data-testid="hub-store-check-result"]');
    await checked.waitFor();
    expect(await checked.innerText()).toContain('已核对 1 个文件：全部完好');

    // revoke: a second press confirms; the station is then refused with the reason
    await row.locator('[data-testid="hub-host-revoke"]').click();
    await row.locator('[data-testid="hub-host-revoke-confirm"]').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="hub-host-station-row"]')?.textContent?.includes('已吊销'),
      undefined,
      { timeout: 30_000 },
    );
    const order2 = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-OFFICE-2', null);
    await importEvidence(station.ctx, {
      orderId: order2.id,
      originalName: 'packing.mp4',
      source: { path: await makeVideo({ format: 'mov' }) },
    });
    const refused = await syncNow(station.ctx.db, station.ctx.paths.root);
    expect(refused).toMatchObject({ queued: 1, verified: 0 });
    expect(refused.lastError).toMatch(/revoked/);

    // turned off: nothing listens there any more
    await page.click('[data-testid="hub-host-enabled"]');
    await urls.waitFor({ state: 'detached' });
    await expect(fetch(`http://127.0.0.1:${port}/hub/v1/hello`)).rejects.toThrow();
  });

  it('HTTPS: the hub shows its certificate fingerprint, and a station that pairs with it pins it', async () => {
    const { page } = session;
    await page.click('[data-testid="hub-host-https"]');
    await page.click('[data-testid="hub-host-enabled"]');
    const urls = page.locator('[data-testid="hub-host-urls"]');
    await urls.waitFor();
    const port = Number(await urls.getAttribute('data-port'));
    expect(await urls.innerText()).toContain(`https://`);
    const shownPrint = await page.locator('[data-testid="hub-host-fingerprint"]').innerText();
    const fingerprint = /(([0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(shownPrint)?.[1];
    expect(fingerprint).toBeTruthy();

    await page.fill('[data-testid="hub-host-station"]', '打包台 4');
    await page.press('[data-testid="hub-host-station"]', 'Enter');
    const code = (await page
      .locator('[data-testid="hub-host-code"]', { hasText: '打包台 4' })
      .getAttribute('data-code'))!;
    const tlsDir = tempDataDir('pp-hubhost-tls-station-');
    const second = await createCore({ dataDir: tlsDir, mode: 'cli' });
    try {
      // the fingerprint as read off the hub's screen
      const link = await joinHub(second.ctx.db, { hubUrl: `https://127.0.0.1:${port}/`, code, fingerprint });
      expect(link.fingerprint).toBe(fingerprint);
      const order = await findOrCreateOrderByNumber(second.ctx.db, 'PDD-OFFICE-TLS', null);
      await importEvidence(second.ctx, {
        orderId: order.id,
        originalName: 'packing.mp4',
        source: { path: await makeVideo({ format: 'mp4' }) },
      });
      expect(await syncNow(second.ctx.db, second.ctx.paths.root)).toMatchObject({ queued: 0, verified: 1 });
    } finally {
      await second.close();
      await dropDatabasesOf([tlsDir]);
    }
    await page.click('[data-testid="hub-host-enabled"]');
    await urls.waitFor({ state: 'detached' });
  });
});

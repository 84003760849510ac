import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { listHubEvidence } from '../../electron/core/hub/hub-evidence';
import { createPairingCode, listHubStations } from '../../electron/core/hub/hub-stations';
import { sha256File } from '../../electron/core/storage/files';
import { scan } from './scanner-replay';
import { startHubServer, type HubServer } from '../../electron/web/hub-server';
import { dropDatabasesOf } from '../helpers/test-db';
import { tempDataDir } from './harness';
import { stationSession } from './session';

describe('Settings → Warehouse hub: pairing a station from the UI (Chromium, hub on 127.0.0.1)', () => {
  const session = stationSession('SF1402938475999');
  const hubDir = tempDataDir('pp-hub-e2e-');
  let hub: Core | undefined;
  let server: HubServer | undefined;
  afterAll(async () => {
    await server?.close();
    await hub?.close();
    await dropDatabasesOf([hubDir]);
  });

  it('a wrong code is refused in Chinese; the code from the hub pairs the station, keyboard only', async () => {
    const { page } = session;
    hub = await createCore({ dataDir: hubDir, mode: 'cli' });
    server = await startHubServer({ core: hub, host: '127.0.0.1', port: 0 });
    const { code } = await createPairingCode(hub.ctx.db, '打包台 7');

    await page.click('[data-testid="nav-settings"]');
    await page.waitForSelector('[data-testid="hub-link"]');
    expect(await page.locator('[data-testid="hub-link"]').innerText()).toContain('尚未与仓库中心配对');

    await page.fill('[data-testid="hub-url"]', server.url);
    await page.fill('[data-testid="hub-code"]', 'ABCD-EFGH');
    await page.press('[data-testid="hub-code"]', 'Enter');
    await page.waitForSelector('[data-testid="notice-error"]');
    expect(await page.locator('[data-testid="notice-error"]').last().innerText()).toContain(
      '配对码错误、已使用或已过期',
    );
    expect(await listHubStations(hub.ctx.db)).toEqual([]);

    await page.fill('[data-testid="hub-code"]', code.toLowerCase());
    await page.press('[data-testid="hub-code"]', 'Enter');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="hub-link"]')?.textContent?.includes('“打包台 7”'),
    );
    expect(await page.locator('[data-testid="hub-link"]').innerText()).toContain(server.url);
    const [station] = await listHubStations(hub.ctx.db);
    expect(station).toMatchObject({ name: '打包台 7', revokedAt: null });
    // the credential stays in the core: nothing the page can read carries it
    const link = await page.evaluate(async () => {
      const token = sessionStorage.getItem('proofpack.token')!;
      const r = await fetch('/api/hub.link', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-proofpack-token': token },
        body: '{}',
      });
      return r.text();
    });
    expect(link).toContain('打包台 7');
    expect(link).not.toContain('pps_');
  });

  it('a recording made at the paired station reaches the hub by itself, hash-verified; the header says so', async () => {
    const { page } = session;
    await page.click('[data-testid="nav-station"]');
    await scan(page, 'PDD-HUB-E2E-1');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(1500);
    await page.waitForTimeout(1500); // past the duplicate-scan window
    await scan(page, 'PDD-HUB-E2E-1');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
    // the background sync (every few seconds) sends it, with no one pressing anything
    const deadline = Date.now() + 60_000;
    let video;
    while (!video?.verified_at && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      video = (await listHubEvidence(hub!.ctx.db)).find((e) => e.order_no === 'PDD-HUB-E2E-1' && e.kind === 'video');
    }
    // and the header follows
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sync-indicator"]')?.textContent?.includes('已同步到中心'),
      undefined,
      { timeout: 30_000 },
    );
    expect(video?.verified_at).toBeTruthy();
    expect(video?.station_name).toBe('打包台 7');
    expect(await sha256File(video!.location!)).toBe(video!.sha256);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { listHubEvidence } from '../../electron/core/hub/hub-evidence';
import { createPairingCode, listHubStations, renameHubStation } from '../../electron/core/hub/hub-stations';
import { setManagedGroups } from '../../electron/core/hub/hub-managed-settings';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeVideo } from '../fixtures';
import { hashAtLocation, startTestS3, type TestS3 } from '../helpers/s3-server';
import { scan } from './scanner-replay';
import { startHubServer, type HubServer } from '../../electron/web/hub-server';
import { dropDatabasesOf } from '../helpers/test-db';
import { tempDataDir } from './harness';
import { pageApi, stationSession } from './session';

describe('Settings → Warehouse hub: pairing a station from the UI (Chromium, hub with S3 media on 127.0.0.1)', () => {
  const session = stationSession('SF1402938475999');
  const hubDir = tempDataDir('pp-hub-e2e-');
  let hub: Core | undefined;
  let server: HubServer | undefined;
  let s3: TestS3 | undefined;
  let second: Core | undefined;
  const secondDir = tempDataDir('pp-station2-e2e-');
  afterAll(async () => {
    await server?.close();
    await hub?.close();
    await second?.close();
    await s3?.close();
    await dropDatabasesOf([hubDir, secondDir]);
  });

  it('a wrong code is refused in Chinese; the code from the hub pairs the station, keyboard only', async () => {
    const { page } = session;
    hub = await createCore({ dataDir: hubDir, mode: 'cli' });
    s3 = await startTestS3(tempDataDir('pp-s3-e2e-'));
    Object.assign(process.env, s3.env); // the hub reads the standard AWS_* variables
    server = await startHubServer({ core: hub, host: '127.0.0.1', port: 0, media: `s3://${s3.bucket}/warehouse` });
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
    // staff at this PC reach the hub's staff app from here (their own account, in the browser)
    expect(await page.getAttribute('[data-testid="hub-staff-app"]', 'href')).toBe(server.url);
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
    expect(video!.location).toMatch(new RegExp(`^s3://${s3!.bucket}/warehouse/`));
    expect(await hashAtLocation(video!.location!, s3)).toBe(video!.sha256);

    // a second station (its own data folder) sends to the same hub: both sets side by side
    second = await createCore({ dataDir: secondDir, mode: 'cli' });
    const { code } = await createPairingCode(hub!.ctx.db, '打包台 8');
    await joinHub(second.ctx.db, { hubUrl: server!.url, code });
    const order = await findOrCreateOrderByNumber(second.ctx.db, 'PDD-HUB-E2E-1', null);
    const file = await makeVideo({ format: 'mp4' });
    await importEvidence(second.ctx, { orderId: order.id, originalName: 'unboxing.mp4', source: { path: file } });
    expect(await syncNow(second.ctx.db, second.ctx.paths.root)).toMatchObject({ queued: 0, verified: 1 });
    const both = (await listHubEvidence(hub!.ctx.db)).filter((e) => e.order_no === 'PDD-HUB-E2E-1');
    expect(new Set(both.map((e) => e.station_name))).toEqual(new Set(['打包台 7', '打包台 8']));
    for (const e of both) expect(await hashAtLocation(e.location!, s3)).toBe(e.sha256);
  });

  it('the hub measures the station’s clock: three hours off is said in Settings, in the header and on the hub', async () => {
    const { page } = session;
    const port = server!.port;
    await server!.close();
    // while it is down, Settings says so in Chinese (the station keeps the English cause for support)
    await page.click('[data-testid="nav-settings"]');
    await page.click('[data-testid="hub-sync-now"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="hub-contact"]')?.textContent?.includes('无法连接仓库中心'),
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.locator('[data-testid="hub-contact"]').innerText()).toMatch(
      /同步出错：无法连接仓库中心 http:\/\/127\.0\.0\.1:\d+（ECONNREFUSED）/,
    );
    // the same hub on the same address, its clock 3 h behind this PC's: this PC is 3 h fast
    const hubClock = () => new Date(Date.now() - 3 * 3_600_000);
    server = await startHubServer({
      core: hub!,
      host: '127.0.0.1',
      port,
      media: `s3://${s3!.bucket}/warehouse`,
      clock: hubClock,
    });
    await page.click('[data-testid="hub-sync-now"]');
    await page.waitForSelector('[data-testid="hub-clock-off"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="hub-clock-off"]').innerText()).toContain('本机时钟比仓库中心快 3.0 小时');
    await page.waitForSelector('[data-testid="sync-indicator"][data-clock-off]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="hub-contact"]').innerText()).toContain('最近联系中心');
    const seven = (await listHubStations(hub!.ctx.db, hubClock())).find((s) => s.name === '打包台 7');
    expect(seven?.online).toBe(true);
    expect(Math.abs(seven!.status!.clockSkewMs - 3 * 3_600_000)).toBeLessThan(60_000);
  });

  it('central settings: the hub manages the scanner and renames the station; the station shows both, locked', async () => {
    const { page } = session;
    await hub!.ctx.settings.update({ scanner: { ...hub!.ctx.settings.get().scanner, maxInterKeyMs: 45 } });
    await setManagedGroups(hub!.ctx.db, ['scanner'], 'admin');
    expect(await renameHubStation(hub!.ctx.db, '打包台 7', '退货台 7')).toBe(1);
    await page.click('[data-testid="hub-sync-now"]');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="station-name"]') as HTMLInputElement | null)?.value === '退货台 7',
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForSelector('[data-testid="managed-by-hub"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="managed-by-hub"]').innerText()).toContain(
      '由仓库中心统一管理：扫码与热键',
    );
    expect(await page.locator('[data-testid="station-name"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="settings-keys"] input').first().isDisabled()).toBe(true);
    // the header and every screen follow the pushed settings (no reload)
    const got = await pageApi<{ value: { scanner: { maxInterKeyMs: number } } }>(page, 'settings.get', {});
    expect(got.value.scanner.maxInterKeyMs).toBe(45);
  });
});

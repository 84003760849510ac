import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { newSetupToken } from '../../electron/core/accounts/first-admin';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore, type Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { addRecordingMarks } from '../helpers/station-marks';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { startHubServer, type HubServer } from '../../electron/web/hub-server';
import { makeVideo } from '../fixtures';
import { dropDatabasesOf } from '../helpers/test-db';
import { launchChromium, tempDataDir } from './harness';

const T0 = new Date('2026-12-04T08:00:00.000Z');
const clock = () => T0;
const PW = { admin: 'admin pass phrase 1', clerk: 'clerk pass phrase 2', viewer: 'viewer pass phrase 3' };

async function signIn(page: Page, name: string, password: string) {
  await page.fill('[data-testid="sign-in-name"]', name);
  await page.fill('[data-testid="sign-in-password"]', password);
  await page.press('[data-testid="sign-in-password"]', 'Enter');
  await page.waitForSelector('[data-testid="staff-user"]');
}

async function signOut(page: Page) {
  await page.click('[data-testid="sign-out"]');
  await page.waitForSelector('[data-testid="sign-in-form"]');
}

describe('staff in browsers: accounts, search and playback across stations, share links (Chromium)', () => {
  const dirs = [tempDataDir('pp-staff-hub-'), tempDataDir('pp-staff-st1-'), tempDataDir('pp-staff-st2-')];
  const cores: Core[] = [];
  let server: HubServer | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const c of cores) await c.close();
    await dropDatabasesOf(dirs);
  });

  it('admin adds a clerk and a shop-A viewer; the clerk plays station 2’s order from 0:30 and shares it; a phone plays the link until it is revoked; shop A cannot reach shop B', async () => {
    const [hub, ...stations] = await Promise.all(dirs.map((dataDir) => createCore({ dataDir, mode: 'cli' })));
    cores.push(hub!, ...stations);
    server = await startHubServer({ core: hub!, host: '127.0.0.1', port: 0, clock });
    for (const [i, station] of stations.entries()) {
      const { code } = await createPairingCode(hub!.ctx.db, `打包台 ${i + 1}`, T0);
      await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
    }
    const station2 = stations[1]!;
    const long = await makeVideo({ format: 'mp4', durationSec: 40, width: 640, height: 360 });
    const short = await makeVideo({ format: 'mp4', durationSec: 2 });
    for (const [orderNo, shop, video] of [
      ['PDD-A-30', 'A店', long],
      ['PDD-B-1', 'B店', short],
    ] as const) {
      const order = await findOrCreateOrderByNumber(station2.ctx.db, orderNo, null, T0);
      await station2.ctx.db.updateTable('orders').set({ shop }).where('id', '=', order.id).execute();
      const { evidence } = await importEvidence(station2.ctx, {
        orderId: order.id,
        originalName: 'pack.mp4',
        source: { path: video },
      });
      // the packer marked the label at 0:05 and the item at 0:30
      if (video === long)
        await addRecordingMarks(station2.ctx.db, {
          orderId: order.id,
          orderNo,
          evidenceId: evidence.id,
          at: T0,
          marks: [
            { step: 'label-closeup', atMs: 5000 },
            { step: 'item', atMs: 30_000 },
          ],
        });
    }
    expect(await syncNow(station2.ctx.db, station2.ctx.paths.root, { now: clock })).toMatchObject({ verified: 2 });
    const setup = (await newSetupToken(hub!.ctx.db, T0))!;

    browser = await launchChromium();
    const desk = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    const page = await desk.newPage();
    const mediaRequests: { url: string; range: string | undefined }[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/staff/v1/media/')) mediaRequests.push({ url: r.url(), range: r.headers()['range'] });
    });

    // the first admin, through the one-time setup link `proofpack hub` prints
    await page.goto(`${server.url}#setup=${setup.token}`);
    await page.fill('[data-testid="sign-in-name"]', '仓库主管');
    await page.fill('[data-testid="sign-in-password"]', PW.admin);
    await page.fill('[data-testid="sign-in-again"]', PW.admin);
    await page.press('[data-testid="sign-in-again"]', 'Enter');
    await page.waitForSelector('[data-testid="staff-user"]');
    expect(await page.innerText('[data-testid="staff-user"]')).toContain('仓库主管 · 管理员');

    await page.click('[data-testid="nav-users"]');
    for (const [name, role, shops, password] of [
      ['王芳', 'clerk', '', PW.clerk],
      ['客户A', 'viewer', 'A店', PW.viewer],
    ] as const) {
      await page.fill('[data-testid="user-name"]', name);
      await page.selectOption('[data-testid="user-role"]', role);
      await page.fill('[data-testid="user-shops"]', shops);
      await page.fill('[data-testid="user-password"]', password);
      await page.click('[data-testid="user-add"]');
      await page.waitForSelector(`[data-testid="staff-notice-ok"]:has-text("${name}")`);
    }
    expect(await page.locator('[data-testid="user-row"]').count()).toBe(3);
    await signOut(page);

    // the clerk finds the order recorded at station 2 and plays it from 0:30
    await signIn(page, '王芳', PW.clerk);
    await page.fill('[data-testid="search-code"]', 'PDD-A');
    await page.press('[data-testid="search-code"]', 'Enter');
    await page.waitForSelector('[data-testid="hit-order"]:has-text("PDD-A-30")');
    expect(await page.innerText('[data-testid="search-hits"]')).toContain('打包台 2');
    await page.click('[data-testid="hit-order"]:has-text("PDD-A-30")');
    await page.waitForSelector('[data-testid="staff-video"]');
    await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).readyState >= 1);
    // the poster is a picture the hub made of the video
    expect(
      await page.evaluate(async () => {
        const r = await fetch((document.querySelector('video') as HTMLVideoElement).poster);
        return [r.status, r.headers.get('content-type')];
      }),
    ).toEqual([200, 'image/jpeg']);
    // the packer's mark at 0:30 plays from there
    await page.evaluate(() => void ((document.querySelector('video') as HTMLVideoElement).muted = true));
    await page.click('[data-testid="staff-marks"] button:has-text("0:30")');
    await page.waitForFunction(() => {
      const v = document.querySelector('video') as HTMLVideoElement;
      return v.currentTime > 30.2 && v.readyState >= 2;
    });
    // the player fetched the file in ranges: a seek never downloads the whole video
    expect(
      mediaRequests.some((r) => /^bytes=[1-9]\d*-/.test(r.range ?? '')),
      JSON.stringify(mediaRequests),
    ).toBe(true);

    // a share link, made here, opened on a phone with no account
    await page.click('[data-testid="share-make"]');
    const url = await (await page.waitForSelector('[data-testid="share-url"]')).inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[\w-]{43}$/);
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 3,
      locale: 'zh-CN',
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131 Mobile Safari/537.36',
    });
    const mobile = await phone.newPage();
    await mobile.goto(url);
    expect(await mobile.innerText('h1')).toContain('订单 PDD-A-30 的发货凭证');
    await mobile.evaluate(() => {
      const v = document.querySelector('video') as HTMLVideoElement;
      v.muted = true;
      void v.play();
    });
    await mobile.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).currentTime > 0.5);
    // the page fits the phone: nothing wider than the screen
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // the opening is on the order; after revoke the link is refused
    await page.reload();
    await page.waitForSelector('[data-testid="share-link"][data-state="active"]');
    await page.click('[data-testid="share-link"] summary');
    expect(await page.innerText('[data-testid="share-opens"]')).toContain('Pixel 8');
    await page.click('[data-testid="share-revoke"]');
    await page.waitForSelector('[data-testid="share-link"][data-state="revoked"]');
    const refused = await mobile.goto(url);
    expect(refused?.status()).toBe(410);
    expect(await mobile.innerText('h1')).toContain('此链接已被撤销');
    await signOut(page);

    // the shop-A viewer: shop B's order is not there, by page or by media URL
    await signIn(page, '客户A', PW.viewer);
    await page.goto(`${server.url}#order=PDD-B-1`);
    await page.waitForSelector('[data-testid="order-problem"]');
    expect(await page.innerText('[data-testid="order-problem"]')).toContain('没有这个订单，或您无权查看');
    const b = await hub!.ctx.db
      .selectFrom('hub_evidence')
      .select(['station_id', 'evidence_id'])
      .where('order_no', '=', 'PDD-B-1')
      .executeTakeFirstOrThrow();
    const direct = await page.evaluate(
      (p) => fetch(p).then((r) => r.status),
      `/staff/v1/media/${b.station_id}/${b.evidence_id}`,
    );
    expect(direct).toBe(404);
    expect(await page.locator('[data-testid="nav-users"]').count()).toBe(0);
    await signOut(page);

    // the admin reads who did what, and the chain verifies
    await signIn(page, '仓库主管', PW.admin);
    await page.click('[data-testid="nav-audit"]');
    await page.waitForSelector('[data-testid="audit-entries"] tbody tr');
    const log = await page.innerText('[data-testid="audit-entries"]');
    for (const what of ['添加账号', '登录', '查看文件', '生成分享链接', '分享链接被打开', '撤销分享链接'])
      expect(log).toContain(what);
    expect(log).toContain('Pixel 8'); // the phone that opened the link
    await page.click('[data-testid="audit-verify"]');
    expect(await (await page.waitForSelector('[data-testid="audit-verified"]')).innerText()).toContain('日志完整');

    const actions = (await hub!.ctx.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.created',
        'user.signed-in',
        'evidence.viewed',
        'share.created',
        'share.opened',
        'share.revoked',
      ]),
    );
    expect((await verifyAudit(hub!.ctx.db)).ok).toBe(true);
  });
});

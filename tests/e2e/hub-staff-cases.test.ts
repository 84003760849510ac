import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { newSetupToken } from '../../electron/core/accounts/first-admin';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore, type Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { startHubServer, type HubServer } from '../../electron/web/hub-server';
import { labelPngFile, makeVideo, sampleTrackingNo, sceneJpegFile } from '../fixtures';
import { dropDatabasesOf, testEngine } from '../helpers/test-db';
import { zipEntries } from '../helpers/zip';
import { launchChromium, ROOT, tempDataDir } from './harness';

/**
 * The station's dispute screens in the hub's staff app (Chromium): a clerk opens a case on
 * an order packed at station 2, sees that station's video in the checklist, adds the courier
 * proof from this browser, exports the packet and downloads its zip; coverage and the
 * dashboard show station 2's recordings. Every clock involved reads T0 (hub, the stations'
 * files, the page), so nothing depends on the day the test runs.
 */
const T0 = new Date('2026-12-04T08:00:00.000Z');
const clock = () => T0;
const PW = { admin: 'admin pass phrase 1', clerk: 'clerk pass phrase 2', shopClerk: 'shop clerk phrase 3' };
const ORDER = 'PDD-CASE-2001';
const TRACKING = sampleTrackingNo('SF', 77);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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

/** a file the page links to, fetched with the page's session: status and first bytes */
const fetchInPage = (page: Page, href: string) =>
  page.evaluate(async (u) => {
    const r = await fetch(u, { headers: { range: 'bytes=0-3' } });
    return { status: r.status, head: [...new Uint8Array(await r.arrayBuffer())].slice(0, 4) };
  }, href);

/** A station's file as the station's own recording is: packing mode, recorded there, at T0. */
async function asRecordedAtT0(station: Core, evidenceId: string, mode: 'outbound' | null) {
  await station.ctx.db
    .updateTable('evidence')
    .set({ mode, origin: 'recorded', captured_at: T0.toISOString() })
    .where('id', '=', evidenceId)
    .execute();
  await station.handlers['checks.run']({ evidenceId });
}

describe('cases, coverage and the dashboard over every station in the staff app (Chromium)', () => {
  const dirs = [
    tempDataDir('pp-staffcases-hub-'),
    tempDataDir('pp-staffcases-st1-'),
    tempDataDir('pp-staffcases-st2-'),
  ];
  const cores: Core[] = [];
  let server: HubServer | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const c of cores) await c.close();
    await dropDatabasesOf(dirs);
  });

  it('a clerk makes a case on station 2’s order, exports and downloads its packet; coverage and the dashboard show station 2', async () => {
    const [hub, ...stations] = await Promise.all(dirs.map((dataDir) => createCore({ dataDir, mode: 'cli' })));
    cores.push(hub!, ...stations);
    server = await startHubServer({ core: hub!, host: '127.0.0.1', port: 0, clock });
    for (const [i, station] of stations.entries()) {
      const { code } = await createPairingCode(hub!.ctx.db, `打包台 ${i + 1}`, T0);
      await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
    }
    const [station1, station2] = stations as [Core, Core];

    // station 1 packs another order; station 2 packs ORDER: the video and the item + label photo
    const other = await findOrCreateOrderByNumber(station1.ctx.db, 'PDD-OTHER-1', null, T0);
    // a 3PL: station 1 packs for shop A, station 2 for shop B
    await station1.ctx.db.updateTable('orders').set({ shop: 'A店' }).where('id', '=', other.id).execute();
    const otherVideo = await importEvidence(station1.ctx, {
      orderId: other.id,
      originalName: 'pack.mp4',
      source: { path: await makeVideo({ format: 'mp4', durationSec: 3 }) },
    });
    await asRecordedAtT0(station1, otherVideo.evidence.id, 'outbound');
    const order = await findOrCreateOrderByNumber(station2.ctx.db, ORDER, TRACKING, T0);
    await station2.ctx.db.updateTable('orders').set({ shop: 'B店' }).where('id', '=', order.id).execute();
    const video = await importEvidence(station2.ctx, {
      orderId: order.id,
      originalName: 'pack.mp4',
      source: { path: await makeVideo({ format: 'mp4', durationSec: 4 }) },
    });
    const photo = await importEvidence(station2.ctx, {
      orderId: order.id,
      originalName: 'item-label.jpg',
      source: { path: await sceneJpegFile({ trackingNo: TRACKING, orderNo: ORDER }) },
    });
    await asRecordedAtT0(station2, video.evidence.id, 'outbound');
    await asRecordedAtT0(station2, photo.evidence.id, null);
    expect(await syncNow(station1.ctx.db, station1.ctx.paths.root, { now: clock })).toMatchObject({ verified: 1 });
    expect(await syncNow(station2.ctx.db, station2.ctx.paths.root, { now: clock })).toMatchObject({ verified: 2 });
    const station2Id = station2.ctx.db.stationId;
    const setup = (await newSetupToken(hub!.ctx.db, T0))!;

    browser = await launchChromium();
    const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    // the page's "today" (coverage, dashboard ranges) is T0's day; its timers run as usual
    await desk.clock.setFixedTime(T0);
    const page = await desk.newPage();

    // the first admin adds a clerk for every shop and one limited to shop A
    await page.goto(`${server.url}#setup=${setup.token}`);
    await page.fill('[data-testid="sign-in-name"]', '仓库主管');
    await page.fill('[data-testid="sign-in-password"]', PW.admin);
    await page.fill('[data-testid="sign-in-again"]', PW.admin);
    await page.press('[data-testid="sign-in-again"]', 'Enter');
    await page.waitForSelector('[data-testid="nav-cases"]');
    await page.click('[data-testid="nav-users"]');
    for (const [name, shops, password] of [
      ['王芳', '', PW.clerk],
      ['A店客服', 'A店', PW.shopClerk],
    ] as const) {
      await page.fill('[data-testid="user-name"]', name);
      await page.selectOption('[data-testid="user-role"]', 'clerk');
      await page.fill('[data-testid="user-shops"]', shops);
      await page.fill('[data-testid="user-password"]', password);
      await page.click('[data-testid="user-add"]');
      await page.waitForSelector(`[data-testid="staff-notice-ok"]:has-text("${name}")`);
    }
    await signOut(page);

    // a clerk limited to shop A: coverage counts station 1's recording (shop A), not station 2's (shop B)
    await signIn(page, 'A店客服', PW.shopClerk);
    await page.click('[data-testid="nav-coverage"]');
    await page.waitForSelector('[data-testid="coverage-stations"] tbody tr');
    const hers = await page.innerText('[data-testid="coverage-stations"]');
    expect([hers.includes('打包台 1'), hers.includes('打包台 2')]).toEqual([true, false]);
    await page.click('[data-testid="nav-cases"]');
    await page.waitForSelector('[data-testid="cases-screen"]');
    // shop B's order is as unknown to her as one never recorded
    await page.click('[data-testid="new-case"]');
    await page.fill('[data-testid="case-order"]', ORDER);
    await page.selectOption('[data-testid="case-type"]', 'fast-refund');
    await page.selectOption('[data-testid="case-scenario"]', 'wrong-item');
    await page.click('[data-testid="case-submit"]');
    await page.waitForSelector('[data-testid="notice-error"]');
    expect(await page.locator('[data-testid="case-view"]').count()).toBe(0);
    // her own shop's order opens, with station 1's video on its checklist
    await page.fill('[data-testid="case-order"]', 'PDD-OTHER-1');
    await page.click('[data-testid="case-submit"]');
    await page.waitForSelector('[data-testid="case-view"]');
    await page.waitForSelector('[data-testid="req-packing-video"][data-state="present"]');
    await signOut(page);

    // the clerk opens a fast-refund case on ORDER in the station's own form
    await signIn(page, '王芳', PW.clerk);
    await page.click('[data-testid="nav-cases"]');
    await page.waitForSelector('[data-testid="cases-screen"]');
    expect(await page.getAttribute('[data-testid="nav-cases"]', 'class')).toBe('on');
    await page.click('[data-testid="new-case"]');
    await page.fill('[data-testid="case-order"]', ORDER);
    await page.selectOption('[data-testid="case-type"]', 'fast-refund');
    await page.selectOption('[data-testid="case-scenario"]', 'wrong-item');
    await page.click('[data-testid="case-submit"]');
    await page.waitForSelector('[data-testid="case-view"]');

    // station 2's recording and photo fill their items, played from the hub's media route
    await page.waitForSelector('[data-testid="req-packing-video"][data-state="present"]');
    await page.waitForSelector('[data-testid="req-item-label-photo"][data-state="present"]');
    const videoHref = await page.getAttribute('[data-testid="req-packing-video"] [data-testid="req-file"] a', 'href');
    expect(videoHref).toBe(`/staff/v1/media/${station2Id}/${video.evidence.id}`);
    expect((await fetchInPage(page, videoHref!)).status).toBe(206);
    expect(await page.getAttribute('[data-testid="req-logistics-proof"]', 'data-state')).toBe('missing');

    // the courier proof, picked in this browser: uploaded in pieces through the call route
    await page.setInputFiles(
      '[data-testid="import-logistics-proof"]',
      await labelPngFile({ trackingNo: TRACKING, width: 800, height: 500 }),
    );
    await page.waitForSelector('[data-testid="req-logistics-proof"][data-state="present"]');
    await page.waitForSelector('[data-testid="checklist-summary"][data-complete="true"]');
    const proofHref = await page.getAttribute('[data-testid="req-logistics-proof"] [data-testid="req-file"] a', 'href');
    expect(proofHref).toMatch(/^\/staff\/v1\/files\/media\//);
    expect(await fetchInPage(page, proofHref!)).toMatchObject({ head: [0x89, 0x50, 0x4e, 0x47] }); // PNG

    // export: the job is followed by polling (no event stream for browsers) until the packet shows
    await page.click('[data-testid="export-button"]');
    const zipLink = page.locator('[data-testid="packet"] a[download]').first();
    await zipLink.waitFor({ timeout: 180_000 });
    await page.waitForSelector('[data-testid="case-status"][data-status="exported"]');
    const zipHref = (await zipLink.getAttribute('href'))!;
    // SQLite: one hub process, the zip in its exports folder; PostgreSQL: in the store any process reads
    expect(zipHref).toMatch(
      testEngine === 'postgres'
        ? /^\/staff\/v1\/files\/packets\/[^/]+\/[^/]+\.zip$/
        : /^\/staff\/v1\/exports\/[^/]+\.zip$/,
    );
    // the link downloads (a browser's download, not a page), and the same URL answers 200 with the zip
    const [download] = await Promise.all([page.waitForEvent('download'), zipLink.click()]);
    expect(download.url()).toBe(new URL(zipHref, server.url).href);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    expect(await download.failure()).toBeNull();
    expect(
      await page.evaluate(async (u) => {
        const r = await fetch(u);
        const head = [...new Uint8Array(await r.arrayBuffer())].slice(0, 2);
        return [r.status, r.headers.get('content-disposition')?.startsWith('attachment'), head];
      }, zipHref),
    ).toEqual([200, true, [0x50, 0x4b]]); // PK
    const zip = await zipEntries(fs.readFileSync((await download.path())!));
    const hashes = [...zip.values()].map(sha);
    // the packet carries station 2's files, byte for byte
    expect(hashes).toContain(video.evidence.sha256);
    expect(hashes).toContain(photo.evidence.sha256);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'staff-case-view.png'), fullPage: true });
    await page.click('[data-testid="verify-button"]');
    await page.waitForSelector('[data-testid="verify-result"]');
    const oks = await page.$$eval('[data-testid="verify-result"]', (els) => els.map((e) => e.getAttribute('data-ok')));
    // folder and zip; a packet in the store is its zip
    expect(oks).toEqual(testEngine === 'postgres' ? ['true'] : ['true', 'true']);

    // a share link to the packet: a phone opens its page and downloads the packet's own zip
    await page.click('[data-testid="packet-share"]');
    const shareUrl = await page.locator('[data-testid="packet-share-url"]').inputValue();
    expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const shared = await phone.newPage();
    await shared.goto(shareUrl);
    expect(await shared.innerText('h1')).toContain(`订单 ${ORDER} 的申诉材料包`);
    expect(await shared.content()).toContain(video.evidence.sha256);
    // the page's CSP lets it fetch nothing itself: the phone's own request, as a tap on the link
    const packetHref = await shared.getAttribute('a[href$="/zip"]', 'href');
    const zipRes = await shared.request.get(new URL(packetHref!, shareUrl).toString());
    const packetZip = [zipRes.status(), [...(await zipRes.body()).subarray(0, 2)]];
    expect(packetZip).toEqual([200, [0x50, 0x4b]]);
    await phone.close();

    // coverage and the dashboard count station 2's recording on T0's day
    await page.click('[data-testid="nav-coverage"]');
    await page.waitForSelector('[data-testid="coverage-stations"] tbody tr');
    const coverage = await page.innerText('[data-testid="coverage-stations"]');
    expect(coverage).toContain('打包台 2');
    expect(coverage).toContain('打包台 1');
    await page.click('[data-testid="nav-dashboard"]');
    await page.waitForSelector('[data-testid="dash-compliance"] tbody tr');
    const compliance = await page.$$eval('[data-testid="dash-compliance"] tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    );
    expect(compliance.find((r) => r[0] === '打包台 2')?.slice(2, 4)).toEqual(['1', '1']); // 1 video, 1 photo

    // the case list: back through the hash route, both cases are there
    await page.click('[data-testid="nav-cases"]');
    await page.waitForSelector(`[data-testid="case-row"]:has-text("${ORDER}")`);
    expect(await page.locator('[data-testid="case-row"]:has-text("PDD-OTHER-1")').count()).toBe(1);
    // shop A's clerk lists her case only
    await signOut(page);
    await signIn(page, 'A店客服', PW.shopClerk);
    await page.click('[data-testid="nav-cases"]');
    await page.waitForSelector('[data-testid="case-row"]:has-text("PDD-OTHER-1")');
    expect(await page.locator('[data-testid="case-row"]').count()).toBe(1);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { readDataDirDb } from '../helpers/data-dir-db';
import { rowOf, valueOf } from '../helpers/raw-sql';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { launchChromium, openStation, startApp, tempDataDir, type AppProcess } from './harness';
import { scan } from './scanner-replay';

/**
 * The storage screen and the disk guard in the real UI: the retention dry-run view, a
 * recording refused below the reserve with a translated reason, and a running recording
 * stopped (and saved) when free space falls below the reserve.
 */
const OLD_ORDER = 'OLD-FOOTAGE-0001';

describe('storage screen and disk guard (Chromium, loopback)', () => {
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDataDir('pp-storage-');
    // 90-day-old footage no case needs
    const core = await createCore({ dataDir, mode: 'cli' });
    const { chunks } = recorderLikeStream(fs.mkdtempSync(path.join(dataDir, 'src-')), 1, { width: 320, height: 240 });
    const s = await core.handlers['capture.start']({
      code: OLD_ORDER,
      mode: 'outbound',
      mime: 'video/mp4;codecs=avc1',
    });
    for (let i = 0; i < chunks.length; i++)
      await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    const ev = await core.handlers['capture.stop']({ recordingId: s.id });
    await core.ctx.db
      .updateTable('evidence')
      .set({ captured_at: new Date(Date.now() - 90 * 86_400_000).toISOString() })
      .where('id', '=', ev.id)
      .execute();
    await core.close();
    app = await startApp(dataDir);
    browser = await launchChromium();
    page = await openStation(browser, app);
  });
  const cleanup: string[] = [];
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    for (const d of [dataDir, ...cleanup]) fs.rmSync(d, { recursive: true, force: true });
  });

  const setReserveGb = async (gb: number) => {
    await page.click('[data-testid="nav-storage"]');
    await page.fill('[data-testid="reserve"]', String(gb));
    await page.click('[data-testid="storage-save"]');
    await page.waitForSelector('[data-testid="notice-success"]');
  };

  it('shows what retention would delete and how much space returns, deleting nothing', async () => {
    await page.click('[data-testid="nav-storage"]');
    await page.waitForSelector('[data-testid="storage-free"]');
    await page.click('[data-testid="retention-preview"]');
    const report = await page.waitForSelector('[data-testid="retention-report"]');
    const text = await report.innerText();
    expect(text).toContain('将删除 1 个文件');
    expect(text).toContain(OLD_ORDER);
    expect(await readDataDirDb(dataDir, (db) => valueOf(db, 'SELECT COUNT(*) FROM evidence'))).toEqual(1);
  });

  it('refuses to start recording below the reserve, saying why in the UI language', async () => {
    await setReserveGb(100_000);
    await page.click('[data-testid="nav-station"]');
    await scan(page, 'SF3000000000001');
    const err = await page.waitForSelector('[data-testid="notice-error"]');
    expect(await err.innerText()).toMatch(/磁盘空间不足.*低于预留的 100000\.0 GB/);
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    const count = await readDataDirDb(dataDir, (db) =>
      valueOf(db, "SELECT COUNT(*) FROM recordings WHERE scan_code = 'SF3000000000001'"),
    );
    expect(count).toEqual(0);
  });

  it('stops a running recording cleanly when free space falls below the reserve, and saves it', async () => {
    await setReserveGb(0);
    await page.click('[data-testid="nav-station"]');
    await scan(page, 'SF3000000000002');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(1500);
    // the disk "fills up": the reserve now exceeds the free space the chunk acks report
    await setReserveGb(100_000);
    const err = await page.waitForSelector('[data-testid="notice-error"]:has-text("录像已停止")');
    expect(await err.innerText()).toContain('已录部分已保存');
    await page.click('[data-testid="nav-station"]');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    const saved = () =>
      readDataDirDb(dataDir, (db) =>
        rowOf<{ status: string; duration_ms: number | null }>(
          db,
          "SELECT r.status, e.duration_ms FROM recordings r LEFT JOIN evidence e ON e.id = r.evidence_id WHERE r.scan_code = 'SF3000000000002'",
        ),
      );
    await expect.poll(saved, { timeout: 20_000 }).toMatchObject({ status: 'finalized' });
    expect((await saved())?.duration_ms).toBeGreaterThan(1000);
  });

  it('moves the data folder while the app runs; the app carries on in the new place', async () => {
    await setReserveGb(0);
    const parent = tempDataDir('pp-moved-');
    cleanup.push(parent);
    const target = path.join(parent, 'ProofPack');
    await page.fill('[data-testid="move-target"]', target);
    await page.click('[data-testid="move-start"]');
    await page.waitForSelector('[data-testid="storage-job"]:has-text("完成")', { timeout: 60_000 });
    await page.waitForSelector(`[data-testid="data-dir"]:has-text("${target}")`);
    expect(fs.readdirSync(dataDir)).toEqual(['proofpack-location.json']);
    await page.click('[data-testid="nav-station"]');
    await scan(page, 'SF3000000000003');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(2800); // past the duplicate-scan window: the same code again stops
    await scan(page, 'SF3000000000003');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    const saved = () =>
      readDataDirDb(target, (db) =>
        rowOf<{ status: string; path: string | null }>(
          db,
          "SELECT r.status, e.path FROM recordings r LEFT JOIN evidence e ON e.id = r.evidence_id WHERE r.scan_code = 'SF3000000000003'",
        ),
      );
    await expect.poll(saved, { timeout: 20_000 }).toMatchObject({ status: 'finalized' });
    const rel = (await saved())?.path ?? '';
    expect(fs.existsSync(path.join(target, rel))).toBe(true);
    // media is served from the new folder through the same server
    const status = await page.evaluate(async (p) => (await fetch(`/media/${p}`)).status, rel);
    expect(status).toBe(200);
  });
});

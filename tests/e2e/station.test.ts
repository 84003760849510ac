import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probe } from '../../electron/core/media/ffmpeg';
import { sha256File } from '../../electron/core/storage/files';
import { decodeTexts, extractFramePng } from '../fixtures';
import { translate } from '../../shared/i18n';
import { CHROMIUM, ROOT, startApp, tempDataDir } from './harness';
import { scan } from './scanner-replay';
import { pageApi, stationSession } from './session';

const TRACKING = 'SF1402938475610';
const ORDER = '241124-889900112233445';
const RETURN_ORDER = '241124-555500112233446';

interface ListedOrder {
  orderNo: string;
  trackingNo: string | null;
  evidence: {
    path: string;
    kind: string;
    mode: string;
    sha256: string;
    bytes: number;
    durationMs: number | null;
    status: string;
  }[];
}

/** Recording spans measured in the page from MediaRecorder's own start/stop events. */
async function recordedSpans(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const spans: Record<string, number[]> = {};
    const starts = performance.getEntriesByName('proofpack:recorder-started') as PerformanceMark[];
    const stops = performance.getEntriesByName('proofpack:recorder-stopped') as PerformanceMark[];
    for (const s of starts) {
      const stop = stops.find((x) => x.detail === s.detail && x.startTime > s.startTime);
      if (stop) (spans[s.detail as string] ??= []).push(stop.startTime - s.startTime);
    }
    return spans;
  });
}

/**
 * Whether a video's very first frame carries the red recording border. A recording used to
 * open on the frame captured before the scan ("waiting for a scan", no border), so its
 * first frame did not prove which order it belongs to.
 */
async function firstFrameHasRecordingBorder(file: string): Promise<boolean> {
  const img = sharp(await extractFramePng(file, 0));
  const { height } = await img.metadata();
  const { data } = await img
    .extract({ left: 1, top: Math.round(height! / 2), width: 1, height: 1 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return data[0] > 200 && data[1] < 120 && data[2] < 120;
}

function cliList(dataDir: string): ListedOrder[] {
  const out = execFileSync(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(ROOT, 'electron/cli/index.ts'), 'list', '--data-dir', dataDir, '--json'],
    { encoding: 'utf8' },
  );
  return JSON.parse(out);
}

describe('packing station end to end (Chromium, fake camera showing a real label)', () => {
  const session = stationSession(TRACKING);

  it('scan → record, next scan saves and starts, same scan stops, duplicate scans ignored', async () => {
    const { page, app } = session;
    await scan(page, TRACKING);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(3000);
    await scan(page, ORDER); // saves the first, starts the second at once
    await page.waitForFunction((o) => document.querySelector('[data-testid="status-order"]')?.textContent === o, ORDER);
    await scan(page, ORDER); // within the duplicate window: ignored, still recording
    await page.waitForSelector('[data-testid="notice-warn"]');
    expect(await page.getAttribute('[data-testid="station"]', 'data-phase')).toBe('recording');
    await page.keyboard.press('F8'); // photo of label + item
    await page.waitForSelector('[data-testid="photo-thumb"]');
    await page.waitForTimeout(2600);
    await scan(page, ORDER); // same code again, after the window: stop
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));

    const spans = await recordedSpans(page);
    const orders = cliList(app.dataDir);
    expect(orders.map((o) => o.orderNo).sort()).toEqual([ORDER, TRACKING].sort());
    expect(orders.find((o) => o.orderNo === TRACKING)!.trackingNo).toBe(TRACKING);
    for (const code of [TRACKING, ORDER]) {
      const videos = orders.find((o) => o.orderNo === code)!.evidence.filter((e) => e.kind === 'video');
      expect(videos).toHaveLength(1);
      const v = videos[0];
      const p = await probe(v.path);
      expect(p.format.format_name).toContain('mp4');
      expect(p.streams.find((s) => s.codec_type === 'video')!.codec_name).toBe('h264');
      const seconds = Number(p.format.duration);
      // The file never holds more than the recorder ran; it may hold a little less when a
      // busy machine renders the last canvas frames late (frames are stamped when drawn), so
      // the lower bound is loose: a lost 250 ms chunk is caught by the crash-recovery tests.
      const span = spans[code][0] / 1000;
      expect(seconds).toBeLessThan(span + 0.5);
      expect(seconds).toBeGreaterThan(span - 2.5);
      expect(Math.abs(v.durationMs! / 1000 - seconds)).toBeLessThan(0.05);
      expect(v.sha256).toBe(await sha256File(v.path));
      expect(v.bytes).toBe(fs.statSync(v.path).size);
      expect(v.status).toBe('recorded');
      expect(await firstFrameHasRecordingBorder(v.path)).toBe(true);
    }
    const photos = orders.find((o) => o.orderNo === ORDER)!.evidence.filter((e) => e.kind === 'photo');
    expect(photos).toHaveLength(1);
    expect(photos[0].sha256).toBe(await sha256File(photos[0].path));
    // the label stays legible through overlay, H.264 recording and remux
    const frame = await extractFramePng(orders.find((o) => o.orderNo === TRACKING)!.evidence[0].path, 1);
    expect(await decodeTexts(frame)).toContain(TRACKING);
  });

  it('return unboxing: steps marked with the key are stored as chapters', async () => {
    const { page } = session;
    await page.click('[data-testid="mode-return"]');
    await page.waitForSelector('[data-testid="return-steps"]');
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await scan(page, RETURN_ORDER);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(800);
    await page.keyboard.press('F4');
    await page.waitForTimeout(700);
    await page.keyboard.press('F4');
    await page.waitForTimeout(500);
    await page.keyboard.press('F2'); // hotkey stop
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
    const found = await pageApi<{ value: { id: number }[] }>(page, 'orders.search', { query: '555500112233446' });
    const res = await pageApi<{
      value: { evidence: { kind: string; mode: string; chapters: { step: string; atMs: number }[] }[] };
    }>(page, 'orders.get', { id: found.value[0].id });
    const video = res.value.evidence.find((e) => e.kind === 'video');
    // when it fails, say what the station said and how the recording was made
    const said = video ? '' : await stationStory(page, session.app.output());
    expect(video, said).toBeDefined();
    expect(video!.mode).toBe('return');
    expect(video!.chapters.map((c) => c.step)).toEqual(['six-sides', 'label-closeup']);
    expect(video!.chapters[0].atMs).toBeGreaterThan(300);
    expect(video!.chapters[1].atMs).toBeGreaterThan(video!.chapters[0].atMs + 400);
  });

  it('an empty Enter in the code box says what to do and starts nothing', async () => {
    const { page } = session;
    await page.click('[data-testid="manual-code"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="notice-warn"]:has-text("${translate('zh-CN', 'station.scanFirst')}")`);
    expect(await page.getAttribute('[data-testid="station"]', 'data-phase')).toBe('idle');
    await page.locator('body').click({ position: { x: 5, y: 400 } });
  });

  it('finds the order by tracking number and plays it from the data folder', async () => {
    const { page } = session;
    await page.click('[data-testid="nav-orders"]');
    await page.fill('[data-testid="order-search"]', TRACKING.slice(-6));
    await page.click('[data-testid="order-row"]');
    await page.waitForSelector('[data-testid="player"]');
    const duration = await page.$eval(
      '[data-testid="player"]',
      (v) =>
        new Promise<number>((resolve) => {
          const video = v as HTMLVideoElement;
          if (video.readyState >= 1) resolve(video.duration);
          else video.addEventListener('loadedmetadata', () => resolve(video.duration), { once: true });
        }),
    );
    expect(duration).toBeGreaterThan(2);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'orders.png') });
  });

  it('Settings: a broken pattern, a bad number or a shared key is refused with a message naming the field', async () => {
    const { page } = session;
    await page.click('[data-testid="nav-settings"]');
    await page.locator('.settings textarea').first().fill('^PDD(');
    await page.locator('.settings input[type=number]').first().fill('-5');
    const keys = page.locator('.settings fieldset').nth(2).locator('button');
    await keys.nth(0).click();
    await page.keyboard.press('KeyA'); // types a character: refused, scanners need it
    await page.waitForSelector('[data-testid="hotkey-refused"]');
    await page.keyboard.press('F8'); // the photo key
    await page.click('[data-testid="settings-save"]');
    const problems = await page.innerText('[data-testid="settings-problems"]');
    expect(problems).toContain('订单号：规则 “^PDD(” 不是有效的正则表达式');
    expect(problems).toContain('重复扫描忽略时间（毫秒）：请输入 0 到 60000 之间的整数');
    expect(problems).toContain('按键 F8 同时用于“开始/结束录像”和“拍照”');
    // nothing was saved
    const saved = await pageApi<{ value: { orderPatterns: string[]; hotkeys: { toggleRecording: string } } }>(
      page,
      'settings.get',
      {},
    );
    expect(saved.value.orderPatterns).not.toContain('^PDD(');
    expect(saved.value.hotkeys.toggleRecording).toBe('F2');
  });
});

describe('station without a camera', () => {
  it('says plainly that no camera was found and offers a retry', async () => {
    const app = await startApp(tempDataDir());
    // no fake-device flags: this Chromium has no camera at all
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(app.url);
      await page.waitForSelector('[data-testid="camera-error"]');
      expect(await page.innerText('[data-testid="camera-error"]')).toBe(
        translate('zh-CN', 'station.cameraError.NotFoundError'),
      );
      await page.click('[data-testid="camera-retry"]');
      await page.waitForSelector('[data-testid="camera-error"]');
      await scan(page, ORDER); // nothing to record from: a warning, no recording
      await page.waitForSelector(`[data-testid="notice-warn"]:has-text("${translate('zh-CN', 'station.noCamera')}")`);
      expect(await page.getAttribute('[data-testid="station"]', 'data-phase')).toBe('idle');
    } finally {
      await browser.close();
      await app.stop();
    }
  });
});

/** the notices on screen and the preview's record of how recordings were made, for a failure's message */
async function stationStory(page: Page, appOutput: string): Promise<string> {
  const notices = await page.locator('[data-testid^="notice-"]').allTextContents();
  const preview = await page.evaluate(() => ({
    ...(document.querySelector('[data-testid="preview"]') as HTMLElement).dataset,
  }));
  return JSON.stringify({ notices, preview, app: appOutput.slice(-2000) });
}

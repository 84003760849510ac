import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../shared/i18n';
import { overlayLineOrigin, overlayMetrics } from '../../renderer/src/station/overlay-layout';
import { extractFramePng, makeLabelY4m } from '../fixtures';
import { launchChromium, openStation, scan, startApp, tempDataDir, type AppProcess } from './harness';
import { pageApi } from './session';

/**
 * The overlay is evidence: its Chinese must come out as Chinese on any station, also one
 * without a CJK system font (where the system fonts burn empty boxes into every frame).
 * Chromium runs with a fontconfig that knows only DejaVu (Latin), so the only way to get
 * real glyphs into the recorded frame is the font the app bundles.
 */
const BUNDLED_FONT = path.join(
  path.dirname(require.resolve('@embedpdf/fonts-sc')),
  '..',
  'fonts',
  'NotoSansHans-Regular.otf',
);
const LATIN_FONTS = '/usr/share/fonts/truetype/dejavu';
const ORDER = '241124-770011223344556';
const ORDER_WITHOUT_FONT = '241124-770011223344557';
const ORDER_WORKERLESS = '241124-770011223344558';
const STATION = '华东仓三号台';
const OPERATOR = '李小龙';
/** the font stack the overlay used before it bundled its font */
const SYSTEM_STACK = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';

/** A fontconfig setup in `dir` with one Latin font folder and no CJK font at all. */
function latinOnlyFontconfig(dir: string): string {
  if (!fs.existsSync(LATIN_FONTS)) throw new Error(`this test needs the DejaVu fonts in ${LATIN_FONTS}`);
  const file = path.join(dir, 'fonts.conf');
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${LATIN_FONTS}</dir>\n  <cachedir>${path.join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return file;
}

/** Launch Chromium (the harness's flags) with only the Latin fontconfig. */
async function launchWithoutCjkFonts(y4m: string, fontconfigDir: string): Promise<Browser> {
  const saved = process.env.FONTCONFIG_FILE;
  process.env.FONTCONFIG_FILE = latinOnlyFontconfig(fontconfigDir);
  try {
    return await launchChromium({ y4m }); // the browser takes the environment at launch
  } finally {
    if (saved === undefined) delete process.env.FONTCONFIG_FILE;
    else process.env.FONTCONFIG_FILE = saved;
  }
}

/**
 * The overlay's first lines as white-on-black PNG, drawn in the page with the same
 * geometry as the station, in `family` (a CSS font stack).
 */
function renderLines(page: Page, width: number, height: number, lines: string[], family: string): Promise<Buffer> {
  const m = overlayMetrics(height);
  const origins = lines.map((_, i) => overlayLineOrigin(m, i));
  return page
    .evaluate(
      ({ width, height, lines, origins, font, maxWidth }) => {
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        const ctx = canvas.getContext('2d')!;
        ctx.fillStyle = '#000';
        ctx.fillRect(0, 0, width, height);
        ctx.font = font;
        ctx.textBaseline = 'top';
        ctx.fillStyle = '#fff';
        lines.forEach((l, i) => ctx.fillText(l, origins[i].x, origins[i].y, maxWidth));
        return canvas.toDataURL('image/png');
      },
      { width, height, lines, origins, font: `${m.weight} ${m.size}px ${family}`, maxWidth: width - m.pad * 4 },
    )
    .then((url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Bright (text) pixels of a region: the overlay's text is white on a darkened box. */
async function textMask(png: Buffer, r: Region): Promise<Uint8Array> {
  const { data } = await sharp(png).extract(r).greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.map((v) => (v > 160 ? 1 : 0));
}

/**
 * How much two text masks overlap (intersection over union), at the best shift of up to
 * 2 px either way: the video encoder may move an edge, never a glyph's shape.
 */
function overlap(a: Uint8Array, b: Uint8Array, r: Region): number {
  let best = 0;
  for (let dy = -2; dy <= 2; dy++)
    for (let dx = -2; dx <= 2; dx++) {
      let inter = 0;
      let union = 0;
      for (let y = 2; y < r.height - 2; y++)
        for (let x = 2; x < r.width - 2; x++) {
          const p = a[y * r.width + x];
          const q = b[(y + dy) * r.width + x + dx];
          inter += p & q;
          union += p | q;
        }
      best = Math.max(best, union ? inter / union : 0);
    }
  return best;
}

/**
 * The first frame of `video` shows the overlay's first lines in the bundled font, not the
 * system's (empty boxes): text masks compared with both rendered in the page.
 */
async function expectBundledFontOverlay(page: Page, video: string, order: string): Promise<void> {
  // the reference font: the same file, read from node_modules by the test, under its own name
  await page.route('**/__reference-font.otf', (route) =>
    route.fulfill({ contentType: 'font/otf', body: fs.readFileSync(BUNDLED_FONT) }),
  );
  await page.evaluate(async () => {
    const face = new FontFace('Reference Bundled', 'url(/__reference-font.otf)');
    document.fonts.add(await face.load());
  });
  const frame = await extractFramePng(video, 0);
  const { width, height } = await sharp(frame).metadata();

  const t = (k: string) => translate('zh-CN', k);
  const lines = [
    `${t('station.overlay.order')} ${order}`,
    `${t('station.overlay.station')} ${STATION}  ${t('station.overlay.operator')} ${OPERATOR}  ${t('mode.outbound')}`,
  ];
  const bundled = await renderLines(page, width!, height!, lines, '"Reference Bundled"');
  const system = await renderLines(page, width!, height!, lines, SYSTEM_STACK);
  // the lines' box, as wide as the reference text: beyond the box the camera picture is not darkened
  const m = overlayMetrics(height!);
  const top = overlayLineOrigin(m, 0).y - 4;
  const whole = { left: 0, top, width: width!, height: overlayLineOrigin(m, 2).y - top };
  const right = (await textMask(bundled, whole)).reduce((r, v, i) => (v ? Math.max(r, i % width!) : r), 0);
  const region = {
    left: m.pad + 2,
    top,
    width: Math.min(right + m.pad, width! - m.pad) - m.pad - 2,
    height: whole.height,
  };
  const [frameMask, bundledMask, systemMask] = await Promise.all(
    [frame, bundled, system].map((png) => textMask(png, region)),
  );
  // the setup really lacks CJK fonts: the system stack draws something else (boxes)
  expect(overlap(bundledMask, systemMask, region)).toBeLessThan(0.5);
  const withBundled = overlap(frameMask, bundledMask, region);
  const withSystem = overlap(frameMask, systemMask, region);
  console.log(`overlay text overlap: bundled font ${withBundled.toFixed(3)}, system fonts ${withSystem.toFixed(3)}`);
  expect(withBundled).toBeGreaterThan(0.7);
  expect(withSystem).toBeLessThan(0.4);
}

/** Records a moment of `order`; which way the recorded picture was made (usePreview: frames or canvas). */
async function recordOnce(page: Page, order: string): Promise<string | undefined> {
  await scan(page, order);
  await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
  let recordPath = await page.$eval('[data-testid="preview"]', (c) => (c as HTMLCanvasElement).dataset.recordPath);
  if (recordPath === 'frames') {
    // where the frames are worked on: known once the worker has started (or could not)
    const where = await page.waitForSelector('[data-testid="preview"][data-frames-in]');
    recordPath += `/${await where.getAttribute('data-frames-in')}`;
  }
  await page.waitForTimeout(1200);
  await page.keyboard.press('F2'); // hotkey stop
  await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
  return recordPath;
}

async function orderVideos(page: Page, dataDir: string, orderNo: string): Promise<string[]> {
  const found = await pageApi<{ value: { id: number; orderNo: string }[] }>(page, 'orders.search', { query: orderNo });
  const order = found.value.find((o) => o.orderNo === orderNo);
  if (!order) return [];
  const res = await pageApi<{ value: { evidence: { kind: string; path: string }[] } }>(page, 'orders.get', {
    id: order.id,
  });
  return res.value.evidence.filter((e) => e.kind === 'video').map((e) => path.join(dataDir, e.path));
}

describe('overlay font on a station without a CJK system font (Chromium, fontconfig with DejaVu only)', () => {
  let app: AppProcess;
  let browser: Browser;
  const fontconfigDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-fontconfig-'));
  beforeAll(async () => {
    const y4m = await makeLabelY4m({ trackingNo: 'SF1402938475610', width: 1280, height: 720, fps: 30, seconds: 2 });
    // PROOFPACK_E2E_RENDERER_DIR serves another renderer build (as in session.ts), e.g. one without the fix
    const rendererDir = process.env.PROOFPACK_E2E_RENDERER_DIR;
    app = await startApp(tempDataDir(), rendererDir ? ['--renderer-dir', rendererDir] : []);
    browser = await launchWithoutCjkFonts(y4m, fontconfigDir);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(fontconfigDir, { recursive: true, force: true });
  });

  it("the first recorded frame's overlay is the bundled font's Chinese, not the system's empty boxes", async () => {
    const setup = await openStation(browser, app);
    await pageApi(setup, 'settings.update', { stationName: STATION, operator: OPERATOR, mode: 'outbound' });
    await setup.close();
    const page = await openStation(browser, app); // the station reads its settings at start

    // Chromium hands the camera's frames over: the overlay is blended into them in the
    // page's worker (frame-overlay.ts), started with the preview; a recording never waits for it
    await page.waitForSelector('[data-testid="preview"][data-camera-frames="usable"][data-overlay-worker="ready"]');
    expect(await recordOnce(page, ORDER)).toBe('frames/worker');
    const [video] = await orderVideos(page, app.dataDir, ORDER);
    expect(video).toBeTruthy();
    await expectBundledFontOverlay(page, video!, ORDER);
    expect(await page.$('[data-testid="font-fallback"]')).toBeNull();
    await page.close();
  });

  it('where the worker cannot start, the page overlays the frames itself: same overlay, nothing lost', async () => {
    const page = await openStation(browser, app, (p) => p.route('**/frame-overlay.worker*', (route) => route.abort()));
    await page.waitForSelector(
      '[data-testid="preview"][data-camera-frames="usable"][data-overlay-worker="unavailable"]',
    );
    expect(await recordOnce(page, ORDER_WORKERLESS)).toBe('frames/page');
    const videos = await orderVideos(page, app.dataDir, ORDER_WORKERLESS);
    expect(videos).toHaveLength(1);
    await expectBundledFontOverlay(page, videos[0]!, ORDER_WORKERLESS);
    await page.close();
  });

  it('a font that cannot load never stops recording: the station opens the camera and says why text may show as boxes', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await page.addInitScript('window.__name = (f) => f');
    await page.route('**/*.otf', (route) => route.abort());
    await page.goto(app.url);
    await page.waitForSelector('[data-testid="font-fallback"]');
    expect(await page.innerText('[data-testid="font-fallback"]')).toBe(translate('zh-CN', 'station.fontFallback'));
    await page.waitForFunction(
      () => ((document.querySelector('[data-testid="preview"]') as HTMLCanvasElement | null)?.width ?? 0) > 300,
    );
    await recordOnce(page, ORDER_WITHOUT_FONT);
    expect(await orderVideos(page, app.dataDir, ORDER_WITHOUT_FONT)).toHaveLength(1);
    await page.close();
  });
});

import type { Page } from 'playwright-core';
import { launchChromium, openStation, startApp, tempDataDir } from '../e2e/harness';
import { scan } from '../e2e/scanner-replay';
import { descendants, rssBytes } from './proc-tree';
import { percentile, type BenchRow } from './types';

/** Resident memory of a process and its descendants (tsx runs the server in a child). */
const treeRssBytes = (rootPid: number) => rssBytes([rootPid, ...descendants(rootPid)]);

async function jsHeap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
}

/** least-squares slope in bytes per second */
const slope = (pts: [number, number][]) => {
  const n = pts.length;
  const mx = pts.reduce((a, p) => a + p[0], 0) / n;
  const my = pts.reduce((a, p) => a + p[1], 0) / n;
  const num = pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
  const den = pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
};

export async function benchStationLive(opts: { scans?: number; recordSeconds?: number } = {}): Promise<BenchRow[]> {
  const scans = opts.scans ?? 20;
  const recordSeconds = opts.recordSeconds ?? Number(process.env.PROOFPACK_BENCH_RECORD_SECONDS ?? 120);
  const app = await startApp(tempDataDir('pp-bench-live-'));
  const browser = await launchChromium();
  try {
    const page = await openStation(browser, app);
    for (let i = 0; i < scans; i++) {
      await scan(page, `BENCH-${1000 + i}`);
      await page.waitForTimeout(1200);
    }
    await page.waitForTimeout(2000); // past the duplicate-scan window: the same code stops
    await scan(page, `BENCH-${1000 + scans - 1}`);
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    const lat = await page.evaluate(() => {
      const marks = (n: string) => performance.getEntriesByName(n) as PerformanceMark[];
      const after = (list: PerformanceMark[], s: PerformanceMark) =>
        list.find((x) => x.detail === s.detail && x.startTime >= s.startTime);
      const scansM = marks('proofpack:scan');
      const started = marks('proofpack:recorder-started');
      const ready = marks('proofpack:session-ready');
      return scansM
        .map((s) => ({ started: after(started, s), ready: after(ready, s), s }))
        .filter((x) => x.started && x.ready)
        .map((x) => ({ started: x.started!.startTime - x.s.startTime, ready: x.ready!.startTime - x.s.startTime }));
    });
    // naive: open the camera only when the scan arrives, then start the recorder
    const naive = await page.evaluate(async (n) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { width: 1280, height: 720, frameRate: 30 },
        });
        const rec = new MediaRecorder(stream, { mimeType: 'video/mp4;codecs=avc1' });
        await new Promise<void>((r) => {
          rec.onstart = () => r();
          rec.start(1000);
        });
        out.push(performance.now() - t0);
        rec.stop();
        stream.getTracks().forEach((t) => t.stop());
        await new Promise((r) => setTimeout(r, 300));
      }
      return out;
    }, 10);

    // memory over a long recording, sampled every 5 s after a 15 s warm-up
    await scan(page, 'BENCH-MEMORY');
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    const server: [number, number][] = [];
    const heap: [number, number][] = [];
    const t0 = Date.now();
    while (Date.now() - t0 < recordSeconds * 1000) {
      await page.waitForTimeout(5000);
      const t = (Date.now() - t0) / 1000;
      if (t < 15) continue;
      server.push([t, treeRssBytes(app.child.pid!)]);
      heap.push([t, await jsHeap(page)]);
    }
    await page.keyboard.press('F2');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    const toTenMin = (pts: [number, number][]) => (slope(pts) * 600) / 1024 / 1024;
    const serverGrowth = toTenMin(server);
    const heapGrowth = toTenMin(heap);
    const p95 = percentile(
      lat.map((l) => l.started),
      95,
    );
    return [
      {
        name: 'scan → recording started (p95)',
        ours_ms: Math.round(p95),
        naive_ms: Math.round(percentile(naive, 95)),
        ratio: +(percentile(naive, 95) / p95).toFixed(1),
        goal: 'p95 ≤ 150 ms',
        note: `${lat.length} scans; p50 ${Math.round(
          percentile(
            lat.map((l) => l.started),
            50,
          ),
        )} ms to MediaRecorder start, p95 ${Math.round(
          percentile(
            lat.map((l) => l.ready),
            95,
          ),
        )} ms to the server's recording row; naive = open camera on scan`,
      },
      {
        name: 'memory growth over 10 min recording',
        ours_ms: +Math.max(serverGrowth, 0).toFixed(1),
        naive_ms: null,
        ratio: null,
        goal: '≤ 50 MB (server RSS + renderer JS heap)',
        note: `extrapolated from ${recordSeconds} s (slope after 15 s warm-up): server ${serverGrowth.toFixed(1)} MB, renderer heap ${heapGrowth.toFixed(1)} MB per 10 min; value column is MB`,
      },
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}

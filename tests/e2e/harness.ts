import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * End-to-end harness: the real loopback server (its own process, a real SQLite file in a
 * temp data folder) and the real React UI in Debian's Chromium with a fake camera.
 */
export const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface AppProcess {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function tempDataDir(prefix = 'pp-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Start `electron/web/main.ts` on a free port and wait for its "listening" line. */
export async function startApp(dataDir: string, extraArgs: string[] = []): Promise<AppProcess> {
  // node itself runs the server (tsx as a loader, not its CLI, which would put a second
  // process in between): a SIGKILL sent to `child` then really kills the server.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'electron/web/main.ts'),
      '--web',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      ...extraArgs,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${out}`)), 60_000);
    const onData = () => {
      const m = /ProofPack listening on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`app exited ${code}:\n${out}`)));
  });
  const u = new URL(url);
  return {
    url,
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    dataDir,
    child,
    output: () => out,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        // the app exits by itself within a minute of SIGTERM (main.ts CLOSE_LIMIT_MS); past
        // that a test's teardown must not hang: the app is killed, and says why in its output
        const kill = setTimeout(() => {
          out += `\n[harness] no exit 90 s after ${signal}: SIGKILL\n`;
          child.kill('SIGKILL');
        }, 90_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill(signal);
      }),
  };
}

export async function launchChromium(opts: { y4m?: string; headless?: boolean } = {}): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
  ];
  if (opts.y4m) args.push(`--use-file-for-fake-video-capture=${opts.y4m}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: opts.headless ?? true, args });
}

/** scanners are replayed with their own key timestamps: see scanner-replay.ts */
export { scan } from './scanner-replay';

export async function openStation(
  browser: Browser,
  app: AppProcess,
  /** set up the page before it loads (routes, init scripts) */
  before?: (page: Page) => Promise<unknown>,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  // tsx (the bench runner) compiles with keepNames, which wraps functions passed to
  // page.evaluate in a __name() helper the page does not have
  await page.addInitScript('window.__name = (f) => f');
  await before?.(page);
  await page.goto(app.url);
  await page.waitForSelector('[data-testid="station"]');
  // the camera is live once the preview canvas has the camera's size
  await page.waitForFunction(
    () => ((document.querySelector('[data-testid="preview"]') as HTMLCanvasElement | null)?.width ?? 0) > 300,
  );
  return page;
}

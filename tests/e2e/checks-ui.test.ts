import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWireInput } from '../../shared/api/wire';
import { makeVideo } from '../fixtures';
import { launchChromium, ROOT, startApp, tempDataDir, type AppProcess } from './harness';

// The findings panel (order view) and the platform-rules page, in Chromium against the
// real loopback server: a WebM is imported, shown red with its reason, fixed through the
// Fix button with a progress bar, and the fixed MP4 shows up beside it.
async function api<T>(app: AppProcess, name: string, input: unknown): Promise<T> {
  const w = encodeWireInput(input);
  const res = await fetch(`http://127.0.0.1:${app.port}/api/${name}`, {
    method: 'POST',
    headers: { ...w.headers, 'x-proofpack-token': app.token },
    body: w.body as BodyInit,
  });
  const r = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('checks in the UI', () => {
  let app: AppProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // the buyer's WebM imported through the CLI (the drag-and-drop path), before the app runs
    const dataDir = tempDataDir();
    const webm = await makeVideo({ format: 'webm', durationSec: 4, width: 640, height: 360, audio: true });
    execFileSync(process.execPath, [
      require.resolve('tsx/cli'),
      path.join(ROOT, 'electron/cli/index.ts'),
      'add',
      '--data-dir',
      dataDir,
      '--order',
      'SF1357924680135',
      webm,
    ]);
    app = await startApp(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.addInitScript('window.__name = (f) => f');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows why a file fails and fixes it with a progress bar', async () => {
    await api(app, 'settings.update', { language: 'en' });
    await page.goto(app.url);
    await page.click('nav >> text=Orders');
    await page.fill('[data-testid="order-search"]', 'SF1357924680135');
    await page.locator('[data-testid="order-row"]', { hasText: 'SF1357924680135' }).click();
    await page.click('[data-testid="evidence-row"]');
    const panel = page.locator('[data-testid="findings"][data-state="block"]');
    await panel.waitFor({ timeout: 60_000 });
    await expect(panel.locator('[data-code="FORMAT_NOT_ACCEPTED"]').textContent()).resolves.toMatch(
      /webm is not accepted/,
    );

    await panel.locator('[data-code="FORMAT_NOT_ACCEPTED"] [data-testid="fix-button"]').click();
    await page.locator('[data-testid="fix-progress"]').waitFor();
    await page.locator('[data-testid="fix-done"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid="fix-done"]').textContent()).resolves.toMatch(/1 new file/);
    // the fixed copy is listed next to the original
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="evidence-row"]').length >= 2);
    await expect(page.locator('[data-testid="evidence-row"]', { hasText: 'Fixed' }).count()).resolves.toBe(1);
  });

  it('lists the platform rules with documented and assumed values, and refuses an invalid edit', async () => {
    await page.click('nav >> text=Platform rules');
    await page.locator('[data-testid="rules-table"]').waitFor();
    const basis = await page.$$eval('[data-testid="rules-table"] tr[data-basis]', (rows) =>
      rows.map((r) => [r.getAttribute('data-path'), r.getAttribute('data-basis')]),
    );
    expect(basis).toContainEqual(['video.maxBytes', 'documented']);
    expect(basis).toContainEqual(['photo.maxBytes', 'assumed']);

    await page.click('[data-testid="profile-edit"]');
    const json = await page.inputValue('[data-testid="profile-json"]');
    await page.fill('[data-testid="profile-json"]', json.replace('"value": 600', '"value": -1'));
    await page.click('[data-testid="profile-save"]');
    await expect(page.locator('[data-testid="profile-issues"]').textContent()).resolves.toContain(
      'video.maxDurationSec.value',
    );

    await page.fill('[data-testid="profile-json"]', json.replace('"value": 600', '"value": 300'));
    await page.click('[data-testid="profile-save"]');
    await page.locator('[data-testid="profile-pdd"]', { hasText: 'v2' }).waitFor();
  });
});

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWireInput } from '../../shared/api/wire';
import { labelPngFile, makeVideo } from '../fixtures';
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

  it('in Chinese, the rule notes and the edit errors read in Chinese', async () => {
    await api(app, 'settings.update', { language: 'zh-CN' });
    await page.goto(app.url);
    await page.click('[data-testid="nav-profiles"]');
    await page.locator('[data-testid="rules-table"]').waitFor();
    // the shipped notes are shown translated: no English sentence left in the table
    const notes = await page.$$eval('[data-testid="rules-table"] tr[data-basis] td:last-child', (tds) =>
      tds.map((td) => td.textContent ?? ''),
    );
    expect(notes.join('')).toContain('WebM');
    expect(notes.filter((n) => /[A-Za-z]{4,} [a-z]{2,}/.test(n))).toEqual([]);

    await page.click('[data-testid="profile-edit"]');
    const json = await page.inputValue('[data-testid="profile-json"]');
    await page.fill('[data-testid="profile-json"]', json.replace('"value": 300,', '"value": -1,'));
    await page.click('[data-testid="profile-save"]');
    const issues = page.locator('[data-testid="profile-issues"]');
    await expect(issues.textContent()).resolves.toMatch(/video\.maxDurationSec\.value.*数值过小/);
    // a JSON syntax slip says where, in the UI language
    await page.fill('[data-testid="profile-json"]', json.replace('{', '{,'));
    await page.click('[data-testid="profile-save"]');
    await expect(issues.textContent()).resolves.toContain('第 1 行第 2 列');
  });

  it('a failing file in a case checklist shows its reason and the fix, and the fix completes the item', async () => {
    const detail = await api<{ case: { id: string } }>(app, 'cases.create', {
      orderNo: 'SF1357924680135',
      appealType: 'goods',
      scenario: 'damaged',
    });
    await page.click('[data-testid="nav-cases"]');
    await page.locator('[data-testid="case-row"]').first().click();
    await page.locator('[data-testid="case-view"]').waitFor();
    expect(detail.case.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // a UUIDv7
    // no sign-for or refund time: the clerk is told why there is no countdown
    await page.locator('[data-testid="no-deadline"]').waitFor();
    const item = page.locator('[data-testid="req-unboxing-video"]');
    const webm = await makeVideo({ format: 'webm', durationSec: 3, width: 320, height: 240 });
    await page.setInputFiles('[data-testid="import-unboxing-video"]', webm);
    await item.locator('[data-testid="findings"][data-state="block"]').waitFor({ timeout: 60_000 });
    await expect(item.getAttribute('data-state')).resolves.toBe('failing');
    await expect(item.locator('[data-code="FORMAT_NOT_ACCEPTED"]').textContent()).resolves.toContain('webm');
    await item.locator('[data-code="FORMAT_NOT_ACCEPTED"] [data-testid="fix-button"]').click();
    // the fixed MP4 is taken for the item: present, and the reason panel goes away
    await page.locator('[data-testid="req-unboxing-video"][data-state="present"]').waitFor({ timeout: 60_000 });
    await expect(item.locator('[data-testid="findings"]').count()).resolves.toBe(0);

    // exporting now is refused (photos still missing), with no full progress bar beside "failed"
    await page.click('[data-testid="export-button"]');
    const refused = page.locator('[data-testid="job-row"].job-failed');
    await refused.waitFor({ timeout: 60_000 });
    await expect(refused.locator('progress').count()).resolves.toBe(0);
    // once the checklist changes, that list of what is missing is stale and goes away
    const photo = await labelPngFile({ trackingNo: 'SF1357924680135', width: 800, height: 500 });
    await page.setInputFiles('[data-testid="import-item-label-photo"]', photo);
    await page.locator('[data-testid="req-item-label-photo"][data-state="present"]').waitFor({ timeout: 60_000 });
    await expect(refused.count()).resolves.toBe(0);
  });
});

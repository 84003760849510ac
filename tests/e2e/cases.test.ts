import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPacket } from '../../electron/core/packets/verify';
import { labelPngFile } from '../fixtures';
import { ROOT } from './harness';
import { scan } from './scanner-replay';
import { pageApi, stationSession } from './session';

const TRACKING = 'SF1402938475777';
const ORDER = '241124-777700112233445';

describe('appeal case end to end (Chromium): recorded order → case → import → export → verify', () => {
  const session = stationSession(TRACKING);

  it('opens a case on a recorded order, a dropped document completes the checklist, the packet exports and verifies', async () => {
    const { page } = session;
    // the packer records the outbound parcel and takes the label + item photo
    await scan(page, ORDER);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForTimeout(1200);
    await page.keyboard.press('F8');
    await page.waitForSelector('[data-testid="photo-thumb"]');
    await page.waitForTimeout(1800);
    await scan(page, ORDER);
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));

    // the clerk opens a fast-refund case on it
    await page.click('[data-testid="nav-cases"]');
    await page.click('[data-testid="new-case"]');
    await page.fill('[data-testid="case-order"]', ORDER);
    await page.selectOption('[data-testid="case-type"]', 'fast-refund');
    await page.selectOption('[data-testid="case-scenario"]', 'wrong-item');
    await page.fill('[data-testid="case-refund"]', '2026-11-24T12:00');
    await page.fill('[data-testid="case-amount"]', '59.90');
    await page.click('[data-testid="case-submit"]');
    await page.waitForSelector('[data-testid="case-view"]');

    // the station's recording and photo fill their items; the courier proof is missing
    await page.waitForSelector('[data-testid="req-packing-video"][data-state="present"]');
    await page.waitForSelector('[data-testid="req-item-label-photo"][data-state="present"]');
    expect(await page.getAttribute('[data-testid="req-logistics-proof"]', 'data-state')).toBe('missing');
    expect(await page.getAttribute('[data-testid="checklist-summary"]', 'data-complete')).toBe('false');

    // import the red-stamp proof into that item (picker; the drop zone calls the same path)
    const proof = await labelPngFile({ trackingNo: TRACKING, width: 800, height: 500 });
    await page.setInputFiles('[data-testid="import-logistics-proof"]', proof);
    await page.waitForSelector('[data-testid="req-logistics-proof"][data-state="present"]');
    await page.waitForSelector('[data-testid="checklist-summary"][data-complete="true"]');
    await page.waitForSelector('[data-testid="case-status"][data-status="ready"]');
    expect(await page.inputValue('[data-testid="statement"]')).toContain('极速退款申诉');

    // export with progress, then verify in the UI
    await page.click('[data-testid="export-button"]');
    await page.waitForSelector('[data-testid="packet"] [data-testid="packet-verified"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="case-status"][data-status="exported"]');
    await page.click('[data-testid="verify-button"]');
    await page.waitForSelector('[data-testid="verify-result"]');
    const oks = await page.$$eval('[data-testid="verify-result"]', (els) => els.map((e) => e.getAttribute('data-ok')));
    expect(oks).toEqual(['true', 'true']); // folder and zip
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'case-view.png'), fullPage: true });

    // the packet on disk: the manifest lists the recording, the photo and the proof; the CLI agrees
    const list = await pageApi<{ value: { items: { id: number }[] } }>(page, 'cases.list', {});
    const detail = await pageApi<{ value: { packets: { dir: string; zip: string }[] } }>(page, 'cases.get', {
      id: list.value.items[0].id,
    });
    const packet = detail.value.packets[0];
    const manifest = JSON.parse(fs.readFileSync(path.join(packet.dir, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { requirement: string | null }) => f.requirement)).toEqual(
      expect.arrayContaining(['packing-video', 'item-label-photo', 'logistics-proof']),
    );
    expect((await verifyPacket(packet.zip)).ok).toBe(true);
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'proofpack.mjs'), 'verify', packet.dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);

    // the case list shows it with its countdown
    await page.click('[data-testid="case-back"]');
    await page.waitForSelector('[data-testid="case-row"] [data-testid="countdown"]');
  });
});

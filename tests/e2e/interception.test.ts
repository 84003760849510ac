import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { stationIdFor } from '../../electron/core/db/station-id';
import { resolveDbTarget } from '../../electron/core/db/target';
import { ROOT } from './harness';
import { scan } from './scanner-replay';
import { pageApi, stationSession } from './session';

const TRACKING = 'SF1402938475999';
const ORDER = '241201-000000000000777';
const SECOND = '241201-000000000000778';

function apiToken(dataDir: string, name = 'erp'): string {
  const r = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'proofpack.mjs'),
      'api',
      'token',
      'create',
      '--data-dir',
      dataDir,
      '--name',
      name,
      '--json',
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).token;
}

/** The ERP's call to the station's order API. */
function upsert(port: number, token: string, order: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/orders',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(order));
  });
}

/** The audit actions in the app's database (SQLite or the test PostgreSQL), oldest first. */
async function auditActions(dataDir: string): Promise<string[]> {
  const db = await openDatabase(await resolveDbTarget({ dataDir }), { stationId: stationIdFor(dataDir) });
  try {
    const rows = await db.selectFrom('audit_log').select('action').orderBy('seq').execute();
    return rows.map((r) => r.action);
  } finally {
    await db.destroy();
  }
}

const phase = (page: import('playwright-core').Page) => page.getAttribute('[data-testid="station"]', 'data-phase');
const partFiles = (dataDir: string) =>
  fs.existsSync(path.join(dataDir, 'media', 'incoming')) ? fs.readdirSync(path.join(dataDir, 'media', 'incoming')) : [];

async function evidenceOf(page: import('playwright-core').Page, code: string) {
  const found = await pageApi<{ value: { id: string; orderNo: string; evidenceCount: number }[] }>(
    page,
    'orders.search',
    {
      query: code,
    },
  );
  return found.value.find((o) => o.orderNo === code)?.evidenceCount ?? 0;
}

describe('refund interception (Chromium, order API → scan → alert)', () => {
  const session = stationSession(TRACKING);

  it('an order marked refund-requested through the API stops the packer: alert, no recording until confirmed', async () => {
    const { page, app } = session;
    const token = apiToken(app.dataDir);
    // the ERP also listens for order.recorded: the delivery shows in Settings
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        received.push(String(req.headers['x-proofpack-event']));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const hook = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'proofpack.mjs'),
        'webhook',
        'add',
        '--data-dir',
        app.dataDir,
        '--url',
        hookUrl,
        '--events',
        'order.recorded',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(hook.status, hook.stderr).toBe(0);
    expect(
      await upsert(app.port, token, {
        orderNo: ORDER,
        trackingNumbers: [TRACKING],
        status: 'refund-requested',
        buyerNote: '不要了',
      }),
    ).toBe(200);

    await scan(page, TRACKING);
    await page.waitForSelector('[data-testid="intercept-alert"]');
    const reason = await page.textContent('[data-testid="intercept-reason"]');
    expect(reason).toContain(ORDER);
    expect(reason).toContain('买家申请退款');
    expect(await phase(page)).toBe('idle');
    // scanning again while the alert is up does nothing
    await scan(page, TRACKING);
    expect(await page.isVisible('[data-testid="intercept-alert"]')).toBe(true);
    expect(await phase(page)).toBe('idle');
    expect(partFiles(app.dataDir)).toEqual([]);
    expect(await evidenceOf(page, ORDER)).toBe(0);

    await page.keyboard.press('Space'); // the confirm key
    await page.waitForSelector('[data-testid="intercept-alert"]', { state: 'detached' });
    // the interception and the confirmation are in the audit log (the alert closes at the
    // key; the confirmation's call may still be on its way)
    await expect
      .poll(() => auditActions(app.dataDir), { timeout: 30_000, interval: 250 })
      .toEqual(expect.arrayContaining(['order.status', 'order.intercepted', 'order.interception-confirmed']));
    expect((await auditActions(app.dataDir)).filter((a) => a === 'order.intercepted')).toHaveLength(1);

    // notes read aloud: switched on in Settings (off by default)
    await page.click('[data-testid="nav-settings"]');
    await page.click('[data-testid="speak-notes"]');
    await page.click('[data-testid="settings-save"]');
    await page.waitForSelector('[data-testid="notice-success"]');
    await page.click('[data-testid="nav-station"]');
    await page.waitForSelector('[data-testid="station"]');
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    // what the station hands to the system's speech synthesis (still spoken)
    await page.evaluate(() => {
      const w = window as unknown as { spoken: string[] };
      w.spoken = [];
      const speak = speechSynthesis.speak.bind(speechSynthesis);
      speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
        w.spoken.push(u.text);
        speak(u);
      };
    });

    // now the packer may record (e.g. the parcel put aside)
    await page.waitForTimeout(2600); // past the duplicate-scan window
    await scan(page, TRACKING);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    await page.waitForSelector('[data-testid="order-notes"]');
    expect(await page.textContent('[data-testid="order-notes"]')).toContain('不要了');
    await page.waitForFunction(() => (window as unknown as { spoken: string[] }).spoken.length > 0);
    expect(await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken)).toEqual(['买家留言：不要了']);
    await page.waitForTimeout(2600);
    await scan(page, TRACKING);
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
    expect(await evidenceOf(page, ORDER)).toBe(1);

    // Settings lists the webhook and its delivery (the app picks up the CLI's webhook at once)
    await page.click('[data-testid="nav-settings"]');
    await page.waitForSelector('[data-testid="webhook-list"]');
    expect(await page.textContent('[data-testid="webhook-list"]')).toContain(hookUrl);
    await page.waitForFunction(
      () => {
        const row = document.querySelector('[data-testid="delivery-list"] tr[data-status="delivered"]');
        if (row) return true;
        // the list is read once per visit: look again until the delivery went out
        (document.querySelector('[data-testid="nav-station"]') as HTMLElement)?.click();
        (document.querySelector('[data-testid="nav-settings"]') as HTMLElement)?.click();
        return false;
      },
      undefined,
      { polling: 500 },
    );
    expect(received).toEqual(['order.recorded']);
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
    await page.click('[data-testid="nav-station"]');
    await page.waitForSelector('[data-testid="station"]');
  });

  it('an order cancelled while it is being recorded stops the recording at once and raises the alert', async () => {
    const { page, app } = session;
    const erp = apiToken(app.dataDir, 'erp2');
    expect(await upsert(app.port, erp, { orderNo: SECOND, status: 'paid' })).toBe(200);
    await scan(page, SECOND);
    await page.waitForSelector('[data-testid="station"][data-phase="recording"]');
    // something is filmed before the cancellation: a recording with no stored chunk is
    // (rightly) nothing to keep, and on a loaded machine the first chunk can come late
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="meter-size"]')?.getAttribute('data-value')) > 0,
    );
    expect(await upsert(app.port, erp, { orderNo: SECOND, status: 'cancelled' })).toBe(200);
    await page.waitForSelector('[data-testid="intercept-alert"]');
    expect(await page.textContent('[data-testid="intercept-alert"]')).toContain('已保存并停止');
    await page.waitForSelector('[data-testid="station"][data-phase="idle"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="saving"]'));
    expect(await evidenceOf(page, SECOND)).toBe(1); // what was filmed is kept
    await page.click('[data-testid="intercept-confirm"]');
    await page.waitForSelector('[data-testid="intercept-alert"]', { state: 'detached' });
  });
});

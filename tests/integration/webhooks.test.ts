import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { notifyEvidenceAdded } from '../../electron/core/context';
import { getEvidence, insertEvidence } from '../../electron/core/evidence/evidence-repo';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { verifySignature } from '../../electron/core/webhooks/signature';
import { enqueueWebhookEvent, recentDeliveries } from '../../electron/core/webhooks/webhook-repo';
import { FIRST_RETRY_MS } from '../../electron/core/webhooks/backoff';
import { startDeadlineWatch } from '../../electron/core/cases/deadline-watch';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'proofpack.mjs');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on a fixed port that can go down and come back. */
class Receiver {
  got: Received[] = [];
  private server: http.Server | null = null;
  port = 0;
  async up(port = 0) {
    this.server = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c) => parts.push(c));
      req.on('end', () => {
        this.got.push({ headers: req.headers, body: Buffer.concat(parts).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async down() {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

const receivers: Receiver[] = [];
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  for (const r of receivers.splice(0)) await r.down();
});

/** A fixed clock the test moves, and no timers: the test runs the dispatcher itself. */
function clock(start = '2026-12-01T08:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

async function openCore(dataDir: string, c: ReturnType<typeof clock>) {
  const core = await createCore({
    dataDir,
    mode: 'web',
    webhooks: { now: c.now, schedule: () => () => undefined },
  });
  cores.push(core);
  await core.ctx.webhooks.dispatcher.wake(); // what the start-up run sends
  return core;
}

async function recordVideo(core: Core, code: string, at: string, queues = 'order.recorded') {
  const db = core.ctx.db;
  const order = await findOrCreateOrder(db, code, 'order', new Date(at));
  const id = await insertEvidence(db, {
    orderId: order.id,
    kind: 'video',
    origin: 'recorded',
    mode: 'outbound',
    path: `media/2026-12-01/${code}/outbound.mp4`,
    originalName: null,
    mime: 'video/mp4',
    sha256: 'cd'.repeat(32),
    bytes: 2048,
    durationMs: 30_000,
    width: 1280,
    height: 720,
    station: 'S1',
    operator: '小李',
    capturedAt: at,
    parentId: null,
  });
  // the same notification a finished recording sends (listeners: checks, webhooks)
  notifyEvidenceAdded(core.ctx, await getEvidence(db, id));
  // the listeners run in the background: wait until the outbox has this file's rows
  for (let i = 0; i < 1000; i++) {
    const rows = await db.selectFrom('webhook_deliveries').select('payload').execute();
    if (rows.some((r) => r.payload.includes(id) && r.payload.includes(`"event":"${queues}"`))) return id;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the recording’s events were never queued');
}

describe(`webhooks (${testEngine})`, { timeout: 300_000 }, () => {
  it('webhook add/list (CLI): signed deliveries of exactly the subscribed events', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.up();
    const dataDir = tmp();
    const bad = cli(['webhook', 'add', '--data-dir', dataDir, '--url', 'http://x/', '--events', 'order.recorded,nope']);
    expect(bad.code).toBe(2);
    const badUrl = cli(['webhook', 'add', '--data-dir', dataDir, '--url', 'ftp://x/', '--events', 'order.recorded']);
    expect(badUrl.code).toBe(2);
    const url = `http://127.0.0.1:${receiver.port}/hook`;
    const added = cli([
      'webhook',
      'add',
      '--data-dir',
      dataDir,
      '--url',
      url,
      '--events',
      'order.recorded,case.status-changed',
      '--json',
    ]);
    expect(added.code).toBe(0);
    const hook = JSON.parse(added.out) as { id: string; secret: string; events: string[] };
    expect(hook.events).toEqual(['order.recorded', 'case.status-changed']);

    const c = clock();
    const core = await openCore(dataDir, c);
    const evidenceId = await recordVideo(core, 'ORD-1', '2026-12-01T07:59:00.000Z');
    await core.ctx.webhooks.dispatcher.wake();
    expect(receiver.got).toHaveLength(1); // evidence.saved is not subscribed
    const [r] = receiver.got;
    expect(r.headers['x-proofpack-event']).toBe('order.recorded');
    expect(r.headers['x-proofpack-timestamp']).toBe(String(Date.parse('2026-12-01T08:00:00.000Z') / 1000));
    expect(
      verifySignature(
        hook.secret,
        String(r.headers['x-proofpack-timestamp']),
        r.body,
        String(r.headers['x-proofpack-signature']),
      ),
    ).toBe(true);
    expect(
      verifySignature(
        'whsec_other',
        String(r.headers['x-proofpack-timestamp']),
        r.body,
        String(r.headers['x-proofpack-signature']),
      ),
    ).toBe(false);
    expect(
      verifySignature(
        hook.secret,
        String(r.headers['x-proofpack-timestamp']),
        r.body.replace('ORD-1', 'ORD-2'),
        String(r.headers['x-proofpack-signature']),
      ),
    ).toBe(false);
    const payload = JSON.parse(r.body);
    expect(payload).toMatchObject({
      event: 'order.recorded',
      data: { orderNo: 'ORD-1', evidenceId, mode: 'outbound', durationMs: 30_000 },
    });

    // a case status change goes out from the transaction that made it
    const created = await core.dispatch('cases.create', { orderNo: 'ORD-1', appealType: 'goods', scenario: 'damaged' });
    expect(created.ok).toBe(true);
    const caseId = (created as { value: { case: { id: string } } }).value.case.id;
    await core.ctx.db.updateTable('cases').set({ status: 'exported' }).where('id', '=', caseId).execute();
    expect((await core.dispatch('cases.setStatus', { id: caseId, status: 'submitted' })).ok).toBe(true);
    await core.ctx.webhooks.dispatcher.wake();
    const statuses = receiver.got.filter((g) => g.headers['x-proofpack-event'] === 'case.status-changed');
    expect(statuses.map((g) => JSON.parse(g.body).data)).toEqual([
      expect.objectContaining({ caseId, orderNo: 'ORD-1', from: 'exported', to: 'submitted' }),
    ]);

    const list = cli(['webhook', 'list', '--data-dir', dataDir, '--json']);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.out);
    expect(listed.webhooks.map((w: { url: string }) => w.url)).toEqual([url]);
    expect(listed.deliveries.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered']);
    expect(JSON.stringify(listed)).not.toContain(hook.secret);

    // removed: nothing more goes out to it; removing it again finds nothing
    expect(cli(['webhook', 'remove', '--data-dir', dataDir, '--id', hook.id]).code).toBe(0);
    expect(JSON.parse(cli(['webhook', 'list', '--data-dir', dataDir, '--json']).out).webhooks).toEqual([]);
    expect(cli(['webhook', 'remove', '--data-dir', dataDir, '--id', hook.id]).code).toBe(1);
    expect(await enqueueWebhookEvent(core.ctx.db, 'order.recorded', { orderNo: 'ORD-2' })).toBe(0);
  });

  it('a receiver that is down gets every event afterwards, in order, also across a restart', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.up();
    const port = receiver.port;
    await receiver.down();
    const dataDir = tmp();
    const added = cli([
      'webhook',
      'add',
      '--data-dir',
      dataDir,
      '--url',
      `http://127.0.0.1:${port}/in`,
      '--events',
      'evidence.saved',
      '--json',
    ]);
    const hook = JSON.parse(added.out) as { id: string; secret: string };

    const c = clock();
    let core = await openCore(dataDir, c);
    const first = await recordVideo(core, 'ORD-A', '2026-12-01T07:00:00.000Z', 'evidence.saved');
    const second = await recordVideo(core, 'ORD-B', '2026-12-01T07:01:00.000Z', 'evidence.saved');
    await core.ctx.webhooks.dispatcher.wake();
    let log = await recentDeliveries(core.ctx.db, 10);
    // one failed attempt per run for a receiver that is down; the other delivery waits with it
    expect(log.map((d) => [d.status, d.attempts])).toEqual([
      ['pending', 0],
      ['pending', 1],
    ]);
    expect(log[1].lastError).toMatch(/ECONNREFUSED/);
    const retryAt = new Date(Date.parse('2026-12-01T08:00:00.000Z') + FIRST_RETRY_MS).toISOString();
    expect(log.map((d) => d.nextAttemptAt)).toEqual([retryAt, retryAt]);

    c.advance(FIRST_RETRY_MS - 1); // not yet due: nothing is tried
    await core.ctx.webhooks.dispatcher.wake();
    expect((await recentDeliveries(core.ctx.db, 10)).map((d) => d.attempts)).toEqual([0, 1]);
    c.advance(1); // due: still down, the wait doubles
    await core.ctx.webhooks.dispatcher.wake();
    log = await recentDeliveries(core.ctx.db, 10);
    expect(log[1].attempts).toBe(2);
    expect(Date.parse(log[1].nextAttemptAt!) - c.now().getTime()).toBe(2 * FIRST_RETRY_MS);

    // the app closes while the receiver is still down; a third file is saved meanwhile
    const third = await recordVideo(core, 'ORD-C', '2026-12-01T07:02:00.000Z', 'evidence.saved');
    await core.close();
    cores.splice(cores.indexOf(core), 1);

    await receiver.up(port);
    c.advance(2 * FIRST_RETRY_MS);
    core = await openCore(dataDir, c); // the start-up run sends what the outbox holds
    const ids = receiver.got.map((g) => JSON.parse(g.body).data.evidenceId);
    expect(ids).toEqual([first, second, third]);
    for (const g of receiver.got)
      expect(
        verifySignature(
          hook.secret,
          String(g.headers['x-proofpack-timestamp']),
          g.body,
          String(g.headers['x-proofpack-signature']),
        ),
      ).toBe(true);
    log = await recentDeliveries(core.ctx.db, 10);
    expect(log.every((d) => d.status === 'delivered')).toBe(true);
    // delivered ones are not sent again
    c.advance(3_600_000);
    await core.ctx.webhooks.dispatcher.wake();
    expect(receiver.got).toHaveLength(3);
  });

  it('gives up after three days of failures, and `webhook retry` sends it again', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.up();
    const port = receiver.port;
    await receiver.down();
    const dataDir = tmp();
    cli([
      'webhook',
      'add',
      '--data-dir',
      dataDir,
      '--url',
      `http://127.0.0.1:${port}/in`,
      '--events',
      'evidence.saved',
    ]);
    const c = clock();
    const core = await openCore(dataDir, c);
    await recordVideo(core, 'ORD-Z', '2026-12-01T07:00:00.000Z', 'evidence.saved');
    let runs = 0;
    for (;;) {
      await core.ctx.webhooks.dispatcher.wake();
      const [d] = await recentDeliveries(core.ctx.db, 1);
      if (d.status === 'failed') break;
      c.advance(Date.parse(d.nextAttemptAt!) - c.now().getTime());
      expect(++runs).toBeLessThan(200);
    }
    const [failed] = await recentDeliveries(core.ctx.db, 1);
    expect(failed.attempts).toBeGreaterThan(10);
    expect(c.now().getTime() - Date.parse('2026-12-01T08:00:00.000Z')).toBeGreaterThanOrEqual(3 * 24 * 3_600_000);
    await receiver.up(port);
    await core.ctx.webhooks.dispatcher.wake();
    expect(receiver.got).toHaveLength(0);
    await core.close();
    cores.splice(0);
    expect(cli(['webhook', 'retry', '--data-dir', dataDir, '--delivery', failed.id]).code).toBe(0);
    const again = await openCore(dataDir, c);
    expect(receiver.got).toHaveLength(1);
    expect((await recentDeliveries(again.ctx.db, 1))[0].status).toBe('delivered');
  });

  it('evidence.check-failed and case.deadline-near are sent as they happen', async () => {
    const receiver = new Receiver();
    receivers.push(receiver);
    await receiver.up();
    const dataDir = tmp();
    const added = cli([
      'webhook',
      'add',
      '--data-dir',
      dataDir,
      '--url',
      `http://127.0.0.1:${receiver.port}/`,
      '--events',
      'evidence.check-failed,case.deadline-near',
      '--json',
    ]);
    expect(added.code).toBe(0);
    // long before any real date this test runs on: the core's own deadline watch (real
    // clock) sees these deadlines as missed and sends nothing; only the fixed-clock one does
    const c = clock('2020-01-01T08:00:00.000Z');
    const core = await openCore(dataDir, c);
    const db = core.ctx.db;
    const order = await findOrCreateOrder(db, 'ORD-F', 'order', c.now());
    // a file whose content is gone: its check blocks
    const evidenceId = await insertEvidence(db, {
      orderId: order.id,
      kind: 'video',
      origin: 'imported',
      mode: 'outbound',
      path: 'media/2020-01-01/ORD-F/gone.mp4',
      originalName: 'gone.mp4',
      mime: 'video/mp4',
      sha256: 'ef'.repeat(32),
      bytes: 10,
      durationMs: null,
      width: null,
      height: null,
      station: 'S1',
      operator: 'op',
      capturedAt: '2020-01-01T07:00:00.000Z',
      parentId: null,
    });
    const check = await core.dispatch('checks.run', { evidenceId });
    expect(check.ok && (check.value as { state: string }).state).toBe('block');
    await core.ctx.webhooks.dispatcher.wake();
    const failed = receiver.got.map((g) => JSON.parse(g.body));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ event: 'evidence.check-failed', data: { evidenceId, orderNo: 'ORD-F' } });
    expect(failed[0].data.findings.length).toBeGreaterThan(0);

    const created = await core.dispatch('cases.create', {
      orderNo: 'ORD-F',
      appealType: 'goods',
      scenario: 'damaged',
      signForAt: '2019-12-31T10:00:00Z',
    });
    expect(created.ok).toBe(true);
    const stop = startDeadlineWatch(core.ctx, 3_600_000, c.now);
    try {
      for (let i = 0; i < 2000; i++) {
        const n = await db
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('event', '=', 'case.deadline-near')
          .execute();
        if (n.length) break;
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      stop();
    }
    await core.ctx.webhooks.dispatcher.wake();
    const near = receiver.got.map((g) => JSON.parse(g.body)).filter((b) => b.event === 'case.deadline-near');
    expect(near).toHaveLength(1);
    expect(near[0].data).toMatchObject({ orderNo: 'ORD-F' });
    expect(near[0].data.hoursLeft).toBeGreaterThan(0);
  });
});

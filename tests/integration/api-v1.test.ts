import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createCore, type Core } from '../../electron/core/core';
import { saveCheck } from '../../electron/core/checks/check-store';
import { insertEvidence } from '../../electron/core/evidence/evidence-repo';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { startPublicApiServer } from '../../electron/web/public-api-server';
import { buildOpenApi } from '../../shared/api/v1/openapi';
import { API_V1_ROUTES } from '../../shared/api/v1/routes';
import { CaseSchema, OrderEvidenceSchema, OrderSchema, OrderUpsertResultSchema } from '../../shared/api/v1/schemas';
import type { z } from 'zod';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'proofpack.mjs');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const open: { core: Core; server: WebServer }[] = [];
afterEach(async () => {
  for (const { core, server } of open.splice(0)) {
    await server.close();
    await core.close();
  }
});

/** A station's loopback server on a fresh data folder, and a token made by the real CLI. */
async function station() {
  const dataDir = tmp();
  const made = cli(['api', 'token', 'create', '--data-dir', dataDir, '--name', 'erp', '--json']);
  expect(made.err).toBe('');
  expect(made.code).toBe(0);
  const { token } = JSON.parse(made.out) as { token: string };
  const core = await createCore({ dataDir, mode: 'web' });
  const server = await startWebServer({ core, rendererDir: tmp() });
  open.push({ core, server });
  const call = (method: string, p: string, body?: unknown, bearer: string | null = token, raw?: string) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          // one connection per request: spawnSync (the CLI) blocks this process past the
          // server's keep-alive timeout, and a reused socket would then be reset
          agent: false,
          method,
          path: `/api/v1${p}`,
          headers: {
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
          });
        },
      );
      req.on('error', reject);
      req.end(raw ?? (body === undefined ? undefined : JSON.stringify(body)));
    });
  return { dataDir, token, core, server, call };
}

/** The body is exactly what the schema describes: parsing keeps every field and adds none. */
function inStep(schema: z.ZodType, body: unknown) {
  expect(schema.parse(body)).toEqual(body);
}

const ORDER = {
  orderNo: '241201-000000000000111',
  trackingNumbers: ['SF1111111111111', 'SF2222222222222'],
  shop: '旗舰店',
  items: [
    { sku: 'SKU-RED-M', name: '红色 M', quantity: 2 },
    { sku: 'SKU-BLUE-L', quantity: 1 },
  ],
  buyerNote: '请用纸箱包装',
  sellerRemark: '送小样',
  status: 'paid',
};

describe(`order API /api/v1 (${testEngine})`, { timeout: 300_000 }, () => {
  it('serves a valid OpenAPI 3.1 document generated from the zod schemas, without a token', async () => {
    const s = await station();
    const r = await s.call('GET', '/openapi.json', undefined, null);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(buildOpenApi(s.core.ctx.version));
    const validator = new Validator();
    const res = await validator.validate(r.body);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    // every route is in the document with its method, and nothing else is
    const documented = Object.entries(r.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m} ${p}`),
    );
    expect(documented.sort()).toEqual(API_V1_ROUTES.map((rt) => `${rt.method} ${rt.path}`).sort());
    // the request schema in the document is the zod schema's JSON Schema
    const upsert = r.body.components.schemas.OrderUpsert;
    expect(upsert.required).toEqual(['orderNo']);
    expect(Object.keys(upsert.properties)).toEqual(Object.keys(ORDER));
    expect(upsert.additionalProperties).toBe(false);
  });

  it('refuses every endpoint without a token, with a wrong one, and after `api token revoke`', async () => {
    const s = await station();
    const calls: [string, string, unknown?][] = [
      ['POST', '/orders', ORDER],
      ['GET', `/orders/${ORDER.orderNo}`],
      ['GET', `/orders/${ORDER.orderNo}/evidence`],
      ['POST', '/cases', { orderNo: ORDER.orderNo, appealType: 'goods', scenario: 'damaged' }],
    ];
    expect(calls.map((c) => `${c[0].toLowerCase()} ${c[1]}`).length).toBe(API_V1_ROUTES.length);
    for (const [m, p, b] of calls) {
      for (const bearer of [null, 'ppk_wrong', s.token + 'x', 'not-even-prefixed']) {
        const r = await s.call(m, p, b, bearer).catch((e) => {
          throw new Error(`${m} ${p} ${bearer}: ${e}`);
        });
        expect(r.status, `${m} ${p} with ${bearer}`).toBe(401);
        expect(r.body.error.code).toBe('UNAUTHORIZED');
      }
    }
    // the UI's own per-launch token is not an API token
    expect((await s.call('GET', `/orders/${ORDER.orderNo}`, undefined, s.server.token)).status).toBe(401);
    expect((await s.call('POST', '/orders', ORDER)).status).toBe(200);
    const revoked = cli(['api', 'token', 'revoke', '--data-dir', s.dataDir, '--name', 'erp']);
    expect(revoked.code).toBe(0);
    expect((await s.call('GET', `/orders/${ORDER.orderNo}`)).status).toBe(401);
    // revoking again: nothing to revoke
    expect(cli(['api', 'token', 'revoke', '--data-dir', s.dataDir, '--name', 'erp']).code).toBe(1);
    // only the hash is stored
    const rows = await s.core.ctx.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(s.token);
  });

  it('upserts orders: create, update, items and tracking numbers replaced, status; bad bodies refused', async () => {
    const s = await station();
    let r = await s.call('POST', '/orders', ORDER);
    expect(r.status).toBe(200);
    inStep(OrderUpsertResultSchema, r.body);
    expect(r.body.created).toBe(true);
    expect(r.body.order).toMatchObject({
      orderNo: ORDER.orderNo,
      trackingNumbers: ORDER.trackingNumbers,
      shop: '旗舰店',
      status: 'paid',
      buyerNote: '请用纸箱包装',
      sellerRemark: '送小样',
      items: [
        { sku: 'SKU-RED-M', name: '红色 M', quantity: 2 },
        { sku: 'SKU-BLUE-L', name: null, quantity: 1 },
      ],
    });
    r = await s.call('POST', '/orders', {
      orderNo: ORDER.orderNo,
      status: 'refund-requested',
      items: [{ sku: 'X', quantity: 3 }],
    });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(false);
    expect(r.body.order).toMatchObject({ status: 'refund-requested', shop: '旗舰店', buyerNote: '请用纸箱包装' });
    expect(r.body.order.items).toEqual([{ sku: 'X', name: null, quantity: 3 }]);
    expect(r.body.order.trackingNumbers).toEqual(ORDER.trackingNumbers);

    // found by either parcel's tracking number, as a scan would find it
    const byTracking = await s.call('GET', '/orders/SF2222222222222');
    expect(byTracking.status).toBe(200);
    inStep(OrderSchema, byTracking.body);
    expect(byTracking.body.orderNo).toBe(ORDER.orderNo);
    expect((await s.call('GET', '/orders/NOPE-1')).status).toBe(404);

    const audit = await s.core.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('action', '=', 'order.status')
      .execute();
    expect(audit.map((a) => [a.actor, JSON.parse(a.details).to])).toEqual([
      ['api:erp', 'paid'],
      ['api:erp', 'refund-requested'],
    ]);

    const bad: [unknown, string | undefined][] = [
      [{ ...ORDER, orderNo: '' }, undefined],
      [{ ...ORDER, items: [{ sku: 'A', quantity: 0 }] }, undefined],
      [{ ...ORDER, status: 'lost-in-space' }, undefined],
      [{ ...ORDER, surprise: true }, undefined],
      [{ trackingNumbers: ['SF1'] }, undefined],
      [undefined, '{"orderNo": '],
      [undefined, undefined],
    ];
    for (const [body, raw] of bad) {
      const res = await s.call('POST', '/orders', body, s.token, raw);
      expect(res.status, JSON.stringify(body ?? raw)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await s.call('DELETE', '/orders')).status).toBe(405);
    expect((await s.call('GET', '/nothing-here')).status).toBe(404);
  });

  it('an order a packer scanned by its tracking number becomes the ERP’s order, evidence and all', async () => {
    const s = await station();
    const scan = await s.core.dispatch('capture.start', {
      code: 'SF3333333333333',
      mode: 'outbound',
      mime: 'video/mp4',
    });
    expect(scan.ok).toBe(true);
    const r = await s.call('POST', '/orders', { orderNo: 'ERP-9', trackingNumbers: ['SF3333333333333'] });
    expect(r.body.created).toBe(false);
    const rec = await s.core.ctx.db.selectFrom('recordings').select('order_id').executeTakeFirstOrThrow();
    expect(rec.order_id).toBe(r.body.order.id);
    await s.core.recordings.closeAll();
  });

  it('reads an order’s evidence with hashes, times and check results', async () => {
    const s = await station();
    const order = (await s.call('POST', '/orders', ORDER)).body.order;
    const db = s.core.ctx.db;
    const evidenceId = await insertEvidence(db, {
      orderId: order.id,
      kind: 'video',
      origin: 'recorded',
      mode: 'outbound',
      path: 'media/2026-12-01/x/outbound.mp4',
      originalName: null,
      mime: 'video/mp4',
      sha256: 'ab'.repeat(32),
      bytes: 123456,
      durationMs: 61_000,
      width: 1280,
      height: 720,
      station: 'S1',
      operator: '小王',
      capturedAt: '2026-12-01T02:03:04.000Z',
      parentId: null,
    });
    await saveCheck(db, {
      evidenceId,
      profile: { id: 'pdd', version: 1 },
      state: 'block',
      facts: {
        name: 'outbound.mp4',
        bytes: 123456,
        ext: 'mp4',
        kind: 'unknown',
        format: null,
        container: null,
        unreadable: 'damaged',
        detail: null,
        video: null,
        photo: null,
        label: null,
        checkError: null,
      },
      findings: [{ code: 'FILE_UNREADABLE', severity: 'block', params: { reason: 'damaged' } }],
      expectedCode: null,
      tookMs: 3,
    });
    const r = await s.call('GET', `/orders/${ORDER.orderNo}/evidence`);
    expect(r.status).toBe(200);
    inStep(OrderEvidenceSchema, r.body);
    expect(r.body.evidence).toHaveLength(1);
    expect(r.body.evidence[0]).toMatchObject({
      id: evidenceId,
      sha256: 'ab'.repeat(32),
      bytes: 123456,
      durationMs: 61_000,
      capturedAt: '2026-12-01T02:03:04.000Z',
      operator: '小王',
      check: { state: 'block', profile: 'pdd@1', findings: [{ code: 'FILE_UNREADABLE', severity: 'block' }] },
    });
    expect(r.body.evidence[0].check.findings[0].message).toBeTruthy();
    expect((await s.call('GET', '/orders/UNKNOWN-7/evidence')).status).toBe(404);
    expect((await s.call('GET', `/orders/${'9'.repeat(300)}/evidence`)).status).toBe(400);
  });

  it('opens a case; bad input and unknown orders are refused', async () => {
    const s = await station();
    await s.call('POST', '/orders', ORDER);
    const r = await s.call('POST', '/cases', {
      orderNo: 'SF1111111111111',
      appealType: 'goods',
      scenario: 'damaged',
      signForAt: '2026-11-30T10:00:00+08:00',
      amountClaimedCents: 1250,
    });
    expect(r.status).toBe(201);
    inStep(CaseSchema, r.body);
    expect(r.body).toMatchObject({ orderNo: ORDER.orderNo, appealType: 'goods', scenario: 'damaged', status: 'draft' });
    expect(r.body.evidenceDueAt).toBeTruthy();
    const bad = [
      { orderNo: ORDER.orderNo, appealType: 'nope', scenario: 'damaged' },
      { orderNo: ORDER.orderNo, appealType: 'goods' },
      { orderNo: ORDER.orderNo, appealType: 'goods', scenario: 'damaged', signForAt: 'yesterday' },
    ];
    for (const b of bad) expect((await s.call('POST', '/cases', b)).status, JSON.stringify(b)).toBe(400);
    const missing = await s.call('POST', '/cases', { orderNo: 'NOT-KNOWN', appealType: 'goods', scenario: 'damaged' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.problem).toBe('no-such-order');
  });

  it('--api-port: the same API alone on its own loopback port; browsers and foreign Host names refused', async () => {
    const s = await station();
    const api = await startPublicApiServer({ getCore: () => s.core, port: 0 });
    try {
      const get = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = http.request(
            { host: '127.0.0.1', port: api.port, path: `/api/v1/orders/${ORDER.orderNo}`, agent: false, headers },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end();
        });
      const bearer = { authorization: `Bearer ${s.token}` };
      await s.call('POST', '/orders', ORDER);
      expect(await get(bearer)).toBe(200);
      expect(await get({})).toBe(401);
      expect(await get({ ...bearer, origin: 'http://evil.example' })).toBe(403);
      expect(await get({ ...bearer, host: `evil.example:${api.port}` })).toBe(403);
    } finally {
      await api.close();
    }
  });
});

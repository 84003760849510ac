import type { z } from 'zod';
import { AppError, isAppError, type ApiError } from '../../../shared/api/result';
import { API_V1_ROUTES, matchRoute, pathKnown, type RouteId } from '../../../shared/api/v1/routes';
import { buildOpenApi } from '../../../shared/api/v1/openapi';
import type { ApiCase, ApiEvidenceFile, CaseOpen, OrderUpsert } from '../../../shared/api/v1/schemas';
import { isInterceptStatus } from '../../../shared/domain/order-status';
import type { CaseDetail } from '../../../shared/domain/cases';
import type { Core } from '../core';
import { checksForOrder } from '../checks/check-store';
import { evidenceForOrder } from '../evidence/evidence-repo';
import { fileFacts } from '../evidence/file-facts';
import { apiOrderByCode, upsertOrderFromApi } from '../orders/order-details-repo';
import { findOrderByCode } from '../orders/order-repo';
import { authenticateApiToken } from './api-tokens';

export interface ApiRequest {
  method: string;
  /** the path under /api/v1, e.g. `/orders/123` */
  path: string;
  /** the token from `Authorization: Bearer …`, if any */
  bearer: string | null;
  /** the parsed JSON body; `invalid` when it was not JSON */
  body: { json: unknown } | 'none' | 'invalid';
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

const STATUS_OF: Partial<Record<ApiError['code'], number>> = {
  INVALID_INPUT: 400,
  BAD_SCAN: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BUSY: 503,
  LOW_DISK: 503,
  DISK_FULL: 507,
};

const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): ApiResponse => ({
  status,
  body: { error: { code, message, ...extra } },
});

const issuesOf = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/**
 * The public order API, independent of any HTTP server: the station's loopback server
 * mounts it today and a hub can mount the same function on its LAN server. Requests are
 * checked against the routes table's zod schemas (shared/api/v1), the same ones the
 * OpenAPI document is generated from.
 */
export function createPublicApi(getCore: () => Core) {
  async function handle(req: ApiRequest): Promise<ApiResponse> {
    const core = getCore();
    if (req.method === 'GET' && req.path === '/openapi.json')
      return { status: 200, body: buildOpenApi(core.ctx.version) };
    const match = matchRoute(req.method, req.path);
    if (!match) {
      return pathKnown(req.path)
        ? error(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`)
        : error(404, 'NOT_FOUND', `No such endpoint: ${req.path}`, { problem: 'no-such-endpoint' });
    }
    const tokenName = req.bearer ? await authenticateApiToken(core.ctx.db, req.bearer) : null;
    if (!tokenName)
      return error(401, 'UNAUTHORIZED', 'Missing, unknown or revoked API token', { problem: 'api-token' });
    const { route, params } = match;
    const parsedParams: Record<string, string> = {};
    if ('params' in route) {
      for (const [name, schema] of Object.entries(route.params)) {
        const p = (schema as z.ZodType<string>).safeParse(params[name]);
        if (!p.success) return error(400, 'INVALID_INPUT', `Bad path parameter ${name}`, { issues: issuesOf(p.error) });
        parsedParams[name] = p.data;
      }
    }
    let body: unknown;
    if ('body' in route) {
      if (req.body === 'invalid')
        return error(400, 'INVALID_INPUT', 'The body is not JSON', { problem: 'malformed-request' });
      if (req.body === 'none')
        return error(400, 'INVALID_INPUT', 'A JSON body is required', { problem: 'malformed-request' });
      const p = (route.body as z.ZodType).safeParse(req.body.json);
      if (!p.success)
        return error(400, 'INVALID_INPUT', 'The body does not match the schema', { issues: issuesOf(p.error) });
      body = p.data;
    }
    try {
      const value = await run(core, route.operationId, parsedParams, body, `api:${tokenName}`);
      return { status: route.status, body: value };
    } catch (e) {
      if (isAppError(e)) {
        const details = (e.details ?? {}) as { problem?: string };
        return error(STATUS_OF[e.code] ?? 500, e.code, e.message, details.problem ? { problem: details.problem } : {});
      }
      console.error(`[proofpack] api ${route.operationId} failed`, e);
      return error(500, 'INTERNAL', 'Internal error');
    }
  }
  return { handle, routes: API_V1_ROUTES };
}

const notFound = (orderNo: string) =>
  new AppError('NOT_FOUND', `No order ${orderNo}`, { orderNo, problem: 'no-such-order' });

async function run(
  core: Core,
  op: RouteId,
  params: Record<string, string>,
  body: unknown,
  actor: string,
): Promise<unknown> {
  const { ctx } = core;
  switch (op) {
    case 'upsertOrder': {
      const out = await upsertOrderFromApi(ctx.db, body as OrderUpsert, actor);
      if (out.statusChange && isInterceptStatus(out.statusChange.to)) {
        // a station recording this order right now stops at once (the UI listens)
        ctx.events.emit('order.intercepted', {
          orderId: out.statusChange.orderId,
          orderNo: out.statusChange.orderNo,
          status: out.statusChange.to,
        });
      }
      return { created: out.created, order: out.order };
    }
    case 'getOrder': {
      const order = await apiOrderByCode(ctx.db, params.orderNo);
      if (!order) throw notFound(params.orderNo);
      return order;
    }
    case 'getOrderEvidence': {
      const order = await apiOrderByCode(ctx.db, params.orderNo);
      if (!order) throw notFound(params.orderNo);
      return { order, evidence: await evidenceFiles(core, order.id) };
    }
    case 'openCase': {
      const input = body as CaseOpen;
      const order = await findOrderByCode(ctx.db, input.orderNo);
      if (!order) throw notFound(input.orderNo);
      const r = await core.dispatch('cases.create', {
        orderId: order.id,
        appealType: input.appealType,
        scenario: input.scenario,
        signForAt: input.signForAt ?? null,
        refundAt: input.refundAt ?? null,
        amountClaimedCents: input.amountClaimedCents ?? null,
        notes: input.notes,
      });
      if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
      return caseOut(r.value as CaseDetail);
    }
  }
}

async function evidenceFiles(core: Core, orderId: string): Promise<ApiEvidenceFile[]> {
  const db = core.ctx.db;
  const [evidence, checks] = await Promise.all([
    evidenceForOrder(db, orderId),
    checksForOrder(db, orderId, core.ctx.settings.get().language),
  ]);
  const latest = new Map<string, (typeof checks)[number]>();
  for (const c of checks) {
    const prev = latest.get(c.evidenceId);
    if (!prev || prev.checkedAt <= c.checkedAt) latest.set(c.evidenceId, c);
  }
  return evidence.map((e) => {
    const c = latest.get(e.id);
    return {
      id: e.id,
      ...fileFacts(e),
      station: e.station,
      operator: e.operator,
      check: {
        state: e.checkState,
        profile: c ? `${c.profile.id}@${c.profile.version}` : null,
        checkedAt: c?.checkedAt ?? null,
        findings: (c?.findings ?? []).map((f) => ({
          code: f.code,
          severity: f.severity,
          message: f.message,
          params: { ...f.params } as Record<string, unknown>,
        })),
      },
    };
  });
}

function caseOut(d: CaseDetail): ApiCase {
  return {
    id: d.case.id,
    orderNo: d.order.orderNo,
    appealType: d.case.appealType,
    scenario: d.case.scenario,
    status: d.case.status,
    evidenceDueAt: d.case.evidenceDueAt,
    appealDueAt: d.case.appealDueAt,
    checklistComplete: d.checklist.complete,
    missing: d.checklist.missing,
    createdAt: d.case.createdAt,
  };
}

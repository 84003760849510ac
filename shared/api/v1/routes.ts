import type { z } from 'zod';
import {
  ApiErrorSchema,
  CaseOpenSchema,
  CaseSchema,
  OrderEvidenceSchema,
  OrderNoParam,
  OrderSchema,
  OrderUpsertResultSchema,
  OrderUpsertSchema,
} from './schemas';

export const API_V1_PREFIX = '/api/v1';

export interface RouteDef {
  method: 'get' | 'post';
  /** OpenAPI path template under /api/v1, `{name}` for a path parameter */
  path: string;
  operationId: string;
  summary: string;
  params?: Record<string, z.ZodType>;
  body?: z.ZodType;
  /** the success status and its body */
  status: 200 | 201;
  response: z.ZodType;
}

/**
 * Every route of the public API. The HTTP adapter dispatches by this table and the
 * OpenAPI document is generated from it: a route cannot exist in one and not the other.
 */
export const API_V1_ROUTES = [
  {
    method: 'post',
    path: '/orders',
    operationId: 'upsertOrder',
    summary: 'Create or update an order (keys, tracking numbers, shop, items, notes, status)',
    body: OrderUpsertSchema,
    status: 200,
    response: OrderUpsertResultSchema,
  },
  {
    method: 'get',
    path: '/orders/{orderNo}',
    operationId: 'getOrder',
    summary: 'An order by its order number or one of its tracking numbers',
    params: { orderNo: OrderNoParam },
    status: 200,
    response: OrderSchema,
  },
  {
    method: 'get',
    path: '/orders/{orderNo}/evidence',
    operationId: 'getOrderEvidence',
    summary: 'The order’s evidence files with their SHA-256, times and check results',
    params: { orderNo: OrderNoParam },
    status: 200,
    response: OrderEvidenceSchema,
  },
  {
    method: 'post',
    path: '/cases',
    operationId: 'openCase',
    summary: 'Open an appeal case on an order',
    body: CaseOpenSchema,
    status: 201,
    response: CaseSchema,
  },
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof API_V1_ROUTES)[number]['operationId'];

export const ERROR_SCHEMA = ApiErrorSchema;

/** The route a request names, with its path parameters (decoded), or null. */
export function matchRoute(
  method: string,
  pathname: string,
): { route: (typeof API_V1_ROUTES)[number]; params: Record<string, string> } | null {
  const m = method.toLowerCase();
  const parts = pathname.split('/').filter(Boolean);
  for (const route of API_V1_ROUTES) {
    if (route.method !== m) continue;
    const tpl = route.path.split('/').filter(Boolean);
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < tpl.length && ok; i++) {
      const name = /^\{(\w+)\}$/.exec(tpl[i])?.[1];
      if (name) {
        try {
          params[name] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else ok = tpl[i] === parts[i];
    }
    if (ok) return { route, params };
  }
  return null;
}

/** Another route exists at this path with another method (405 instead of 404). */
export const pathKnown = (pathname: string) => ['get', 'post'].some((m) => matchRoute(m, pathname) !== null);

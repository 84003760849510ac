import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import type { Role } from '../../shared/accounts/roles';
import type { Db } from '../core/db/db';
import { searchHubOrders } from '../core/hub/hub-search';
import { requireSession } from './staff-session-http';

const RANK: Record<Role, number> = { packer: 0, viewer: 1, clerk: 2, admin: 3 };
const iso = z.string().datetime({ offset: true }).max(40);
const SearchQuery = z
  .object({
    code: z.string().trim().max(200).optional(),
    station: z.string().max(100).optional(),
    shop: z.string().max(100).optional(),
    operator: z.string().max(64).optional(),
    from: iso.optional(),
    to: iso.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    after: z.string().max(400).optional(),
  })
  .strict();
const After = z.object({ createdAt: z.string().max(40), stationId: z.string().max(100), orderId: z.string().max(100) });

/**
 * What signed-in staff read across stations (issue 12). Each route names the least role it
 * needs; the session's shops limit every answer (see hub-search.ts).
 */
export async function staffApiRoute(
  db: Db,
  req: IncomingMessage,
  url: URL,
  opts: { secure: boolean; now: Date },
): Promise<{ status: number; body: unknown } | null> {
  const route = `${req.method} ${url.pathname}`;
  if (route !== 'GET /staff/v1/orders') return null;
  const session = await requireSession(db, req, opts.secure, opts.now);
  if (RANK[session.user.role] < RANK.viewer)
    throw new AppError('FORBIDDEN', 'Your role cannot search orders', { problem: 'role-forbidden' });
  const parsed = SearchQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new AppError('INVALID_INPUT', 'Unusable search', { problem: 'search-input' });
  const { station, after, ...q } = parsed.data;
  let cursor: z.infer<typeof After> | undefined;
  if (after) {
    const decoded = After.safeParse(safeJson(Buffer.from(after, 'base64url').toString('utf8')));
    if (!decoded.success) throw new AppError('INVALID_INPUT', 'Unusable page', { problem: 'search-input' });
    cursor = decoded.data;
  }
  const page = await searchHubOrders(db, session.user, { ...q, stationId: station, after: cursor });
  return {
    status: 200,
    body: { hits: page.hits, next: page.next ? Buffer.from(JSON.stringify(page.next)).toString('base64url') : null },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

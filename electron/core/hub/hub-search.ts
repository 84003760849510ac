import type { HubUser } from '../../../shared/accounts/roles';
import { sql } from 'kysely';
import type { Db } from '../db/db';

export interface HubSearchQuery {
  /** an order or tracking number, whole or its beginning */
  code?: string;
  stationId?: string;
  shop?: string;
  operator?: string;
  /** created at or after / before (ISO-8601) */
  from?: string;
  to?: string;
  limit?: number;
  /** where the previous page ended (its `next`) */
  after?: { createdAt: string; stationId: string; orderId: string };
}

export interface HubOrderHit {
  stationId: string;
  orderId: string;
  /** the station's name on the hub (renamed there: the new name) */
  stationName: string | null;
  orderNo: string;
  trackingNo: string | null;
  shop: string | null;
  createdAt: string;
  /** the order's files on the hub */
  files: number;
}

export interface HubSearchPage {
  hits: HubOrderHit[];
  next: HubSearchQuery['after'] | null;
}

const MAX_LIMIT = 200;
/** LIKE's own characters in a typed code are plain characters */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Orders across every station, newest first, a page at a time (keyset: a deep page costs
 * what the first does). A user limited to shops sees only those shops' orders — an order
 * of another shop, or of no known shop, is simply not there (no hint that it exists).
 */
export async function searchHubOrders(db: Db, user: HubUser, q: HubSearchQuery): Promise<HubSearchPage> {
  const limit = Math.min(Math.max(1, q.limit ?? 50), MAX_LIMIT);
  let query = db
    .selectFrom('hub_orders as o')
    .leftJoin('hub_stations as st', 'st.id', 'o.station_id')
    .select(['o.station_id', 'o.order_id', 'o.order_no', 'o.tracking_no', 'o.shop', 'o.created_at', 'st.name'])
    .select((eb) =>
      eb
        .selectFrom('hub_evidence as e')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('e.station_id', '=', 'o.station_id')
        .whereRef('e.order_no', '=', 'o.order_no')
        .as('files'),
    );
  if (user.shops.length) query = query.where('o.shop', 'in', user.shops);
  if (q.code) {
    const code = q.code.trim();
    // ESCAPE said outright: SQLite has no default escape character, PostgreSQL's is \\
    const pattern = likePrefix(code);
    query = query.where(
      sql<boolean>`(o.order_no LIKE ${pattern} ESCAPE '\\' OR o.tracking_no LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  if (q.stationId) query = query.where('o.station_id', '=', q.stationId);
  if (q.shop) query = query.where('o.shop', '=', q.shop);
  if (q.from) query = query.where('o.created_at', '>=', q.from);
  if (q.to) query = query.where('o.created_at', '<', q.to);
  if (q.operator) {
    const operator = q.operator;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('hub_evidence as e')
          .select('e.evidence_id')
          .whereRef('e.station_id', '=', 'o.station_id')
          .whereRef('e.order_no', '=', 'o.order_no')
          .where('e.operator', '=', operator),
      ),
    );
  }
  if (q.after) {
    const a = q.after;
    query = query.where((eb) =>
      eb.or([
        eb('o.created_at', '<', a.createdAt),
        eb.and([eb('o.created_at', '=', a.createdAt), eb('o.station_id', '<', a.stationId)]),
        eb.and([
          eb('o.created_at', '=', a.createdAt),
          eb('o.station_id', '=', a.stationId),
          eb('o.order_id', '<', a.orderId),
        ]),
      ]),
    );
  }
  const rows = await query
    .orderBy('o.created_at', 'desc')
    .orderBy('o.station_id', 'desc')
    .orderBy('o.order_id', 'desc')
    .limit(limit + 1)
    .execute();
  const hits = rows.slice(0, limit).map((r) => ({
    stationId: r.station_id,
    orderId: r.order_id,
    stationName: r.name ?? null,
    orderNo: r.order_no,
    trackingNo: r.tracking_no,
    shop: r.shop,
    createdAt: r.created_at,
    files: Number(r.files ?? 0),
  }));
  const last = hits[hits.length - 1];
  return {
    hits,
    next:
      rows.length > limit && last
        ? { createdAt: last.createdAt, stationId: last.stationId, orderId: last.orderId }
        : null,
  };
}

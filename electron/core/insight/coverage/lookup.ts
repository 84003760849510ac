import { CompiledQuery, sql, type InferResult, type SqlBool } from 'kysely';
import type { Db } from '../../db/db';
import { countIf } from '../../db/engine-sql';
import { normalizeScan } from '../../../../shared/domain/scan-code';
import type { CaptureMode, Id } from '../../../../shared/domain/types';
import type { OrderInsight } from '../../../../shared/domain/insight/types';

/**
 * Everything staff want to know at once about one order named by any of its numbers
 * (order, tracking or return tracking number): imported facts, which videos exist,
 * open flags. One statement: the order is found by index probes (order number, then
 * tracking number, then return tracking number — COALESCE stops at the first hit on
 * both engines), its facts by primary key and its evidence counts through the
 * (order, kind, mode) index. Flags, rare, are read only when there are any.
 */
/** the order a code names: by order number, then tracking number, then return tracking number */
const idByCode = (db: Db, code: string) =>
  [
    db.selectFrom('orders').select('id').where('order_no', '=', code),
    db.selectFrom('orders').select('id').where('tracking_no', '=', code).orderBy('id', 'desc').limit(sql.lit(1)),
    db
      .selectFrom('order_facts')
      .select('order_id as id')
      .where('return_tracking_no', '=', code)
      .orderBy('order_id', 'desc')
      .limit(sql.lit(1)),
  ] as const;

export async function findOrderId(db: Db, code: string): Promise<Id | null> {
  const row = await db.selectNoFrom((eb) => eb.fn.coalesce(...idByCode(db, code)).as('id')).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The lookup as one statement. Everything but the code is a literal, so the statement is
 * compiled once per database and run with the code as its only parameter (building and
 * compiling it each time cost several times what SQLite needs to answer it).
 */
function lookupQuery(db: Db, code: string) {
  return db
    .selectFrom('orders as o')
    .leftJoin('order_facts as f', 'f.order_id', 'o.id')
    .where('o.id', '=', (eb) => eb.fn.coalesce(...idByCode(db, code)))
    .select((eb) => {
      const evidenceOf = () => eb.selectFrom('evidence as e').whereRef('e.order_id', '=', 'o.id');
      const is = (col: 'e.kind' | 'e.mode' | 'e.check_state', v: string) =>
        sql<SqlBool>`${sql.ref(col)} = ${sql.lit(v)}`;
      return [
        'o.id',
        'o.order_no',
        'o.tracking_no',
        'o.source',
        'f.order_id as facts_order_id',
        'f.shipped_at',
        'f.signed_at',
        'f.return_tracking_no',
        'f.return_signed_at',
        'f.item',
        'f.amount_cents',
        'f.buyer_note',
        'f.source_name',
        evidenceOf()
          .select(() => countIf(eb.and([is('e.kind', 'video'), is('e.mode', 'outbound')])).as('n'))
          .as('outbound'),
        evidenceOf()
          .select(() => countIf(eb.and([is('e.kind', 'video'), is('e.mode', 'return')])).as('n'))
          .as('ret'),
        evidenceOf()
          .select(() => countIf(is('e.kind', 'photo')).as('n'))
          .as('photos'),
        evidenceOf()
          .select(() => countIf(is('e.check_state', 'block')).as('n'))
          .as('blocked'),
        eb
          .selectFrom('order_flags as g')
          .whereRef('g.order_id', '=', 'o.id')
          .where('g.cleared_at', 'is', null)
          .select((g) => g.fn.countAll<number>().as('n'))
          .as('open_flags'),
      ];
    });
}

type LookupRow = InferResult<ReturnType<typeof lookupQuery>>[number];
const SENTINEL = '\u0000code';
const compiled = new WeakMap<Db, CompiledQuery>();

function compiledLookup(db: Db): CompiledQuery {
  let c = compiled.get(db);
  if (!c) {
    c = lookupQuery(db, SENTINEL).compile();
    if (c.parameters.some((p) => p !== SENTINEL)) throw new Error('lookup: a parameter other than the code');
    compiled.set(db, c);
  }
  return c;
}

export async function lookupOrder(db: Db, rawCode: string): Promise<OrderInsight | null> {
  const n = normalizeScan(rawCode);
  if (!n.ok) return null;
  const c = compiledLookup(db);
  const { rows } = await db.executeQuery<LookupRow>(
    CompiledQuery.raw(
      c.sql,
      c.parameters.map(() => n.code),
    ),
  );
  const row = rows[0];
  if (!row) return null;
  const openFlags = row.open_flags
    ? (
        await db
          .selectFrom('order_flags')
          .select('flag')
          .where('order_id', '=', row.id)
          .where('cleared_at', 'is', null)
          .execute()
      ).map((f) => f.flag)
    : [];
  return {
    orderId: row.id,
    orderNo: row.order_no,
    trackingNo: row.tracking_no,
    source: row.source,
    facts:
      row.facts_order_id == null
        ? null
        : {
            shippedAt: row.shipped_at,
            signedAt: row.signed_at,
            returnTrackingNo: row.return_tracking_no,
            returnSignedAt: row.return_signed_at,
            item: row.item,
            amountCents: row.amount_cents,
            buyerNote: row.buyer_note,
            sourceName: row.source_name!,
          },
    outboundVideos: Number(row.outbound ?? 0),
    returnVideos: Number(row.ret ?? 0),
    photos: Number(row.photos ?? 0),
    blocked: Number(row.blocked ?? 0),
    openFlags,
  };
}

/**
 * The same order recorded in the same mode on an earlier day within `days` days: a
 * parcel packed twice, or a label reused. Same-day re-scans are normal (stop, a second
 * part) and do not count.
 */
export async function earlierRecording(
  db: Db,
  orderId: Id,
  mode: CaptureMode,
  excludeRecordingId: string,
  now = new Date(),
  days = 30,
): Promise<{ startedAt: string; station: string; operator: string } | null> {
  const todayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  return (
    (await db
      .selectFrom('recordings')
      .select(['started_at as startedAt', 'station', 'operator'])
      .where('order_id', '=', orderId)
      .where('mode', '=', mode)
      .where('started_at', '>=', since)
      .where('started_at', '<', todayStart)
      .where('id', '!=', excludeRecordingId)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

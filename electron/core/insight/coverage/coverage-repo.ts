import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/db';
import { countIf, sqlFor } from '../../db/engine-sql';
import type { Schema } from '../../db/schema';
import { dayRange, daysBetween } from '../../../../shared/domain/insight/days';
import type { Id } from '../../../../shared/domain/id';
import type {
  CoverageByStation,
  CoverageDay,
  CoverageGap,
  CoverageReport,
} from '../../../../shared/domain/insight/types';
import { localDayOf } from '../local-time';
import { orderInShops, type ShopLimit } from '../../db/order-shops';

/**
 * Coverage: what should have been recorded and was not, before a dispute finds out.
 * - shipped orders (imported ship time in range) with no outbound packing video;
 * - returns signed for (imported return sign-for time in range) with no unboxing video;
 * - evidence with blocking findings (check_state 'block') that no passing fixed copy replaces;
 * - orders flagged "swapped item" by the serial comparison.
 * Every query walks an index on its time column and probes the (order, kind, mode)
 * evidence index per order, so a day's view costs the day's rows, not the table's.
 */
type FactsScope = ExpressionBuilder<Schema & { f: Schema['order_facts'] }, 'f'>;
type EvidenceScope = ExpressionBuilder<Schema & { e: Schema['evidence'] }, 'e'>;

/** the order of the facts row has no video of this mode */
const noVideo = (eb: FactsScope, mode: 'outbound' | 'return') =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('evidence as v')
        .select(sql.lit(1).as('one'))
        .whereRef('v.order_id', '=', 'f.order_id')
        .where('v.kind', '=', 'video')
        .where('v.mode', '=', mode),
    ),
  );

/** a blocked file stops counting once a fix of it passes */
const unfixedBlock = (eb: EvidenceScope) =>
  eb.and([
    eb('e.check_state', '=', 'block'),
    eb.not(
      eb.exists(
        eb
          .selectFrom('evidence as c')
          .select(sql.lit(1).as('one'))
          .whereRef('c.parent_id', '=', 'e.id')
          .where('c.check_state', 'in', ['ok', 'warn']),
      ),
    ),
  ]);

/** where a gap happened: the station of any other evidence of the order, else nowhere */
const gapStation = (db: Db, mode: 'outbound' | 'return') => {
  const sep = sqlFor(db).chr(31);
  return sql<string>`COALESCE((SELECT x.station || ${sep} || x.operator FROM evidence x
    WHERE x.order_id = o.id AND (x.mode = ${mode} OR x.mode IS NULL) ORDER BY x.captured_at DESC LIMIT 1), ${sep})`;
};

interface GapRow {
  order_id: Id;
  order_no: string;
  tracking_no: string | null;
  at: string | null;
  day: string;
  who: string;
  item: string | null;
  evidence_id: Id | null;
}

function toGap(kind: CoverageGap['kind'], r: GapRow): CoverageGap {
  const [station, operator] = r.who.split('\u001f');
  return {
    orderId: r.order_id,
    orderNo: r.order_no,
    trackingNo: r.tracking_no,
    kind,
    at: r.at ?? '',
    day: r.day,
    station: station ?? '',
    operator: operator ?? '',
    item: r.item,
    evidenceId: r.evidence_id,
  };
}

export interface CoverageQuery {
  fromDay: string;
  toDay: string;
  /** how many gaps to list (all are counted); null: all */
  limit: number | null;
  kinds?: CoverageGap['kind'][];
}

/** The gap listings, in time order; `limit` null: all. Exported for the query-plan test of migration 005. */
export function gapsQueries(db: Db, from: string, to: string, limit: number | null, shops: ShopLimit = null) {
  const limited = <Q extends { limit(n: number): Q }>(q: Q): Q => (limit == null ? q : q.limit(limit));
  const sep = sqlFor(db).chr(31);
  return {
    outbound: limited(
      db
        .selectFrom('order_facts as f')
        .innerJoin('orders as o', 'o.id', 'f.order_id')
        .select((eb) => [
          'o.id as order_id',
          'o.order_no',
          'o.tracking_no',
          'f.shipped_at as at',
          localDayOf(db, eb.ref('f.shipped_at'), from, to).as('day'),
          gapStation(db, 'outbound').as('who'),
          'f.item',
          sql<Id | null>`NULL`.as('evidence_id'),
        ])
        .where('f.shipped_at', '>=', from)
        .where('f.shipped_at', '<', to)
        .where((eb) => noVideo(eb, 'outbound'))
        .$if(shops != null, (q) => q.where(orderInShops('f.order_id', shops!)))
        .orderBy('f.shipped_at')
        .orderBy('o.id'),
    ),
    returns: limited(
      db
        .selectFrom('order_facts as f')
        .innerJoin('orders as o', 'o.id', 'f.order_id')
        .select((eb) => [
          'o.id as order_id',
          'o.order_no',
          'o.tracking_no',
          'f.return_signed_at as at',
          localDayOf(db, eb.ref('f.return_signed_at'), from, to).as('day'),
          gapStation(db, 'return').as('who'),
          'f.item',
          sql<Id | null>`NULL`.as('evidence_id'),
        ])
        .where('f.return_signed_at', '>=', from)
        .where('f.return_signed_at', '<', to)
        .where((eb) => noVideo(eb, 'return'))
        .$if(shops != null, (q) => q.where(orderInShops('f.order_id', shops!)))
        .orderBy('f.return_signed_at')
        .orderBy('o.id'),
    ),
    blocked: limited(
      db
        .selectFrom('evidence as e')
        .innerJoin('orders as o', 'o.id', 'e.order_id')
        .leftJoin('order_facts as f', 'f.order_id', 'o.id')
        .select((eb) => [
          'o.id as order_id',
          'o.order_no',
          'o.tracking_no',
          'e.captured_at as at',
          localDayOf(db, eb.ref('e.captured_at'), from, to).as('day'),
          sql<string>`e.station || ${sep} || e.operator`.as('who'),
          'f.item',
          'e.id as evidence_id',
        ])
        .where('e.check_state', '=', 'block')
        .where('e.captured_at', '>=', from)
        .where('e.captured_at', '<', to)
        .where((eb) => unfixedBlock(eb))
        .$if(shops != null, (q) => q.where(orderInShops('e.order_id', shops!)))
        .orderBy('e.captured_at')
        .orderBy('e.id'),
    ),
    swapped: limited(
      db
        .selectFrom('order_flags as g')
        .innerJoin('orders as o', 'o.id', 'g.order_id')
        .leftJoin('order_facts as f', 'f.order_id', 'o.id')
        .select((eb) => {
          const field = (key: string) => sqlFor(db).jsonText(eb.ref('g.details'), key);
          return [
            'o.id as order_id',
            'o.order_no',
            'o.tracking_no',
            'g.created_at as at',
            localDayOf(db, eb.ref('g.created_at'), from, to).as('day'),
            sql<string>`COALESCE(${field('station')}, '') || ${sep} || COALESCE(${field('operator')}, '')`.as('who'),
            'f.item',
            eb
              .selectFrom('recordings as r')
              .select('r.evidence_id')
              .where('r.id', '=', field('returnRecordingId'))
              .as('evidence_id'),
          ];
        })
        .where('g.flag', '=', 'swapped-item')
        .where('g.cleared_at', 'is', null)
        .where('g.created_at', '>=', from)
        .where('g.created_at', '<', to)
        .$if(shops != null, (q) => q.where(orderInShops('g.order_id', shops!)))
        .orderBy('g.created_at'),
    ),
  };
}

const emptyDay = (day: string): CoverageDay => ({
  day,
  shipped: 0,
  shippedWithoutVideo: 0,
  returnsSigned: 0,
  returnsWithoutVideo: 0,
  recordings: 0,
  blocked: 0,
});

/** Per local day: orders shipped / returns signed for, and how many of them have no video. */
async function factsPerDay(
  db: Db,
  column: 'shipped_at' | 'return_signed_at',
  from: string,
  to: string,
  shops: ShopLimit,
) {
  const mode = column === 'shipped_at' ? 'outbound' : 'return';
  return db
    .selectFrom('order_facts as f')
    .select((eb) => [
      localDayOf(db, eb.ref(`f.${column}`), from, to).as('day'),
      eb.fn.countAll<number>().as('n'),
      countIf(noVideo(eb, mode)).as('gaps'),
    ])
    .where(`f.${column}`, '>=', from)
    .where(`f.${column}`, '<', to)
    .$if(shops != null, (q) => q.where(orderInShops('f.order_id', shops!)))
    .groupBy(sql`day`)
    .execute();
}

export async function coverageReport(db: Db, q: CoverageQuery, shops: ShopLimit = null): Promise<CoverageReport> {
  const { from, to } = dayRange(q.fromDay, q.toDay);
  const days = new Map<string, CoverageDay>(daysBetween(q.fromDay, q.toDay).map((d) => [d, emptyDay(d)]));
  const at = (d: string) => days.get(d);
  // independent counts: on PostgreSQL each runs on its own pooled connection at the same
  // time (a day at a busy hub is ~100 k rows per count); SQLite runs them one after another
  const [shippedRows, returnRows, evidencePerDay, swappedRow, byStation] = await Promise.all([
    factsPerDay(db, 'shipped_at', from, to, shops),
    factsPerDay(db, 'return_signed_at', from, to, shops),
    db
      .selectFrom('evidence as e')
      .select((eb) => [
        localDayOf(db, eb.ref('e.captured_at'), from, to).as('day'),
        countIf(eb('e.kind', '=', 'video')).as('videos'),
        countIf(unfixedBlock(eb)).as('blocked'),
      ])
      .where('e.captured_at', '>=', from)
      .where('e.captured_at', '<', to)
      .$if(shops != null, (q) => q.where(orderInShops('e.order_id', shops!)))
      .groupBy(sql`day`)
      .execute(),
    db
      .selectFrom('order_flags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('flag', '=', 'swapped-item')
      .where('cleared_at', 'is', null)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .$if(shops != null, (q) => q.where(orderInShops('order_flags.order_id', shops!)))
      .executeTakeFirstOrThrow(),
    complianceByStation(db, from, to, shops),
  ]);
  for (const r of shippedRows) {
    const d = at(r.day);
    if (d) Object.assign(d, { shipped: Number(r.n), shippedWithoutVideo: Number(r.gaps) });
  }
  for (const r of returnRows) {
    const d = at(r.day);
    if (d) Object.assign(d, { returnsSigned: Number(r.n), returnsWithoutVideo: Number(r.gaps) });
  }
  for (const r of evidencePerDay) {
    const d = at(r.day);
    if (d) Object.assign(d, { recordings: Number(r.videos), blocked: Number(r.blocked) });
  }
  const swapped = Number(swappedRow.n);

  const kinds = new Set(q.kinds ?? ['no-packing-video', 'no-unboxing-video', 'blocked-evidence', 'swapped-item']);
  const gaps: CoverageGap[] = [];
  const take = async (kind: CoverageGap['kind'], key: keyof ReturnType<typeof gapsQueries>) => {
    if (!kinds.has(kind)) return;
    const left = q.limit == null ? null : Math.max(0, q.limit - gaps.length);
    if (left === 0) return;
    for (const r of await gapsQueries(db, from, to, left, shops)[key].execute()) gaps.push(toGap(kind, r));
  };
  await take('no-packing-video', 'outbound');
  await take('no-unboxing-video', 'returns');
  await take('blocked-evidence', 'blocked');
  await take('swapped-item', 'swapped');

  const dayList = [...days.values()];
  const sum = (k: keyof CoverageDay) => dayList.reduce((s, d) => s + (d[k] as number), 0);
  const totals = {
    shipped: sum('shipped'),
    shippedWithoutVideo: sum('shippedWithoutVideo'),
    returnsSigned: sum('returnsSigned'),
    returnsWithoutVideo: sum('returnsWithoutVideo'),
    blocked: sum('blocked'),
    swapped,
  };
  const totalGaps =
    (kinds.has('no-packing-video') ? totals.shippedWithoutVideo : 0) +
    (kinds.has('no-unboxing-video') ? totals.returnsWithoutVideo : 0) +
    (kinds.has('blocked-evidence') ? totals.blocked : 0) +
    (kinds.has('swapped-item') ? swapped : 0);
  return {
    from,
    to,
    fromDay: q.fromDay,
    toDay: q.toDay,
    totals,
    days: dayList,
    byStation,
    gaps,
    gapsTruncated: gaps.length < totalGaps,
  };
}

/** Evidence captured in the range per station and operator, by check result. */
export async function complianceByStation(
  db: Db,
  from: string,
  to: string,
  shops: ShopLimit = null,
): Promise<CoverageByStation[]> {
  const rows = await db
    .selectFrom('evidence as e')
    .select((eb) => [
      'e.station',
      'e.operator',
      countIf(eb('e.kind', '=', 'video')).as('recordings'),
      countIf(eb('e.kind', '=', 'photo')).as('photos'),
      countIf(eb('e.check_state', '=', 'ok')).as('ok'),
      countIf(eb('e.check_state', '=', 'warn')).as('warn'),
      countIf(unfixedBlock(eb)).as('blocked'),
      countIf(eb('e.check_state', '=', 'pending')).as('pending'),
    ])
    .where('e.captured_at', '>=', from)
    .where('e.captured_at', '<', to)
    .where('e.origin', '!=', 'fixed')
    .$if(shops != null, (q) => q.where(orderInShops('e.order_id', shops!)))
    .groupBy(['e.station', 'e.operator'])
    .orderBy('recordings', 'desc')
    .orderBy('e.station')
    .orderBy('e.operator')
    .execute();
  return rows.map((r) => ({
    station: r.station,
    operator: r.operator,
    recordings: Number(r.recordings),
    photos: Number(r.photos),
    ok: Number(r.ok),
    warn: Number(r.warn),
    blocked: Number(r.blocked),
    pending: Number(r.pending),
  }));
}

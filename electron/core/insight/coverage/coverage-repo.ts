import type { DB } from '../../db/connection';
import { dayRange, daysBetween } from '../../../../shared/domain/insight/days';
import type {
  CoverageByStation,
  CoverageDay,
  CoverageGap,
  CoverageReport,
} from '../../../../shared/domain/insight/types';

/**
 * Coverage: what should have been recorded and was not, before a dispute finds out.
 * - shipped orders (imported ship time in range) with no outbound packing video;
 * - returns signed for (imported return sign-for time in range) with no unboxing video;
 * - evidence with blocking findings (check_state 'block') that no passing fixed copy replaces;
 * - orders flagged "swapped item" by the serial comparison.
 * Every query walks an index on its time column and probes the (order, kind, mode)
 * evidence index per order, so a day's view costs the day's rows, not the table's.
 */
const NO_OUTBOUND_VIDEO = `NOT EXISTS (SELECT 1 FROM evidence e WHERE e.order_id = f.order_id AND e.kind = 'video' AND e.mode = 'outbound')`;
const NO_RETURN_VIDEO = `NOT EXISTS (SELECT 1 FROM evidence e WHERE e.order_id = f.order_id AND e.kind = 'video' AND e.mode = 'return')`;
/** a blocked file stops counting once a fix of it passes */
const UNFIXED_BLOCK = `e.check_state = 'block' AND NOT EXISTS (SELECT 1 FROM evidence c WHERE c.parent_id = e.id AND c.check_state IN ('ok','warn'))`;
/** where a gap happened: the station of any other evidence of the order, else nowhere */
const GAP_STATION = (mode: string) =>
  `COALESCE((SELECT x.station || char(31) || x.operator FROM evidence x WHERE x.order_id = o.id AND (x.mode = '${mode}' OR x.mode IS NULL) ORDER BY x.captured_at DESC LIMIT 1), char(31))`;

interface GapRow {
  order_id: number;
  order_no: string;
  tracking_no: string | null;
  at: string;
  day: string;
  who: string;
  item: string | null;
  evidence_id: number | null;
}

function toGap(kind: CoverageGap['kind'], r: GapRow): CoverageGap {
  const [station, operator] = r.who.split('\u001f');
  return {
    orderId: r.order_id,
    orderNo: r.order_no,
    trackingNo: r.tracking_no,
    kind,
    at: r.at,
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

export function gapsQueries(db: DB) {
  return {
    outbound: db.prepare(
      `SELECT o.id AS order_id, o.order_no, o.tracking_no, f.shipped_at AS at, date(f.shipped_at, 'localtime') AS day,
              ${GAP_STATION('outbound')} AS who, f.item, NULL AS evidence_id
       FROM order_facts f JOIN orders o ON o.id = f.order_id
       WHERE f.shipped_at >= @from AND f.shipped_at < @to AND ${NO_OUTBOUND_VIDEO}
       ORDER BY f.shipped_at, o.id LIMIT @limit`,
    ),
    returns: db.prepare(
      `SELECT o.id AS order_id, o.order_no, o.tracking_no, f.return_signed_at AS at, date(f.return_signed_at, 'localtime') AS day,
              ${GAP_STATION('return')} AS who, f.item, NULL AS evidence_id
       FROM order_facts f JOIN orders o ON o.id = f.order_id
       WHERE f.return_signed_at >= @from AND f.return_signed_at < @to AND ${NO_RETURN_VIDEO}
       ORDER BY f.return_signed_at, o.id LIMIT @limit`,
    ),
    blocked: db.prepare(
      `SELECT o.id AS order_id, o.order_no, o.tracking_no, e.captured_at AS at, date(e.captured_at, 'localtime') AS day,
              e.station || char(31) || e.operator AS who, f.item, e.id AS evidence_id
       FROM evidence e JOIN orders o ON o.id = e.order_id LEFT JOIN order_facts f ON f.order_id = o.id
       WHERE e.check_state = 'block' AND e.captured_at >= @from AND e.captured_at < @to AND ${UNFIXED_BLOCK}
       ORDER BY e.captured_at, e.id LIMIT @limit`,
    ),
    swapped: db.prepare(
      `SELECT o.id AS order_id, o.order_no, o.tracking_no, g.created_at AS at, date(g.created_at, 'localtime') AS day,
              COALESCE(json_extract(g.details, '$.station'), '') || char(31) || COALESCE(json_extract(g.details, '$.operator'), '') AS who,
              f.item, (SELECT r.evidence_id FROM recordings r WHERE r.id = json_extract(g.details, '$.returnRecordingId')) AS evidence_id
       FROM order_flags g JOIN orders o ON o.id = g.order_id LEFT JOIN order_facts f ON f.order_id = o.id
       WHERE g.flag = 'swapped-item' AND g.cleared_at IS NULL AND g.created_at >= @from AND g.created_at < @to
       ORDER BY g.created_at LIMIT @limit`,
    ),
  };
}

export function coverageReport(db: DB, q: CoverageQuery): CoverageReport {
  const { from, to } = dayRange(q.fromDay, q.toDay);
  const p = { from, to };
  const days = new Map<string, CoverageDay>(
    daysBetween(q.fromDay, q.toDay).map((d) => [
      d,
      {
        day: d,
        shipped: 0,
        shippedWithoutVideo: 0,
        returnsSigned: 0,
        returnsWithoutVideo: 0,
        recordings: 0,
        blocked: 0,
      },
    ]),
  );
  const at = (d: string) => days.get(d);
  for (const r of db
    .prepare(
      `SELECT date(f.shipped_at, 'localtime') AS day, COUNT(*) AS n, SUM(${NO_OUTBOUND_VIDEO}) AS gaps
     FROM order_facts f WHERE f.shipped_at >= @from AND f.shipped_at < @to GROUP BY day`,
    )
    .all(p) as { day: string; n: number; gaps: number }[]) {
    const d = at(r.day);
    if (d) Object.assign(d, { shipped: r.n, shippedWithoutVideo: r.gaps });
  }
  for (const r of db
    .prepare(
      `SELECT date(f.return_signed_at, 'localtime') AS day, COUNT(*) AS n, SUM(${NO_RETURN_VIDEO}) AS gaps
     FROM order_facts f WHERE f.return_signed_at >= @from AND f.return_signed_at < @to GROUP BY day`,
    )
    .all(p) as { day: string; n: number; gaps: number }[]) {
    const d = at(r.day);
    if (d) Object.assign(d, { returnsSigned: r.n, returnsWithoutVideo: r.gaps });
  }
  for (const r of db
    .prepare(
      `SELECT date(e.captured_at, 'localtime') AS day, SUM(e.kind = 'video') AS videos, SUM(${UNFIXED_BLOCK}) AS blocked
     FROM evidence e WHERE e.captured_at >= @from AND e.captured_at < @to GROUP BY day`,
    )
    .all(p) as { day: string; videos: number; blocked: number }[]) {
    const d = at(r.day);
    if (d) Object.assign(d, { recordings: r.videos, blocked: r.blocked });
  }
  const swapped = (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM order_flags WHERE flag = 'swapped-item' AND cleared_at IS NULL AND created_at >= @from AND created_at < @to`,
      )
      .get(p) as { n: number }
  ).n;

  const kinds = new Set(q.kinds ?? ['no-packing-video', 'no-unboxing-video', 'blocked-evidence', 'swapped-item']);
  const limit = q.limit ?? -1;
  const gq = gapsQueries(db);
  const gaps: CoverageGap[] = [];
  const take = (kind: CoverageGap['kind'], stmt: ReturnType<typeof db.prepare>) => {
    if (!kinds.has(kind)) return;
    const left = limit < 0 ? -1 : Math.max(0, limit - gaps.length);
    if (left === 0) return;
    for (const r of stmt.all({ ...p, limit: left }) as GapRow[]) gaps.push(toGap(kind, r));
  };
  take('no-packing-video', gq.outbound);
  take('no-unboxing-video', gq.returns);
  take('blocked-evidence', gq.blocked);
  take('swapped-item', gq.swapped);

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
    byStation: complianceByStation(db, from, to),
    gaps,
    gapsTruncated: gaps.length < totalGaps,
  };
}

/** Evidence captured in the range per station and operator, by check result. */
export function complianceByStation(db: DB, from: string, to: string): CoverageByStation[] {
  return db
    .prepare(
      `SELECT e.station, e.operator, SUM(e.kind = 'video') AS recordings, SUM(e.kind = 'photo') AS photos,
              SUM(e.check_state = 'ok') AS ok, SUM(e.check_state = 'warn') AS warn,
              SUM(${UNFIXED_BLOCK}) AS blocked, SUM(e.check_state = 'pending') AS pending
       FROM evidence e WHERE e.captured_at >= ? AND e.captured_at < ? AND e.origin != 'fixed'
       GROUP BY e.station, e.operator ORDER BY recordings DESC, e.station, e.operator`,
    )
    .all(from, to) as CoverageByStation[];
}

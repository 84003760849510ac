import { sql } from 'kysely';
import type { Db } from '../../db/db';
import { countIf, sqlFor } from '../../db/engine-sql';
import { dayRange, daysBetween } from '../../../../shared/domain/insight/days';
import type { DashboardReport } from '../../../../shared/domain/insight/types';
import { complianceByStation } from '../coverage/coverage-repo';
import { localDayOf, localHourOf } from '../local-time';
import { orderInShops, type ShopLimit } from '../../db/order-shops';

/**
 * The after-sales dashboard over a range of local days: cases (issue 4's `cases` and
 * `packets` tables, migration 003) by appeal type and scenario, outcomes and win rate,
 * amounts claimed vs recovered, deadlines met and missed, evidence compliance by station
 * and operator, recordings per hour of day and per day.
 *
 * A deadline is the case's evidence deadline (else its appeal deadline). It is met when
 * the case was handled — first packet exported, or marked submitted (from the audit
 * log) — by then; missed when handled later or not at all once it passed; pending
 * otherwise. Cases are counted by their creation time.
 */
export async function dashboardReport(
  db: Db,
  fromDay: string,
  toDay: string,
  now = new Date(),
  shops: ShopLimit = null,
): Promise<DashboardReport> {
  const { from, to } = dayRange(fromDay, toDay);
  const report: DashboardReport = {
    fromDay,
    toDay,
    casesByType: [],
    outcomes: { total: 0, won: 0, lost: 0, open: 0, winRate: null },
    amounts: [],
    deadlines: [],
    compliance: await complianceByStation(db, from, to, shops),
    recordingsPerHour: [],
    recordingsPerDay: [],
  };
  const recordings = () =>
    db
      .selectFrom('evidence')
      .where('kind', '=', 'video')
      .where('origin', 'in', ['recorded', 'recovered'])
      .where('captured_at', '>=', from)
      .where('captured_at', '<', to)
      .$if(shops != null, (q) => q.where(orderInShops('evidence.order_id', shops!)));
  const perHour = new Map<number, number>();
  for (const r of await recordings()
    .select((eb) => [localHourOf(db, eb.ref('captured_at'), from, to).as('hour'), eb.fn.countAll<number>().as('n')])
    .groupBy(sql`hour`)
    .execute())
    perHour.set(Number(r.hour), Number(r.n));
  report.recordingsPerHour = Array.from({ length: 24 }, (_, hour) => ({ hour, recordings: perHour.get(hour) ?? 0 }));
  // every day of the range, recorded or not: a day without recordings is worth seeing
  const perDay = new Map(
    (
      await recordings()
        .select((eb) => [localDayOf(db, eb.ref('captured_at'), from, to).as('day'), eb.fn.countAll<number>().as('n')])
        .groupBy(sql`day`)
        .execute()
    ).map((r) => [r.day, Number(r.n)]),
  );
  report.recordingsPerDay = daysBetween(fromDay, toDay).map((day) => ({ day, recordings: perDay.get(day) ?? 0 }));

  const cases = () =>
    db
      .selectFrom('cases')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .$if(shops != null, (q) => q.where(orderInShops('cases.order_id', shops!)));
  report.casesByType = (
    await cases()
      .select((eb) => [
        'appeal_type',
        'scenario',
        eb.fn.countAll<number>().as('cases'),
        countIf(eb('status', '=', 'won')).as('won'),
        countIf(eb('status', '=', 'lost')).as('lost'),
      ])
      .groupBy(['appeal_type', 'scenario'])
      .orderBy('cases', 'desc')
      .orderBy('appeal_type')
      .orderBy('scenario')
      .execute()
  ).map((r) => ({
    appealType: r.appeal_type,
    scenario: r.scenario,
    cases: Number(r.cases),
    won: Number(r.won),
    lost: Number(r.lost),
  }));
  const o = await cases()
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      countIf(eb('status', '=', 'won')).as('won'),
      countIf(eb('status', '=', 'lost')).as('lost'),
    ])
    .executeTakeFirstOrThrow();
  const [total, won, lost] = [Number(o.total), Number(o.won), Number(o.lost)];
  report.outcomes = {
    total,
    won,
    lost,
    open: total - won - lost,
    winRate: won + lost > 0 ? won / (won + lost) : null,
  };
  report.amounts = (
    await cases()
      .select((eb) => [
        'appeal_type',
        eb.fn.coalesce(eb.fn.sum<number>('amount_claimed_cents'), sql.lit(0)).as('claimed'),
        eb.fn.coalesce(eb.fn.sum<number>('amount_recovered_cents'), sql.lit(0)).as('recovered'),
        eb.fn.countAll<number>().as('cases'),
      ])
      .groupBy('appeal_type')
      .orderBy('appeal_type')
      .execute()
  ).map((r) => ({
    appealType: r.appeal_type,
    claimedCents: Number(r.claimed),
    recoveredCents: Number(r.recovered),
    cases: Number(r.cases),
  }));
  report.deadlines = await deadlines(db, from, to, now, shops);
  return report;
}

/**
 * Deadlines met / missed / pending per appeal type. A case was handled at its first
 * packet or its first change to "submitted" in the audit log; audit entries written
 * before migration 006 name the case by its old integer id (cases.legacy_id).
 */
async function deadlines(
  db: Db,
  from: string,
  to: string,
  now: Date,
  shops: ShopLimit,
): Promise<DashboardReport['deadlines']> {
  const at = now.toISOString();
  const submittedTo = sqlFor(db).jsonText(sql.ref('details'), 'to');
  const { rows } = await sql<{ appealType: string; met: number; missed: number; pending: number }>`
    WITH submitted AS (
      SELECT entity_id, MIN(at) AS at FROM audit_log
      WHERE entity = 'case' AND action = 'case.status' AND ${submittedTo} = 'submitted' GROUP BY entity_id
    ),
    handled AS (
      SELECT case_id, MIN(at) AS at FROM (
        SELECT case_id, MIN(created_at) AS at FROM packets GROUP BY case_id
        UNION ALL
        SELECT cases.id, s.at FROM submitted s JOIN cases ON cases.id = s.entity_id
        UNION ALL
        SELECT cases.id, s.at FROM submitted s JOIN cases ON CAST(cases.legacy_id AS TEXT) = s.entity_id
      ) u GROUP BY case_id
    ),
    c AS (
      SELECT cases.appeal_type, COALESCE(cases.evidence_due_at, cases.appeal_due_at) AS due, handled.at AS handled_at
      FROM cases LEFT JOIN handled ON handled.case_id = cases.id
      WHERE cases.created_at >= ${from} AND cases.created_at < ${to}
        AND ${shops ? orderInShops('cases.order_id', shops) : sql`1 = 1`}
    )
    SELECT appeal_type AS "appealType",
      ${countIf(sql`due IS NOT NULL AND handled_at IS NOT NULL AND handled_at <= due`)} AS met,
      ${countIf(sql`due IS NOT NULL AND ((handled_at IS NOT NULL AND handled_at > due) OR (handled_at IS NULL AND due < ${at}))`)} AS missed,
      ${countIf(sql`due IS NOT NULL AND handled_at IS NULL AND due >= ${at}`)} AS pending
    FROM c GROUP BY appeal_type ORDER BY appeal_type`.execute(db);
  return rows.map((r) => ({
    appealType: r.appealType,
    met: Number(r.met),
    missed: Number(r.missed),
    pending: Number(r.pending),
  }));
}

import type { DB } from '../../db/connection';
import { dayRange, daysBetween } from '../../../../shared/domain/insight/days';
import type { DashboardReport } from '../../../../shared/domain/insight/types';
import { complianceByStation } from '../coverage/coverage-repo';

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
const hasTable = (db: DB, name: string) =>
  !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);

export function dashboardReport(db: DB, fromDay: string, toDay: string, now = new Date()): DashboardReport {
  const { from, to } = dayRange(fromDay, toDay);
  const p = { from, to, now: now.toISOString() };
  const report: DashboardReport = {
    fromDay,
    toDay,
    casesByType: [],
    outcomes: { total: 0, won: 0, lost: 0, open: 0, winRate: null },
    amounts: [],
    deadlines: [],
    compliance: complianceByStation(db, from, to),
    recordingsPerHour: [],
    recordingsPerDay: [],
  };
  const perHour = new Map<number, number>();
  for (const r of db
    .prepare(
      `SELECT CAST(strftime('%H', captured_at, 'localtime') AS INTEGER) AS hour, COUNT(*) AS n FROM evidence
     WHERE kind = 'video' AND origin IN ('recorded','recovered') AND captured_at >= @from AND captured_at < @to GROUP BY hour`,
    )
    .all(p) as { hour: number; n: number }[])
    perHour.set(r.hour, r.n);
  report.recordingsPerHour = Array.from({ length: 24 }, (_, hour) => ({ hour, recordings: perHour.get(hour) ?? 0 }));
  // every day of the range, recorded or not: a day without recordings is worth seeing
  const perDay = new Map(
    (
      db
        .prepare(
          `SELECT date(captured_at, 'localtime') AS day, COUNT(*) AS n FROM evidence
       WHERE kind = 'video' AND origin IN ('recorded','recovered') AND captured_at >= @from AND captured_at < @to GROUP BY day`,
        )
        .all(p) as { day: string; n: number }[]
    ).map((r) => [r.day, r.n]),
  );
  report.recordingsPerDay = daysBetween(fromDay, toDay).map((day) => ({ day, recordings: perDay.get(day) ?? 0 }));

  if (!hasTable(db, 'cases')) return report;
  report.casesByType = db
    .prepare(
      `SELECT appeal_type AS appealType, scenario, COUNT(*) AS cases, SUM(status = 'won') AS won, SUM(status = 'lost') AS lost
     FROM cases WHERE created_at >= @from AND created_at < @to GROUP BY appeal_type, scenario ORDER BY cases DESC, appeal_type, scenario`,
    )
    .all(p) as DashboardReport['casesByType'];
  const o = db
    .prepare(
      `SELECT COUNT(*) AS total, COALESCE(SUM(status = 'won'), 0) AS won, COALESCE(SUM(status = 'lost'), 0) AS lost
     FROM cases WHERE created_at >= @from AND created_at < @to`,
    )
    .get(p) as { total: number; won: number; lost: number };
  report.outcomes = {
    ...o,
    open: o.total - o.won - o.lost,
    winRate: o.won + o.lost > 0 ? o.won / (o.won + o.lost) : null,
  };
  report.amounts = db
    .prepare(
      `SELECT appeal_type AS appealType, COALESCE(SUM(amount_claimed_cents), 0) AS claimedCents,
            COALESCE(SUM(amount_recovered_cents), 0) AS recoveredCents, COUNT(*) AS cases
     FROM cases WHERE created_at >= @from AND created_at < @to GROUP BY appeal_type ORDER BY appeal_type`,
    )
    .all(p) as DashboardReport['amounts'];

  const packets = hasTable(db, 'packets')
    ? 'SELECT case_id, MIN(created_at) AS at FROM packets GROUP BY case_id'
    : 'SELECT NULL AS case_id, NULL AS at WHERE 0';
  report.deadlines = db
    .prepare(
      `WITH handled AS (
       SELECT case_id, MIN(at) AS at FROM (
         ${packets}
         UNION ALL
         SELECT CAST(entity_id AS INTEGER), MIN(at) FROM audit_log
         WHERE entity = 'case' AND action = 'case.status' AND json_extract(details, '$.to') = 'submitted' GROUP BY entity_id
       ) GROUP BY case_id
     ),
     c AS (
       SELECT cases.appeal_type, COALESCE(cases.evidence_due_at, cases.appeal_due_at) AS due, handled.at AS handled_at
       FROM cases LEFT JOIN handled ON handled.case_id = cases.id
       WHERE cases.created_at >= @from AND cases.created_at < @to
     )
     SELECT appeal_type AS appealType,
            SUM(due IS NOT NULL AND handled_at IS NOT NULL AND handled_at <= due) AS met,
            SUM(due IS NOT NULL AND ((handled_at IS NOT NULL AND handled_at > due) OR (handled_at IS NULL AND due < @now))) AS missed,
            SUM(due IS NOT NULL AND handled_at IS NULL AND due >= @now) AS pending
     FROM c GROUP BY appeal_type ORDER BY appeal_type`,
    )
    .all(p) as DashboardReport['deadlines'];
  return report;
}

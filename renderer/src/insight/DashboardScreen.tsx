import { useState } from 'react';
import { addDays, today } from '../../../shared/domain/insight/days';
import type { CoverageByStation } from '../../../shared/domain/insight/types';
import { useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { useT } from '../i18n';
import { Bars, Columns } from './charts';
import { stationColumns } from './station-columns';
import { DataTable } from './DataTable';
import { DateRange, type DayRange } from './DateRange';
import './insight.css';

const yuan = (cents: number) => (cents / 100).toFixed(2);
const pct = (r: number | null) => (r == null ? '—' : `${Math.round(r * 1000) / 10}%`);
/** share of judged files that pass (ok or warning); files still being checked are left out */
export const complianceRate = (s: CoverageByStation) => {
  const judged = s.ok + s.warn + s.blocked;
  return judged ? (s.ok + s.warn) / judged : null;
};

/**
 * After-sales results over a date range: cases by appeal type and scenario, win rate,
 * amounts claimed vs recovered, deadlines met and missed, evidence compliance by
 * station and operator, recordings per hour and per day. Every table exports to CSV.
 */
export function DashboardScreen({ active }: { active: boolean; navigate: (id: string, arg?: string) => void }) {
  const { t } = useT();
  const [range, setRange] = useState<DayRange>({ fromDay: addDays(today(), -29), toDay: today() });
  const { data, error } = useQuery('dashboard.report', range, [range.fromDay, range.toDay, active]);
  const type = (k: string) => t(`appealType.${k}`);
  const suffix = `${range.fromDay}_${range.toDay}.csv`;

  return (
    <div className="ins-screen" data-testid="dashboard-screen">
      <div className="ins-row" style={{ justifyContent: 'space-between' }}>
        <h2>{t('dashboard.title')}</h2>
        <DateRange value={range} onChange={setRange} />
      </div>
      {error && <p className="error">{describeError(t, error)}</p>}
      {data && (
        <>
          <div className="ins-kpis">
            <div className="ins-kpi" data-testid="dash-total">
              <div className="v">{data.outcomes.total}</div>
              <div className="l">{t('dashboard.cases')}</div>
            </div>
            <div className="ins-kpi good" data-testid="dash-winrate" data-value={data.outcomes.winRate ?? ''}>
              <div className="v">{pct(data.outcomes.winRate)}</div>
              <div className="l">{t('dashboard.winRate')}</div>
            </div>
            <div className="ins-kpi">
              <div className="v">{data.outcomes.won}</div>
              <div className="l">{t('dashboard.won')}</div>
            </div>
            <div className="ins-kpi bad">
              <div className="v">{data.outcomes.lost}</div>
              <div className="l">{t('dashboard.lost')}</div>
            </div>
            <div className="ins-kpi">
              <div className="v">{data.outcomes.open}</div>
              <div className="l">{t('dashboard.open')}</div>
            </div>
            <div className="ins-kpi bad">
              <div className="v">{data.deadlines.reduce((s, d) => s + d.missed, 0)}</div>
              <div className="l">{t('dashboard.missed')}</div>
            </div>
          </div>
          <div className="ins-grid pairs">
            <section className="ins-card">
              <h3>{t('dashboard.casesByType')}</h3>
              {data.casesByType.length === 0 ? (
                <p className="muted">{t('dashboard.noCases')}</p>
              ) : (
                <Bars
                  series={[t('dashboard.cases'), t('dashboard.won'), t('dashboard.lost')]}
                  colors={[0, 1, 2]}
                  data={data.casesByType.map((c) => ({
                    label: `${type(c.appealType)} · ${t(`scenario.${c.scenario}`)}`,
                    values: [c.cases, c.won, c.lost],
                  }))}
                  testId="dash-cases-chart"
                />
              )}
            </section>
            <DataTable
              title={t('dashboard.casesByType')}
              testId="dash-cases"
              csvName={`cases-by-type-${suffix}`}
              rows={data.casesByType}
              empty={t('dashboard.noCases')}
              columns={[
                { key: 'type', label: t('dashboard.appealType'), value: (c) => type(c.appealType) },
                { key: 'sc', label: t('dashboard.scenario'), value: (c) => t(`scenario.${c.scenario}`) },
                { key: 'n', label: t('dashboard.cases'), value: (c) => c.cases, numeric: true },
                { key: 'won', label: t('dashboard.won'), value: (c) => c.won, numeric: true },
                { key: 'lost', label: t('dashboard.lost'), value: (c) => c.lost, numeric: true },
                {
                  key: 'rate',
                  label: t('dashboard.winRate'),
                  value: (c) => pct(c.won + c.lost ? c.won / (c.won + c.lost) : null),
                  numeric: true,
                },
              ]}
            />
            <section className="ins-card">
              <h3>{t('dashboard.amounts')}</h3>
              {data.amounts.length === 0 ? (
                <p className="muted">{t('dashboard.noCases')}</p>
              ) : (
                <Bars
                  series={[t('dashboard.claimed'), t('dashboard.recovered')]}
                  colors={[0, 1]}
                  data={data.amounts.map((a) => ({
                    label: type(a.appealType),
                    values: [a.claimedCents, a.recoveredCents],
                    format: (v) => `¥${yuan(v)}`,
                  }))}
                  testId="dash-amounts-chart"
                />
              )}
            </section>
            <DataTable
              title={t('dashboard.amounts')}
              testId="dash-amounts"
              csvName={`amounts-${suffix}`}
              rows={data.amounts}
              empty={t('dashboard.noCases')}
              columns={[
                { key: 'type', label: t('dashboard.appealType'), value: (a) => type(a.appealType) },
                { key: 'n', label: t('dashboard.cases'), value: (a) => a.cases, numeric: true },
                { key: 'c', label: t('dashboard.claimed'), value: (a) => yuan(a.claimedCents), numeric: true },
                { key: 'r', label: t('dashboard.recovered'), value: (a) => yuan(a.recoveredCents), numeric: true },
                {
                  key: 'p',
                  label: '%',
                  value: (a) => pct(a.claimedCents ? a.recoveredCents / a.claimedCents : null),
                  numeric: true,
                },
              ]}
            />
            <section className="ins-card">
              <h3>{t('dashboard.deadlines')}</h3>
              {data.deadlines.length === 0 ? (
                <p className="muted">{t('dashboard.noCases')}</p>
              ) : (
                <Bars
                  series={[t('dashboard.met'), t('dashboard.missed'), t('dashboard.pending')]}
                  colors={[1, 2, 3]}
                  data={data.deadlines.map((d) => ({
                    label: type(d.appealType),
                    values: [d.met, d.missed, d.pending],
                  }))}
                  testId="dash-deadlines-chart"
                />
              )}
            </section>
            <DataTable
              title={t('dashboard.deadlines')}
              testId="dash-deadlines"
              csvName={`deadlines-${suffix}`}
              rows={data.deadlines}
              empty={t('dashboard.noCases')}
              columns={[
                { key: 'type', label: t('dashboard.appealType'), value: (d) => type(d.appealType) },
                { key: 'met', label: t('dashboard.met'), value: (d) => d.met, numeric: true },
                { key: 'missed', label: t('dashboard.missed'), value: (d) => d.missed, numeric: true },
                { key: 'pending', label: t('dashboard.pending'), value: (d) => d.pending, numeric: true },
              ]}
            />
          </div>
          <DataTable
            title={t('dashboard.compliance')}
            testId="dash-compliance"
            csvName={`compliance-${suffix}`}
            rows={data.compliance}
            columns={[
              ...stationColumns(t),
              {
                key: 'rate',
                label: t('dashboard.complianceRate'),
                value: (s) => pct(complianceRate(s)),
                numeric: true,
              },
            ]}
          />
          <div className="ins-grid pairs">
            <section className="ins-card">
              <h3>{t('dashboard.perHour')}</h3>
              <Columns
                data={data.recordingsPerHour.map((h) => ({ label: String(h.hour), value: h.recordings }))}
                testId="dash-hours"
              />
            </section>
            <DataTable
              title={t('dashboard.perHour')}
              testId="dash-hours-table"
              csvName={`recordings-per-hour-${suffix}`}
              rows={data.recordingsPerHour.filter((h) => h.recordings > 0)}
              columns={[
                { key: 'h', label: t('dashboard.hour'), value: (h) => `${String(h.hour).padStart(2, '0')}:00` },
                { key: 'n', label: t('coverage.col.recordings'), value: (h) => h.recordings, numeric: true },
              ]}
            />
            <section className="ins-card">
              <h3>{t('dashboard.perDay')}</h3>
              <Columns
                data={data.recordingsPerDay.map((d) => ({ label: d.day.slice(5), value: d.recordings }))}
                testId="dash-days"
              />
            </section>
            <DataTable
              title={t('dashboard.perDay')}
              testId="dash-days-table"
              csvName={`recordings-per-day-${suffix}`}
              rows={data.recordingsPerDay}
              columns={[
                { key: 'd', label: t('coverage.col.day'), value: (d) => d.day },
                { key: 'n', label: t('coverage.col.recordings'), value: (d) => d.recordings, numeric: true },
              ]}
            />
          </div>
        </>
      )}
    </div>
  );
}

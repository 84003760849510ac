import { useState } from 'react';
import { today } from '../../../shared/domain/insight/days';
import type { CoverageGap, OrderInsight } from '../../../shared/domain/insight/types';
import { callOrThrow, useApi, useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { useNotify } from '../components/Notices';
import { formatDateTime, useT } from '../i18n';
import { Bars } from './charts';
import { stationColumns } from './station-columns';
import { DataTable } from './DataTable';
import { DateRange, type DayRange } from './DateRange';
import { downloadText } from './csv-download';
import './insight.css';

const TOTALS = [
  'shipped',
  'shippedWithoutVideo',
  'returnsSigned',
  'returnsWithoutVideo',
  'blocked',
  'swapped',
] as const;
const BAD = new Set(['shippedWithoutVideo', 'returnsWithoutVideo', 'blocked', 'swapped']);

/**
 * What should have been recorded and was not, per local day: shipped orders with no
 * packing video, signed-for returns with no unboxing video, evidence that fails its
 * checks, swapped items — by station and operator, each table exportable as CSV.
 * It refreshes when evidence changes, so recording a missing order closes its gap.
 */
export function CoverageScreen({
  active,
  navigate,
}: {
  active: boolean;
  navigate: (id: string, arg?: string) => void;
}) {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const [range, setRange] = useState<DayRange>({ fromDay: today(), toDay: today() });
  const { data, error, reload } = useQuery(
    'coverage.report',
    { ...range, limit: 500 },
    [range.fromDay, range.toDay, active],
    ['evidence.changed'],
  );
  const [code, setCode] = useState('');
  const [found, setFound] = useState<OrderInsight | null | undefined>(undefined);

  const exportAll = async () => {
    try {
      const r = await callOrThrow(api, 'coverage.exportCsv', range);
      downloadText(r.fileName, r.csv);
    } catch (e) {
      notify.error(e);
    }
  };
  const lookup = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      setFound(await callOrThrow(api, 'coverage.lookup', { code }));
    } catch (err) {
      notify.error(err);
    }
  };
  const clearFlag = async (g: CoverageGap) => {
    const flags = await callOrThrow(api, 'orders.flags', { orderId: g.orderId, openOnly: true });
    for (const f of flags) await api.call('orders.flags.clear', { flagId: f.id, note: '' });
    reload();
  };
  const openCase = async (g: CoverageGap) => {
    try {
      const detail = await callOrThrow(api, 'serials.openCase', { orderId: g.orderId, appealType: 'goods' });
      notify.show('success', t('coverage.caseOpened', { order: g.orderNo }));
      navigate('cases', String(detail.case.id));
    } catch (e) {
      notify.error(e);
    }
  };
  const time = (iso: string) => formatDateTime(iso, lang);
  /** where the gap happened: no evidence at all reads "not recorded"; an unnamed station reads — */
  const who = (g: CoverageGap) =>
    g.station || (g.kind === 'no-packing-video' || g.kind === 'no-unboxing-video' ? t('coverage.unrecorded') : '—');

  return (
    <div className="ins-screen" data-testid="coverage-screen">
      <div className="ins-row" style={{ justifyContent: 'space-between' }}>
        <h2>{t('coverage.title')}</h2>
        <DateRange value={range} onChange={setRange} />
      </div>
      <form className="ins-row" onSubmit={lookup}>
        <input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder={t('coverage.lookup')}
          data-testid="coverage-lookup"
          style={{ minWidth: 320 }}
        />
        <button type="submit">{t('common.search')}</button>
        {found === null && <span className="muted">{t('coverage.lookupNone')}</span>}
        {found && (
          <span data-testid="coverage-found">
            <b>{found.orderNo}</b>{' '}
            {found.trackingNo && found.trackingNo !== found.orderNo ? `(${found.trackingNo}) ` : ''}·{' '}
            {t('coverage.totals.shipped')} {found.facts?.shippedAt ? time(found.facts.shippedAt) : '—'} ·{' '}
            {t('mode.outbound')} {found.outboundVideos} · {t('mode.return')} {found.returnVideos}
            {found.openFlags.length > 0 && (
              <span className="pill pill-block"> {t('coverage.kind.swapped-item')}</span>
            )}{' '}
            <button type="button" onClick={() => navigate('orders', String(found.orderId))}>
              {t('coverage.openOrder')}
            </button>
          </span>
        )}
      </form>
      {error && <p className="error">{describeError(t, error)}</p>}
      {data && (
        <>
          <div className="ins-kpis">
            {TOTALS.map((k) => (
              <div
                key={k}
                className={`ins-kpi ${BAD.has(k) ? (data.totals[k] > 0 ? 'bad' : 'good') : ''}`}
                data-testid={`cov-${k}`}
                data-value={data.totals[k]}
              >
                <div className="v">{data.totals[k]}</div>
                <div className="l">{t(`coverage.totals.${k}`)}</div>
              </div>
            ))}
          </div>
          <DataTable
            title={t('coverage.gaps')}
            testId="coverage-gaps"
            csvName={`coverage-gaps-${range.fromDay}_${range.toDay}.csv`}
            empty={t('coverage.noGaps')}
            rows={data.gaps}
            rowProps={(g) => ({ 'data-testid': 'gap-row', 'data-order': g.orderNo, 'data-kind': g.kind })}
            columns={[
              { key: 'day', label: t('coverage.col.day'), value: (g) => g.day },
              { key: 'kind', label: t('coverage.col.kind'), value: (g) => t(`coverage.kind.${g.kind}`) },
              {
                key: 'order',
                label: t('coverage.col.order'),
                value: (g) => g.orderNo,
                render: (g) => (
                  <a
                    href="#"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate('orders', String(g.orderId));
                    }}
                  >
                    {g.orderNo}
                  </a>
                ),
              },
              { key: 'tracking', label: t('coverage.col.tracking'), value: (g) => g.trackingNo },
              { key: 'time', label: t('coverage.col.time'), value: (g) => time(g.at) },
              { key: 'station', label: t('coverage.col.station'), value: (g) => who(g) },
              { key: 'operator', label: t('coverage.col.operator'), value: (g) => g.operator },
              { key: 'item', label: t('coverage.col.item'), value: (g) => g.item },
              {
                key: 'act',
                label: '',
                value: () => '',
                render: (g) =>
                  g.kind === 'swapped-item' ? (
                    <span className="ins-row">
                      <button onClick={() => void openCase(g)} data-testid="gap-open-case">
                        {t('coverage.openCase')}
                      </button>
                      <button onClick={() => void clearFlag(g)}>{t('coverage.flagClear')}</button>
                    </span>
                  ) : null,
              },
            ]}
          />
          {data.gapsTruncated && (
            <p className="muted">
              {t('coverage.truncated', { count: data.gaps.length })}{' '}
              <button onClick={() => void exportAll()}>{t('coverage.exportCsv')}</button>
            </p>
          )}
          {!data.gapsTruncated && data.gaps.length > 0 && (
            <button onClick={() => void exportAll()} data-testid="coverage-export">
              {t('coverage.exportCsv')}
            </button>
          )}
          <div className="ins-grid">
            <section className="ins-card">
              <h3>{t('coverage.daily')}</h3>
              <Bars
                series={[
                  t('coverage.col.shippedWithoutVideo'),
                  t('coverage.col.returnsWithoutVideo'),
                  t('coverage.col.blocked'),
                ]}
                colors={[2, 3, 0]}
                data={data.days.map((d) => ({
                  label: d.day,
                  values: [d.shippedWithoutVideo, d.returnsWithoutVideo, d.blocked],
                }))}
              />
            </section>
            <DataTable
              title={t('coverage.daily')}
              testId="coverage-days"
              csvName={`coverage-daily-${range.fromDay}_${range.toDay}.csv`}
              rows={data.days}
              columns={[
                { key: 'day', label: t('coverage.col.day'), value: (d) => d.day },
                { key: 's', label: t('coverage.col.shipped'), value: (d) => d.shipped, numeric: true },
                {
                  key: 'sv',
                  label: t('coverage.col.shippedWithoutVideo'),
                  value: (d) => d.shippedWithoutVideo,
                  numeric: true,
                },
                { key: 'r', label: t('coverage.col.returnsSigned'), value: (d) => d.returnsSigned, numeric: true },
                {
                  key: 'rv',
                  label: t('coverage.col.returnsWithoutVideo'),
                  value: (d) => d.returnsWithoutVideo,
                  numeric: true,
                },
                { key: 'rec', label: t('coverage.col.recordings'), value: (d) => d.recordings, numeric: true },
                { key: 'b', label: t('coverage.col.blocked'), value: (d) => d.blocked, numeric: true },
              ]}
            />
          </div>
          <DataTable
            title={t('coverage.byStation')}
            testId="coverage-stations"
            csvName={`coverage-stations-${range.fromDay}_${range.toDay}.csv`}
            rows={data.byStation}
            columns={[
              ...stationColumns(t),
              { key: 'p', label: t('coverage.col.pending'), value: (s) => s.pending, numeric: true },
            ]}
          />
        </>
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { formatLocalTime, type CaseSummary } from '../../../shared/domain/cases';
import { idSchema, type Id } from '../../../shared/domain/id';
import { useApi, useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';
import { BatchExport } from './BatchExport';
import { CaseFactsForm } from './CaseFactsForm';
import { CaseView } from './CaseView';
import { Countdown } from './Countdown';
import { useNow } from './hooks';
import './cases.css';

/** the case a route argument opens (`new:<order no>` opens the form instead) */
const caseIdArg = (arg: string | undefined): Id | null => (arg && idSchema.safeParse(arg).success ? arg : null);

type Filter = 'all' | 'open' | 'closed';

/**
 * The after-sales clerk's screen: every case sorted by time left (missed first, then
 * the soonest deadline), live countdowns, an alert when deadlines are near or missed,
 * a new-case form, and batch export of the selected cases. `arg` opens one case.
 */
export function CasesScreen({
  active,
  arg,
  navigate,
}: {
  active: boolean;
  arg?: string;
  navigate(id: string, arg?: string): void;
}) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const now = useNow(30_000);
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<Id | null>(caseIdArg(arg));
  const [creating, setCreating] = useState(arg?.startsWith('new:') ?? false);
  const [selected, setSelected] = useState<Set<Id>>(new Set());
  useEffect(() => {
    const id = caseIdArg(arg);
    if (id) setOpen(id);
    if (arg?.startsWith('new:')) setCreating(true);
  }, [arg]);
  const { data, error, reload } = useQuery(
    'cases.list',
    { filter, query, limit: 200 },
    [filter, query, active, open],
    ['evidence.changed'],
  );
  const alertHours = data?.alertHours ?? 6;

  if (open != null) {
    return (
      <div className="cases">
        <CaseView
          caseId={open}
          alertHours={alertHours}
          onBack={() => {
            setOpen(null);
            navigate('cases');
          }}
        />
      </div>
    );
  }
  const items = data?.items ?? [];
  const level = (c: CaseSummary) =>
    !c.dueAt
      ? null
      : Date.parse(c.dueAt) <= now
        ? 'missed'
        : Date.parse(c.dueAt) - now <= alertHours * 3_600_000
          ? 'near'
          : null;
  const missed = items.filter((c) => level(c) === 'missed').length;
  const near = items.filter((c) => level(c) === 'near').length;
  const toggle = (id: Id) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <div className="cases" data-testid="cases-screen">
      <div className="row cases-bar">
        <h2>{t('cases.title')}</h2>
        {(['all', 'open', 'closed'] as const).map((f) => (
          <button key={f} className={filter === f ? 'tab active' : 'tab'} onClick={() => setFilter(f)}>
            {t(`cases.filter.${f}`)}
          </button>
        ))}
        <input type="search" placeholder={t('cases.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <AlertHours value={alertHours} onSaved={reload} />
        <button className="primary" onClick={() => setCreating(!creating)} data-testid="new-case">
          {t('cases.new')}
        </button>
      </div>
      {(missed > 0 || near > 0) && (
        <div className="alerts" data-testid="deadline-alerts">
          {missed > 0 && <span className="alert alert-missed">{t('cases.alerts.missed', { count: missed })}</span>}
          {near > 0 && <span className="alert alert-near">{t('cases.alerts.near', { count: near })}</span>}
        </div>
      )}
      {creating && (
        <CaseFactsForm
          withOrder
          initial={{ orderNo: arg?.startsWith('new:') ? arg.slice(4) : '' }}
          submitLabel={t('case.create')}
          onSubmit={async (v) => {
            const r = await api.call('cases.create', { ...v, orderNo: v.orderNo! });
            if (!r.ok) return notify.error(r.error);
            setCreating(false);
            setOpen(r.value.case.id);
          }}
        />
      )}
      {error && <p className="error">{describeError(t, error)}</p>}
      {data && items.length === 0 && <p className="muted">{t('cases.empty')}</p>}
      {selected.size > 0 && (
        <BatchExport
          caseIds={[...selected]}
          onDone={() => {
            setSelected(new Set());
            reload();
          }}
        />
      )}
      {items.length > 0 && (
        <table className="cases-table">
          <thead>
            <tr>
              <th>{t('cases.select')}</th>
              <th>{t('cases.col.order')}</th>
              <th>{t('cases.col.type')}</th>
              <th>{t('cases.col.status')}</th>
              <th>{t('cases.col.due')}</th>
              <th>{t('cases.col.left')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr
                key={c.id}
                className={`case-row alert-${level(c) ?? 'none'}`}
                data-testid="case-row"
                onClick={() => setOpen(c.id)}
              >
                <td onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    checked={selected.has(c.id)}
                    onChange={() => toggle(c.id)}
                    data-testid="case-select"
                  />
                </td>
                <td className="mono">{c.orderNo}</td>
                <td>
                  {t(`appealType.${c.appealType}`)} · {t(`scenario.${c.scenario}`)}
                </td>
                <td>
                  <span className={`status status-${c.status}`}>{t(`caseStatus.${c.status}`)}</span>
                </td>
                <td>{c.dueAt ? formatLocalTime(c.dueAt, { seconds: false, offset: false }) : '—'}</td>
                <td>
                  <Countdown dueAt={c.dueAt} now={now} alertHours={alertHours} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <p className="muted">{t('cases.total', { count: data.total })}</p>}
    </div>
  );
}

function AlertHours({ value, onSaved }: { value: number; onSaved(): void }) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const [v, setV] = useState(String(value));
  useEffect(() => setV(String(value)), [value]);
  const save = async () => {
    const n = Number(v);
    if (!Number.isFinite(n) || n === value) return;
    const r = await api.call('cases.settings.update', { alertHours: n });
    if (!r.ok) return notify.error(r.error);
    onSaved();
  };
  return (
    <label className="alert-hours">
      {t('cases.alertHours')}
      <input
        type="number"
        min={0.25}
        max={168}
        step={0.5}
        value={v}
        onChange={(e) => setV(e.target.value)}
        onBlur={save}
      />
    </label>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { Id } from '../../../shared/domain/id';
import type { CaseDetail } from '../../../shared/domain/cases';
import { useApi, useEvent } from '../api/context';
import { describeError } from '../api/errors';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';
import { CaseFactsForm } from './CaseFactsForm';
import { ChecklistPanel } from './ChecklistPanel';
import { Deadline } from './Countdown';
import { ExportPanel } from './ExportPanel';
import { useNow } from './hooks';
import { StatementEditor, StatusPanel } from './StatementAndStatus';

/** One case: deadlines, checklist with import, statement, status, export and verify. */
export function CaseView({ caseId, alertHours, onBack }: { caseId: Id; alertHours: number; onBack(): void }) {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const now = useNow(15_000);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  // answers may come back out of order (a load started by an event can finish before an
  // older one): only the newest request's answer is shown, so a stale checklist never wins
  const latest = useRef(0);
  const load = async () => {
    const mine = ++latest.current;
    const r = await api.call('cases.get', { id: caseId, lang });
    if (mine !== latest.current) return;
    if (r.ok) setDetail(r.value);
    else setError(describeError(t, r.error));
  };
  const change = (d: CaseDetail) => {
    latest.current++;
    setDetail(d);
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId, lang]);
  // checks finishing, fixes, imports from another window: the checklist follows
  useEvent('evidence.changed', (e) => {
    if (detail && e.orderId === detail.order.id) void load();
  });
  if (error) return <p className="error">{error}</p>;
  if (!detail) return <p className="muted">{t('common.loading')}</p>;
  const c = detail.case;
  return (
    <div className="case-view" data-testid="case-view">
      <div className="row">
        <button onClick={onBack} data-testid="case-back">
          ← {t('case.back')}
        </button>
        <h2>
          {t('case.title', { id: c.id })} · <span className="mono">{detail.order.orderNo}</span>
        </h2>
      </div>
      <div className="case-grid">
        <div>
          <section className="case-section">
            <h3>{t('case.facts')}</h3>
            <p>
              {t(`appealType.${c.appealType}`)} · {t(`scenario.${c.scenario}`)} · {t('case.profile')}:{' '}
              {detail.profile.name[lang]}
              {detail.order.trackingNo ? ` · ${t('case.tracking')} ${detail.order.trackingNo}` : ''}
            </p>
            <Deadline label={t('case.evidenceDue')} dueAt={c.evidenceDueAt} now={now} alertHours={alertHours} />
            <Deadline label={t('case.appealDue')} dueAt={c.appealDueAt} now={now} alertHours={alertHours} />
            {/* without the times there is no countdown at all: say why, or the clerk assumes there is time */}
            {!c.evidenceDueAt && !c.appealDueAt && (
              <p className="warn-text" data-testid="no-deadline">
                {t('case.noDeadlineHint')}
              </p>
            )}
            {editing ? (
              <CaseFactsForm
                initial={c}
                submitLabel={t('case.save')}
                onSubmit={async (v) => {
                  const r = await api.call('cases.update', { id: c.id, ...v });
                  if (!r.ok) return notify.error(r.error);
                  change(r.value);
                  setEditing(false);
                }}
              />
            ) : (
              <button onClick={() => setEditing(true)} data-testid="case-edit">
                {t('case.edit')}
              </button>
            )}
          </section>
          <ChecklistPanel detail={detail} onChange={change} onReload={() => void load()} />
        </div>
        <div>
          <StatusPanel detail={detail} onChange={change} />
          <ExportPanel detail={detail} onChange={() => void load()} />
          <StatementEditor detail={detail} onChange={change} />
        </div>
      </div>
    </div>
  );
}

import { useEffect, useState } from 'react';
import {
  formatAmount,
  parseAmount,
  statementLength,
  type CaseDetail,
  type CaseStatus,
} from '../../../shared/domain/cases';
import { useApi } from '../api/context';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';

/** The statement (申诉说明): the automatic draft until staff edit it, within the profile's limit. */
export function StatementEditor({ detail, onChange }: { detail: CaseDetail; onChange(d: CaseDetail): void }) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const [text, setText] = useState(detail.statement);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) setText(detail.statement);
  }, [detail.statement, dirty]);
  const max = detail.profile.statementMaxChars;
  const len = statementLength(text);
  const save = async (statement: string | null) => {
    const r = await api.call('cases.update', { id: detail.case.id, statement });
    if (!r.ok) return notify.error(r.error);
    setDirty(false);
    onChange(r.value);
    notify.show('success', t('case.saved'));
  };
  return (
    <section className="case-section">
      <h3>{t('case.statement')}</h3>
      <p className="hint">{detail.case.statementEdited ? t('case.statementEdited') : t('case.statementAuto')}</p>
      <textarea
        className="statement"
        rows={10}
        value={text}
        data-testid="statement"
        onChange={(e) => {
          setText(e.target.value);
          setDirty(true);
        }}
      />
      <div className="row">
        <span className={max && len > max ? 'error' : 'muted'}>
          {max ? t('case.statementLimit', { count: len, max }) : t('case.statementLength', { count: len })}
        </span>
        <button onClick={() => save(text)} disabled={!dirty || (max != null && len > max)}>
          {t('case.statementSave')}
        </button>
        {detail.case.statementEdited && <button onClick={() => save(null)}>{t('case.statementReset')}</button>}
      </div>
    </section>
  );
}

/** Status: draft/ready follow the checklist; staff mark submitted, then won (amount) or lost. */
export function StatusPanel({ detail, onChange }: { detail: CaseDetail; onChange(d: CaseDetail): void }) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const c = detail.case;
  const [recovered, setRecovered] = useState(c.amountClaimedCents != null ? formatAmount(c.amountClaimedCents) : '');
  const set = async (status: CaseStatus) => {
    const cents = status === 'won' && recovered.trim() ? parseAmount(recovered) : null;
    if (status === 'won' && recovered.trim() && cents === null)
      return notify.show('error', t('case.problem.amount-not-positive'));
    const r = await api.call('cases.setStatus', { id: c.id, status, amountRecoveredCents: cents });
    if (r.ok) onChange(r.value);
    else notify.error(r.error);
  };
  return (
    <section className="case-section">
      <h3>{t('case.status')}</h3>
      <p>
        <span className={`status status-${c.status}`} data-testid="case-status" data-status={c.status}>
          {t(`caseStatus.${c.status}`)}
        </span>
        {c.amountRecoveredCents != null && (
          <span className="muted">
            {' '}
            · {t('case.recovered')} ¥{formatAmount(c.amountRecoveredCents)}
          </span>
        )}
      </p>
      {detail.nextStatuses.includes('won') && (
        <label>
          {t('case.recovered')}{' '}
          <input inputMode="decimal" value={recovered} onChange={(e) => setRecovered(e.target.value)} />
        </label>
      )}
      <div className="row">
        {detail.nextStatuses.map((s) => (
          <button key={s} onClick={() => set(s)} data-testid={`status-${s}`}>
            {t('case.setStatus', { status: t(`caseStatus.${s}`) })}
          </button>
        ))}
      </div>
    </section>
  );
}

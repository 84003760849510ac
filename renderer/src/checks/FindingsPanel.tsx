import { useState } from 'react';
import type { EvidenceCheck, FixJobResult } from '../../../shared/api/calls/checks';
import type { Id, JobSnapshot } from '../../../shared/domain/types';
import { describeFinding, formatDuration as formatSec } from '../../../shared/rules/describe';
import type { CheckState, Finding } from '../../../shared/rules/findings';
import { useApi, useEvent, useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { useT } from '../i18n';
import './checks.css';

/**
 * The check result of one evidence file: green / amber / red with each reason, and a
 * Fix button that starts the fix job and follows it (progress, elapsed, cancel). The
 * order view and the station embed it: `<FindingsPanel evidenceId={e.id} />`.
 */
export function FindingsPanel({ evidenceId, onFixed }: { evidenceId: Id; onFixed?: (r: FixJobResult) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const { data: check, loading } = useQuery('checks.forEvidence', { evidenceId }, [evidenceId], ['evidence.changed']);
  const [job, setJob] = useState<JobSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [trim, setTrim] = useState<{ start: string; end: string } | null>(null);

  useEvent('job.update', (j) => {
    if (!job || j.id !== job.id) return;
    setJob(j);
    if (j.status === 'done' && onFixed) onFixed(j.result as FixJobResult);
  });

  const startFix = async (extra: { trim?: { startSec: number; endSec: number } } = {}) => {
    setError(null);
    const r = await api.call('fixes.start', { evidenceId, ...extra });
    if (!r.ok) {
      const d = (r.error.details ?? {}) as { key?: string; params?: Record<string, number> };
      const params = Object.fromEntries(
        Object.entries(d.params ?? {}).map(([k, v]) => [k.replace(/Sec$/, ''), formatSec(v)]),
      );
      setError(
        d.key
          ? d.key === 'fix.nothing'
            ? t(d.key)
            : t('fix.cannot', { reason: t(d.key, params) })
          : describeError(t, r.error),
      );
      return;
    }
    setTrim(null);
    const jobs = await api.call('jobs.list', {});
    setJob((jobs.ok && jobs.value.find((j) => j.id === r.value.jobId)) || null);
  };
  const act = async (name: 'jobs.cancel' | 'jobs.retry') => {
    if (!job) return;
    const r = await api.call(name, { id: job.id });
    if (r.ok) setJob(r.value);
    else setError(describeError(t, r.error));
  };

  if (loading && !check)
    return (
      <div className="findings" data-testid="findings">
        {t('common.loading')}
      </div>
    );
  if (!check)
    return (
      <div className="findings" data-testid="findings">
        <span className="muted">{t('checks.pending')}</span>
      </div>
    );
  const fixable = check.findings.filter((f) => f.fix);
  const busy = job?.status === 'running';
  return (
    <div className={`findings state-${check.state}`} data-testid="findings" data-state={check.state}>
      <div className="findings-head">
        <CheckPill state={check.state} />
        <span className="muted">
          {t('checks.profile', { profile: check.profile.id, version: check.profile.version })}
        </span>
        <span className="spacer" />
        <button onClick={() => void api.call('checks.run', { evidenceId })} disabled={busy}>
          {t('checks.recheck')}
        </button>
      </div>
      {check.findings.length === 0 && <span>{t('checks.allOk', { profile: check.profile.id })}</span>}
      <ul>
        {check.findings.map((f, i) => (
          <li key={`${f.code}-${i}`} className={`finding sev-${f.severity}`} data-testid="finding" data-code={f.code}>
            <span className={`pill pill-${f.severity === 'info' ? 'info' : f.severity}`}>
              {t(`severity.${f.severity}`)}
            </span>
            <span className="msg">
              {describeFinding(lang, f as Finding)}
              <span className="code">{f.code}</span>
            </span>
            {f.fix && !busy && (
              <button
                data-testid="fix-button"
                onClick={() => (f.fix === 'trim' ? setTrim({ start: '0', end: '' }) : void startFix())}
              >
                {t('fix.button')} · {t(`fix.${f.fix}`)}
              </button>
            )}
          </li>
        ))}
      </ul>
      {trim && <TrimInputs check={check} value={trim} onChange={setTrim} onStart={(r) => void startFix({ trim: r })} />}
      {job && <FixProgress job={job} onCancel={() => void act('jobs.cancel')} onRetry={() => void act('jobs.retry')} />}
      {error && (
        <p className="error" data-testid="fix-error">
          {error}
        </p>
      )}
      {fixable.length === 0 && check.state === 'block' && !job && (
        <span className="muted">{t('fix.cannot', { reason: t('fix.cannot.unfixable') })}</span>
      )}
    </div>
  );
}

export function CheckPill({ state }: { state: CheckState | 'pending' }) {
  const { t } = useT();
  return (
    <span className={`pill pill-${state}`} data-testid="check-pill">
      {t(`check.${state}`)}
    </span>
  );
}

/** A one-line summary for lists: the state and the most serious reason. */
export function CheckSummary({ check }: { check: EvidenceCheck | null }) {
  const { t, lang } = useT();
  if (!check) return <CheckPill state="pending" />;
  const worst = check.findings.find((f) => f.severity === 'block') ?? check.findings.find((f) => f.severity === 'warn');
  return (
    <span title={check.findings.map((f) => describeFinding(lang, f as Finding)).join('\n')}>
      <CheckPill state={check.state} />{' '}
      {worst ? describeFinding(lang, worst as Finding) : t('checks.allOk', { profile: check.profile.id })}
    </span>
  );
}

function FixProgress({ job, onCancel, onRetry }: { job: JobSnapshot; onCancel(): void; onRetry(): void }) {
  const { t } = useT();
  const pct = job.progress == null ? null : Math.round(job.progress * 100);
  const result = job.result as FixJobResult | null;
  return (
    <div className="fix-progress" data-testid="fix-progress" data-status={job.status}>
      <div className="row">
        <span>{job.status === 'running' ? t('fix.running') : t(`jobs.${job.status}`)}</span>
        <span className="muted">
          {pct != null ? t('fix.percent', { percent: pct }) : ''} ·{' '}
          {t('jobs.elapsed', { seconds: Math.round(job.elapsedMs / 1000) })}
        </span>
        {job.status === 'running' && (
          <button onClick={onCancel} data-testid="fix-cancel">
            {t('fix.cancel')}
          </button>
        )}
        {job.retryable && job.status !== 'running' && <button onClick={onRetry}>{t('common.retry')}</button>}
      </div>
      <progress max={100} value={pct ?? undefined} />
      {job.status === 'done' && result && (
        <span data-testid="fix-done">{t('fix.done', { count: result.outputs.length })}</span>
      )}
      {job.status === 'failed' && job.error && (
        <span className="error">{t('fix.failed', { detail: describeError(t, job.error) })}</span>
      )}
    </div>
  );
}

function TrimInputs({
  check,
  value,
  onChange,
  onStart,
}: {
  check: EvidenceCheck;
  value: { start: string; end: string };
  onChange(v: { start: string; end: string }): void;
  onStart(r: { startSec: number; endSec: number }): void;
}) {
  const { t } = useT();
  const limit = Number(check.findings.find((f) => f.code === 'VIDEO_TOO_LONG')?.params.limitSec ?? 60);
  const start = Number(value.start);
  const end = Number(value.end || String(start + limit));
  const valid = Number.isFinite(start) && Number.isFinite(end) && end > start && end - start <= limit;
  return (
    <div className="trim-inputs" data-testid="trim-inputs">
      <span className="muted">{t('fix.trimHint', { limit: formatSec(limit) })}</span>
      <label>
        {t('fix.trimStart')}{' '}
        <input
          type="number"
          min={0}
          step={0.1}
          value={value.start}
          onChange={(e) => onChange({ ...value, start: e.target.value })}
        />
      </label>
      <label>
        {t('fix.trimEnd')}{' '}
        <input
          type="number"
          min={0}
          step={0.1}
          value={value.end}
          placeholder={String(start + limit)}
          onChange={(e) => onChange({ ...value, end: e.target.value })}
        />
      </label>
      <button className="primary" disabled={!valid} onClick={() => onStart({ startSec: start, endSec: end })}>
        {t('fix.trim')}
      </button>
    </div>
  );
}

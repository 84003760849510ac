import { useEffect, useState } from 'react';
import type { JobSnapshot } from '../../../shared/domain/types';
import { useApi, useEvent } from '../api/context';
import { describeError } from '../api/errors';
import { useT } from '../i18n';
import { useNotify } from './Notices';

/** Every background job with its progress, cancel and retry; survives a reload via jobs.list. */
export function JobsIndicator() {
  const api = useApi();
  const { t } = useT();
  const notify = useNotify();
  const [jobs, setJobs] = useState<Map<string, JobSnapshot>>(new Map());
  const [open, setOpen] = useState(false);
  useEffect(() => {
    void api.call('jobs.list', {}).then((r) => r.ok && setJobs(new Map(r.value.map((j) => [j.id, j]))));
  }, [api]);
  useEvent('job.update', (j) => setJobs((m) => new Map(m).set(j.id, j)));
  const list = [...jobs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const running = list.filter((j) => j.status === 'running').length;
  const act = async (call: 'jobs.cancel' | 'jobs.retry', id: string) => {
    const r = await api.call(call, { id });
    if (!r.ok) notify.error(r.error);
  };
  return (
    <div className="jobs">
      <button className="tab" onClick={() => setOpen(!open)} data-testid="jobs-toggle">
        {t('nav.jobs')} {running > 0 ? <span className="badge">{running}</span> : null}
      </button>
      {open && (
        <div className="jobs-panel" data-testid="jobs-panel">
          <h3>{t('jobs.title')}</h3>
          {list.length === 0 && <p className="muted">{t('jobs.empty')}</p>}
          {list.map((j) => (
            <JobRow
              key={j.id}
              job={j}
              onCancel={() => act('jobs.cancel', j.id)}
              onRetry={() => act('jobs.retry', j.id)}
            />
          ))}
        </div>
      )}
    </div>
  );
}

export function JobRow({ job, onCancel, onRetry }: { job: JobSnapshot; onCancel(): void; onRetry(): void }) {
  const { t } = useT();
  // a failed job often reports 100 % (it ran to the end and refused): a full bar beside
  // "failed" reads as success, so only the reason is shown
  const pct = job.progress == null || job.status === 'failed' ? null : Math.round(job.progress * 100);
  return (
    <div className={`job job-${job.status}`} data-testid="job-row">
      <div className="job-title">
        {job.title} <span className="muted">{t(`jobs.${job.status}`)}</span>
      </div>
      {job.status !== 'failed' && <progress max={100} value={pct ?? undefined} />}
      <div className="job-meta">
        {pct != null ? `${pct}% · ` : ''}
        {t('jobs.elapsed', { seconds: Math.round(job.elapsedMs / 1000) })}
        {job.error ? ` · ${describeError(t, job.error)}` : ''}
      </div>
      {job.status === 'running' && <button onClick={onCancel}>{t('common.cancel')}</button>}
      {job.retryable && job.status !== 'running' && <button onClick={onRetry}>{t('common.retry')}</button>}
    </div>
  );
}

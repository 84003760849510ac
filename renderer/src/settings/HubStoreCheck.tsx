import { useRef, useState } from 'react';
import { isFinished } from '../../../shared/domain/job-status';
import type { JobSnapshot } from '../../../shared/domain/types';
import type { StoreCheckResult } from '../../../shared/hub/store-check';
import { useApi, useEvent } from '../api/context';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';

/**
 * On the hub: "check every stored file" — each verified file read back from the folder/NAS
 * or bucket and hashed again. A job like any other (progress and cancel in the jobs
 * panel); its outcome is said here, with each missing or changed file named.
 */
export function HubStoreCheck() {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const [job, setJob] = useState<JobSnapshot | null>(null);
  // events and call answers travel apart and may cross: a finished job never goes back to running
  const take = (next: JobSnapshot) =>
    setJob((prev) => (prev && prev.id === next.id && isFinished(prev) && !isFinished(next) ? prev : next));
  // the job may report (even finish) before its id comes back from the call that started it
  const mine = useRef<string | null>(null);
  const seen = useRef(new Map<string, JobSnapshot>());
  useEvent('job.update', (j) => {
    seen.current.set(j.id, j);
    if (j.id === mine.current) take(j);
  });
  const start = async () => {
    const r = await api.call('hub.checkStore', {});
    if (!r.ok) return notify.error(r.error);
    mine.current = r.value.jobId;
    setJob({ id: r.value.jobId, status: 'queued' } as JobSnapshot);
    const early = seen.current.get(r.value.jobId);
    if (early) take(early);
    // and its events may have gone before this screen listened: ask once
    const now = await api.call('jobs.list', {});
    const listed = now.ok ? now.value.find((j) => j.id === r.value.jobId) : undefined;
    if (listed) take(listed);
  };
  const busy = job?.status === 'queued' || job?.status === 'running';
  const result = job?.status === 'done' ? (job.result as StoreCheckResult) : null;
  const bad = result
    ? [
        ...result.missing.map((f) => ({ ...f, k: 'missing' })),
        ...result.mismatched.map((f) => ({ ...f, k: 'mismatched' })),
      ]
    : [];
  return (
    <div data-testid="hub-store-check">
      <p className="muted">{t('settings.hubHost.checkStoreHelp')}</p>
      <button type="button" onClick={() => void start()} disabled={busy} data-testid="hub-store-check-start">
        {busy ? t('jobs.running') : t('settings.hubHost.checkStore')}
      </button>
      {result && (
        <div role="status" className={bad.length ? 'error' : 'ok'} data-testid="hub-store-check-result">
          <p>
            {bad.length
              ? t('cli.storeCheck.bad', {
                  checked: result.checked,
                  missing: result.missing.length,
                  mismatched: result.mismatched.length,
                })
              : t('cli.storeCheck.ok', { checked: result.checked })}
          </p>
          {bad.length > 0 && (
            <ul>
              {bad.map((f, i) => (
                <li key={i}>
                  {t('cli.storeCheck.file', {
                    problem: t(`cli.storeCheck.${f.k}`),
                    station: f.station,
                    orderNo: f.orderNo,
                    location: f.location ?? '',
                  })}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {(job?.status === 'failed' || job?.status === 'cancelled') && (
        <p role="alert" className="error">
          {t(`jobs.${job.status}`)}
        </p>
      )}
    </div>
  );
}

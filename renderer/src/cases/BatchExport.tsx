import { useEffect, useState } from 'react';
import { shortRef } from '../../../shared/domain/id';
import type { Id } from '../../../shared/domain/id';
import { useApi } from '../api/context';
import { describeError } from '../api/errors';
import { JobRow } from '../components/JobsIndicator';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';
import { useJob } from './hooks';

interface BatchResult {
  results: (
    | { caseId: Id; ok: true; result: { packet: { dir: string } } }
    | { caseId: Id; ok: false; error: { code: string; message: string; details?: unknown } }
  )[];
}

/** Export the selected cases as one job: one progress bar, then the outcome per case. */
export function BatchExport({ caseIds, onDone }: { caseIds: Id[]; onDone(): void }) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const [zip, setZip] = useState(true);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const result = job?.status === 'done' ? (job.result as BatchResult) : null;
  useEffect(() => {
    if (!result) return;
    const ok = result.results.filter((r) => r.ok).length;
    notify.show(
      ok === result.results.length ? 'success' : 'warn',
      t('export.batchDone', { ok, failed: result.results.length - ok }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result]);
  const start = async () => {
    const r = await api.call('packets.export', { caseIds, zip });
    if (r.ok) setJobId(r.value.jobId);
    else notify.error(r.error);
  };
  return (
    <div className="batch" data-testid="batch-export">
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={zip} onChange={(e) => setZip(e.target.checked)} />
          {t('case.exportZip')}
        </label>
        <button
          className="primary"
          onClick={start}
          disabled={job?.status === 'running'}
          data-testid="batch-export-button"
        >
          {t('cases.exportSelected', { count: caseIds.length })}
        </button>
        {result && <button onClick={onDone}>{t('common.close')}</button>}
      </div>
      {job && (
        <JobRow
          job={job}
          onCancel={() => void api.call('jobs.cancel', { id: job.id })}
          onRetry={() => void api.call('jobs.retry', { id: job.id })}
        />
      )}
      {result && (
        <ul className="batch-results">
          {result.results.map((r) => (
            <li key={r.caseId} className={r.ok ? 'ok-text' : 'error'}>
              #{shortRef(r.caseId)}: {r.ok ? r.result.packet.dir : describeError(t, r.error)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

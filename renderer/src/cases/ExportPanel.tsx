import { useEffect, useState } from 'react';
import type { Id } from '../../../shared/domain/id';
import type { CaseDetail, PacketSummary, VerifyReport } from '../../../shared/domain/cases';
import { useApi } from '../api/context';
import { useNotify } from '../components/Notices';
import { JobRow } from '../components/JobsIndicator';
import { formatBytes, formatDateTime, useT } from '../i18n';
import { useJob } from './hooks';
import { PacketActions } from './packet-actions';

interface BatchResult {
  results: (
    | { caseId: Id; ok: true; result: { packet: PacketSummary } }
    | { caseId: Id; ok: false; error: { code: string; message: string; details?: unknown } }
  )[];
}

/** Export with progress (a job: cancel, retry), the packets made so far, and verify. */
export function ExportPanel({ detail, onChange }: { detail: CaseDetail; onChange(): void }) {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const [zip, setZip] = useState(true);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const [reports, setReports] = useState<Record<Id, VerifyReport[]>>({});

  useEffect(() => {
    if (!job || job.status === 'running' || job.status === 'queued') return;
    if (job.status === 'done') {
      const r = (job.result as BatchResult).results[0];
      if (r?.ok) notify.show('success', t('case.exported', { path: r.result.packet.dir }));
      else if (r) notify.error(r.error);
    } else if (job.error) notify.error(job.error);
    onChange();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.status]);

  const start = async () => {
    const r = await api.call('packets.export', { caseIds: [detail.case.id], zip });
    if (r.ok) setJobId(r.value.jobId);
    else notify.error(r.error);
  };
  const verify = async (p: PacketSummary) => {
    const r = await api.call('packets.verify', { packetId: p.id });
    if (!r.ok) return notify.error(r.error);
    setReports((x) => ({ ...x, [p.id]: r.value }));
    onChange();
  };
  const running = job?.status === 'running';
  // a refused export ("evidence missing: …") goes stale once the checklist changes:
  // drop it rather than leave an outdated list of what is missing on screen
  const checklistKey = detail.checklist.items.map((i) => i.state).join();
  useEffect(() => {
    if (job?.status === 'failed') setJobId(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checklistKey]);

  return (
    <section className="case-section">
      <h3>{t('case.export')}</h3>
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={zip} onChange={(e) => setZip(e.target.checked)} />
          {t('case.exportZip')}
        </label>
        <button className="primary" onClick={start} disabled={running} data-testid="export-button">
          {running ? t('case.exporting') : t('case.export')}
        </button>
      </div>
      {job && (
        <JobRow
          job={job}
          onCancel={() => void api.call('jobs.cancel', { id: job.id })}
          onRetry={() => void api.call('jobs.retry', { id: job.id })}
        />
      )}
      {detail.packets.length > 0 && <h4>{t('case.packets')}</h4>}
      <ul className="packets">
        {detail.packets.map((p) => (
          <li key={p.id} data-testid="packet">
            <div className="mono packet-path">{p.dir}</div>
            <div className="muted">
              {formatDateTime(p.createdAt, lang)} · {t('case.fileCount', { count: p.fileCount })} ·{' '}
              {formatBytes(p.totalBytes)}{' '}
              {p.verifyOk != null && (
                <span className={`pill ${p.verifyOk ? 'pill-ok' : 'pill-block'}`} data-testid="packet-verified">
                  {t(p.verifyOk ? 'case.verifyOk' : 'case.verifyFailed')}
                </span>
              )}
            </div>
            <div className="row">
              <button onClick={() => verify(p)} data-testid="verify-button">
                {t('case.verify')}
              </button>
              {p.zipMediaPath && (
                <a href={api.mediaUrl(p.zipMediaPath)} download className="button-link">
                  {t('case.openZip')}
                </a>
              )}
              <PacketActions packet={p} />
            </div>
            {reports[p.id]?.map((r) => (
              <VerifyResult key={r.path} report={r} />
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

function VerifyResult({ report }: { report: VerifyReport }) {
  const { t } = useT();
  return (
    <div className={`verify ${report.ok ? 'verify-ok' : 'verify-bad'}`} data-testid="verify-result" data-ok={report.ok}>
      <div>
        {report.kind === 'zip' ? 'zip' : t('verify.folder')}:{' '}
        {report.ok ? t('verify.ok', { count: report.checked }) : t('verify.failed')}
      </div>
      {report.manifestError && (
        <div>
          {t('verify.manifest')}: {report.manifestError}
        </div>
      )}
      {report.missing.length > 0 && (
        <div>
          {t('verify.missing')}: {report.missing.join(', ')}
        </div>
      )}
      {report.extra.length > 0 && (
        <div>
          {t('verify.extra')}: {report.extra.join(', ')}
        </div>
      )}
      {report.changed.length > 0 && (
        <div>
          {t('verify.changed')}: {report.changed.map((c) => c.name).join(', ')}
        </div>
      )}
    </div>
  );
}

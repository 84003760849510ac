import { useEffect, useRef, useState } from 'react';
import type { ColumnMapping } from '../../../shared/domain/insight/import-fields';
import type {
  ImportInspection,
  ImportOptions,
  ImportPreview,
  ImportResult,
} from '../../../shared/domain/insight/types';
import type { JobSnapshot } from '../../../shared/domain/types';
import { callOrThrow, useApi, useEvent, useQuery } from '../api/context';
import { uploadInPieces } from '../api/upload';
import { useNotify } from '../components/Notices';
import { formatBytes, useT } from '../i18n';
import { DataTable } from './DataTable';
import { ImportOptionsBar, MappingEditor, PreviewTable, rowErrorText } from './ImportMapping';
import './insight.css';

type Step = 'pick' | 'upload' | 'map' | 'run' | 'done';

/**
 * Import orders from a back-office/ERP export: choose a file (sent in pieces), check
 * what was detected and the column mapping (remembered per source), preview the first
 * rows as they will be stored, then import as a job with progress and cancel.
 */
export function ImportScreen({ navigate }: { active: boolean; navigate: (id: string, arg?: string) => void }) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const [step, setStep] = useState<Step>('pick');
  const [source, setSource] = useState(() => localStorage.getItem('proofpack.import.source') ?? '');
  const [uploadPct, setUploadPct] = useState(0);
  const [inspection, setInspection] = useState<ImportInspection | null>(null);
  const [options, setOptions] = useState<Partial<ImportOptions>>({});
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [remember, setRemember] = useState(true);
  const [job, setJob] = useState<JobSnapshot | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const saved = useQuery('orders.import.mappings', {}, [step]);

  const fail = (e: unknown) => {
    notify.error(e);
    setStep((s) => (s === 'upload' ? 'pick' : s));
  };

  async function onFile(file: File) {
    setStep('upload');
    setResult(null);
    try {
      const uploadId = await uploadInPieces(api, 'orders.import.upload', file, (r) =>
        setUploadPct(Math.round(r * 100)),
      );
      await inspect(uploadId, {});
      setStep('map');
    } catch (e) {
      fail(e);
    }
  }

  async function inspect(uploadId: string, opts: Partial<ImportOptions>) {
    const ins = await callOrThrow(api, 'orders.import.inspect', {
      uploadId,
      sourceName: source.trim() || null,
      options: opts,
    });
    setInspection(ins);
    setOptions(ins.mappingSource === 'saved' ? ins.options : opts);
    setMapping(ins.mapping);
  }

  // the preview follows every change of mapping or options
  useEffect(() => {
    if (!inspection || step !== 'map') return;
    let alive = true;
    const timer = setTimeout(() => {
      void api
        .call('orders.import.preview', { uploadId: inspection.uploadId, mapping, options, limit: 20 })
        .then((r) => {
          if (!alive) return;
          if (r.ok) setPreview(r.value);
          else notify.error(r.error);
        });
    }, 150);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [inspection, mapping, options, step]); // eslint-disable-line react-hooks/exhaustive-deps

  // job events can arrive before `orders.import.start` has answered: keep the latest of each
  const seenJobs = useRef(new Map<string, JobSnapshot>());
  const jobId = useRef<string | null>(null);
  const onJob = (j: JobSnapshot) => {
    setJob(j);
    if (j.status === 'done') {
      setResult(j.result as ImportResult);
      setStep('done');
      notify.show('success', t('import.done', j.result as unknown as Record<string, number>));
    } else if (j.status === 'failed') {
      notify.show('error', t('import.failed', { detail: j.error?.message ?? '' }));
      setStep('map');
    } else if (j.status === 'cancelled') {
      notify.show('warn', t('import.cancelled'));
      setStep('map');
    }
  };
  useEvent('job.update', (j) => {
    seenJobs.current.set(j.id, j);
    if (j.id === jobId.current) onJob(j);
  });

  async function start() {
    if (!inspection) return;
    const name = source.trim() || inspection.fileName;
    localStorage.setItem('proofpack.import.source', name);
    try {
      const started = await callOrThrow(api, 'orders.import.start', {
        uploadId: inspection.uploadId,
        sourceName: name,
        mapping,
        options,
        remember,
      });
      jobId.current = started.jobId;
      setStep('run');
      onJob(
        seenJobs.current.get(started.jobId) ?? {
          id: started.jobId,
          kind: 'orders.import',
          title: '',
          status: 'running',
          progress: 0,
          startedAt: new Date().toISOString(),
          elapsedMs: 0,
          error: null,
          result: null,
          retryable: false,
        },
      );
    } catch (e) {
      fail(e);
    }
  }

  const reset = () => {
    setStep('pick');
    setInspection(null);
    setPreview(null);
    setJob(null);
    if (fileRef.current) fileRef.current.value = '';
  };
  const blocked = !preview || preview.mappingProblems.length > 0;
  const steps: Step[] = ['pick', 'map', 'run', 'done'];

  return (
    <div className="ins-screen" data-testid="import-screen" data-step={step}>
      <h2>{t('import.title')}</h2>
      <div className="ins-steps">
        {steps.map((s, i) => (
          <span key={s} className={`ins-step ${s === step || (s === 'pick' && step === 'upload') ? 'on' : ''}`}>
            {/* numbers alone do not tell a first-time clerk what each step is */}
            {i + 1} {t(`import.step.${s}`)}
          </span>
        ))}
      </div>
      <p className="muted">{t('import.intro')}</p>
      <div className="ins-row">
        <label>
          {t('import.source')}{' '}
          <input
            list="import-sources"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            placeholder={t('import.sourcePlaceholder')}
            disabled={step === 'run'}
            data-testid="import-source"
          />
        </label>
        <datalist id="import-sources">
          {saved.data?.map((m) => (
            <option key={m.name} value={m.name} />
          ))}
        </datalist>
      </div>
      {(step === 'pick' || step === 'upload') && (
        <div
          className="ins-dropzone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            const f = e.dataTransfer.files[0];
            if (f) void onFile(f);
          }}
        >
          <input
            ref={fileRef}
            type="file"
            accept=".csv,.tsv,.txt,.xlsx"
            onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])}
            data-testid="import-file"
            disabled={step === 'upload'}
          />
          {step === 'upload' && <p>{t('import.uploading', { percent: uploadPct })}</p>}
        </div>
      )}
      {inspection && (step === 'map' || step === 'run') && (
        <>
          <p>{t('import.file', { name: inspection.fileName, size: formatBytes(inspection.bytes) })}</p>
          <ImportOptionsBar
            inspection={inspection}
            options={options}
            onChange={(o) => void inspect(inspection.uploadId, o).catch(fail)}
          />
          <MappingEditor inspection={inspection} mapping={mapping} sourceName={source} onChange={setMapping} />
          {preview && <PreviewTable preview={preview} />}
          <div className="ins-row">
            <label>
              <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />{' '}
              {t('import.remember')}
            </label>
            <button
              className="primary"
              disabled={blocked || step === 'run'}
              onClick={() => void start()}
              data-testid="import-start"
            >
              {t('import.start')}
            </button>
            <button onClick={reset} disabled={step === 'run'}>
              {t('common.cancel')}
            </button>
          </div>
        </>
      )}
      {step === 'run' && job && (
        <div className="ins-card" data-testid="import-progress">
          <p>{t('import.running', { percent: Math.round((job.progress ?? 0) * 100) })}</p>
          <progress className="ins-progress" max={100} value={Math.round((job.progress ?? 0) * 100)} />
          <button onClick={() => void api.call('jobs.cancel', { id: job.id })} data-testid="import-cancel">
            {t('import.cancel')}
          </button>
        </div>
      )}
      {step === 'done' && result && (
        <>
          <div className="ins-kpis" data-testid="import-result">
            {(['imported', 'updated', 'unchanged', 'rejected', 'linked'] as const).map((k) => (
              <div
                key={k}
                className={`ins-kpi ${k === 'rejected' && result[k] > 0 ? 'bad' : ''}`}
                data-testid={`import-${k}`}
                data-value={result[k]}
              >
                <div className="v">{result[k]}</div>
                <div className="l">{t(`import.count.${k}`)}</div>
              </div>
            ))}
          </div>
          <DataTable
            title={t('import.rejectedRows')}
            testId="import-rejected"
            csvName={`rejected-${result.runId}.csv`}
            rows={result.errors}
            columns={[
              { key: 'row', label: t('import.col.row'), value: (e) => e.row, numeric: true },
              { key: 'order', label: t('import.col.orderNo'), value: (e) => e.orderNo },
              { key: 'reason', label: t('import.col.reason'), value: (e) => rowErrorText(t, e) },
            ]}
          />
          <div className="ins-row">
            <button className="primary" onClick={() => navigate('coverage')} data-testid="import-to-coverage">
              {t('import.viewCoverage')}
            </button>
            <button onClick={reset}>{t('import.again')}</button>
          </div>
        </>
      )}
    </div>
  );
}

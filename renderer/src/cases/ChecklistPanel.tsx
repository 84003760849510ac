import { useRef, useState, type DragEvent } from 'react';
import { shortRef } from '../../../shared/domain/id';
import type { Id } from '../../../shared/domain/id';
import type { CaseDetail, ChecklistItem } from '../../../shared/domain/cases';
import type { Evidence } from '../../../shared/domain/types';
import { hasMessage } from '../../../shared/i18n';
import { useApi } from '../api/context';
import { useNotify } from '../components/Notices';
import { formatBytes, formatDuration, useT } from '../i18n';
import { uploadInPieces } from '../api/upload';
import { FindingsPanel } from '../checks/FindingsPanel';

/**
 * The case's evidence checklist: each requirement present / missing / failing, the files
 * on it, a drop zone (or picker) that imports documents straight into it — the type is
 * detected by content in the core — and a picker to link a file the order already has.
 */
export function ChecklistPanel({
  detail,
  onChange,
  onReload,
}: {
  detail: CaseDetail;
  onChange(d: CaseDetail): void;
  /** fetch the case again (through the view, which keeps only the newest answer) */
  onReload(): void;
}) {
  const { t } = useT();
  const { checklist } = detail;
  const missing = checklist.items.filter((i) => i.required && i.state !== 'present').length;
  return (
    <section className="case-section">
      <h3>{t('case.checklist')}</h3>
      <p
        className={checklist.complete ? 'ok-text' : 'muted'}
        data-testid="checklist-summary"
        data-complete={checklist.complete}
      >
        {checklist.complete ? t('case.checklistComplete') : t('case.checklistIncomplete', { count: missing })}
      </p>
      <ul className="req-list">
        {checklist.items.map((item) => (
          <Requirement key={item.requirement} item={item} detail={detail} onChange={onChange} onReload={onReload} />
        ))}
      </ul>
    </section>
  );
}

function Requirement({
  item,
  detail,
  onChange,
  onReload,
}: {
  item: ChecklistItem;
  detail: CaseDetail;
  onChange(d: CaseDetail): void;
  onReload(): void;
}) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const byId = new Map(detail.evidence.map((e) => [e.id, e]));
  const onItem = new Set(item.evidence.map((e) => e.evidenceId));
  const linkable = detail.evidence.filter(
    (e) => item.accepts.includes(e.kind) && !onItem.has(e.id) && e.origin !== 'fixed',
  );

  const importFiles = async (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      setBusy(t('case.importing', { name: file.name }));
      let uploadId: string;
      try {
        uploadId = await uploadInPieces(api, 'files.upload', file, (r) =>
          setBusy(`${t('case.importing', { name: file.name })} ${Math.round(r * 100)}%`),
        );
      } catch (e) {
        notify.error(e);
        continue;
      }
      const r = await api.call('evidence.import', {
        orderId: detail.order.id,
        caseId: detail.case.id,
        requirement: item.requirement,
        name: file.name,
        uploadId,
      });
      if (!r.ok) {
        const d = r.error.details as { problem?: string } | undefined;
        // per-file problems read with the file's name; any other refusal through describeError
        if (d?.problem && hasMessage(`import.problem.${d.problem}`))
          notify.show('error', t(`import.problem.${d.problem}`, { name: file.name }));
        else notify.error(r.error);
      } else notify.show('success', t('case.imported', { name: file.name }));
    }
    setBusy(null);
    onReload();
  };
  const relink = async (call: 'cases.link' | 'cases.unlink', evidenceId: Id) => {
    const r = await api.call(call, { caseId: detail.case.id, requirement: item.requirement, evidenceId });
    if (r.ok) onChange(r.value);
    else notify.error(r.error);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length) void importFiles(e.dataTransfer.files);
  };

  return (
    <li
      className={`req req-${item.state}${item.required ? '' : ' req-optional'}`}
      data-testid={`req-${item.requirement}`}
      data-state={item.state}
    >
      <div className="req-head">
        <span
          className={`pill pill-${item.state === 'present' ? 'ok' : item.state === 'failing' ? 'block' : item.required ? 'missing' : 'none'}`}
        >
          {t(item.pending && item.state === 'present' ? 'checklist.pending' : `checklist.${item.state}`)}
        </span>
        <strong>{t(`requirement.${item.requirement}`)}</strong>
        <span className="muted">{t(item.required ? 'checklist.required' : 'checklist.recommended')}</span>
      </div>
      <p className="hint">{t(`requirement.${item.requirement}.hint`)}</p>
      <ul className="req-files">
        {item.evidence.map((ce) => {
          const e = byId.get(ce.evidenceId);
          if (!e) return null;
          return (
            <li key={ce.evidenceId} data-testid="req-file">
              <FileLabel e={e} />
              <span className={`pill pill-${ce.checkState}`}>{t(`check.${ce.checkState}`)}</span>
              {ce.used.length > 1 || ce.used[0] !== ce.evidenceId ? (
                <span className="muted">
                  → {t('origin.fixed')} ×{ce.used.length}
                </span>
              ) : null}
              <button className="link" onClick={() => relink('cases.unlink', ce.evidenceId)}>
                {t('case.unlink')}
              </button>
              {/* a failing file with no passing fix yet: the clerk needs the reason and the
                  fix button right here, not a trip to the order screen (the fix output is
                  picked up by the checklist through evidence.changed) */}
              {ce.checkState === 'block' && ce.used.every((id) => id === ce.evidenceId) && (
                <FindingsPanel evidenceId={ce.evidenceId} />
              )}
            </li>
          );
        })}
      </ul>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        data-testid={`drop-${item.requirement}`}
      >
        {busy ?? t('case.dropHere')}
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid={`import-${item.requirement}`}
          onChange={(e) => {
            if (e.target.files?.length) void importFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {linkable.length > 0 && (
        <select
          value=""
          onChange={(e) => e.target.value && relink('cases.link', e.target.value)}
          className="link-select"
        >
          <option value="">{t('case.linkEvidence')}</option>
          {linkable.map((e) => (
            <option key={e.id} value={e.id}>
              {describe(e, t)}
            </option>
          ))}
        </select>
      )}
    </li>
  );
}

function describe(e: Evidence, t: (k: string) => string) {
  return `#${shortRef(e.id)} ${t(`kind.${e.kind}`)} ${e.originalName ?? e.path.split('/').pop()} ${e.durationMs != null ? formatDuration(e.durationMs) : ''} ${formatBytes(e.bytes)}`;
}

function FileLabel({ e }: { e: Evidence }) {
  const api = useApi();
  const { t } = useT();
  return (
    <a href={api.mediaUrl(e.path)} target="_blank" rel="noreferrer" className="file-label">
      {describe(e, t)}
    </a>
  );
}

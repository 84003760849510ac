import { useEffect, useState } from 'react';
import type { RetentionReport } from '../../../shared/api/calls/storage';
import type { JobSnapshot } from '../../../shared/domain/types';
import { useApi, useEvent, useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { useSettings } from '../app/settings-context';
import { useNotify } from '../components/Notices';
import { ManagedNotice, useManagedByHub } from '../settings/ManagedByHub';
import { formatBytes, formatDateTime, useT } from '../i18n';

const GiB = 1024 ** 3;

/**
 * Storage: free space against the reserve, retention days and its dry-run view (what
 * would be deleted, how much space returns), and moving the data folder elsewhere.
 */
export function StorageScreen({ active }: { active: boolean }) {
  const { t, lang } = useT();
  const hub = useManagedByHub();
  const api = useApi();
  const notify = useNotify();
  const { settings, update } = useSettings();
  const status = useQuery('storage.status', {}, [active], ['evidence.changed', 'job.update']);
  const [preview, setPreview] = useState<RetentionReport | null>(null);
  const [draft, setDraft] = useState(settings.storage);
  useEffect(() => setDraft(settings.storage), [settings.storage]);
  const [target, setTarget] = useState('');
  const [job, setJob] = useState<JobSnapshot | null>(null);
  useEvent('job.update', (j) => {
    if (j.id === job?.id) setJob(j);
  });

  const loadPreview = async () => {
    const r = await api.call('storage.retentionPreview', {});
    if (r.ok) setPreview(r.value);
    else notify.error(r.error);
  };
  const save = async () => {
    if (await update({ storage: draft })) notify.show('success', t('common.saved'));
  };
  const startJob = async (call: 'storage.retentionRun' | 'storage.move') => {
    const r = call === 'storage.move' ? await api.call(call, { target }) : await api.call(call, {});
    if (r.ok) setJob(r.value);
    else notify.error(r.error);
  };
  const s = status.data;
  return (
    <div className="settings" data-testid="storage">
      <h2>{t('storage.title')}</h2>
      {s && (
        <fieldset>
          <legend>{t('storage.disk')}</legend>
          <p style={s.lowDisk ? { color: '#f87171' } : undefined} data-testid="storage-free">
            {t('storage.freeOf', {
              free: s.freeBytes === null ? '?' : formatBytes(s.freeBytes),
              total: s.totalBytes === null ? '?' : formatBytes(s.totalBytes),
            })}
            {s.lowDisk && ` — ${t('storage.belowReserve')}`}
          </p>
          <p className="muted">
            {t('storage.evidence', {
              count: s.evidenceCount,
              size: formatBytes(s.evidenceBytes),
              purged: s.purgedCount,
              purgedSize: formatBytes(s.purgedBytes),
            })}
          </p>
        </fieldset>
      )}
      <ManagedNotice groups={hub.groups} show={['retention']} />
      <fieldset disabled={hub.groups.has('retention')}>
        <legend>{t('storage.rules')}</legend>
        <label>
          {t('storage.reserveGb')}
          <input
            type="number"
            min={0}
            step={0.5}
            value={draft.reserveBytes / GiB}
            onChange={(e) => setDraft({ ...draft, reserveBytes: Math.round(Number(e.target.value) * GiB) })}
            data-testid="reserve"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.retentionEnabled}
            onChange={(e) => setDraft({ ...draft, retentionEnabled: e.target.checked })}
          />
          {t('storage.retentionEnabled')}
        </label>
        {(['outbound', 'return'] as const).map((m) => (
          <label key={m}>
            {t('storage.retentionDays', { mode: t(`mode.${m}`) })}
            <input
              type="number"
              min={1}
              max={3650}
              value={draft.retentionDays[m]}
              onChange={(e) =>
                setDraft({ ...draft, retentionDays: { ...draft.retentionDays, [m]: Number(e.target.value) } })
              }
              data-testid={`days-${m}`}
            />
          </label>
        ))}
        <p className="hint">{t('storage.pinnedHint')}</p>
        <button className="primary" onClick={() => void save()} data-testid="storage-save">
          {t('common.save')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t('storage.retention')}</legend>
        <button onClick={() => void loadPreview()} data-testid="retention-preview">
          {t('storage.preview')}
        </button>{' '}
        <button
          onClick={() => void startJob('storage.retentionRun')}
          disabled={!preview || preview.deletedCount === 0}
          data-testid="retention-run"
        >
          {t('storage.runNow')}
        </button>
        {preview && (
          <div data-testid="retention-report">
            <p>
              {t('storage.wouldDelete', {
                count: preview.deletedCount,
                size: formatBytes(preview.deletedBytes),
                pinned: preview.pinnedCount,
                skipped: preview.skipped.length,
              })}
            </p>
            <table className="evidence-table">
              <tbody>
                {preview.items.map((i) => (
                  <tr key={i.evidenceId}>
                    <td>{formatDateTime(i.capturedAt, lang)}</td>
                    <td>{i.orderNo}</td>
                    <td>{t(`mode.${i.mode}`)}</td>
                    <td>{t(`kind.${i.kind}`)}</td>
                    <td>{formatBytes(i.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('storage.location')}</legend>
        <p className="muted" data-testid="data-dir">
          {s?.dataDir}
        </p>
        <label>
          {t('storage.moveTo')}
          <input
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder={t('storage.movePlaceholder')}
            data-testid="move-target"
          />
        </label>
        <p className="hint">{t('storage.moveHint')}</p>
        <button
          onClick={() => void startJob('storage.move')}
          disabled={!target.trim() || s?.moving}
          data-testid="move-start"
        >
          {t('storage.move')}
        </button>
      </fieldset>
      {job && (
        <p data-testid="storage-job">
          {job.title}: {t(`jobs.${job.status}`)}
          {job.status === 'running' && job.progress !== null && ` ${Math.round(job.progress * 100)}%`}
          {job.error && ` — ${describeError(t, job.error)}`}
        </p>
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { StaffFile } from '../../../shared/hub/hub-file';
import { describeError } from '../api/errors';
import { formatDateTime, useT } from '../i18n';
import { SharePanel } from './SharePanel';
import { useStaff } from './staff-context';

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** One order's files from every station: played from the hub (HTTP Range: seeking never downloads the whole video). */
export function OrderPage({ orderNo }: { orderNo: string }) {
  const { t, lang } = useT();
  const { client, session } = useStaff();
  const [files, setFiles] = useState<StaffFile[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setFiles(null);
    setProblem(null);
    void client.call<{ files: StaffFile[] }>('GET', `/orders/${encodeURIComponent(orderNo)}/files`).then((r) => {
      if (r.ok) setFiles(r.value.files);
      else setProblem(r.error.code === 'NOT_FOUND' ? t('staff.order.notFound') : describeError(t, r.error));
    });
  }, [client, orderNo]); // eslint-disable-line react-hooks/exhaustive-deps
  const mayShare = session.user.role === 'clerk' || session.user.role === 'admin';
  return (
    <section data-testid="staff-order">
      <p>
        <a href="#">{t('staff.order.back')}</a>
      </p>
      <h2>{t('staff.order.title', { order: orderNo })}</h2>
      {problem && (
        <p className="problem" data-testid="order-problem">
          {problem}
        </p>
      )}
      <div className="staff-files">
        {files?.map((f) => {
          const src = client.mediaUrl(f.stationId, f.evidenceId);
          return (
            <article key={`${f.stationId}/${f.evidenceId}`} className="staff-file" data-testid="staff-file">
              {f.kind === 'video' ? (
                <video controls playsInline preload="metadata" src={src} data-testid="staff-video" />
              ) : f.kind === 'photo' ? (
                <img src={src} alt={f.fileName} />
              ) : null}
              <dl>
                <dt>{t('staff.file.captured')}</dt>
                <dd>{formatDateTime(f.capturedAt, lang)}</dd>
                <dt>{t('staff.file.station')}</dt>
                <dd>{f.stationName}</dd>
                {f.operator && (
                  <>
                    <dt>{t('staff.file.operator')}</dt>
                    <dd>{f.operator}</dd>
                  </>
                )}
                {f.durationMs ? (
                  <>
                    <dt>{t('staff.file.duration')}</dt>
                    <dd>{clock(f.durationMs)}</dd>
                  </>
                ) : null}
                <dt>{t('staff.file.size')}</dt>
                <dd>{mb(f.bytes)}</dd>
                <dt>SHA-256</dt>
                <dd className="hash">{f.sha256}</dd>
              </dl>
              <a href={client.mediaUrl(f.stationId, f.evidenceId, true)} download>
                {t('staff.file.download')}
              </a>
            </article>
          );
        })}
      </div>
      {files && files.length > 0 && mayShare && <SharePanel orderNo={orderNo} />}
    </section>
  );
}

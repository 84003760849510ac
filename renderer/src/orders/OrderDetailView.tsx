import { useRef, useState } from 'react';
import type { Evidence, Id } from '../../../shared/domain/types';
import { useApi, useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { formatBytes, formatDateTime, formatDuration, useT } from '../i18n';
import { FindingsPanel } from '../checks/FindingsPanel';
import { SyncedViews } from './SyncedViews';
import { OrderWeights } from './OrderWeights';

/** One order: its evidence files with in-app playback (served only from the data folder). */
export function OrderDetailView({ orderId, navigate }: { orderId: Id; navigate?: (id: string, arg?: string) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const { data, error } = useQuery('orders.get', { id: orderId }, [orderId], ['evidence.changed']);
  const [playing, setPlaying] = useState<Evidence | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  if (error) return <p className="error">{describeError(t, error)}</p>;
  if (!data) return <p className="muted">{t('common.loading')}</p>;
  const current = playing ?? data.evidence.find((e) => e.kind === 'video') ?? null;
  return (
    <div className="order-detail" data-testid="order-detail">
      <div className="order-head">
        <h2>{data.order.orderNo}</h2>
        {navigate && (
          <button onClick={() => navigate('cases', `new:${data.order.orderNo}`)} data-testid="open-case">
            {t('orders.openCase')}
          </button>
        )}
      </div>
      {data.order.trackingNo && data.order.trackingNo !== data.order.orderNo && (
        <p>
          {t('orders.tracking')}: {data.order.trackingNo}
        </p>
      )}
      {current?.kind === 'video' && (
        <div className="player">
          <video
            ref={videoRef}
            key={current.id}
            src={api.mediaUrl(current.path)}
            controls
            preload="metadata"
            data-testid="player"
          />
          {current.chapters.length > 0 && (
            <ol className="chapters">
              {current.chapters.map((c) => (
                <li key={`${c.step}-${c.atMs}`}>
                  <button onClick={() => videoRef.current && (videoRef.current.currentTime = c.atMs / 1000)}>
                    {formatDuration(c.atMs)} {t(`step.${c.step}`)}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
      <SyncedViews orderId={orderId} evidence={data.evidence} />
      <OrderWeights orderId={orderId} />
      {playing?.kind === 'photo' && <img className="photo-large" src={api.mediaUrl(playing.path)} alt="" />}
      {(playing ?? current) && <FindingsPanel evidenceId={(playing ?? current)!.id} />}
      <table className="evidence-table">
        <thead>
          <tr>
            <th>{t('orders.col.kind')}</th>
            <th>{t('orders.col.time')}</th>
            <th>{t('orders.col.length')}</th>
            <th>{t('orders.col.station')}</th>
            <th>{t('orders.col.check')}</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {data.evidence.map((e) => (
            <tr
              key={e.id}
              onClick={() => setPlaying(e)}
              className={current?.id === e.id ? 'selected' : ''}
              data-testid="evidence-row"
            >
              <td>
                {t(`kind.${e.kind}`)}
                {e.mode ? ` · ${t(`mode.${e.mode}`)}` : ''}
                {e.origin !== 'recorded' ? ` · ${t(`origin.${e.origin}`)}` : ''}
              </td>
              <td>{formatDateTime(e.capturedAt, lang)}</td>
              <td>
                {e.durationMs != null ? formatDuration(e.durationMs) : ''} {formatBytes(e.bytes)}
              </td>
              <td>{[e.station, e.operator].filter(Boolean).join(' / ')}</td>
              <td>
                <span className={`pill pill-${e.checkState}`}>{t(`check.${e.checkState}`)}</span>
              </td>
              <td className="mono" title={e.sha256}>
                {e.sha256.slice(0, 12)}…
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

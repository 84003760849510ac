import type { Id } from '../../../shared/domain/types';
import { useApi, useQuery } from '../api/context';
import { formatBytes, formatDateTime, formatDuration, useT } from '../i18n';

/** The last saved files at this station, newest first, each opening its order. */
export function RecentEvidence({ onOpen }: { onOpen: (orderId: Id) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const { data } = useQuery('evidence.recent', { limit: 8 }, [], ['evidence.changed']);
  return (
    <div className="recent" data-testid="recent">
      <h3>{t('station.recent')}</h3>
      {data?.length === 0 && <p className="muted">{t('common.none')}</p>}
      <ul>
        {data?.map((e) => (
          <li
            key={e.id}
            onClick={() => onOpen(e.orderId)}
            data-testid="recent-item"
            className={`check-${e.checkState}`}
          >
            {e.kind === 'photo' ? (
              <img src={api.mediaUrl(e.path)} alt="" loading="lazy" />
            ) : (
              <span className="thumb-icon">▶</span>
            )}
            <div>
              <div className="order-no">{e.orderNo}</div>
              <div>
                {t(`kind.${e.kind}`)} · {e.durationMs != null ? formatDuration(e.durationMs) : formatBytes(e.bytes)} ·{' '}
                <span className={`pill pill-${e.checkState}`}>{t(`check.${e.checkState}`)}</span>
              </div>
              <div className="muted">
                {formatDateTime(e.capturedAt, lang)}
                {e.origin !== 'recorded' ? ` · ${t(`origin.${e.origin}`)}` : ''}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

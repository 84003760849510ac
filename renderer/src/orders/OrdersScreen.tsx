import { useEffect, useState } from 'react';
import { useQuery } from '../api/context';
import { formatDateTime, useT } from '../i18n';
import { OrderDetailView } from './OrderDetailView';
import { UnlinkedOrders } from './UnlinkedOrders';
import type { Id } from '../../../shared/domain/types';

/** Find an order's evidence in seconds: search by order or tracking number. */
export function OrdersScreen({
  active,
  arg,
  navigate,
}: {
  active: boolean;
  arg?: string;
  navigate: (id: string, arg?: string) => void;
}) {
  const { t, lang } = useT();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<Id | null>(arg || null);
  useEffect(() => {
    if (arg) setSelected(arg);
  }, [arg]);
  const { data, loading } = useQuery('orders.search', { query, limit: 100 }, [query, active], ['evidence.changed']);
  return (
    <div className="orders">
      <div className="orders-list">
        <input
          autoFocus
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('orders.searchPlaceholder')}
          data-testid="order-search"
        />
        {active && <UnlinkedOrders onLinked={setSelected} />}
        {loading && !data && <p className="muted">{t('common.loading')}</p>}
        {data?.length === 0 && <p className="muted">{t('orders.none')}</p>}
        <ul>
          {data?.map((o) => (
            <li
              key={o.id}
              className={selected === o.id ? 'selected' : ''}
              onClick={() => setSelected(o.id)}
              data-testid="order-row"
            >
              <div className="order-no">{o.orderNo}</div>
              <div className="muted">
                {o.trackingNo && o.trackingNo !== o.orderNo ? `${o.trackingNo} · ` : ''}
                {t('orders.counts', { videos: o.videoCount, photos: o.photoCount })}
                {o.lastCapturedAt ? ` · ${formatDateTime(o.lastCapturedAt, lang)}` : ''}
              </div>
              {o.worstCheck && <span className={`pill pill-${o.worstCheck}`}>{t(`check.${o.worstCheck}`)}</span>}
            </li>
          ))}
        </ul>
      </div>
      <div className="orders-detail">
        {selected ? (
          <OrderDetailView orderId={selected} navigate={navigate} />
        ) : (
          <p className="muted">{t('orders.pick')}</p>
        )}
      </div>
    </div>
  );
}

import { useState } from 'react';
import type { ProvisionalOrder } from '../../../shared/domain/types';
import { useApi, useQuery } from '../api/context';
import { useNotify } from '../components/Notices';
import { formatDateTime, useT } from '../i18n';

/**
 * SKU-first packing: recordings that started from an item barcode and never got their
 * order or tracking number. Listed above the orders until staff link each one (scan or
 * type the number into its field, Enter links); hidden when there are none.
 */
export function UnlinkedOrders({ onLinked }: { onLinked: (orderId: string) => void }) {
  const { t } = useT();
  const list = useQuery('orders.unlinked', {}, [], ['evidence.changed']);
  if (!list.data?.length) return null;
  return (
    <section className="unlinked" data-testid="unlinked-orders">
      <h4>
        {t('orders.unlinked.title')} ({list.data.length})
      </h4>
      <p className="muted">{t('orders.unlinked.help')}</p>
      <ul>
        {list.data.map((o) => (
          <UnlinkedRow
            key={o.id}
            order={o}
            onLinked={(id) => {
              list.reload();
              onLinked(id);
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function UnlinkedRow({ order, onLinked }: { order: ProvisionalOrder; onLinked: (orderId: string) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const link = async () => {
    if (busy || !code.trim()) return;
    setBusy(true);
    const r = await api.call('orders.link', { orderId: order.id, code });
    setBusy(false);
    if (!r.ok) return notify.error(r.error);
    notify.show('success', t('orders.unlinked.linked', { from: order.orderNo, order: r.value.orderNo }));
    onLinked(r.value.id);
  };
  return (
    <li data-testid="unlinked-row">
      <div className="order-no">{order.orderNo}</div>
      <div className="muted">
        {t('orders.unlinked.sku')} {order.sku} · {t('orders.unlinked.started')} {formatDateTime(order.createdAt, lang)}{' '}
        · {t('orders.unlinked.files')} {order.evidenceCount}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void link();
        }}
      >
        <input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder={t('orders.unlinked.code')}
          aria-label={t('orders.unlinked.code')}
          data-testid="unlinked-code"
        />
        <button type="submit" disabled={busy || !code.trim()}>
          {t('orders.unlinked.link')}
        </button>
      </form>
    </li>
  );
}

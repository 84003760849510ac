import { formatGrams } from '../../../shared/domain/scale/weights';
import type { Id } from '../../../shared/domain/types';
import { useQuery } from '../api/context';
import { formatDateTime, useT } from '../i18n';

/** An order's packed and return weights; a return outside the tolerance is shown in red. */
export function OrderWeights({ orderId }: { orderId: Id }) {
  const { t, lang } = useT();
  const { data } = useQuery('scale.orderWeights', { orderId }, [orderId], ['evidence.changed']);
  if (!data?.length) return null;
  return (
    <section className="order-weights" data-testid="order-weights">
      <h3>{t('scale.weights.title')}</h3>
      <ul>
        {data.map((w) => (
          <li key={w.id} data-result={w.result ?? ''}>
            {t(`scale.weights.${w.mode}`)}: <strong>{formatGrams(w.grams)}</strong> ·{' '}
            {formatDateTime(new Date(w.weighedAt), lang)}
            {w.result === 'match' && <span> · {t('scale.weights.match')}</span>}
            {w.result === 'mismatch' && (
              <span className="weight-mismatch">
                {' '}
                · {t('scale.weights.mismatch', { packed: formatGrams(w.packedGrams ?? 0) })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

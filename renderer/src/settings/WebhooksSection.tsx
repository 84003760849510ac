import { useApi, useQuery } from '../api/context';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';

const time = (iso: string | null, lang: string) => (iso ? new Date(iso).toLocaleString(lang, { hour12: false }) : '—');

/**
 * Webhooks and their delivery log: what went out, what waits for a retry and why.
 * Webhooks are added on the command line (their signing secret is shown once there).
 */
export function WebhooksSection() {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const list = useQuery('webhooks.list', { limit: 50 }, []);
  const retry = async (deliveryId: string) => {
    const r = await api.call('webhooks.retry', { deliveryId });
    if (!r.ok) return notify.error(r.error);
    list.reload();
  };
  const data = list.data;
  return (
    <fieldset data-testid="webhooks">
      <legend>{t('settings.webhooks.title')}</legend>
      <p className="muted">{t('settings.webhooks.help')}</p>
      {data && data.webhooks.length === 0 && <p>{t('settings.webhooks.none')}</p>}
      {data && data.webhooks.length > 0 && (
        <table className="table" data-testid="webhook-list">
          <thead>
            <tr>
              <th>{t('settings.webhooks.url')}</th>
              <th>{t('settings.webhooks.events')}</th>
            </tr>
          </thead>
          <tbody>
            {data.webhooks.map((w) => (
              <tr key={w.id}>
                <td>{w.url}</td>
                <td>{w.events.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>{t('settings.webhooks.deliveries')}</h4>
      {data && data.deliveries.length === 0 && <p className="muted">{t('settings.webhooks.noDeliveries')}</p>}
      {data && data.deliveries.length > 0 && (
        <table className="table" data-testid="delivery-list">
          <thead>
            <tr>
              <th>{t('settings.webhooks.event')}</th>
              <th>{t('settings.webhooks.status')}</th>
              <th>{t('settings.webhooks.attempts')}</th>
              <th>{t('settings.webhooks.last')}</th>
              <th>{t('settings.webhooks.next')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.deliveries.map((d) => (
              <tr key={d.id} data-status={d.status}>
                <td title={d.url}>{d.event}</td>
                <td title={d.lastError ?? ''}>
                  {t(`delivery.${d.status}`)}
                  {d.responseStatus ? ` (${d.responseStatus})` : d.lastError ? ` (${d.lastError})` : ''}
                </td>
                <td>{d.attempts}</td>
                <td>{time(d.lastAttemptAt, lang)}</td>
                <td>{d.status === 'pending' ? time(d.nextAttemptAt, lang) : '—'}</td>
                <td>
                  {d.status === 'failed' && (
                    <button onClick={() => void retry(d.id)}>{t('settings.webhooks.retry')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { AuditPage as Page } from '../../../shared/hub/audit';
import { describeError } from '../api/errors';
import { formatDateTime, useT } from '../i18n';
import { useStaff } from './staff-context';

const SHOWN = ['name', 'order', 'address', 'agent', 'role', 'link', 'expiresAt', 'download', 'station', 'reason'];

/** The hub's audit log for admins: every sign-in, view, download, share, revoke and account change, newest first. */
export function AuditPage() {
  const { t, lang } = useT();
  const { client, notify } = useStaff();
  const [page, setPage] = useState<Page | null>(null);
  const [filter, setFilter] = useState('');
  const [verified, setVerified] = useState<string | null>(null);
  const load = useCallback(
    async (before?: number) => {
      const q = new URLSearchParams({ limit: '100' });
      if (before) q.set('beforeSeq', String(before));
      if (filter) q.set('actionPrefix', filter);
      const r = await client.call<Page>('GET', `/audit?${q.toString()}`);
      if (!r.ok) return notify('error', describeError(t, r.error));
      setPage((prev) =>
        before && prev ? { entries: [...prev.entries, ...r.value.entries], next: r.value.next } : r.value,
      );
    },
    [client, filter], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => {
    void load();
  }, [load]);
  const verify = async () => {
    const r = await client.call<{ ok: boolean; entries: number; brokenAt: number | null }>('GET', '/audit/verify');
    if (!r.ok) return notify('error', describeError(t, r.error));
    setVerified(
      r.value.ok
        ? t('staff.audit.intact', { n: r.value.entries })
        : t('staff.audit.broken', { seq: r.value.brokenAt ?? '?' }),
    );
  };
  const label = (action: string) => {
    const key = `staff.audit.action.${action}`;
    const text = t(key);
    return text === key ? action : text;
  };
  return (
    <section data-testid="staff-audit">
      <div className="staff-search">
        <select value={filter} onChange={(e) => setFilter(e.target.value)} aria-label={t('staff.audit.filter')}>
          {['', 'user.', 'share.', 'evidence.', 'hub.'].map((p) => (
            <option key={p} value={p}>
              {t(`staff.audit.filter.${p.replace('.', '') || 'all'}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void verify()} data-testid="audit-verify">
          {t('staff.audit.verify')}
        </button>
        {verified && <span data-testid="audit-verified">{verified}</span>}
      </div>
      <table className="staff-table" data-testid="audit-entries">
        <thead>
          <tr>
            <th>{t('staff.audit.at')}</th>
            <th>{t('staff.audit.who')}</th>
            <th>{t('staff.audit.what')}</th>
            <th>{t('staff.audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {page?.entries.map((e) => (
            <tr key={e.seq}>
              <td>{formatDateTime(e.at, lang)}</td>
              <td>{e.actor}</td>
              <td>
                {label(e.action)}
                {e.entityId && e.entity === 'order' ? ` · ${e.entityId}` : ''}
              </td>
              <td className="details">
                {SHOWN.filter((k) => e.details[k] != null && e.details[k] !== '')
                  .map((k) => `${k}: ${String(e.details[k]).slice(0, 80)}`)
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page?.next && (
        <button type="button" onClick={() => void load(page.next!)}>
          {t('staff.search.more')}
        </button>
      )}
    </section>
  );
}

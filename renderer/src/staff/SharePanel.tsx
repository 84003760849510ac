import { useCallback, useEffect, useState } from 'react';
import type { ShareLink } from '../../../shared/hub/share-links';
import { describeError } from '../api/errors';
import { formatDateTime, useT } from '../i18n';
import { useStaff } from './staff-context';

const HOURS = [24, 72, 168, 720] as const;

/** Make, list and revoke an order's share links, with every opening (time, address, browser). */
export function SharePanel({ orderNo }: { orderNo: string }) {
  const { t, lang } = useT();
  const { client, notify } = useStaff();
  const [links, setLinks] = useState<ShareLink[]>([]);
  const [hours, setHours] = useState<number>(168);
  const [download, setDownload] = useState(false);
  const [made, setMade] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const load = useCallback(async () => {
    const r = await client.call<{ links: ShareLink[] }>('GET', `/shares?order=${encodeURIComponent(orderNo)}`);
    if (r.ok) setLinks(r.value.links);
    else notify('error', describeError(t, r.error));
  }, [client, orderNo]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    void load();
  }, [load]);
  const make = async () => {
    const r = await client.call<{ url: string }>('POST', '/shares', { orderNo, hours, download });
    if (!r.ok) return notify('error', describeError(t, r.error));
    setMade(r.value.url);
    setCopied(false);
    void load();
  };
  const revoke = async (id: string) => {
    const r = await client.call('POST', `/shares/${encodeURIComponent(id)}/revoke`);
    if (!r.ok) notify('error', describeError(t, r.error));
    void load();
  };
  const when = (iso: string) => formatDateTime(iso, lang);
  return (
    <section className="staff-share" data-testid="share-panel">
      <h3>{t('staff.share.title')}</h3>
      <p className="help">{t('staff.share.help')}</p>
      <div className="row">
        <label>
          {t('staff.share.hours')}{' '}
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="share-hours">
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {t(`staff.share.h${h}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={download} onChange={(e) => setDownload(e.target.checked)} />{' '}
          {t('staff.share.download')}
        </label>
        <button type="button" onClick={() => void make()} data-testid="share-make">
          {t('staff.share.make')}
        </button>
      </div>
      {made && (
        <p className="made">
          {t('staff.share.made')}{' '}
          <input readOnly value={made} data-testid="share-url" onFocus={(e) => e.target.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(made).then(() => setCopied(true))}>
            {copied ? t('staff.share.copied') : t('staff.share.copy')}
          </button>
        </p>
      )}
      {!links.length && <p className="staff-empty">{t('staff.share.none')}</p>}
      <ul className="links">
        {links.map((l) => (
          <li key={l.id} data-testid="share-link" data-state={l.state}>
            <span className={`state ${l.state}`}>
              {t(`staff.share.state.${l.state}`, {
                until: when(l.expiresAt),
                at: l.revokedAt ? when(l.revokedAt) : '',
              })}
            </span>{' '}
            {l.packetId && <span className="pill">{t('staff.share.ofPacket')}</span>}{' '}
            <span className="by">{t('staff.share.by', { who: l.createdBy, at: when(l.createdAt) })}</span>
            {l.state === 'active' && (
              <button type="button" onClick={() => void revoke(l.id)} data-testid="share-revoke">
                {t('staff.share.revoke')}
              </button>
            )}
            {l.opens.length > 0 && (
              <details>
                <summary>{t('staff.share.opens', { n: l.opens.length })}</summary>
                <ul data-testid="share-opens">
                  {l.opens.map((o, i) => (
                    <li key={i}>
                      {when(o.at)} · {t(`staff.share.open.${o.what}`)} · {o.address ?? ''} · {o.agent ?? ''}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { formatDateTime, useT } from '../i18n';
import { useStaff } from './staff-context';

interface Hit {
  stationId: string;
  stationName: string | null;
  orderId: string;
  orderNo: string;
  trackingNo: string | null;
  shop: string | null;
  createdAt: string;
  files: number;
}
interface Page {
  hits: Hit[];
  next: string | null;
}
interface Form {
  code: string;
  shop: string;
  from: string;
  to: string;
}

const KEY = 'proofpack.staff.search';
const blank: Form = { code: '', shop: '', from: '', to: '' };
/** a picked day (the browser's own time zone) as the instant it starts; `plus` days later */
const dayStart = (day: string, plus = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plus).toISOString();
};

function query(f: Form, after?: string): string {
  const q = new URLSearchParams();
  if (f.code.trim()) q.set('code', f.code.trim());
  if (f.shop.trim()) q.set('shop', f.shop.trim());
  if (f.from) q.set('from', dayStart(f.from));
  if (f.to) q.set('to', dayStart(f.to, 1));
  if (after) q.set('after', after);
  return q.toString();
}

/** Orders across every station the user may see: by number (or its beginning), shop and dates, newest first. */
export function SearchPage() {
  const { t, lang } = useT();
  const { client, notify } = useStaff();
  const [form, setForm] = useState<Form>(() => ({ ...blank, ...JSON.parse(sessionStorage.getItem(KEY) ?? '{}') }));
  const [page, setPage] = useState<Page | null>(null);
  const run = async (f: Form, after?: string) => {
    sessionStorage.setItem(KEY, JSON.stringify(f));
    const r = await client.call<Page>('GET', `/orders?${query(f, after)}`);
    if (!r.ok) return notify('error', describeError(t, r.error));
    setPage((prev) => (after && prev ? { hits: [...prev.hits, ...r.value.hits], next: r.value.next } : r.value));
  };
  useEffect(() => {
    void run(form);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(form);
  };
  const field = (k: keyof Form) => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }),
  });
  return (
    <section data-testid="staff-search">
      <form className="staff-search" onSubmit={submit}>
        <input
          autoFocus
          placeholder={t('staff.search.code')}
          aria-label={t('staff.search.code')}
          data-testid="search-code"
          {...field('code')}
        />
        <input placeholder={t('staff.search.shop')} aria-label={t('staff.search.shop')} {...field('shop')} />
        <label>
          {t('staff.search.from')} <input type="date" {...field('from')} />
        </label>
        <label>
          {t('staff.search.to')} <input type="date" {...field('to')} />
        </label>
        <button type="submit" data-testid="search-go">
          {t('staff.search.go')}
        </button>
      </form>
      {page && !page.hits.length && <p className="staff-empty">{t('staff.search.none')}</p>}
      {page && page.hits.length > 0 && (
        <table className="staff-table" data-testid="search-hits">
          <thead>
            <tr>
              <th>{t('staff.col.order')}</th>
              <th>{t('staff.col.tracking')}</th>
              <th>{t('staff.col.shop')}</th>
              <th>{t('staff.col.station')}</th>
              <th>{t('staff.col.created')}</th>
              <th>{t('staff.col.files')}</th>
            </tr>
          </thead>
          <tbody>
            {page.hits.map((h) => (
              <tr key={`${h.stationId}/${h.orderId}`}>
                <td>
                  <a href={`#order=${encodeURIComponent(h.orderNo)}`} data-testid="hit-order">
                    {h.orderNo}
                  </a>
                </td>
                <td>{h.trackingNo ?? ''}</td>
                <td>{h.shop ?? ''}</td>
                <td>{h.stationName ?? h.stationId}</td>
                <td>{formatDateTime(h.createdAt, lang)}</td>
                <td>{h.files}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.next && (
        <button type="button" onClick={() => void run(form, page.next!)}>
          {t('staff.search.more')}
        </button>
      )}
    </section>
  );
}

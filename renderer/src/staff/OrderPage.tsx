import { useEffect, useState } from 'react';
import type { StaffFile } from '../../../shared/hub/hub-file';
import { describeError } from '../api/errors';
import { useT } from '../i18n';
import { SharePanel } from './SharePanel';
import { StaffFileCard } from './StaffFileCard';
import { useStaff } from './staff-context';

/** One order's files from every station: played from the hub (HTTP Range: seeking never downloads the whole video). */
export function OrderPage({ orderNo }: { orderNo: string }) {
  const { t } = useT();
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
      {files && files.length > 1 && (
        <p>
          <a href={client.orderZipUrl(orderNo)} download data-testid="order-zip">
            {t('staff.order.zip', { n: files.length })}
          </a>
        </p>
      )}
      {problem && (
        <p className="problem" data-testid="order-problem">
          {problem}
        </p>
      )}
      <div className="staff-files">
        {files?.map((f) => (
          <StaffFileCard key={`${f.stationId}/${f.evidenceId}`} file={f} />
        ))}
      </div>
      {files && files.length > 0 && mayShare && <SharePanel orderNo={orderNo} />}
    </section>
  );
}
